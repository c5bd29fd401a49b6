/**
 * What the use-cases need from the host (Excel) and from storage. src/excel/ implements these against Office.js;
 * tests use the same implementation over a fake of Excel's object model, or the in-memory versions in test/helpers.
 *
 * Rows are addressed by their 0-based index in the table's data body as last read; the use-cases never
 * rely on row order for identity (users sort and filter) — identity comes from key columns.
 */

import type { SheetCell, SheetColumn, SheetFormat, SheetLayout } from "../domain/sheet/layout";
import type { SheetMark, TableRead } from "../domain/sheet/sheet-view";

// The sheet's vocabulary is the domain's (one set of types): the ports name it in the words of a workbook.

/** What a cell in `Range.values` holds: numbers, text ("" when empty, "#N/A"-style text for error cells), booleans. */
export type CellValue = SheetCell;

export type ColumnFormat = SheetFormat;

/** A column of a table the add-in writes (see SheetColumn: format, editable, owned, unit, currencyColumn, formula). */
export type ColumnSpec = SheetColumn;

/** A table the add-in writes: its sheet, its name, its columns. */
export type TableSpec = SheetLayout;

/** A table as read: where it is, its headers in sheet order (the user may have moved columns), its rows. */
export interface TableData extends TableRead {
  /** Rows of the table's body, blank rows at its end included (`rows` leaves those out). */
  bodyRows?: number;
}

/** A table and snapshots read together, with each snapshot's stamp (see `RowsRead.stamps`). */
export interface TableAndSnapshots {
  table: TableData | null;
  /** By key: the snapshot's JSON, null when none was saved. */
  snapshots: Record<string, string | null>;
  stamps: Record<string, string | null>;
}

/** Some data rows of a table, with where the table is now. */
export interface RowsRead {
  sheetName: string;
  headerRow: number;
  firstColumn: number;
  headers: string[];
  bodyRows: number;
  /** The values of each requested row, in the order asked. */
  rows: CellValue[][];
  /** By snapshot key: a text that changes with every save of that snapshot (null when there is none). */
  stamps: Record<string, string | null>;
}

/** What a check or a push writes back: cells, the add-in's marks (all of them, replaced when given), log rows. */
export interface TableResults {
  updates?: readonly CellUpdate[];
  marks?: readonly CellMark[];
  log?: { header: readonly string[]; rows: CellValue[][] };
}

export type MarkKind = SheetMark["kind"];

export type CellMark = SheetMark;

export interface CellUpdate {
  row: number;
  column: string;
  value: CellValue;
  /**
   * Written even when the cell already holds the value: a currency a push confirmed is written again so the
   * adapter gives the row's amounts that currency's decimals (the user typed the currency, not the format).
   */
  always?: boolean | undefined;
}

/**
 * One step of a row-level rewrite of a table body. Indexes are data rows (0-based) of the table as it is after
 * the steps before it. Rows are given in the spec's column order; the user's own columns are left alone.
 */
export type RowEdit =
  /** Overwrites the spec's cells of data rows `row`, `row + 1`, … */
  | { kind: "write"; row: number; rows: CellValue[][] }
  /** Inserts rows before data row `row` (the row count appends them). */
  | { kind: "insert"; row: number; rows: CellValue[][] }
  /** Deletes `count` data rows from `row` on; the rows below move up. */
  | { kind: "delete"; row: number; count: number };

/** A table's rows and cells in the workbook: write, edit, read, mark, select, and hear about edits. */
export interface TableStore {
  /** Create the table (and its sheet) or replace its whole body; formats, dropdowns and editable styling from the spec. */
  writeTable(spec: TableSpec, rows: CellValue[][]): Promise<void>;
  /**
   * Rewrites only some rows of an existing table (a merging pull, a refresh), step by step, with the formats,
   * dropdowns and styling of writeTable; every other row keeps exactly what it holds, formulas included. The table
   * must keep at least one data row and have every spec column.
   */
  editRows(spec: TableSpec, edits: readonly RowEdit[]): Promise<void>;
  /** The table as it is now; null when the user deleted it. */
  readTable(spec: TableSpec): Promise<TableData | null>;
  /** Only the given data rows (0-based), with the stamps of the named snapshots: a live check's read. Null when the table is gone. */
  readRows(spec: TableSpec, rows: readonly number[], keys: readonly string[]): Promise<RowsRead | null>;
  /** Batched cell writes into existing rows (results written back after a push). */
  writeCells(spec: TableSpec, updates: CellUpdate[]): Promise<void>;
  /** Replace every mark this add-in set on the table; the user's own formatting is left alone. */
  setMarks(spec: TableSpec, marks: CellMark[]): Promise<void>;
  select(spec: TableSpec, row: number, column: string): Promise<void>;
  /** Calls back with the changed data-row indexes ("all" when unknown, e.g. rows inserted). Returns an unsubscribe. */
  onTableChanged(spec: TableSpec, listener: (rows: number[] | "all") => void): Promise<() => Promise<void>>;
}

/** Pulled values and the last push, kept with the workbook (not the token!), e.g. in a very-hidden sheet, by key. */
export interface SnapshotStore {
  saveSnapshot(key: string, json: string): Promise<void>;
  /** Several snapshots saved in one call. */
  saveSnapshots(entries: Readonly<Record<string, string>>): Promise<void>;
  loadSnapshot(key: string): Promise<string | null>;
}

/** The push log: a sheet of its own, appended to by every push, push again and undo. */
export interface PushLog {
  /** Append rows to the push log sheet (created on first use). */
  appendLog(header: readonly string[], rows: CellValue[][]): Promise<void>;
}

/**
 * The whole workbook: its three parts, plus calls that do the work of two or three of them at once. Those exist
 * because on Excel on the web every round trip is a network request: a check reads the table and its snapshots,
 * and a push writes its results, marks and log, each in one round trip where separate calls would take two or three.
 * Code that needs only one part takes only that part.
 */
export interface WorkbookPort extends TableStore, SnapshotStore, PushLog {
  /** The table and the named snapshots in one call (fewer round trips than readTable and loadSnapshot). */
  readTableAndSnapshots(spec: TableSpec, keys: readonly string[]): Promise<TableAndSnapshots>;
  /** writeCells, setMarks (when `marks` is given) and appendLog (when `log` is given) in one call. */
  writeResults(spec: TableSpec, results: TableResults): Promise<void>;
}

/** The user's Campfire connection. Kept in the add-in's own storage, never in the workbook. */
export interface Connection {
  baseUrl: string;
  token: string;
  /** "sandbox" or "campfire": shown in the UI. */
  kind: "sandbox" | "campfire";
}

export interface ConnectionStore {
  load(): Promise<Connection | null>;
  save(connection: Connection): Promise<void>;
  clear(): Promise<void>;
}

export interface Progress {
  (done: number, total: number, label: string): void;
}

/** Which sheet is active, for keeping the pane's table tab and the workbook's sheet together. */
export interface SheetActivationPort {
  /** Activates the sheet when it exists and is visible; false when there is no such sheet yet. */
  activate(sheetName: string): Promise<boolean>;
  /** Calls back with the name of every sheet the user (or code) activates. Returns an unsubscribe. */
  onActivated(listener: (sheetName: string) => void): Promise<() => Promise<void>>;
  /**
   * Where the table is and which of its data rows (0-based) holds the selected cell, or null when the selection
   * is elsewhere; null as a whole when the table is not in the workbook.
   */
  tableSelection(tableName: string): Promise<TableSelection | null>;
}

export interface TableSelection {
  /** 1-based worksheet row of the table's header row. */
  headerRow: number;
  selectedRow: number | null;
}
