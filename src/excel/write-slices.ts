/**
 * How big a table's writes are. Unlike a read, a write's size is known before it goes: the values as JSON and the
 * commands sent with each row. So a pull's rows go in slices filled to a budget by their exact size, leaving room
 * under Excel on the web's 5 MB only for what rides along unmeasured (the columns' formats and validation in the
 * first slice, a currency's decimals for each run of rows, autofit in the last) and for Excel's own framing.
 */
import { sliceByBytes } from "./payload";

/** What one slice of a table's rows may send, measured exactly: the 5 MB limit less about a fifth for the rest. */
export const TABLE_WRITE_BYTES = 4_000_000;

/**
 * A command sent for one cell beside the values (a Text format for text in a number column): its object path and
 * arguments, generously. Counted with the row it belongs to.
 */
export const CELL_COMMAND_BYTES = 100;

/**
 * Cuts rows into consecutive [start, end) slices whose values as JSON, plus `commandsOf(i)` cell commands for row i,
 * stay within `budget` bytes each. A row heavier than the budget gets a slice of its own.
 */
export function tableWriteSlices(
  rows: readonly unknown[],
  budget: number,
  commandsOf: (row: number) => number = () => 0,
): Array<[number, number]> {
  return sliceByBytes(rows, budget, (i) => commandsOf(i) * CELL_COMMAND_BYTES);
}
