/**
 * What the adapter tells the user, in one place: the wording of the errors about the workbook itself (a table in
 * the way of a pull, the kept pulled data damaged, a cell to select that is gone). The code that queues Excel work
 * builds only the facts.
 */
import { columnName, type Rect } from "../domain/a1";

function span(what: "row" | "column", first: string, last: string): string {
  return first === last ? `${what} ${first}` : `${what}s ${first}–${last}`;
}

/** What blocks a pull from growing its table: the room it needs, and what is there. */
export interface Blocked {
  sheetName: string;
  /** Rows below the table, at its new width; null when it does not grow down. */
  below: Rect | null;
  /** Columns right of the table, at its old height; null when it does not grow right. */
  right: Rect | null;
  /** Local addresses of the user's cells in the way. */
  cells: readonly string[];
  /** Other tables in the way, with where they are. */
  tables: readonly { name: string; address: string }[];
}

export function tableBlockedMessage({ sheetName, below, right, cells, tables }: Blocked): string {
  const room = [
    below ? `${span("row", String(below.row + 1), String(below.row + below.rowCount))} below` : "",
    right ? `${span("column", columnName(right.column), columnName(right.column + right.columnCount - 1))} to the right of` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  const what = [
    ...(cells.length ? [`${cells.join(" and ")} ${cells.length === 1 && !cells[0]?.includes(":") ? "holds" : "hold"} your data`] : []),
    ...tables.map((t) => `the table ${t.name} is at ${t.address}`),
  ].join(", and ");
  return `Campfire needs ${room} the ${sheetName} table, but ${what}; move it or clear it, then pull again.`;
}

export function snapshotDirectoryMessage(dataSheet: string, reason: string): string {
  return (
    `The add-in's data kept in this workbook (the hidden sheet ${dataSheet}) is damaged (${reason}), so what was ` +
    "pulled cannot be read and nothing can be compared or pushed. Pull each Campfire table again, choosing to discard edits, to rebuild it (the data of every table is rebuilt from its own pull)."
  );
}

export function snapshotPieceMessage(key: string, piece: number, pieces: number): string {
  return `The saved pull "${key}" is damaged (piece ${piece} of ${pieces} was changed); pull the table again.`;
}

/** A problem's cell to select is no longer in the table: its column was removed, or its row. */
export function cellGoneMessage(tableName: string, gone: { column: string } | { row: number }): string {
  return "column" in gone
    ? `the table ${tableName} has no column "${gone.column}" any more`
    : `the table ${tableName} has no row ${gone.row + 1} any more`;
}
