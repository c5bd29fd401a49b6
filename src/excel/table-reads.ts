/**
 * Reading a table: its whole body in slices sized to the read budget (other reads may ride along in the same
 * round trips), or only some of its rows. Cells a user typed a percent into read as the percent they show.
 */
import type { CellValue, TableData, TableSpec } from "../app/ports";
import { percentCellText } from "../domain/cell-readers";
import { locateColumns } from "../domain/sheet/layout";
import { isPercentFormat } from "./cell-styles";
import { payloadTooLarge, type Budget, type Context } from "./excel-context";
import { firstSliceRows, nextSliceRows, sliceBytes } from "./read-slices";
import { jsonByteLength } from "./payload";
import { queueLayout, type Layout } from "./table-layout";

/**
 * Other reads that share the table's round trips: `queue` loads what fits the bytes left, `collect` takes the
 * values after the sync, `requeue` gives back what a failed sync did not bring.
 */
export interface Rider<Q> {
  queue(budget: number): Q;
  collect(queued: Q): void;
  requeue(queued: Q): void;
}

/** Columns whose unit is percent as 0–100, by their place in the table as read. */
function percentColumns(spec: TableSpec, headers: readonly string[]): number[] {
  const located = locateColumns(spec, headers).index;
  return spec.columns.flatMap((c) => (c.unit === "percent" && located.has(c.key) ? [located.get(c.key) as number] : []));
}

/**
 * The table's body, in as many round trips as its bytes need (a slice Excel refuses is read again in halves);
 * the rider's reads go along while the budget has room.
 */
export async function readBody<Q>(ctx: Context, budget: Budget, spec: TableSpec, layout: Layout, rider?: Rider<Q>): Promise<TableData> {
  const width = layout.headers.length;
  const rows: CellValue[][] = [];
  // Columns whose unit is percent as 0–100: a cell the user typed 20% into holds 0.2 with a percent format, and
  // is reported as the "20%" it shows, so the rules read 20, not 0.2 (their number formats load in the same sync).
  const percentAt = percentColumns(spec, layout.headers);
  const cellsPerRow = width + percentAt.length;
  let perRead = firstSliceRows(layout.bodyRows, cellsPerRow, budget.readBytes, budget.readCells);
  /** What the last slice weighed per row, for sizing the next one (and the pieces that share its sync). */
  let rowBytes = 0;
  for (let start = 0; start < layout.bodyRows;) {
    const count = Math.min(perRead, layout.bodyRows - start);
    const range = layout.sheet.getRangeByIndexes(layout.headerRow + 1 + start, layout.firstColumn, count, width).load("values");
    const formats = percentAt.map((at) =>
      layout.sheet.getRangeByIndexes(layout.headerRow + 1 + start, layout.firstColumn + at, count, 1).load("numberFormat"),
    );
    // Snapshot pieces ride along while the budget has room (the first slice's weight is a guess from its cells).
    const queued = rider?.queue(budget.readBytes - sliceBytes(count, cellsPerRow, rowBytes));
    try {
      await ctx.sync();
    } catch (error) {
      // Long text makes a slice heavier than its cell count says: read half as many rows and try again.
      if (!payloadTooLarge(error) || count === 1) throw error;
      if (queued !== undefined) rider?.requeue(queued);
      perRead = Math.max(1, Math.floor(count / 2));
      rowBytes = Math.max(rowBytes, budget.readBytes / count); // at least: fewer pieces ride with the halves
      continue;
    }
    if (queued !== undefined) rider?.collect(queued);
    const values = range.values as CellValue[][];
    percentAt.forEach((at, k) => {
      const numberFormats = formats[k]?.numberFormat as string[][];
      values.forEach((row, r) => {
        const value = row[at];
        if (typeof value === "number" && isPercentFormat(String(numberFormats[r]?.[0] ?? ""))) row[at] = percentCellText(value);
      });
    });
    rows.push(...values);
    start += count;
    // The next slice sized by what this one weighed, so a table of long text does not fail every read once.
    rowBytes = jsonByteLength(values) / count;
    perRead = nextSliceRows(layout.bodyRows - start, rowBytes, cellsPerRow, budget.readBytes, budget.readCells);
  }
  // The one empty row Excel keeps in an empty table (and blank rows at the end) carry nothing.
  while (rows.length > 0 && (rows[rows.length - 1] as CellValue[]).every((v) => v === "")) rows.pop();
  return {
    sheetName: layout.sheetName,
    headerRow: layout.headerRow + 1,
    firstColumn: layout.firstColumn,
    headers: layout.headers,
    rows,
    bodyRows: layout.bodyRows,
  };
}

/** Where the table is and some of its rows, as read after the caller's sync. */
export interface RowsOfTable {
  sheetName: string;
  headerRow: number;
  firstColumn: number;
  headers: string[];
  bodyRows: number;
  rows: CellValue[][];
}

/**
 * Queues the layout and the given data rows (0-based) of the spec's table; the function reads them after the
 * caller's sync (which fails with ItemNotFound when the table is gone).
 */
export function queueRows(ctx: Context, spec: TableSpec, rows: readonly number[]): () => RowsOfTable {
  const table = ctx.workbook.tables.getItem(spec.tableName);
  const resolve = queueLayout(table);
  const body = table.getDataBodyRange();
  const read = rows.map((r) => body.getRow(r).load("values,numberFormat"));
  return () => {
    const layout = resolve();
    const percentAt = percentColumns(spec, layout.headers);
    return {
      sheetName: layout.sheetName,
      headerRow: layout.headerRow + 1,
      firstColumn: layout.firstColumn,
      headers: layout.headers,
      bodyRows: layout.bodyRows,
      rows: read.map((range) => {
        const values = [...((range.values as CellValue[][])[0] ?? [])];
        const numberFormats = (range.numberFormat as string[][])[0] ?? [];
        for (const at of percentAt) {
          const value = values[at];
          if (typeof value === "number" && isPercentFormat(String(numberFormats[at] ?? ""))) values[at] = percentCellText(value);
        }
        return values;
      }),
    };
  };
}
