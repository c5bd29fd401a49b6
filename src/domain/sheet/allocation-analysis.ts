/**
 * Reads the Allocations table against the pulled bundles: which rows belong to which bundle, whether each
 * bundle still adds up, which amounts the user changed, and what a push would send for each changed bundle.
 */
import { AMOUNT_LIMIT } from "../../model/campfire-facts";
import type { BundleLine, ItemType } from "../../model/records";
import { readAmount } from "../cell-readers";
import { describeRecord, type RecordRef } from "../issues";
import { formatMinor, formatMinorGrouped, minorUnitsOf, roundHalfEvenToScale, toMinorExact } from "../money";
import { checkBundleDraft, type BundleDraftLine } from "../rules/allocations";
import {
  ALLOCATIONS_LAYOUT,
  ALLOCATION_IDENTITY,
  allocationCells,
  bundleCells,
  bundleKey,
  lineCells,
  type AllocationIdentity,
  type BundleCells,
  bundleRef,
  readAllocationIdentity,
  type AllocationColumnKey,
  type PulledBundle,
} from "./allocation-table";
import { asRead, sameCell, showCell, type UtcOffset } from "./cell-writers";
import { claimLines } from "./line-claims";
import { bestRow, heldBeyondCell, heldNote, IDENTITY_MESSAGE, matchCount } from "./row-identity";
import type { SheetCell } from "./layout";
import type { AllocationSnapshot } from "./snapshot";
import { Findings, SheetView, type ChangedRecord, type FieldChange, type SheetAnalysis, type TableRead } from "./sheet-view";

/** What a push sends for one bundle: every line, in the bundle's order. `lineIds[i]` is the line of `lines[i]`. */
export interface BundleSend {
  contractId: number;
  itemType: ItemType;
  itemId: number;
  lines: { product: number; amount: number }[];
  lineIds: number[];
}

export interface BundleState {
  key: string;
  label: string;
  currency: string;
  /** Exact decimal strings; sum and difference are "" while an amount is invalid. */
  sum: string;
  total: string;
  difference: string;
  balanced: boolean;
  /** Rows of the bundle's lines, in the bundle's line order. */
  rows: number[];
  /** Amounts in minor units by line (null when invalid), parallel to `rows`. */
  amountsMinor: (bigint | null)[];
  totalMinor: bigint;
  scale: number;
}

export interface AllocationAnalysis extends SheetAnalysis<BundleSend> {
  bundles: BundleState[];
  /** For each pulled bundle on the sheet: the row of each line id. */
  lineRows: Map<string, Map<number, number>>;
}

const READ_ONLY_COMPARED = ALLOCATIONS_LAYOUT.columns.filter(
  (c) => !c.editable && !("owned" in c && c.owned) && !ALLOCATION_IDENTITY.includes(c.key),
);

/** Compared to tell which row is which line: every column but the identity and the add-in's own. */
const MATCHED = ALLOCATIONS_LAYOUT.columns
  .filter((c) => !("owned" in c && c.owned) && !ALLOCATION_IDENTITY.includes(c.key))
  .map((c) => c.key);

/** A pulled amount in minor units: exact whatever its digits; rounded only if it has more decimals than the currency. */
function serverMinor(amount: number, scale: number): bigint {
  try {
    return toMinorExact(amount, scale);
  } catch {
    return roundHalfEvenToScale(amount, scale);
  }
}

/** What a read-only cell's issue allows, for every line of every bundle. */
const ONLY_AMOUNT = "; only Amount can be changed (pull again to restore the column)";

function rowOf(p: { row: number }): number {
  return p.row;
}

/**
 * Each line's cells as pulled, made once: a bundle's checks look at them several times. The bundle's own cells
 * (its total, its last modified: a time serial always has more than 15 digits) are as a cell holds them, rounded
 * once for all its lines, so comparing with a cell left as pulled is a plain ===. A line's own numbers (amounts,
 * percentages) mostly fit in 15 digits already; sameCell rounds the few that do not. (A class, not closures made
 * per bundle: the checks run over thousands of bundles.)
 */
function noLine(): undefined {
  return undefined;
}

class ExpectedCells {
  /** By the line's index in the bundle as pulled. */
  private readonly cells: (Record<AllocationColumnKey, SheetCell> | undefined)[] = [];
  private shared: BundleCells | null = null;

  constructor(
    private readonly pulled: PulledBundle,
    private readonly offset: UtcOffset | undefined,
  ) {}

  /** The cells of line `i` of the bundle. */
  of(i: number): Record<AllocationColumnKey, SheetCell> {
    let cells = this.cells[i];
    if (!cells) {
      const line = this.pulled.bundle.lines[i]!;
      if (!this.shared) {
        const shared = bundleCells(this.pulled, this.offset); // a new record: ours to round in place
        shared.bundle_total = asRead(shared.bundle_total);
        shared.last_modified = asRead(shared.last_modified);
        this.shared = shared;
      }
      cells = lineCells(this.shared, line);
      this.cells[i] = cells;
    }
    return cells;
  }
}

export function analyzeAllocations(table: TableRead, snapshot: AllocationSnapshot, offset?: UtcOffset): AllocationAnalysis {
  const view = new SheetView(ALLOCATIONS_LAYOUT, table);
  const found = new Findings<AllocationColumnKey>(view);
  const groups = new Map<string, { rows: { row: number; lineId: number }[]; ref: RecordRef & { kind: "bundle" } }>();

  let last: { id: AllocationIdentity; group: { rows: { row: number; lineId: number }[] } } | null = null;
  // One reader for every row (not a closure made per row).
  let current = 0;
  const cellOfCurrent = (k: AllocationColumnKey): SheetCell | undefined => view.cell(current, k);
  for (let row = 0; row < view.rowCount; row++) {
    if (view.isBlankRow(row)) continue;
    current = row;
    const id = readAllocationIdentity(cellOfCurrent, last?.id);
    if (!id.ok) {
      const ref: RecordRef = {
        kind: "bundle",
        contractId: Number(view.cell(row, "contract_id")) || 0,
        itemType: "subscription",
        itemId: 0,
      };
      found.add(
        `row:${row}`,
        {
          record: ref,
          field: view.header(id.column as AllocationColumnKey),
          message: `this row does not name a pulled line: ${id.message}`,
          allowed: `${id.allowed}; Contract ID, Item type, Item ID and Line ID must stay as pulled`,
        },
        row,
        id.column as AllocationColumnKey,
        "amount",
      );
      continue;
    }
    const { contractId, itemType, itemId, lineId } = id.value;
    // A bundle's lines are usually next to each other: the row before's group serves without a lookup.
    if (last && last.id.contractId === contractId && last.id.itemType === itemType && last.id.itemId === itemId) {
      last.group.rows.push({ row, lineId });
      continue;
    }
    const key = bundleKey(contractId, itemType, itemId);
    let group = groups.get(key);
    if (!group) {
      const pulled = snapshot.records[key];
      group = { rows: [], ref: bundleRef({ contractId, itemType, itemId, dealName: pulled?.dealName ?? null }) };
      groups.set(key, group);
    }
    group.rows.push({ row, lineId });
    last = { id: id.value, group };
  }

  const changed = new Map<string, ChangedRecord<BundleSend>>();
  const bundles: BundleState[] = [];
  const rowsByKey = new Map<string, number[]>();
  const lineRows = new Map<string, Map<number, number>>();

  // Pulled lines no row names: where a typed-over Contract ID, Item type or Item ID came from.
  // Worked out only when a row names no pulled bundle (rare): it looks at every pulled line.
  let absent: Record<AllocationColumnKey, SheetCell>[] | null = null;
  const absentLines = (): Record<AllocationColumnKey, SheetCell>[] => {
    if (absent) return absent;
    const claimed = new Set([...groups].flatMap(([key, g]) => g.rows.map((r) => `${key}\u0000${r.lineId}`)));
    absent = Object.entries(snapshot.records).flatMap(([key, b]) =>
      b.bundle.lines.filter((line) => !claimed.has(`${key}\u0000${line.id}`)).map((line) => allocationCells(b, line, offset)),
    );
    return absent;
  };
  const absentLineLike = (row: number): { expected: Record<AllocationColumnKey, SheetCell> } | null => {
    let best: Record<AllocationColumnKey, SheetCell> | null = null;
    let bestScore = 0;
    for (const expected of absentLines()) {
      const score = matchCount(view, row, MATCHED, expected);
      if (score > bestScore) [best, bestScore] = [expected, score];
    }
    return best ? { expected: best } : null;
  };

  /** By the bundle a row held: rows whose identity was typed over so that they name no pulled bundle. */
  const typedAway = new Map<string, { row: number; column: AllocationColumnKey; was: string; now: string }[]>();
  for (const [key, group] of groups) {
    const pulled = snapshot.records[key];
    const groupRows = group.rows.map((r) => r.row);
    if (!pulled) {
      for (const { row } of group.rows) {
        const was = absentLineLike(row);
        if (was) {
          // A pulled line has no row and this row holds its cells: an identity cell was typed over. Said on the
          // cell that differs from that line, in the row that was edited.
          const column = ALLOCATION_IDENTITY.find((c) => !sameCell(view.cell(row, c) ?? "", asRead(was.expected[c]))) ?? "line_id";
          const { contract_id: c, item_type: t, item_id: i } = was.expected;
          const held = bundleKey(c as number, String(t).trim() as PulledBundle["itemType"], i as number);
          const list = typedAway.get(held) ?? [];
          list.push({ row, column, was: showCell(was.expected[column]), now: showCell(view.cell(row, column)) });
          typedAway.set(held, list);
          found.add(
            `row:${row}`,
            {
              record: group.ref,
              field: view.header(column),
              message: `this row names no pulled line; ${IDENTITY_MESSAGE}`,
              allowed: `the ${view.header(column)} as pulled, ${showCell(was.expected[column])}; pull again to restore it`,
            },
            row,
            column,
            "amount",
          );
          continue;
        }
        found.add(
          key,
          {
            record: group.ref,
            field: "line",
            message: "this line is not in the pulled data (added or copied after the pull); it is not sent",
            allowed: "lines pulled from Campfire; add a line in Campfire, then pull again",
          },
          row,
          "line_id",
          "amount",
        );
      }
      continue;
    }
    rowsByKey.set(key, groupRows);
    analyzeBundle(key, pulled, group.ref, group.rows, view, found, offset, changed, bundles, lineRows);
  }

  // Such a row is an edit of the bundle it held that cannot be sent: a review blocks, and a pull or refresh asks
  // before replacing the row, so the row's other edits are not lost without a word (as for commits).
  for (const [key, rows] of typedAway) {
    const pulled = snapshot.records[key];
    if (!pulled) continue;
    const ref = bundleRef(pulled);
    const label = describeRecord(ref);
    const entry = changed.get(key) ?? { key, label, ref, rows: [...(rowsByKey.get(key) ?? [])], changes: [], cells: [], send: null };
    for (const { row, column, was, now } of rows) {
      found.edited(row, column);
      if (!entry.rows.includes(row)) entry.rows.push(row);
      entry.cells.push({ row, column });
      entry.changes.push({ key, label, field: view.header(column), old: was, new: now });
    }
    entry.send = null;
    changed.set(key, entry);
  }

  return {
    ...found.analysis(changed, snapshot.records, rowsByKey, (key) => describeRecord(bundleRef(snapshot.records[key]!))),
    bundles,
    lineRows,
  };
}

export function analyzeBundle(
  key: string,
  pulled: PulledBundle,
  ref: RecordRef & { kind: "bundle" },
  rows: { row: number; lineId: number }[],
  view: SheetView<AllocationColumnKey>,
  found: Findings<AllocationColumnKey>,
  offset: UtcOffset | undefined,
  changed: Map<string, ChangedRecord<BundleSend>>,
  bundles: BundleState[],
  lineRows: Map<string, Map<number, number>>,
): void {
  const label = describeRecord(ref);
  const lines = pulled.bundle.lines;
  const groupRows: number[] = [];
  for (const { row } of rows) groupRows.push(row);

  // Rows by the pulled line they name. Two rows naming one line: the one holding that line's cells is it, and the
  // other had its Line ID typed over when a pulled line is now missing (the message goes on the edited row).
  const { single: rowOfLine, multiple, unknown, absent } = claimLines(lines, rows);
  const expectedCells = new ExpectedCells(pulled, offset);
  const explained = new Set<number>();
  // Only a bundle with a pulled line missing from the sheet needs these (rare): made only then, not for every bundle.
  let wasLine: (row: number) => number | undefined = noLine;
  let identityEdit: (row: number, what: string, line: number | undefined) => void = noLine;
  /** Rows whose Line ID was typed over, with the line they held: an edit of the bundle that cannot be sent. */
  const typedOver: { row: number; was: string }[] = [];
  if (absent.length) {
    wasLine = (row: number): number | undefined => {
      let best: number | undefined;
      let bestScore = 0;
      for (const i of absent) {
        const score = matchCount(view, row, MATCHED, expectedCells.of(i));
        if (score > bestScore) [best, bestScore] = [i, score];
      }
      return best;
    };
    identityEdit = (row: number, what: string, line: number | undefined) => {
      const was = wasLine(row);
      if (was !== undefined) explained.add(was);
      typedOver.push({ row, was: was === undefined ? "" : String(lines[was]!.id) });
      found.add(
        key,
        {
          record: ref,
          field: "Line ID",
          ...(line === undefined ? {} : { line }),
          message: `${what}; ${IDENTITY_MESSAGE}`,
          allowed:
            was === undefined
              ? "the Line ID as pulled; pull again to restore it"
              : `the Line ID as pulled, ${lines[was]!.id}; pull again to restore it`,
        },
        row,
        "line_id",
        "amount",
      );
    };
  }

  for (const [i, claiming] of multiple) {
    const row = bestRow(view, claiming, MATCHED, expectedCells.of(i));
    rowOfLine[i] = row;
    for (const other of claiming) {
      if (other === row) continue;
      const lineId = lines[i]!.id;
      if (absent.length && wasLine(other) !== undefined)
        identityEdit(other, `line ${lineId} is already on row ${view.address(row, "line_id")}`, i);
      else {
        found.add(
          key,
          {
            record: ref,
            field: "line",
            line: i,
            message: `line ${lineId} is on the sheet twice; only row ${view.address(row, "line_id")} counts`,
            allowed: "each pulled line once; add lines in Campfire, then pull again",
          },
          other,
          "line_id",
          "amount",
        );
      }
    }
  }
  for (const { row, lineId } of unknown) {
    if (absent.length) identityEdit(row, `line ${lineId} is not a line of this bundle as pulled`, undefined);
    else {
      found.add(
        key,
        {
          record: ref,
          field: "line",
          message: `line ${lineId} is not a line of this bundle as pulled (added or copied after the pull); it is not sent`,
          allowed: "each pulled line once; add lines in Campfire, then pull again",
        },
        row,
        "line_id",
        "amount",
      );
    }
  }

  const present: { line: BundleLine; i: number; row: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const row = rowOfLine[i];
    if (row !== undefined) present.push({ line: lines[i]!, i, row });
  }
  const firstRow = present[0]?.row ?? groupRows[0] ?? 0;
  const otherRows: number[] = [];
  for (const r of groupRows) if (r !== firstRow) otherRows.push(r);

  for (let i = 0; i < lines.length; i++) {
    if (rowOfLine[i] !== undefined || explained.has(i)) continue;
    const line = lines[i]!;
    found.add(
      key,
      {
        record: ref,
        field: "lines",
        line: i,
        message: `line ${line.id} (${line.product_name}) was pulled but is no longer on the sheet`,
        allowed: "every line of the bundle on the sheet (nothing is deleted in Campfire); pull again to get the line back",
      },
      firstRow,
      "amount",
      "amount",
      otherRows,
    );
  }

  const currency = pulled.bundle.currency;
  const scale = minorUnitsOf(currency);
  // A cell that holds what Excel holds for the pulled amount is unchanged: the amount is Campfire's, exactly.
  const held: boolean[] = [];
  /** Each present line's amount as Campfire holds it, in minor units. */
  const pulledMinor: (bigint | null)[] = [];
  const draftLines: BundleDraftLine[] = [];
  for (const { line, i, row } of present) {
    const amount = view.cell(row, "amount") ?? "";
    const unchanged = sameCell(amount, expectedCells.of(i).amount);
    const minor = serverMinor(line.amount, scale);
    held.push(unchanged);
    pulledMinor.push(minor);
    draftLines.push(
      unchanged ? { lineId: line.id, product: line.product, amount, heldMinor: minor } : { lineId: line.id, product: line.product, amount },
    );
  }
  // A line whose Line ID was typed over counts as Campfire has it: the sum then speaks of what the user changed,
  // not of an identity edit already reported on its row. (A deleted line does not count: its amount may have
  // been moved to another line on purpose.)
  for (let i = 0; i < lines.length; i++) {
    if (rowOfLine[i] !== undefined || !explained.has(i)) continue;
    const line = lines[i]!;
    draftLines.push({ lineId: line.id, product: line.product, amount: line.amount, heldMinor: serverMinor(line.amount, scale) });
  }
  const check = checkBundleDraft({ ref, currency, totalAmount: pulled.bundle.total_amount, lines: draftLines });
  for (const issue of check.issues) {
    const at = issue.line === undefined ? undefined : present[issue.line];
    // Issues carry the line's index in the bundle as pulled, not in the subset on the sheet.
    const placed = at ? { ...issue, line: at.i } : issue;
    if (at && issue.field === "amount") found.add(key, placed, at.row, "amount", "amount");
    else if (at && issue.field === "product") found.add(key, placed, at.row, "product_id", "amount");
    else found.add(key, placed, firstRow, issue.field === "total_amount" ? "bundle_total" : "amount", "amount", otherRows);
  }

  if (heldBeyondCell(pulled.bundle.total_amount) && present.length) {
    found.note(firstRow, heldNote("Bundle total", formatMinorGrouped(check.totalMinor, scale), asRead(pulled.bundle.total_amount), false));
  }
  const changes: FieldChange[] = [];
  const cells: { row: number; column: string }[] = [];
  // The pulled amounts, each replaced by what its cell holds when the user changed it (null when invalid).
  const amountsMinor = pulledMinor;
  /** What a push would send for each line; made into lines only for a bundle that changed (rare). */
  const sendAmounts: number[] = [];
  let sendable = present.length === lines.length;

  for (let j = 0; j < present.length; j++) {
    const { line, i, row } = present[j]!;
    const expected = expectedCells.of(i);
    for (const { column, issue } of view.readOnlyEdits(row, READ_ONLY_COMPARED, expected, ref, ONLY_AMOUNT, i)) {
      found.add(key, issue, row, column, "amount");
    }

    const oldMinor = pulledMinor[j]!;
    if (held[j]) {
      // Sent, when another line changes, exactly as Campfire holds it.
      sendAmounts.push(line.amount);
      // Held beyond a cell: the 15 digits a cell keeps (expected.amount) are not the amount itself.
      if (heldBeyondCell(line.amount)) found.note(row, heldNote("Amount", formatMinorGrouped(oldMinor, scale), asRead(expected.amount)));
      continue;
    }
    const cell = view.cell(row, "amount") ?? "";
    const read = readAmount(cell, scale, { limit: AMOUNT_LIMIT });
    amountsMinor[j] = read.ok ? read.minor : null;
    const isEdit = read.ok ? read.minor !== oldMinor : true;
    if (read.ok) sendAmounts.push(read.value);
    else sendable = false;
    if (!isEdit) continue;
    found.edited(row, "amount");
    cells.push({ row, column: "amount" });
    changes.push({
      key,
      label,
      field: `Amount of ${line.product_name} (line ${line.id})`,
      old: formatMinorGrouped(oldMinor, scale),
      new: read.ok ? formatMinorGrouped(read.minor, scale) : showCell(cell),
    });
  }

  // A typed-over Line ID is an edit of this bundle that cannot be sent: a review blocks, and a pull or refresh
  // asks before replacing the row, so the row's other edits are not lost without a word (as for commits).
  for (const { row, was } of typedOver) {
    found.edited(row, "line_id");
    cells.push({ row, column: "line_id" });
    changes.push({ key, label, field: "Line ID", old: was, new: showCell(view.cell(row, "line_id")) });
    sendable = false;
  }

  if (changes.length) {
    changed.set(key, {
      key,
      label,
      ref,
      rows: groupRows,
      changes,
      cells,
      send: sendable
        ? {
            contractId: pulled.contractId,
            itemType: pulled.itemType,
            itemId: pulled.itemId,
            lines: present.map(({ line }, j) => ({ product: line.product, amount: sendAmounts[j]! })),
            lineIds: lines.map((l) => l.id),
          }
        : null,
    });
  }

  const rowOfLineId = new Map<number, number>();
  for (const { line, row } of present) rowOfLineId.set(line.id, row);
  lineRows.set(key, rowOfLineId);
  bundles.push({
    key,
    label,
    currency,
    sum: check.sumMinor === null ? "" : formatMinor(check.sumMinor, scale),
    total: formatMinor(check.totalMinor, scale),
    difference: check.differenceMinor === null ? "" : formatMinor(check.differenceMinor, scale),
    balanced: check.differenceMinor === 0n,
    rows: present.map(rowOf),
    amountsMinor,
    totalMinor: check.totalMinor,
    scale,
  });
}
