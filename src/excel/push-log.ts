/**
 * The push log: the sheet "Campfire log", one row per field or line of each push, push again and undo, appended
 * below what is there (the header first on a new sheet). Its functions queue on the caller's request context, so
 * the log can go in the same round trip as a push's results.
 */
import type { CellValue } from "../app/ports";
import type { Budget, Context } from "./excel-context";
import { sliceByBytes } from "./payload";

export const LOG_SHEET = "Campfire log";

/** Queues the look-up of the log sheet (a null object before the first push). */
export function findLogSheet(ctx: Context): Excel.Worksheet {
  return ctx.workbook.worksheets.getItemOrNullObject(LOG_SHEET);
}

/** After the look-up's sync: queues where the log ends, or null when there is no log sheet yet. */
export function queueLogEnd(found: Excel.Worksheet): Excel.Range | null {
  return found.isNullObject ? null : found.getUsedRangeOrNullObject(true).load("rowIndex,rowCount");
}

/** After the end's sync: queues the rows (creating the sheet when there is none); the last batch is the caller's to sync. */
export async function queueAppend(
  ctx: Context,
  budget: Budget,
  found: Excel.Worksheet,
  end: Excel.Range | null,
  header: readonly string[],
  rows: CellValue[][],
): Promise<void> {
  const sheet = found.isNullObject ? addLogSheet(ctx) : found;
  const next = end && !end.isNullObject ? end.rowIndex + end.rowCount : 0;
  await queueLog(ctx, budget, sheet, next, header, rows);
}

/** Appends rows to the log on their own. Ends with a sync. */
export async function appendLog(ctx: Context, budget: Budget, header: readonly string[], rows: CellValue[][]): Promise<void> {
  const found = findLogSheet(ctx);
  await ctx.sync();
  const end = queueLogEnd(found);
  if (end) await ctx.sync();
  await queueAppend(ctx, budget, found, end, header, rows);
  await ctx.sync();
}

function addLogSheet(ctx: Context): Excel.Worksheet {
  const sheet = ctx.workbook.worksheets.add(LOG_SHEET);
  sheet.freezePanes.freezeRows(1);
  return sheet;
}

/** Queues the log rows from sheet row `next` (the header first on an empty sheet); the last batch is the caller's to sync. */
async function queueLog(
  ctx: Context,
  budget: Budget,
  sheet: Excel.Worksheet,
  next: number,
  header: readonly string[],
  rows: CellValue[][],
): Promise<void> {
  const width = Math.max(header.length, ...rows.map((r) => r.length));
  const pad = (r: readonly CellValue[]) => [...r, ...new Array<CellValue>(width - r.length).fill("")];
  // Log text is Campfire's and the add-in's words: Text cells, so none of it is ever re-typed.
  const formats = (r: readonly CellValue[]) => r.map((v) => (typeof v === "string" ? "@" : "General"));
  if (next === 0) {
    const head = sheet.getRangeByIndexes(0, 0, 1, width);
    head.numberFormat = [formats(pad(header))];
    head.values = [pad(header)];
    head.format.font.bold = true;
    next = 1;
  }
  const slices = sliceByBytes(rows, budget.batchBytes);
  for (const [i, [start, end]] of slices.entries()) {
    if (i > 0) await ctx.sync();
    const block = rows.slice(start, end).map(pad);
    const range = sheet.getRangeByIndexes(next + start, 0, end - start, width);
    range.numberFormat = block.map(formats);
    range.values = block;
  }
}
