/**
 * What a table on the sheet looks like, independent of Excel: its columns (key, header, format, editable),
 * where a column sits in a table the user may have rearranged, and A1 addresses people can click.
 *
 * The shapes here match app/ports.ts (TableSpec, ColumnSpec) structurally, so the app layer passes a
 * layout straight to the workbook port without the domain depending on the app.
 */

import { columnName, quoteSheetName } from "../a1";

/** What `Range.values` holds for one cell: "" when empty. */
export type SheetCell = string | number | boolean;

export type SheetFormat = "text" | "integer" | "amount" | "percent" | "number" | "date" | "datetime" | "boolean" | "enum";

export interface SheetColumn<K extends string = string> {
  key: K;
  header: string;
  format: SheetFormat;
  editable: boolean;
  enumValues?: readonly string[];
  /** A column the add-in owns and rewrites (push status, check messages). */
  owned?: boolean;
  /** Without this column the table cannot be read at all (identity columns) or its edits not checked. */
  required?: boolean;
  /** The unit is percent as 0–100 (20 means 20%): the workbook reports a percent-formatted number as "20%". */
  unit?: "percent";
  /** For amounts: the key of the column holding the row's currency; the row's number format shows its decimals. */
  currencyColumn?: K;
  /**
   * A formula the workbook writes into every row instead of a value (owned, read-only, never sent): `{key}` stands
   * for the same row's cell of column `key`. The row's own value for the column is ignored.
   */
  formula?: string;
}

export interface SheetLayout<K extends string = string> {
  sheetName: string;
  tableName: string;
  columns: readonly SheetColumn<K>[];
}

export class MissingColumnsError extends Error {
  override name = "MissingColumnsError";
  constructor(
    readonly tableName: string,
    readonly headers: readonly string[],
  ) {
    super(
      `The table ${tableName} has no column ${headers.map((h) => `"${h}"`).join(", ")}; ` +
        `put the header back (the text must match) or pull the table again`,
    );
  }
}

/**
 * The table is not in the workbook (never pulled, or the user deleted or renamed it). The one class for this,
 * thrown by the use-cases and by the Excel adapter alike, so callers catch one thing.
 */
export class TableMissingError extends Error {
  override name = "TableMissingError";
  readonly tableName: string;
  readonly sheetName: string;
  /** `title` names the table for people ("Prepaid commits"); by default its sheet's name, which the add-in gives it. */
  constructor(table: Pick<SheetLayout, "tableName" | "sheetName">, title: string = table.sheetName) {
    super(`There is no ${title} table on the sheet "${table.sheetName}"; pull ${title.toLowerCase()} first`);
    this.tableName = table.tableName;
    this.sheetName = table.sheetName;
  }
}

/** Header text as the user may have retyped it: case and surrounding spaces do not matter. */
function normalizeHeader(header: string): string {
  return header.trim().replace(/\s+/g, " ").toLowerCase();
}

export interface ColumnPositions<K extends string> {
  /** Index into the table's headers (sheet order) for each column found. */
  index: ReadonlyMap<K, number>;
  /** Required columns not found. */
  missing: SheetColumn<K>[];
}

/** Finds each layout column by its header text, wherever the user moved it. Extra user columns are ignored. */
export function locateColumns<K extends string>(layout: SheetLayout<K>, headers: readonly string[]): ColumnPositions<K> {
  const byHeader = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normalizeHeader(String(h));
    if (!byHeader.has(key)) byHeader.set(key, i);
  });
  const index = new Map<K, number>();
  const missing: SheetColumn<K>[] = [];
  for (const column of layout.columns) {
    const at = byHeader.get(normalizeHeader(column.header));
    if (at === undefined) {
      if (column.required) missing.push(column);
    } else index.set(column.key, at);
  }
  return { index, missing };
}

export function columnOf<K extends string>(layout: SheetLayout<K>, key: K): SheetColumn<K> {
  const column = layout.columns.find((c) => c.key === key);
  if (!column) throw new RangeError(`the table ${layout.tableName} has no column ${key}`);
  return column;
}

export interface TablePlacement {
  sheetName: string;
  /** 1-based worksheet row of the header row. */
  headerRow: number;
  /** 0-based worksheet column of the table's first column. */
  firstColumn: number;
}

/** "'Prepaid commits'!D7" for data row `row` (0-based) and the column at `columnIndex` in sheet order. */
export function cellAddress(table: TablePlacement, row: number, columnIndex: number): string {
  return `${quoteSheetName(table.sheetName)}!${columnName(table.firstColumn + columnIndex)}${table.headerRow + 1 + row}`;
}
