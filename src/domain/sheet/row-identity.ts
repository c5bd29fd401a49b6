/**
 * Which row is which record, when the identity cells alone do not say (two rows name one record because an id
 * was typed over), and the words for values Campfire holds that no cell can hold exactly.
 */
import { asRead, fitsInCell, sameCell, showCell } from "./cell-writers";
import type { SheetCell } from "./layout";
import type { SheetView } from "./sheet-view";

/** How an edit of an identity column (a Commit ID or Line ID typed over) is reported, on the edited row. */
export const IDENTITY_MESSAGE = "this column identifies the record; it cannot be changed here";

/** How many of `columns` in `row` hold what was pulled (`expected`: the record's cells as written). */
export function matchCount<K extends string>(
  view: SheetView<K>,
  row: number,
  columns: readonly K[],
  expected: Record<K, SheetCell>,
): number {
  let n = 0;
  for (const c of columns) if (view.has(c) && sameCell(view.cell(row, c) ?? "", asRead(expected[c]))) n++;
  return n;
}

/** The row of `candidates` whose cells hold the most of what was pulled for `expected` (the first on a tie). */
export function bestRow<K extends string>(
  view: SheetView<K>,
  candidates: readonly number[],
  columns: readonly K[],
  expected: Record<K, SheetCell>,
): number {
  let best = candidates[0] ?? 0;
  let bestScore = -1;
  for (const row of candidates) {
    const score = matchCount(view, row, columns, expected);
    if (score > bestScore) [best, bestScore] = [row, score];
  }
  return best;
}

/** A number Campfire holds that a cell can only show rounded to 15 significant digits (0.30000000000000004, 99,999,999,999,999.98). */
export function heldBeyondCell(value: unknown): value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || fitsInCell(value)) return false;
  return Number(value.toPrecision(15)) !== value;
}

/** The Check column's note for such a value: kept exactly, shown rounded, sent only when the user types a new one. */
export function heldNote(header: string, exact: string, shown: SheetCell, editable = true): string {
  const sent = editable ? "it is sent only if you type a new value" : "it is compared as Campfire has it";
  return `${header}: kept as Campfire has it: ${exact} (a cell holds 15 significant digits and shows ${showCell(shown)}); ${sent}`;
}
