/**
 * How big a table's reads are. Excel on the web refuses a response over 5 MB, so a large table is read in slices,
 * and the snapshot pieces kept with it ride along in the same round trips while the budget has room. Pure
 * arithmetic: the workbook adapter asks, then loads what the answer says.
 *
 * What is known and what is not: a snapshot piece's size is known before it is read (the directory records the
 * largest piece as saved, or the worst case is assumed), so pieces fill a budget exactly. A table row's size is
 * known only once read: the first slice is sized by a typical cell and kept to half the budget, and every later
 * slice by what the slices before it weighed. Nothing can bound a row not yet read (a cell may hold 32,767
 * characters of text), so when Excel refuses a slice as too large the adapter reads it again in halves; these
 * sizes only make that rare, never impossible.
 */

/** Excel on the web refuses a request or a response larger than this (5 MB). */
export const EXCEL_WEB_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * What one read may bring back, by estimate: the limit less about a tenth. The margin is for Excel's own framing of
 * the response and for rows somewhat heavier than the ones measured before them.
 */
export const READ_BUDGET_BYTES = 4_750_000;

/**
 * A cell of a values matrix as JSON, typically: a number or a short text and the comma after it (a pulled
 * allocations table averages about 11). Only the first slice of a table is sized by it.
 */
export const TYPICAL_CELL_BYTES = 12;

/**
 * Rows in the first slice of a table, before anything of it is measured: half the budget at a typical cell
 * weight. So the slice and the snapshot pieces filling the other half stay under the limit even when the rows
 * weigh a fifth more than typical (twice as much with no pieces alongside); heavier ones are refused and read
 * again in halves. `cellsPerRow` counts every cell loaded per row (values, and number formats where read).
 */
export function firstSliceRows(rowsLeft: number, cellsPerRow: number, budget: number, maxCells: number): number {
  const byBytes = Math.floor(budget / 2 / (Math.max(cellsPerRow, 1) * TYPICAL_CELL_BYTES));
  return clampRows(rowsLeft, byBytes, cellsPerRow, maxCells);
}

/** Rows in a later slice: as many as fit the budget at the weight per row measured so far. */
export function nextSliceRows(rowsLeft: number, rowBytes: number, cellsPerRow: number, budget: number, maxCells: number): number {
  return clampRows(rowsLeft, Math.floor(budget / Math.max(rowBytes, 1)), cellsPerRow, maxCells);
}

/** The bytes a slice of `rows` rows is expected to bring: measured weight when there is one, else typical cells. */
export function sliceBytes(rows: number, cellsPerRow: number, rowBytes: number): number {
  return rowBytes > 0 ? rowBytes * rows : rows * cellsPerRow * TYPICAL_CELL_BYTES;
}

function clampRows(rowsLeft: number, byBytes: number, cellsPerRow: number, maxCells: number): number {
  const byCells = Math.floor(maxCells / Math.max(cellsPerRow, 1));
  return Math.max(1, Math.min(rowsLeft, byBytes, byCells));
}

/**
 * Takes from the front of `items` (snapshot pieces, each of known size) those that fit `budget` bytes, in order;
 * `items` keeps the rest. With `atLeastOne`, a read that has nothing else in it takes one piece even over budget
 * (a piece is at most 32,000 characters, far below the limit).
 */
export function takeFitting<T extends { bytes: number }>(items: T[], budget: number, atLeastOne = false): T[] {
  const taken: T[] = [];
  let used = 0;
  while (items.length > 0) {
    const next = items[0] as T;
    if (used + next.bytes > budget && !(atLeastOne && taken.length === 0)) break;
    taken.push(items.shift() as T);
    used += next.bytes;
  }
  return taken;
}
