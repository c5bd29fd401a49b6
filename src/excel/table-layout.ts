/**
 * Where a table is and what its cells take: its layout as read (the user may have moved it, its columns, its
 * rows), the column lookup by header, and the rules every write follows (Text cells for text, formulas per row).
 */
import type { CellValue, ColumnFormat, TableSpec } from "../app/ports";
import { columnName } from "../domain/a1";
import { TableMissingError, locateColumns } from "../domain/sheet/layout";
import { itemNotFound, type Context } from "./excel-context";

export interface Layout {
  sheet: Excel.Worksheet;
  sheetName: string;
  /** 0-based sheet row of the header. */
  headerRow: number;
  firstColumn: number;
  headers: string[];
  bodyRows: number;
}

export function cellFor(value: CellValue | undefined): CellValue {
  return value === undefined || value === null ? "" : value;
}

/**
 * Every string this adapter writes lands in a cell formatted as Text ("@"), set in the same batch before the
 * value: `range.values` would otherwise parse it as typed ("=…" a formula, "00123" a number, "TRUE" a boolean).
 * Callers pass text as it is, with no apostrophe prefix (in a cell already Text, Excel may keep one as part of
 * the value). Text and dropdown columns are Text throughout, whatever the user set since; other columns are
 * Text only in the cells a string goes into ("" clears a cell and needs nothing).
 */
export function textColumn(format: ColumnFormat | undefined): boolean {
  return format === "text" || format === "enum";
}

/**
 * A column's formula for one row: each `{key}` becomes that row's cell of column `key` (`at` gives a column key's
 * 0-based sheet column), e.g. "=IF(N(J2)=0,"",N(F2)/J2)" on sheet row 2 (1-based).
 */
export function rowFormula(template: string, sheetRow: number, at: (key: string) => number | undefined): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, key: string) => {
    const column = at(key);
    if (column === undefined) throw new RangeError(`the formula ${template} names the column ${key}, which the table does not have`);
    return `${columnName(column)}${sheetRow}`;
  });
}

export function needsText(value: CellValue): boolean {
  return typeof value === "string" && value !== "";
}

/** Queues the loads of a table's layout; the function reads them after the sync. */
export function queueLayout(table: Excel.Table): () => Layout {
  const header = table.getHeaderRowRange().load("values,rowIndex,columnIndex");
  const body = table.getDataBodyRange().load("rowCount");
  const sheet = table.worksheet.load("name");
  return () => ({
    sheet,
    sheetName: sheet.name,
    headerRow: header.rowIndex,
    firstColumn: header.columnIndex,
    headers: (header.values[0] ?? []).map((h) => String(h)),
    bodyRows: body.rowCount,
  });
}

/** The layout of a table found in this batch, after one round trip. */
export async function layoutOf(ctx: Context, table: Excel.Table): Promise<Layout> {
  const resolve = queueLayout(table);
  await ctx.sync();
  return resolve();
}

/** The layout of the spec's table, which must be there (TableMissingError when the user deleted it). */
export async function existingLayout(ctx: Context, spec: TableSpec): Promise<Layout> {
  const resolve = queueLayout(ctx.workbook.tables.getItem(spec.tableName));
  try {
    await ctx.sync();
  } catch (error) {
    if (itemNotFound(error)) throw new TableMissingError(spec);
    throw error;
  }
  return resolve();
}

/** Column key → 0-based sheet column, by header text wherever the user moved the column. */
export function columnFinder(spec: TableSpec, layout: Layout): (key: string) => number | null {
  const { index } = locateColumns(spec, layout.headers);
  return (key) => {
    const at = index.get(key);
    return at === undefined ? null : layout.firstColumn + at;
  };
}
