/**
 * The workbook port over Office.js: the only code that talks to Excel.
 *
 * Every method is one `Excel.run` with a fixed number of `context.sync()` round trips, whatever the row count;
 * only writes (and snapshot reads) larger than one batch budget add round trips, because Excel on the web
 * rejects a request or response over 5 MB.
 *
 * Marks are conditional formats the add-in owns, not cell formatting: setting marks never touches a cell's
 * own fill or font, and clearing them removes exactly the rules the add-in added (found again by their rule
 * formula, see cell-styles.ts). The user's own formatting and conditional formats stay as they were.
 */
import type {
  CellMark,
  CellUpdate,
  CellValue,
  ColumnFormat,
  MarkKind,
  RowEdit,
  RowsRead,
  TableAndSnapshots,
  TableData,
  TableResults,
  TableSpec,
  WorkbookPort,
} from "../app/ports";
import { MissingColumnsError, TableMissingError, locateColumns } from "../domain/sheet/layout";
import { columnName, formatLocalAddress, intersect, parseLocalAddress, type Rect } from "../domain/a1";
import { currencyDecimals } from "../model/campfire-facts";
import { percentCellText } from "../domain/cells";
import {
  amountFormat,
  HEADER_STYLE,
  isMarkFormula,
  isPercentFormat,
  listSource,
  MARK_STYLE,
  markFormula,
  NUMBER_FORMATS,
  READ_ONLY_BODY_FILL,
} from "./cell-styles";
import { addressGroups, markAreas } from "./mark-areas";
import { DEFAULT_BATCH_BYTES, jsonByteLength, sliceByBytes } from "./payload";
import { firstSliceRows, nextSliceRows, READ_BUDGET_BYTES, sliceBytes, takePieces, type PieceRun } from "./read-slices";
import { joinCells, splitForCells } from "./snapshot-cells";
import { TABLE_WRITE_BYTES, tableWriteSlices } from "./write-slices";

/** The very hidden sheet that keeps pulled values with the workbook (never the token). */
export const DATA_SHEET = "CampfireData";
export const LOG_SHEET = "Campfire log";
/** Most cells in one read of a table, however light (slices go by bytes, see read-slices.ts). */
export const DEFAULT_READ_CELLS = 1_000_000;
/**
 * Bytes a read may bring back (see read-slices.ts). Reads can go closer to the limit than writes: a snapshot's
 * pieces are sized exactly when saved, and a table slice Excel refuses is read again in halves.
 */
export const DEFAULT_READ_BYTES = READ_BUDGET_BYTES;

export interface ExcelWorkbookOptions {
  /** Estimated bytes per write round trip (default 2 MB, well under Excel on the web's 5 MB). */
  batchBytes?: number;
  /** Cells in the first read of a table. */
  readCells?: number;
  /** Bytes per read round trip (default 4.5 MB; the write budget when only that is given). */
  readBytes?: number;
}

/** Where a snapshot's pieces are on the data sheet (column B onwards, one piece per row), kept in A1. */
interface DirectoryEntry {
  column: number;
  pieces: number;
  /** The largest piece's size as JSON (escaped, UTF-8); absent in directories saved before it was recorded. */
  pieceBytes?: number;
  /** Counts saves (one more than the directory's highest when saved), so a reader can tell a snapshot changed. */
  stamp?: number;
}
type Directory = Record<string, DirectoryEntry>;
interface DataSheet {
  sheet: Excel.Worksheet;
  directory: Directory;
  /** Why the directory cannot be read (damaged by hand or by another tool); null when it reads. */
  damaged: string | null;
}

/**
 * The directory of the pulled data kept in the workbook cannot be read. Reading it as empty would make every
 * snapshot look missing — and the next save would overwrite what is left — so it is an error the user sees.
 */
export class SnapshotDirectoryError extends Error {
  override name = "SnapshotDirectoryError";
  constructor(reason: string) {
    super(
      `The add-in's data kept in this workbook (the hidden sheet ${DATA_SHEET}) is damaged (${reason}), so what was ` +
        "pulled cannot be read and nothing can be compared or pushed. Pull again, choosing to discard edits, to rebuild it.",
    );
  }
}

/** A 32,000-character piece at the worst JSON escaping (\u0000-style, 6 bytes a character). */
const WORST_PIECE_BYTES = 6 * 32_000;
/** `[` `]` `,` around each piece in the values matrix that comes back. */
const PIECE_FRAMING_BYTES = 3;

// The one TableMissingError lives with the layouts; re-exported for callers of this adapter.
export { TableMissingError };

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

/** Excel on the web's 5 MB limit, as office.js reports it for a request or a response. */
function payloadTooLarge(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}

function span(what: "row" | "column", first: string, last: string): string {
  return first === last ? `${what} ${first}` : `${what}s ${first}–${last}`;
}

type Context = Excel.RequestContext;

interface Layout {
  sheet: Excel.Worksheet;
  sheetName: string;
  /** 0-based sheet row of the header. */
  headerRow: number;
  firstColumn: number;
  headers: string[];
  bodyRows: number;
}

function cellFor(value: CellValue | undefined): CellValue {
  return value === undefined || value === null ? "" : value;
}

/**
 * Every string this adapter writes lands in a cell formatted as Text ("@"), set in the same batch before the
 * value: `range.values` would otherwise parse it as typed ("=…" a formula, "00123" a number, "TRUE" a boolean).
 * Callers pass text as it is, with no apostrophe prefix (in a cell already Text, Excel may keep one as part of
 * the value). Text and dropdown columns are Text throughout, whatever the user set since; other columns are
 * Text only in the cells a string goes into ("" clears a cell and needs nothing).
 */
function textColumn(format: ColumnFormat | undefined): boolean {
  return format === "text" || format === "enum";
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

function needsText(value: CellValue): boolean {
  return typeof value === "string" && value !== "";
}

export class ExcelWorkbook implements WorkbookPort {
  private readonly batchBytes: number;
  private readonly readCells: number;
  private readonly readBytes: number;
  private readonly tableWriteBytes: number;

  constructor(options: ExcelWorkbookOptions = {}) {
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.tableWriteBytes = options.batchBytes ?? TABLE_WRITE_BYTES;
    this.readCells = options.readCells ?? DEFAULT_READ_CELLS;
    this.readBytes = options.readBytes ?? options.batchBytes ?? DEFAULT_READ_BYTES;
  }

  async writeTable(spec: TableSpec, rows: CellValue[][]): Promise<void> {
    const width = spec.columns.length;
    rows.forEach((row, i) => {
      if (row.length !== width) throw new RangeError(`row ${i} has ${row.length} cells; the table ${spec.tableName} has ${width} columns`);
    });
    await Excel.run(async (ctx) => {
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
        const layout = await this.layout(ctx, table);
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
        await this.ensureRoom(ctx, spec, layout, neighbours, bodyRows, width);
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
          sheet
            .getRangeByIndexes(origin.row, origin.column + width, Math.max(layout.bodyRows, bodyRows) + 1, oldWidth - width)
            .clear("All");
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
      const otherColumns = spec.columns.flatMap((column, j) =>
        textColumn(column.format) || column.formula ? [] : [positions[j] as number],
      );
      // Filled by exact size; each text cell in a number column costs a format command besides its value.
      const textFormats = (r: number) => otherColumns.filter((at) => needsText(matrix[r]?.[at] ?? "")).length;
      const slices = tableWriteSlices(matrix, this.tableWriteBytes, textFormats);
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
    });
  }

  async editRows(spec: TableSpec, edits: readonly RowEdit[]): Promise<void> {
    const width = spec.columns.length;
    for (const edit of edits) {
      if (edit.kind === "delete") continue;
      edit.rows.forEach((row, i) => {
        if (row.length !== width)
          throw new RangeError(`row ${i} has ${row.length} cells; the table ${spec.tableName} has ${width} columns`);
      });
    }
    if (edits.length === 0) return;
    await Excel.run(async (ctx) => {
      const table = ctx.workbook.tables.getItemOrNullObject(spec.tableName);
      await ctx.sync();
      if (table.isNullObject) throw new TableMissingError(spec);
      const layout = await this.layout(ctx, table);
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
        for (const [start, end] of sliceByBytes(edit.rows, Math.max(1, Math.floor(this.batchBytes / 2)))) {
          const part = edit.rows.slice(start, end);
          const bytes = jsonByteLength(part) * 2;
          if (pending > 0 && pending + bytes > this.batchBytes) {
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
          this.writeRowBlock(layout.sheet, layout.headerRow + 1 + at, spec, positions, part);
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
          for (const [start, end] of sliceByBytes(cells, this.batchBytes)) {
            const bytes = jsonByteLength(cells.slice(start, end));
            if (pending > 0 && pending + bytes > this.batchBytes) {
              await ctx.sync();
              pending = 0;
            }
            layout.sheet.getRangeByIndexes(top + start, positions[j] as number, end - start, 1).formulas = cells.slice(start, end);
            pending += bytes;
          }
        }
      }
      if (pending > 0) await ctx.sync();
    });
  }

  /** Formats, dropdowns, read-only fill and values of a block of rows, only in the spec's columns. */
  private writeRowBlock(sheet: Excel.Worksheet, top: number, spec: TableSpec, positions: readonly number[], rows: CellValue[][]): void {
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

  async readTable(spec: TableSpec): Promise<TableData | null> {
    return (await this.readTableAndSnapshots(spec, [])).table;
  }

  /**
   * The table and the named snapshots in one `Excel.run`: one round trip finds the table, its layout and the data
   * sheet's directory; the next ones bring the values and the snapshot pieces together, as many as fit the budget.
   */
  async readTableAndSnapshots(spec: TableSpec, keys: readonly string[]): Promise<TableAndSnapshots> {
    return Excel.run(async (ctx) => {
      const opened = await this.open(ctx, spec.tableName, keys.length > 0);
      const stamps = stampsOf(opened.data?.directory ?? {}, keys);
      const pieces = this.queuePieces(opened.data, keys);
      if (!opened.layout) {
        const snapshots = await pieces.readAll(ctx);
        return { table: null, snapshots, stamps };
      }
      const layout = opened.layout;
      const width = layout.headers.length;
      const rows: CellValue[][] = [];
      // Columns whose unit is percent as 0–100: a cell the user typed 20% into holds 0.2 with a percent format, and
      // is reported as the "20%" it shows, so the rules read 20, not 0.2 (their number formats load in the same sync).
      const located = locateColumns(spec, layout.headers).index;
      const percentAt = spec.columns.flatMap((c) => (c.unit === "percent" && located.has(c.key) ? [located.get(c.key) as number] : []));
      const cellsPerRow = width + percentAt.length;
      let perRead = firstSliceRows(layout.bodyRows, cellsPerRow, this.readBytes, this.readCells);
      /** What the last slice weighed per row, for sizing the next one (and the pieces that share its sync). */
      let rowBytes = 0;
      for (let start = 0; start < layout.bodyRows;) {
        const count = Math.min(perRead, layout.bodyRows - start);
        const range = layout.sheet.getRangeByIndexes(layout.headerRow + 1 + start, layout.firstColumn, count, width).load("values");
        const formats = percentAt.map((at) =>
          layout.sheet.getRangeByIndexes(layout.headerRow + 1 + start, layout.firstColumn + at, count, 1).load("numberFormat"),
        );
        // Snapshot pieces ride along while the budget has room (the first slice's weight is a guess from its cells).
        const queued = pieces.queue(this.readBytes - sliceBytes(count, cellsPerRow, rowBytes));
        try {
          await ctx.sync();
        } catch (error) {
          // Long text makes a slice heavier than its cell count says: read half as many rows and try again.
          if (!payloadTooLarge(error) || count === 1) throw error;
          pieces.requeue(queued);
          perRead = Math.max(1, Math.floor(count / 2));
          rowBytes = Math.max(rowBytes, this.readBytes / count); // at least: fewer pieces ride with the halves
          continue;
        }
        pieces.collect(queued);
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
        perRead = nextSliceRows(layout.bodyRows - start, rowBytes, cellsPerRow, this.readBytes, this.readCells);
      }
      const snapshots = await pieces.readAll(ctx);
      // The one empty row Excel keeps in an empty table (and blank rows at the end) carry nothing.
      while (rows.length > 0 && (rows[rows.length - 1] as CellValue[]).every((v) => v === "")) rows.pop();
      return {
        table: {
          sheetName: layout.sheetName,
          headerRow: layout.headerRow + 1,
          firstColumn: layout.firstColumn,
          headers: layout.headers,
          rows,
          bodyRows: layout.bodyRows,
        },
        snapshots,
        stamps,
      };
    });
  }

  /**
   * Some data rows of the table, with where the table is and the stamps of the named snapshots, in one round trip:
   * what a live check needs after an edit. Null when the table is gone.
   */
  async readRows(spec: TableSpec, rows: readonly number[], keys: readonly string[]): Promise<RowsRead | null> {
    return Excel.run(async (ctx) => {
      const table = ctx.workbook.tables.getItem(spec.tableName);
      const resolve = this.queueLayout(table);
      const body = table.getDataBodyRange();
      const read = rows.map((r) => body.getRow(r).load("values,numberFormat"));
      const data = keys.length ? this.queueDirectory(ctx) : null;
      try {
        await ctx.sync();
      } catch (error) {
        if (!itemNotFound(error)) throw error;
        // The table or the data sheet is missing: the caller reads the whole table and says why.
        return null;
      }
      const layout = resolve();
      const located = locateColumns(spec, layout.headers).index;
      const percentAt = spec.columns.flatMap((c) => (c.unit === "percent" && located.has(c.key) ? [located.get(c.key) as number] : []));
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
        stamps: stampsOf(data ? parseDirectory(data.a1.values[0]?.[0]).directory : {}, keys),
      };
    });
  }

  async writeCells(spec: TableSpec, updates: CellUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.writeResults(spec, { updates });
  }

  async setMarks(spec: TableSpec, marks: CellMark[]): Promise<void> {
    await this.writeResults(spec, { marks });
  }

  /**
   * Cell writes, the add-in's marks (replaced when given) and log rows in one `Excel.run`: one round trip finds the
   * table, the sheet's rules and the log sheet; one reads the rules' formulas (only when the sheet has custom rules)
   * and where the log ends; one writes everything (more only when the writes are larger than a batch).
   */
  async writeResults(spec: TableSpec, results: TableResults): Promise<void> {
    const updates = results.updates ?? [];
    const { marks, log } = results;
    if (updates.length === 0 && marks === undefined && (!log || log.rows.length === 0)) return;
    await Excel.run(async (ctx) => {
      const table = ctx.workbook.tables.getItem(spec.tableName);
      const resolve = this.queueLayout(table);
      const all = marks === undefined ? null : table.worksheet.getRange().conditionalFormats.load("items/id,items/type");
      const found = log ? ctx.workbook.worksheets.getItemOrNullObject(LOG_SHEET) : null;
      try {
        await ctx.sync();
      } catch (error) {
        if (itemNotFound(error)) throw new TableMissingError(spec);
        throw error;
      }
      const layout = resolve();
      const custom = (all?.items ?? []).filter((cf) => cf.type === "Custom");
      const rules = custom.map((cf) => cf.custom.rule.load("formula"));
      const used = found && !found.isNullObject ? found.getUsedRangeOrNullObject(true).load("rowIndex,rowCount") : null;
      if (custom.length > 0 || used) await ctx.sync();
      await this.queueCellWrites(ctx, spec, layout, updates);
      if (marks !== undefined) {
        custom.forEach((cf, i) => {
          if (isMarkFormula(rules[i]?.formula)) cf.delete();
        });
        const columnAt = this.columnFinder(spec, layout);
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
      if (log && log.rows.length > 0 && found) {
        const sheet = found.isNullObject ? this.addLogSheet(ctx) : found;
        const next = used && !used.isNullObject ? used.rowIndex + used.rowCount : 0;
        await this.queueLog(ctx, sheet, next, log.header, log.rows);
      }
      await ctx.sync();
    });
  }

  /**
   * Queues the cell writes, syncing whenever the next run would take the batch over budget; the last batch is left
   * queued for the caller's sync, with whatever else the caller adds to it.
   */
  private async queueCellWrites(ctx: Context, spec: TableSpec, layout: Layout, updates: readonly CellUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const columnAt = this.columnFinder(spec, layout);
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
      if (pending > 0 && pending + bytes > this.batchBytes) {
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

  async select(spec: TableSpec, row: number, column: string): Promise<void> {
    await Excel.run(async (ctx) => {
      const layout = await this.existingLayout(ctx, spec);
      const at = this.columnFinder(spec, layout)(column);
      if (at === null) throw new RangeError(`the table ${spec.tableName} has no column "${column}" any more`);
      if (row < 0 || row >= layout.bodyRows) throw new RangeError(`the table ${spec.tableName} has no row ${row + 1} any more`);
      layout.sheet.getCell(layout.headerRow + 1 + row, at).select();
      await ctx.sync();
    });
  }

  async saveSnapshot(key: string, json: string): Promise<void> {
    await this.saveSnapshots({ [key]: json });
  }

  /**
   * Several snapshots in one `Excel.run`: one round trip reads the directory, then the pieces and the new directory
   * go together (more round trips only for pieces larger than a batch).
   */
  async saveSnapshots(entries: Readonly<Record<string, string>>): Promise<void> {
    const keys = Object.keys(entries);
    if (keys.length === 0) return;
    await Excel.run(async (ctx) => {
      const { sheet, directory } = await this.dataSheet(ctx, true);
      // The new pieces go to free columns and the directory moves over at the end, so a failure half-way
      // leaves the previous snapshots readable.
      const taken = new Set(Object.values(directory).map((e) => e.column));
      const stamp = Object.values(directory).reduce((max, e) => Math.max(max, e.stamp ?? 0), 0) + 1;
      const next: Directory = { ...directory };
      let pending = 0;
      for (const key of keys) {
        const pieces = splitForCells(entries[key] as string);
        let column = 1;
        while (taken.has(column)) column++;
        taken.add(column);
        // Pieces are sized exactly (as JSON, escapes included), so their batches may go as close to the limit as reads.
        for (const [start, end] of sliceByBytes(pieces, this.readBytes)) {
          const values = pieces.slice(start, end).map((p) => [p]);
          const bytes = jsonByteLength(values);
          if (pending > 0 && pending + bytes > this.readBytes) {
            await ctx.sync();
            pending = 0;
          }
          const range = sheet.getRangeByIndexes(start, column, end - start, 1);
          range.numberFormat = [["@"]];
          range.values = values;
          pending += bytes;
        }
        // The largest piece as it travels back (JSON-escaped UTF-8), so a load can size its reads to the budget.
        const pieceBytes = pieces.reduce((max, p) => Math.max(max, jsonByteLength(p)), 0);
        next[key] = { column, pieces: pieces.length, pieceBytes, stamp };
      }
      sheet.getRange("A1").values = [[JSON.stringify(next)]];
      for (const key of keys) {
        const old = directory[key];
        if (old && old.pieces > 0) sheet.getRangeByIndexes(0, old.column, old.pieces, 1).clear("All");
      }
      await ctx.sync();
    });
  }

  async loadSnapshot(key: string): Promise<string | null> {
    return (await this.loadSnapshots([key]))[key] ?? null;
  }

  /** Several snapshots in one `Excel.run`: the directory, then the pieces of all of them, as many as fit a batch. */
  async loadSnapshots(keys: readonly string[]): Promise<Record<string, string | null>> {
    return Excel.run(async (ctx) => {
      const data = await this.dataSheet(ctx, false);
      return this.queuePieces(data, keys).readAll(ctx);
    });
  }

  async appendLog(header: readonly string[], rows: CellValue[][]): Promise<void> {
    await Excel.run(async (ctx) => {
      const found = ctx.workbook.worksheets.getItemOrNullObject(LOG_SHEET);
      await ctx.sync();
      let sheet: Excel.Worksheet;
      let next = 0;
      if (found.isNullObject) {
        sheet = this.addLogSheet(ctx);
      } else {
        sheet = found;
        const used = found.getUsedRangeOrNullObject(true).load("rowIndex,rowCount");
        await ctx.sync();
        next = used.isNullObject ? 0 : used.rowIndex + used.rowCount;
      }
      await this.queueLog(ctx, sheet, next, header, rows);
      await ctx.sync();
    });
  }

  private addLogSheet(ctx: Context): Excel.Worksheet {
    const sheet = ctx.workbook.worksheets.add(LOG_SHEET);
    sheet.freezePanes.freezeRows(1);
    return sheet;
  }

  /** Queues the log rows from sheet row `next` (the header first on an empty sheet); the last batch is the caller's to sync. */
  private async queueLog(
    ctx: Context,
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
    const slices = sliceByBytes(rows, this.batchBytes);
    for (const [i, [start, end]] of slices.entries()) {
      if (i > 0) await ctx.sync();
      const block = rows.slice(start, end).map(pad);
      const range = sheet.getRangeByIndexes(next + start, 0, end - start, width);
      range.numberFormat = block.map(formats);
      range.values = block;
    }
  }

  async onTableChanged(spec: TableSpec, listener: (rows: number[] | "all") => void): Promise<() => Promise<void>> {
    const handler = async (event: Excel.WorksheetChangedEventArgs): Promise<void> => {
      // The add-in's own writes (pull, results) are not edits; reacting to them would loop.
      if (event.triggerSource === "ThisLocalAddin") return;
      const rows = await this.changedRows(spec, event);
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
  private async changedRows(spec: TableSpec, event: Excel.WorksheetChangedEventArgs): Promise<number[] | "all" | null> {
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

  private async layout(ctx: Context, table: Excel.Table): Promise<Layout> {
    const resolve = this.queueLayout(table);
    await ctx.sync();
    return resolve();
  }

  /** Queues the loads of a table's layout; the function reads them after the sync. */
  private queueLayout(table: Excel.Table): () => Layout {
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

  /**
   * The table's layout and (when asked) the data sheet's directory in one round trip. `getItem` fails the whole
   * batch when either is missing; only then does a second round trip find out which (before the first pull).
   */
  private async open(ctx: Context, tableName: string, withData: boolean): Promise<{ layout: Layout | null; data: DataSheet | null }> {
    const table = ctx.workbook.tables.getItem(tableName);
    const resolve = this.queueLayout(table);
    const directory = withData ? this.queueDirectory(ctx) : null;
    try {
      await ctx.sync();
      return {
        layout: resolve(),
        data: directory ? { sheet: directory.sheet, ...parseDirectory(directory.a1.values[0]?.[0]) } : null,
      };
    } catch (error) {
      if (!itemNotFound(error)) throw error;
    }
    const found = ctx.workbook.tables.getItemOrNullObject(tableName);
    const sheet = withData ? ctx.workbook.worksheets.getItemOrNullObject(DATA_SHEET) : null;
    await ctx.sync();
    const resolveFound = found.isNullObject ? null : this.queueLayout(found);
    const a1 = sheet && !sheet.isNullObject ? sheet.getRange("A1").load("values") : null;
    if (resolveFound || a1) await ctx.sync();
    return {
      layout: resolveFound ? resolveFound() : null,
      data: sheet && a1 ? { sheet, ...parseDirectory(a1.values[0]?.[0]) } : null,
    };
  }

  private queueDirectory(ctx: Context): { sheet: Excel.Worksheet; a1: Excel.Range } {
    const sheet = ctx.workbook.worksheets.getItem(DATA_SHEET);
    return { sheet, a1: sheet.getRange("A1").load("values") };
  }

  /**
   * Reads snapshot pieces, a budget's worth at a time, alone or riding along with other reads: `queue` loads what
   * fits the budget (at least one read when nothing else is in the batch), `collect` takes the values after the
   * sync, `requeue` gives back what a failed sync did not bring, `readAll` reads the rest.
   */
  private queuePieces(data: DataSheet | null, keys: readonly string[]) {
    if (data?.damaged) throw new SnapshotDirectoryError(data.damaged);
    type Read = PieceRun & { range?: Excel.Range };
    const reads: Read[] = [];
    const got = new Map<string, unknown[]>();
    for (const key of keys) {
      const entry = data?.directory[key];
      if (!entry) continue;
      got.set(key, []);
      // Sized by the largest piece as saved; a directory written before that was recorded gets the worst case
      // (32,000 characters at up to 6 bytes each once escaped), which always stays in budget.
      const perPiece = (entry.pieceBytes ?? WORST_PIECE_BYTES) + PIECE_FRAMING_BYTES;
      const perRead = Math.max(1, Math.floor(this.readBytes / perPiece));
      for (let start = 0; start < entry.pieces; start += perRead) {
        const count = Math.min(perRead, entry.pieces - start);
        reads.push({ key, start, count, perPiece });
      }
    }
    const queue = (budget: number, atLeastOne = false): Read[] => {
      if (!data) return [];
      const queued = takePieces(reads, budget, atLeastOne);
      for (const next of queued) {
        const entry = data.directory[next.key] as DirectoryEntry;
        next.range = data.sheet.getRangeByIndexes(next.start, entry.column, next.count, 1).load("values");
      }
      return queued;
    };
    const collect = (queued: readonly Read[]) => {
      for (const read of queued) got.get(read.key)?.push(...(read.range as Excel.Range).values.map((r) => r[0]));
    };
    return {
      queue: (budget: number) => queue(budget),
      collect,
      requeue: (queued: readonly Read[]) => reads.unshift(...queued),
      readAll: async (ctx: Context): Promise<Record<string, string | null>> => {
        while (reads.length > 0) {
          const queued = queue(this.readBytes, true);
          await ctx.sync();
          collect(queued);
        }
        const out: Record<string, string | null> = {};
        for (const key of keys) {
          const entry = data?.directory[key];
          out[key] = !entry ? null : entry.pieces === 0 ? "" : joinCells(key, got.get(key) ?? []);
        }
        return out;
      },
    };
  }

  /**
   * Refuses a pull that would grow the table over the user's data or another table, naming the cells, before
   * anything is changed. One round trip, and only when the table grows.
   */
  private async ensureRoom(
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
    throw new TableBlockedError(
      layout.sheetName,
      [...cells, ...tables.map((t) => t.address)],
      `Campfire needs ${room} the ${layout.sheetName} table, but ${what}; move it or clear it, then pull again.`,
    );
  }

  private async existingLayout(ctx: Context, spec: TableSpec): Promise<Layout> {
    const resolve = this.queueLayout(ctx.workbook.tables.getItem(spec.tableName));
    try {
      await ctx.sync();
    } catch (error) {
      if (itemNotFound(error)) throw new TableMissingError(spec);
      throw error;
    }
    return resolve();
  }

  /** Column key → 0-based sheet column, by header text wherever the user moved the column. */
  private columnFinder(spec: TableSpec, layout: Layout): (key: string) => number | null {
    const { index } = locateColumns(spec, layout.headers);
    return (key) => {
      const at = index.get(key);
      return at === undefined ? null : layout.firstColumn + at;
    };
  }

  private async dataSheet(ctx: Context, create: true): Promise<DataSheet>;
  private async dataSheet(ctx: Context, create: false): Promise<DataSheet | null>;
  private async dataSheet(ctx: Context, create: boolean): Promise<DataSheet | null> {
    const { sheet, a1 } = this.queueDirectory(ctx);
    try {
      await ctx.sync();
      return { sheet, ...parseDirectory(a1.values[0]?.[0]) };
    } catch (error) {
      if (!itemNotFound(error)) throw error;
    }
    if (!create) return null;
    const added = ctx.workbook.worksheets.add(DATA_SHEET);
    // Very hidden: not listed under Unhide, so nobody edits the pieces by accident.
    added.visibility = "VeryHidden";
    return { sheet: added, directory: {}, damaged: null };
  }
}

function itemNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ItemNotFound";
}

/** What changes with every save of a snapshot (null when there is none), so a reader can tell it has the latest. */
function stampsOf(directory: Directory, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of keys) {
    const e = directory[key];
    out[key] = e ? `${e.stamp ?? 0}:${e.column}:${e.pieces}` : null;
  }
  return out;
}

/** The directory as saved; a value that is not the directory this add-in writes is reported, never read as empty. */
function parseDirectory(raw: unknown): { directory: Directory; damaged: string | null } {
  if (raw === "" || raw === null || raw === undefined) return { directory: {}, damaged: null };
  if (typeof raw !== "string") return { directory: {}, damaged: `cell A1 holds ${typeof raw} ${String(raw)}, not the directory` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { directory: {}, damaged: "cell A1 is not the directory the add-in wrote (not JSON)" };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { directory: {}, damaged: "cell A1 is not the directory the add-in wrote" };
  }
  const out: Directory = {};
  for (const [k, v] of Object.entries(
    parsed as Record<string, { column?: unknown; pieces?: unknown; pieceBytes?: unknown; stamp?: unknown }>,
  )) {
    if (!(Number.isInteger(v?.column) && Number.isInteger(v?.pieces) && (v.column as number) >= 1)) {
      return { directory: {}, damaged: `the entry for ${k} has no valid column and piece count` };
    }
    const entry: DirectoryEntry = { column: v.column as number, pieces: v.pieces as number };
    if (Number.isInteger(v.pieceBytes) && (v.pieceBytes as number) > 0) entry.pieceBytes = v.pieceBytes as number;
    if (Number.isInteger(v.stamp) && (v.stamp as number) > 0) entry.stamp = v.stamp as number;
    out[k] = entry;
  }
  return { directory: out, damaged: null };
}
