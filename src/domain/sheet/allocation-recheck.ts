/**
 * The live check's shortcut: after an edit to a few rows, only the bundles those rows belong to are analysed
 * again; everything else of the previous analysis is kept. The result equals `analyzeAllocations` of the whole
 * table (the property test in test/domain/sheet/allocation-recheck.test.ts says so), or is null when a shortcut
 * cannot be trusted — an edit to a row's identity, a row that belongs to no pulled bundle, rows added or
 * removed, an edit that changes nothing the analysis reads — and the caller analyses the whole table.
 */
import { analyzeBundle, type AllocationAnalysis, type BundleSend, type BundleState } from "./allocation-analysis";
import { ALLOCATIONS_LAYOUT, bundleKey, bundleRef, readAllocationIdentity, type AllocationColumnKey } from "./allocation-table";
import { isBlankCell, type UtcOffset } from "./cell-writers";
import type { SheetCell } from "./layout";
import type { AllocationSnapshot } from "./snapshot";
import { Findings, SheetView, type ChangedRecord, type TableRead } from "./sheet-view";

const OWNED = new Set<string>(ALLOCATIONS_LAYOUT.columns.filter((c) => "owned" in c && c.owned).map((c) => c.key));

/** The pulled line a row's cells name ("bundle key", line id), or null when they name none or the row is blank. */
function lineOf(
  index: ReadonlyMap<AllocationColumnKey, number>,
  cells: readonly SheetCell[] | undefined,
): { key: string; lineId: number } | null {
  if (!cells) return null;
  let blank = true;
  for (const [key, at] of index) if (!OWNED.has(key) && !isBlankCell(cells[at])) blank = false;
  if (blank) return null;
  const id = readAllocationIdentity((k) => {
    const at = index.get(k);
    return at === undefined ? undefined : cells[at];
  });
  if (!id.ok) return null;
  const { contractId, itemType, itemId, lineId } = id.value;
  return { key: bundleKey(contractId, itemType, itemId), lineId };
}

/** A re-analysis and the rows whose findings it may have changed (the rows of the bundles analysed again). */
export interface Recheck<A> {
  analysis: A;
  rows: number[];
}

/**
 * `previous` is the analysis of the table as it was, which differed from `table` only in the rows of `before`
 * (each row's cells as they were; same headers, same place, same number of rows).
 */
/** Where each bundle is in an analysis' `bundles`: the same for every re-analysis of one table, so passed along. */
const BUNDLE_INDEX = new WeakMap<AllocationAnalysis, ReadonlyMap<string, number>>();

function bundleIndex(analysis: AllocationAnalysis): ReadonlyMap<string, number> {
  let index = BUNDLE_INDEX.get(analysis);
  if (!index) {
    index = new Map(analysis.bundles.map((b, i) => [b.key, i]));
    BUNDLE_INDEX.set(analysis, index);
  }
  return index;
}

function sameRows(a: ReadonlyMap<number, number> | undefined, b: ReadonlyMap<number, number> | undefined): boolean {
  if (!a || !b || a.size !== b.size) return a === b;
  for (const [line, row] of a) if (b.get(line) !== row) return false;
  return true;
}

export function recheckAllocations(
  previous: AllocationAnalysis,
  table: TableRead,
  before: ReadonlyMap<number, readonly SheetCell[]>,
  snapshot: AllocationSnapshot,
  offset?: UtcOffset,
): Recheck<AllocationAnalysis> | null {
  const view = new SheetView(ALLOCATIONS_LAYOUT, table);
  if (previous.checkText.length !== table.rows.length) return null;
  const keys = new Set<string>();
  for (const [row, cells] of before) {
    if (!(row >= 0 && row < table.rows.length)) return null;
    const now = lineOf(view.index, table.rows[row]);
    const then = lineOf(view.index, cells);
    // The row must name the same pulled line as before: otherwise groups, duplicates and missing lines move.
    if (!now || !then || now.key !== then.key || now.lineId !== then.lineId) return null;
    if (!previous.rowsByKey.has(now.key) || !snapshot.records[now.key]) return null;
    keys.add(now.key);
  }
  if (keys.size === 0) return null;

  const found = new Findings<AllocationColumnKey>(view);
  const changed = new Map<string, ChangedRecord<BundleSend>>();
  const fresh: BundleState[] = [];
  const lineRows = new Map<string, Map<number, number>>();
  const affected = new Set<number>();
  let editedBefore = 0;
  for (const key of keys) {
    const pulled = snapshot.records[key]!;
    const groupRows = previous.rowsByKey.get(key)!;
    const group: { row: number; lineId: number }[] = [];
    for (const row of groupRows) {
      const line = lineOf(view.index, table.rows[row]);
      if (!line || line.key !== key) return null;
      group.push({ row, lineId: line.lineId });
      affected.add(row);
    }
    // A row outside the bundle's rows that holds an edit of it (an identity typed over so that it names no pulled
    // bundle) is found only by the whole analysis.
    const rowsOfKey = new Set(groupRows);
    if (previous.changed.get(key)?.cells.some((c) => !rowsOfKey.has(c.row))) return null;
    const { contractId, itemType, itemId } = pulled;
    const ref = bundleRef({ contractId, itemType, itemId, dealName: pulled.dealName ?? null });
    analyzeBundle(key, pulled, ref, group, view, found, offset, changed, fresh, lineRows);
    editedBefore += previous.changed.get(key)?.cells.length ?? 0;
  }

  const order = (column: string) => view.index.get(column as AllocationColumnKey) ?? -1;
  const byPlace = (a: { row: number; column: string }, b: { row: number; column: string }) =>
    a.row - b.row || order(a.column) - order(b.column);
  const checkText = previous.checkText.slice();
  for (const row of affected) checkText[row] = found.checkTextOf(row);
  // Bundles keep their places (the rows' lines did not change), so the previous order serves: each bundle's index
  // is computed once per table and handed on, and only the bundles analysed again are replaced.
  const at = bundleIndex(previous);
  const bundles = previous.bundles.slice();
  for (const b of fresh) bundles[at.get(b.key) as number] = b;
  const changedNow = new Map([...previous.changed].filter(([key]) => !keys.has(key)));
  for (const [key, entry] of changed) changedNow.set(key, entry);
  const orderedChanged = new Map([...changedNow].sort(([a], [b]) => (at.get(a) as number) - (at.get(b) as number)));
  // The rows of each line stay as they were unless two rows claim one line (then the cells decide which counts).
  const sameLines = [...keys].every((key) => sameRows(previous.lineRows.get(key), lineRows.get(key)));
  const analysis: AllocationAnalysis = {
    issues: [...previous.issues.filter((i) => !keys.has(i.key)), ...found.issues].sort(byPlace),
    marks: [...previous.marks.filter((m) => !affected.has(m.row)), ...found.marks()].sort(byPlace),
    checkText,
    changed: orderedChanged,
    keysWithIssues: new Set([...[...previous.keysWithIssues].filter((k) => !keys.has(k)), ...found.keysWithIssues]),
    editedCells: previous.editedCells - editedBefore + found.editedCount,
    missing: previous.missing,
    rowsByKey: previous.rowsByKey,
    bundles,
    lineRows: sameLines ? previous.lineRows : new Map([...previous.lineRows, ...lineRows]),
  };
  BUNDLE_INDEX.set(analysis, at);
  return { analysis, rows: [...affected].sort((a, b) => a - b) };
}
