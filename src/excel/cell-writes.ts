/**
 * What a check or a push writes into a table: cells (with the formats they need) and the add-in's marks.
 *
 * Marks are conditional formats the add-in owns, not cell formatting: setting marks never touches a cell's
 * own fill or font, and clearing them removes exactly the rules the add-in added (found again by their rule
 * formula, see cell-styles.ts). The user's own formatting and conditional formats stay as they were.
 */
import type { CellMark, CellUpdate, CellValue, MarkKind, TableSpec } from "../app/ports";
import { currencyDecimals } from "../model/campfire-facts";
import { amountFormat, isMarkFormula, MARK_STYLE, markFormula, NUMBER_FORMATS } from "./cell-styles";
import type { Budget, Context } from "./excel-context";
import { cellGoneMessage } from "./excel-messages";
import { addressGroups, markAreas } from "./mark-areas";
import { jsonByteLength } from "./payload";
import { cellFor, columnFinder, existingLayout, needsText, textColumn, type Layout } from "./table-layout";

/**
 * Queues the cell writes, syncing whenever the next run would take the batch over budget; the last batch is left
 * queued for the caller's sync, with whatever else the caller adds to it.
 */
export async function queueCellWrites(
  ctx: Context,
  budget: Budget,
  spec: TableSpec,
  layout: Layout,
  updates: readonly CellUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  const columnAt = columnFinder(spec, layout);
  const formatOf = new Map(spec.columns.map((c) => [c.key, c.format]));
  const byColumn = new Map<number, { text: boolean; cells: Map<number, CellValue> }>();
  // A result written into a percent-as-0–100 cell the user formatted as a percent gets the column's own format
  // back (20 would otherwise show as 2000%); an amount whose row's currency is written with it, that currency's.
  const restored: { row: number; column: number; format: string }[] = [];
  const written = new Map<string, Map<number, CellValue>>();
  for (const u of updates) {
    const byRow = written.get(u.column) ?? new Map<number, CellValue>();
    byRow.set(u.row, u.value);
    written.set(u.column, byRow);
  }
  for (const u of updates) {
    const column = spec.columns.find((c) => c.key === u.column);
    const at = column ? columnAt(u.column) : null;
    if (!column || at === null || u.row < 0 || u.row >= layout.bodyRows) continue;
    if (column.unit === "percent") restored.push({ row: u.row, column: at, format: NUMBER_FORMATS[column.format] });
    const currency = column.currencyColumn === undefined ? undefined : written.get(column.currencyColumn)?.get(u.row);
    if (column.format === "amount" && typeof currency === "string") {
      restored.push({ row: u.row, column: at, format: amountFormat(currencyDecimals(currency)) });
    }
    // A currency written on its own (the amounts unchanged) still changes how many decimals the row's amounts show.
    if (typeof u.value === "string") {
      for (const amount of spec.columns) {
        if (amount.format !== "amount" || amount.currencyColumn !== u.column || written.get(amount.key)?.has(u.row)) continue;
        const amountAt = columnAt(amount.key);
        if (amountAt !== null) restored.push({ row: u.row, column: amountAt, format: amountFormat(currencyDecimals(u.value)) });
      }
    }
  }
  for (const u of updates) {
    const column = columnAt(u.column);
    if (column === null || u.row < 0 || u.row >= layout.bodyRows) continue; // the user removed that column or row
    const entry = byColumn.get(column) ?? { text: textColumn(formatOf.get(u.column)), cells: new Map<number, CellValue>() };
    byColumn.set(column, entry);
    entry.cells.set(u.row, cellFor(u.value));
  }
  type Run = { column: number; row: number; text: boolean; values: CellValue[][] };
  const runs: Run[] = [];
  for (const [column, { text, cells }] of byColumn) {
    const sorted = [...cells].sort((a, b) => a[0] - b[0]);
    let run: Run | null = null;
    for (const [row, value] of sorted) {
      if (run && row === run.row + run.values.length) run.values.push([value]);
      else {
        run = { column, row, text, values: [[value]] };
        runs.push(run);
      }
    }
  }
  // Formats before values, in the first batch, so no value lands in a cell still formatted as a percent.
  for (const r of restored) layout.sheet.getCell(layout.headerRow + 1 + r.row, r.column).numberFormat = [[r.format]];
  let pending = restored.length ? jsonByteLength(restored) : 0;
  for (const run of runs) {
    const top = layout.headerRow + 1 + run.row;
    const formats = run.text ? run.values.map(() => ["@"]) : null;
    const bytes = jsonByteLength(run.values) + (formats ? jsonByteLength(formats) : 0);
    if (pending > 0 && pending + bytes > budget.batchBytes) {
      await ctx.sync();
      pending = 0;
    }
    const range = layout.sheet.getRangeByIndexes(top, run.column, run.values.length, 1);
    // The user may have reformatted the column since the pull: Text again before the values land.
    if (formats) range.numberFormat = formats;
    else {
      run.values.forEach(([value], i) => {
        if (needsText(value ?? "")) layout.sheet.getCell(top + i, run.column).numberFormat = [["@"]];
      });
    }
    range.values = run.values;
    pending += bytes;
  }
}

/** The sheet's conditional formats, queued for the round trip that finds the table. */
export function queueRules(table: Excel.Table): Excel.ConditionalFormatCollection {
  return table.worksheet.getRange().conditionalFormats.load("items/id,items/type");
}

/** The custom rules among them, with their formulas queued (a round trip only when there are any). */
export function customRules(all: Excel.ConditionalFormatCollection): {
  custom: Excel.ConditionalFormat[];
  rules: Excel.ConditionalFormatRule[];
} {
  const custom = all.items.filter((cf) => cf.type === "Custom");
  return { custom, rules: custom.map((cf) => cf.custom.rule.load("formula")) };
}

/** Queues the replacement of every mark the add-in set (found by their formulas, read after `customRules`). */
export function queueMarks(
  spec: TableSpec,
  layout: Layout,
  existing: { custom: Excel.ConditionalFormat[]; rules: Excel.ConditionalFormatRule[] },
  marks: readonly CellMark[],
): void {
  existing.custom.forEach((cf, i) => {
    if (isMarkFormula(existing.rules[i]?.formula)) cf.delete();
  });
  const columnAt = columnFinder(spec, layout);
  const areas = markAreas(marks, columnAt, layout.headerRow + 1, layout.bodyRows);
  // Added lowest priority first so that errors end up on top of conflicts on top of edits.
  for (const kind of ["edited", "conflict", "error"] as MarkKind[]) {
    for (const address of addressGroups(areas.get(kind) ?? [])) {
      const cf = layout.sheet.getRanges(address).conditionalFormats.add("Custom");
      cf.custom.rule.formula = markFormula(kind);
      cf.custom.format.fill.color = MARK_STYLE[kind].fill;
      cf.custom.format.font.color = MARK_STYLE[kind].font;
    }
  }
}

/** Selects a cell of the table (its data row, 0-based, and column key). Ends with a sync. */
export async function selectCell(ctx: Context, spec: TableSpec, row: number, column: string): Promise<void> {
  const layout = await existingLayout(ctx, spec);
  const at = columnFinder(spec, layout)(column);
  if (at === null) throw new RangeError(cellGoneMessage(spec.tableName, { column }));
  if (row < 0 || row >= layout.bodyRows) throw new RangeError(cellGoneMessage(spec.tableName, { row }));
  layout.sheet.getCell(layout.headerRow + 1 + row, at).select();
  await ctx.sync();
}
