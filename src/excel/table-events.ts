/**
 * Edits to a table as they happen: the data rows a user's change touched, so a live check reads only those.
 */
import type { TableSpec } from "../app/ports";
import { intersect, parseLocalAddress, type Rect } from "../domain/a1";
import { TableMissingError } from "../domain/sheet/layout";
import { itemNotFound } from "./excel-context";

/** Calls back with the changed data-row indexes ("all" when unknown, e.g. rows inserted). Returns an unsubscribe. */
export async function onTableChanged(spec: TableSpec, listener: (rows: number[] | "all") => void): Promise<() => Promise<void>> {
  const handler = async (event: Excel.WorksheetChangedEventArgs): Promise<void> => {
    // The add-in's own writes (pull, results) are not edits; reacting to them would loop.
    if (event.triggerSource === "ThisLocalAddin") return;
    const rows = await changedRows(spec, event);
    if (rows === null) return;
    listener(rows);
  };
  const result = await Excel.run(async (ctx) => {
    const table = ctx.workbook.tables.getItemOrNullObject(spec.tableName);
    await ctx.sync();
    if (table.isNullObject) throw new TableMissingError(spec);
    const registration = table.worksheet.onChanged.add(handler);
    await ctx.sync();
    return registration;
  });
  return async () => {
    await Excel.run(result.context, async (ctx) => {
      result.remove();
      await ctx.sync();
    });
  };
}

/** Data-row indexes an edit touched; "all" when rows moved or the header changed; null when not this table. */
async function changedRows(spec: TableSpec, event: Excel.WorksheetChangedEventArgs): Promise<number[] | "all" | null> {
  if (event.changeType !== "RangeEdited") return "all";
  return Excel.run(async (ctx) => {
    const range = ctx.workbook.tables.getItem(spec.tableName).getRange().load("rowIndex,columnIndex,rowCount,columnCount");
    try {
      await ctx.sync();
    } catch (error) {
      if (itemNotFound(error)) return "all";
      throw error;
    }
    const whole: Rect = { row: range.rowIndex, column: range.columnIndex, rowCount: range.rowCount, columnCount: range.columnCount };
    const rows = new Set<number>();
    for (const part of event.address.split(",")) {
      const hit = intersect(parseLocalAddress(part.trim()), whole);
      if (!hit) continue;
      if (hit.row === whole.row) return "all";
      for (let r = hit.row; r < hit.row + hit.rowCount; r++) rows.add(r - whole.row - 1);
    }
    return rows.size === 0 ? null : [...rows].sort((a, b) => a - b);
  });
}

// --- helpers --------------------------------------------------------------------------------------------
