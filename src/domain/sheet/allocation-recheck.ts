/**
 * The live check's shortcut: after an edit to a few rows, only the bundles those rows belong to are analysed
 * again; everything else of the previous analysis is kept. The result equals `analyzeAllocations` of the whole
 * table (the property test in test/domain/sheet/allocation-recheck.test.ts says so), or is null when a shortcut
 * cannot be trusted — an edit to a row's identity, a row that belongs to no pulled bundle, rows added or
 * removed — and the caller analyses the whole table.
 */
import { analyzeBundle, type AllocationAnalysis, type BundleSend, type BundleState } from "./allocation-analysis";
import { ALLOCATIONS_LAYOUT, bundleKey, bundleRef, readAllocationIdentity, type AllocationColumnKey } from "./allocation-table";
import type { UtcOffset } from "./cell-values";
import type { AllocationSnapshot } from "./snapshot";
import { Findings, SheetView, type ChangedRecord, type TableRead } from "./sheet-view";

/** The pulled line a row names ("bundle key", line id), or null when it names none or is blank. */
function lineOf(view: SheetView<AllocationColumnKey>, row: number): { key: string; lineId: number } | null {
  if (view.isBlankRow(row)) return null;
  const id = readAllocationIdentity((k) => view.cell(row, k));
  if (!id.ok) return null;
  const { contractId, itemType, itemId, lineId } = id.value;
  return { key: bundleKey(contractId, itemType, itemId), lineId };
}

export function recheckAllocations(
  previous: AllocationAnalysis,
  before: TableRead,
  table: TableRead,
  rows: readonly number[],
  snapshot: AllocationSnapshot,
  offset?: UtcOffset,
): AllocationAnalysis | null {
  if (table.rows.length !== before.rows.length || table.headers.length !== before.headers.length) return null;
  if (table.headers.some((h, i) => h !== before.headers[i]) || table.headerRow !== before.headerRow || table.firstColumn !== before.firstColumn) return null;
  const view = new SheetView(ALLOCATIONS_LAYOUT, table);
  const was = new SheetView(ALLOCATIONS_LAYOUT, before);
  const keys = new Set<string>();
  for (const row of rows) {
    if (row < 0 || row >= table.rows.length) return null;
    const now = lineOf(view, row);
    const then = lineOf(was, row);
    // The row must name the same pulled line as before: otherwise groups, duplicates and missing lines move.
    if (!now || !then || now.key !== then.key || now.lineId !== then.lineId) return null;
    if (!previous.rowsByKey.has(now.key) || !snapshot.records[now.key]) return null;
    keys.add(now.key);
  }
  if (keys.size === 0) return previous;

  const found = new Findings<AllocationColumnKey>(view);
  const changed = new Map<string, ChangedRecord<BundleSend>>();
  const fresh: BundleState[] = [];
  const lineRows = new Map(previous.lineRows);
  const affected = new Set<number>();
  let editedBefore = 0;
  for (const key of keys) {
    const pulled = snapshot.records[key]!;
    const groupRows = previous.rowsByKey.get(key)!;
    const group: { row: number; lineId: number }[] = [];
    for (const row of groupRows) {
      const line = lineOf(view, row);
      if (!line || line.key !== key) return null;
      group.push({ row, lineId: line.lineId });
      affected.add(row);
    }
    const { contractId, itemType, itemId } = pulled;
    const ref = bundleRef({ contractId, itemType, itemId, dealName: pulled.dealName ?? null });
    analyzeBundle(key, pulled, ref, group, view, found, offset, changed, fresh, lineRows);
    editedBefore += previous.changed.get(key)?.cells.length ?? 0;
  }

  const order = (column: string) => view.index.get(column as AllocationColumnKey) ?? -1;
  const byPlace = (a: { row: number; column: string }, b: { row: number; column: string }) => a.row - b.row || order(a.column) - order(b.column);
  const texts = found.checkText();
  const checkText = [...previous.checkText];
  for (const row of affected) checkText[row] = texts[row] ?? "";
  const freshByKey = new Map(fresh.map((b) => [b.key, b]));
  const orderedChanged = new Map<string, ChangedRecord<BundleSend>>();
  for (const b of previous.bundles) {
    const entry = keys.has(b.key) ? changed.get(b.key) : previous.changed.get(b.key);
    if (entry) orderedChanged.set(b.key, entry);
  }
  return {
    issues: [...previous.issues.filter((i) => !keys.has(i.key)), ...found.issues].sort(byPlace),
    marks: [...previous.marks.filter((m) => !affected.has(m.row)), ...found.marks()].sort(byPlace),
    checkText,
    changed: orderedChanged,
    keysWithIssues: new Set([...[...previous.keysWithIssues].filter((k) => !keys.has(k)), ...found.keysWithIssues]),
    editedCells: previous.editedCells - editedBefore + found.editedCount,
    missing: previous.missing,
    rowsByKey: previous.rowsByKey,
    bundles: previous.bundles.map((b) => freshByKey.get(b.key) ?? b),
    lineRows,
  };
}
