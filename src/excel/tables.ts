/**
 * Writing a table: a whole pull (writeTable), a row-level rewrite (editRows), and the room check before a table
 * grows. Each function queues its work on the caller's request context and syncs only where it must (a read it
 * depends on, or a batch over budget), so the facade (workbook.ts) decides what shares a round trip.
 */
import type { CellValue, RowEdit, TableSpec } from "../app/ports";
import { MissingColumnsError, TableMissingError, locateColumns } from "../domain/sheet/layout";
import { formatLocalAddress, intersect, type Rect } from "../domain/a1";
import { currencyDecimals } from "../model/campfire-facts";
import { amountFormat, HEADER_STYLE, listSource, NUMBER_FORMATS, READ_ONLY_BODY_FILL } from "./cell-styles";
import type { Budget, Context } from "./excel-context";
import { tableWriteSlices } from "./write-slices";
import { tableBlockedMessage } from "./excel-messages";
import { jsonByteLength, sliceByBytes } from "./payload";
import { cellFor, layoutOf, needsText, rowFormula, textColumn, type Layout } from "./table-layout";

/** A pull needs more room than the table has, and the user's data or another table is in the way. */
export class TableBlockedError extends Error {
  override name = "TableBlockedError";
  constructor(
    readonly sheetName: string,
    /** Local addresses of what is in the way: the user's cells, then other tables. */
    readonly blockers: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Runs of consecutive rows whose currency has other than 2 decimals, with those decimals. */
function decimalRuns(currencies: readonly (CellValue | undefined)[]): { start: number; count: number; decimals: number }[] {
  const runs: { start: number; count: number; decimals: number }[] = [];
  currencies.forEach((currency, row) => {
    const decimals = typeof currency === "string" ? currencyDecimals(currency) : 2;
    const last = runs[runs.length - 1];
    if (decimals === 2) return;
    if (last && last.decimals === decimals && last.start + last.count === row) last.count++;
    else runs.push({ start: row, count: 1, decimals });
  });
  return runs;
}

/** Refuses rows that do not have one cell per spec column, before anything is sent to Excel. */
export function checkWidths(spec: TableSpec, rows: readonly CellValue[][]): void {
  const width = spec.columns.length;
  rows.forEach((row, i) => {
    if (row.length !== width) throw new RangeError(`row ${i} has ${row.length} cells; the table ${spec.tableName} has ${width} columns`);
  });
}

/**
 * Creates the table (and its sheet) or replaces its whole body; formats, dropdowns and editable styling from the
 * spec. Ends with a sync.
 */
export async function writeTable(ctx: Context, budget: Budget, spec: TableSpec, rows: CellValue[][]): Promise<void> {
  checkWidths(spec, rows);
  const width = spec.columns.length;
  const found = ctx.workbook.worksheets.getItemOrNullObject(spec.sheetName);
  const table = ctx.workbook.tables.getItemOrNullObject(spec.tableName);
  await ctx.sync();

  const bodyRows = Math.max(rows.length, 1); // a table always has at least one body row
  let sheet: Excel.Worksheet;
  let origin: { row: number; column: number };
  /** Sheet column offset (from the table's first column) of each spec column. */
  let positions: number[];
  let tableWidth = width;
  let writeHeaders = true;
  let excelTable: Excel.Table;

  if (table.isNullObject) {
    let used: Excel.Range | null = null;
    if (found.isNullObject) {
      sheet = ctx.workbook.worksheets.add(spec.sheetName);
    } else {
      sheet = found;
      used = found.getUsedRangeOrNullObject(true).load("rowIndex,rowCount");
      await ctx.sync();
    }
    // Never over someone's data: on a sheet already in use the table goes two rows below it.
    origin = { row: used && !used.isNullObject ? used.rowIndex + used.rowCount + 1 : 0, column: 0 };
    positions = spec.columns.map((_, j) => j);
    const header = sheet.getRangeByIndexes(origin.row, origin.column, 1, width);
    header.numberFormat = [["@"]];
    header.values = [spec.columns.map((c) => c.header)];
    // A Range, not an address: an address without a sheet name means the active sheet, whichever that is.
    excelTable = sheet.tables.add(sheet.getRangeByIndexes(origin.row, origin.column, bodyRows + 1, width), true);
    excelTable.name = spec.tableName;
    excelTable.style = "TableStyleLight1";
    if (origin.row === 0) sheet.freezePanes.freezeRows(1);
    writeHeaders = false;
  } else {
    // Loaded with the layout (same round trip): the tables the pull might grow into.
    const neighbours = table.worksheet.tables.load("items/name");
    const layout = await layoutOf(ctx, table);
    sheet = layout.sheet;
    excelTable = table;
    origin = { row: layout.headerRow, column: layout.firstColumn };
    const located = locateColumns({ ...spec, columns: spec.columns.map((c) => ({ ...c, required: true })) }, layout.headers);
    const sameColumns = located.missing.length === 0 && layout.headers.length === width;
    positions = sameColumns ? spec.columns.map((c) => located.index.get(c.key) as number) : spec.columns.map((_, j) => j);
    writeHeaders = !sameColumns;
    tableWidth = width;
    const oldWidth = layout.headers.length;
    // Nothing destructive is sent before this check: a failed batch is not rolled back, so a refusal half-way
    // through would leave the table cleared.
    await ensureRoom(ctx, spec, layout, neighbours, bodyRows, width);
    // Resized before anything is cleared, for the same reason: if Excel refuses, the old values are still there.
    if (layout.bodyRows !== bodyRows || oldWidth !== width) {
      excelTable.resize(sheet.getRangeByIndexes(origin.row, origin.column, bodyRows + 1, width));
    }
    // Old values go; the user's own fills on rows that stay in the table stay too.
    sheet.getRangeByIndexes(origin.row + 1, origin.column, layout.bodyRows, oldWidth).clear("Contents");
    sheet.getRangeByIndexes(origin.row + 1, origin.column, layout.bodyRows, oldWidth).dataValidation.clear();
    if (layout.bodyRows > bodyRows) {
      sheet.getRangeByIndexes(origin.row + 1 + bodyRows, origin.column, layout.bodyRows - bodyRows, oldWidth).clear("All");
    }
    if (oldWidth > width) {
      sheet.getRangeByIndexes(origin.row, origin.column + width, Math.max(layout.bodyRows, bodyRows) + 1, oldWidth - width).clear("All");
    }
    if (writeHeaders) {
      const header = sheet.getRangeByIndexes(origin.row, origin.column, 1, width);
      header.numberFormat = [["@"]];
      header.values = [spec.columns.map((c) => c.header)];
    }
  }

  // Formats first, in the same round trip as the first values: a Text column must be "@" before text lands.
  spec.columns.forEach((column, j) => {
    const at = origin.column + (positions[j] as number);
    const body = sheet.getRangeByIndexes(origin.row + 1, at, bodyRows, 1);
    body.numberFormat = [[NUMBER_FORMATS[column.format]]];
    if (!column.editable) body.format.fill.color = READ_ONLY_BODY_FILL;
    const style = column.editable ? HEADER_STYLE.editable : HEADER_STYLE.readOnly;
    const head = sheet.getRangeByIndexes(origin.row, at, 1, 1);
    head.format.fill.color = style.fill;
    head.format.font.color = style.font;
    head.format.font.bold = true;
    const values = column.format === "boolean" ? ["TRUE", "FALSE"] : column.format === "enum" ? (column.enumValues ?? []) : null;
    const source = values ? listSource(values) : null;
    // Cleared first: Excel on the web refuses a rule over cells that already differ in validation
    // (office-js#2594), e.g. rows the table grew into.
    body.dataValidation.clear();
    if (source) body.dataValidation.rule = { list: { inCellDropDown: true, source } };
  });

  // Amounts show their row's currency decimals (JPY none, KWD three): runs of rows whose currency is not a
  // 2-decimal one get their own format, so the request grows with the exceptions, not with the table.
  spec.columns.forEach((column, j) => {
    const currencyAt = column.currencyColumn === undefined ? -1 : spec.columns.findIndex((c) => c.key === column.currencyColumn);
    if (column.format !== "amount" || currencyAt < 0) return;
    const at = origin.column + (positions[j] as number);
    for (const run of decimalRuns(rows.map((row) => row[currencyAt]))) {
      sheet.getRangeByIndexes(origin.row + 1 + run.start, at, run.count, 1).numberFormat = [[amountFormat(run.decimals)]];
    }
  });

  const sheetColumnOf = new Map(spec.columns.map((c, j) => [c.key, origin.column + (positions[j] as number)]));
  const matrix = rows.map((row, r) => {
    const out: CellValue[] = new Array<CellValue>(tableWidth).fill("");
    spec.columns.forEach((column, j) => {
      // A formula column holds the add-in's formula, never the row's value (A1 rows are 1-based).
      out[positions[j] as number] = column.formula
        ? rowFormula(column.formula, origin.row + 2 + r, (key) => sheetColumnOf.get(key))
        : cellFor(row[j]);
    });
    return out;
  });
  // People pull to look at the data: bring its sheet to the front.
  sheet.activate();
  const otherColumns = spec.columns.flatMap((column, j) => (textColumn(column.format) || column.formula ? [] : [positions[j] as number]));
  // Filled by exact size; each text cell in a number column costs a format command besides its value.
  const textFormats = (r: number) => otherColumns.filter((at) => needsText(matrix[r]?.[at] ?? "")).length;
  const slices = tableWriteSlices(matrix, budget.tableWriteBytes, textFormats);
  if (slices.length === 0) {
    sheet.getRangeByIndexes(origin.row, origin.column, bodyRows + 1, tableWidth).format.autofitColumns();
    await ctx.sync();
    return;
  }
  for (const [i, [start, end]] of slices.entries()) {
    for (let r = start; r < end; r++) {
      for (const at of otherColumns) {
        if (needsText(matrix[r]?.[at] ?? "")) sheet.getCell(origin.row + 1 + r, origin.column + at).numberFormat = [["@"]];
      }
    }
    sheet.getRangeByIndexes(origin.row + 1 + start, origin.column, end - start, tableWidth).values = matrix.slice(start, end);
    if (i === slices.length - 1) sheet.getRangeByIndexes(origin.row, origin.column, bodyRows + 1, tableWidth).format.autofitColumns();
    await ctx.sync();
  }
}

/** Rewrites some rows of an existing table, step by step (see WorkbookPort.editRows). Ends with a sync. */
export async function editRows(ctx: Context, budget: Budget, spec: TableSpec, edits: readonly RowEdit[]): Promise<void> {
  for (const edit of edits) if (edit.kind !== "delete") checkWidths(spec, edit.rows);
  if (edits.length === 0) return;
  const table = ctx.workbook.tables.getItemOrNullObject(spec.tableName);
  await ctx.sync();
  if (table.isNullObject) throw new TableMissingError(spec);
  const layout = await layoutOf(ctx, table);
  const located = locateColumns({ ...spec, columns: spec.columns.map((c) => ({ ...c, required: true })) }, layout.headers);
  if (located.missing.length)
    throw new MissingColumnsError(
      spec.tableName,
      located.missing.map((c) => c.header),
    );
  const positions = spec.columns.map((c) => layout.firstColumn + (located.index.get(c.key) as number));
  const tableWidth = layout.headers.length;
  let bodyRows = layout.bodyRows;
  let pending = 0;
  /** The first row that moved (rows inserted or deleted above it): formulas from there on are written again. */
  let moved: number | null = null;
  for (const edit of edits) {
    if (edit.kind !== "write") moved = Math.min(moved ?? edit.row, edit.row);
    if (edit.kind === "delete") {
      if (edit.row < 0 || edit.count < 1 || edit.row + edit.count > bodyRows) {
        throw new RangeError(`the table ${spec.tableName} has no rows ${edit.row + 1}–${edit.row + edit.count}`);
      }
      if (edit.count === bodyRows) throw new RangeError(`the table ${spec.tableName} keeps at least one data row`);
      // Whole table rows: the user's columns of those rows go with them, and nothing outside the table moves.
      for (let i = 0; i < edit.count; i++) table.rows.getItemAt(edit.row).delete();
      bodyRows -= edit.count;
      pending += 64 * edit.count;
      continue;
    }
    if (edit.rows.length === 0) continue;
    if (edit.row < 0 || edit.row > bodyRows || (edit.kind === "write" && edit.row + edit.rows.length > bodyRows)) {
      throw new RangeError(
        `the table ${spec.tableName} has no row ${edit.row + 1} to ${edit.kind === "write" ? "write" : "insert before"}`,
      );
    }
    // In slices of at most half a budget of values (formats and blanks weigh about as much again).
    for (const [start, end] of sliceByBytes(edit.rows, Math.max(1, Math.floor(budget.batchBytes / 2)))) {
      const part = edit.rows.slice(start, end);
      const bytes = jsonByteLength(part) * 2;
      if (pending > 0 && pending + bytes > budget.batchBytes) {
        await ctx.sync();
        pending = 0;
      }
      const at = edit.row + start;
      if (edit.kind === "insert") {
        // Blank first, then formats, then values: text must land in cells already formatted as Text.
        table.rows.add(
          at === bodyRows ? undefined : at,
          part.map(() => new Array<CellValue>(tableWidth).fill("")),
        );
        bodyRows += part.length;
      }
      writeRowBlock(layout.sheet, layout.headerRow + 1 + at, spec, positions, part);
      pending += bytes;
    }
  }
  // Each row's formula names its own row; rows that moved are given theirs again, whatever the host did with
  // references when the rows above them came and went.
  if (moved !== null && moved < bodyRows) {
    const sheetColumnOf = new Map(spec.columns.map((c, j) => [c.key, positions[j] as number]));
    const top = layout.headerRow + 1 + moved;
    for (const [j, column] of spec.columns.entries()) {
      if (!column.formula) continue;
      const formula = column.formula;
      const cells = Array.from({ length: bodyRows - (moved as number) }, (_, r) => [
        rowFormula(formula, top + 1 + r, (key) => sheetColumnOf.get(key)),
      ]);
      for (const [start, end] of sliceByBytes(cells, budget.batchBytes)) {
        const bytes = jsonByteLength(cells.slice(start, end));
        if (pending > 0 && pending + bytes > budget.batchBytes) {
          await ctx.sync();
          pending = 0;
        }
        layout.sheet.getRangeByIndexes(top + start, positions[j] as number, end - start, 1).formulas = cells.slice(start, end);
        pending += bytes;
      }
    }
  }
  if (pending > 0) await ctx.sync();
}

/** Formats, dropdowns, read-only fill and values of a block of rows, only in the spec's columns. */
function writeRowBlock(sheet: Excel.Worksheet, top: number, spec: TableSpec, positions: readonly number[], rows: CellValue[][]): void {
  const n = rows.length;
  spec.columns.forEach((column, j) => {
    const at = positions[j] as number;
    const currencyAt = column.currencyColumn === undefined ? -1 : spec.columns.findIndex((c) => c.key === column.currencyColumn);
    const formats = rows.map((row) => {
      const value = row[j] ?? "";
      if (column.formula) return [NUMBER_FORMATS[column.format]];
      if (textColumn(column.format) || needsText(value)) return ["@"];
      const currency = currencyAt < 0 ? undefined : row[currencyAt];
      if (column.format === "amount" && typeof currency === "string") return [amountFormat(currencyDecimals(currency))];
      return [NUMBER_FORMATS[column.format]];
    });
    const body = sheet.getRangeByIndexes(top, at, n, 1);
    body.numberFormat = formats;
    if (!column.editable) body.format.fill.color = READ_ONLY_BODY_FILL;
    const values = column.format === "boolean" ? ["TRUE", "FALSE"] : column.format === "enum" ? (column.enumValues ?? []) : null;
    const source = values ? listSource(values) : null;
    body.dataValidation.clear();
    if (source) body.dataValidation.rule = { list: { inCellDropDown: true, source } };
  });
  const sheetColumnOf = new Map(spec.columns.map((c, j) => [c.key, positions[j] as number]));
  const cells = rows.map((row, r) =>
    spec.columns.map((column, j) =>
      column.formula ? rowFormula(column.formula, top + 1 + r, (key) => sheetColumnOf.get(key)) : cellFor(row[j]),
    ),
  );
  // One range when the spec's columns sit side by side in order (as pulled), else one per column.
  const contiguous = positions.every((p, j) => p === (positions[0] as number) + j);
  if (contiguous) {
    sheet.getRangeByIndexes(top, positions[0] as number, n, positions.length).values = cells;
  } else {
    positions.forEach((at, j) => {
      sheet.getRangeByIndexes(top, at, n, 1).values = cells.map((row) => [row[j] as CellValue]);
    });
  }
}

/**
 * Refuses a pull that would grow the table over the user's data or another table, naming the cells, before
 * anything is changed. One round trip, and only when the table grows.
 */
async function ensureRoom(
  ctx: Context,
  spec: TableSpec,
  layout: Layout,
  neighbours: Excel.TableCollection,
  bodyRows: number,
  width: number,
): Promise<void> {
  const oldWidth = layout.headers.length;
  const oldEnd = layout.headerRow + 1 + layout.bodyRows;
  const newEnd = layout.headerRow + 1 + bodyRows;
  const wanted: Rect = { row: layout.headerRow, column: layout.firstColumn, rowCount: bodyRows + 1, columnCount: width };
  // The new table minus the old one: rows below it (at the new width), columns right of it (at the old height).
  const below: Rect | null =
    newEnd > oldEnd ? { row: oldEnd, column: layout.firstColumn, rowCount: newEnd - oldEnd, columnCount: width } : null;
  const right: Rect | null =
    width > oldWidth
      ? {
          row: layout.headerRow,
          column: layout.firstColumn + oldWidth,
          rowCount: Math.min(oldEnd, newEnd) - layout.headerRow,
          columnCount: width - oldWidth,
        }
      : null;
  const areas = [below, right].filter((a): a is Rect => a !== null);
  if (areas.length === 0) return;
  const used = areas.map((a) =>
    layout.sheet
      .getRangeByIndexes(a.row, a.column, a.rowCount, a.columnCount)
      .getUsedRangeOrNullObject(true)
      .load("rowIndex,columnIndex,rowCount,columnCount"),
  );
  const others = neighbours.items
    .filter((t) => t.name.toLowerCase() !== spec.tableName.toLowerCase())
    .map((t) => ({ name: t.name, range: t.getRange().load("rowIndex,columnIndex,rowCount,columnCount") }));
  await ctx.sync();
  const rect = (r: Excel.Range): Rect => ({ row: r.rowIndex, column: r.columnIndex, rowCount: r.rowCount, columnCount: r.columnCount });
  const blocking = others.filter((t) => intersect(rect(t.range), wanted));
  const inTable = (r: Rect) =>
    blocking.some((t) => {
      const hit = intersect(r, rect(t.range));
      return hit !== null && hit.rowCount === r.rowCount && hit.columnCount === r.columnCount;
    });
  // Cells that are another table's own are named by that table.
  const cells = used.filter((r) => !r.isNullObject && !inTable(rect(r))).map((r) => formatLocalAddress(rect(r)));
  const tables = blocking.map((t) => ({ name: t.name, address: formatLocalAddress(rect(t.range)) }));
  if (cells.length === 0 && tables.length === 0) return;
  throw new TableBlockedError(
    layout.sheetName,
    [...cells, ...tables.map((t) => t.address)],
    tableBlockedMessage({ sheetName: layout.sheetName, below, right, cells, tables }),
  );
}
