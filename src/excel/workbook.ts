/**
 * The workbook port over Office.js: the only code that talks to Excel. A facade: each method is one `Excel.run`
 * over the parts that queue the work — tables.ts and table-reads.ts (a table's rows), cell-writes.ts (cells and
 * marks), snapshot-store.ts (the pulled data on the very hidden sheet), push-log.ts (the log sheet) and
 * table-events.ts (edits as they happen) — so calls that need two of them share round trips.
 *
 * Every method has a fixed number of `context.sync()` round trips, whatever the row count; only writes (and
 * snapshot reads) larger than one batch budget add round trips, because Excel on the web rejects a request or
 * response over 5 MB.
 */
import type {
  CellMark,
  CellUpdate,
  CellValue,
  RowEdit,
  RowsRead,
  TableAndSnapshots,
  TableData,
  TableResults,
  TableSpec,
  WorkbookPort,
} from "../app/ports";
import { TableMissingError } from "../domain/sheet/layout";
import { customRules, queueCellWrites, queueMarks, queueRules, selectCell } from "./cell-writes";
import { DEFAULT_READ_BYTES, DEFAULT_READ_CELLS, itemNotFound, type Budget, type Context } from "./excel-context";
import { DEFAULT_BATCH_BYTES } from "./payload";
import { TABLE_WRITE_BYTES } from "./write-slices";
import { appendLog, findLogSheet, queueAppend, queueLogEnd } from "./push-log";
import {
  DATA_SHEET,
  dataSheetOf,
  loadSnapshots,
  parseDirectory,
  queueDirectory,
  queuePieces,
  saveSnapshots,
  stampsOf,
  type DataSheet,
  type PieceCache,
} from "./snapshot-store";
import { onTableChanged } from "./table-events";
import { queueLayout, type Layout } from "./table-layout";
import { queueRows, readBody } from "./table-reads";
import { editRows, writeTable } from "./tables";

// What callers of the adapter name, from the parts that hold it.
export { DEFAULT_READ_BYTES, DEFAULT_READ_CELLS } from "./excel-context";
export { LOG_SHEET } from "./push-log";
export { DATA_SHEET, SnapshotDirectoryError } from "./snapshot-store";
export { rowFormula } from "./table-layout";
export { TableBlockedError } from "./tables";
// The one TableMissingError lives with the layouts; re-exported for callers of this adapter.
export { TableMissingError };

export interface ExcelWorkbookOptions {
  /** Estimated bytes per write round trip (default 2 MB, well under Excel on the web's 5 MB). */
  batchBytes?: number;
  /** Cells in the first read of a table. */
  readCells?: number;
  /** Bytes per read round trip (default 4.5 MB; the write budget when only that is given). */
  readBytes?: number;
}

export class ExcelWorkbook implements WorkbookPort {
  private readonly budget: Budget;
  /** The snapshot pieces last read or written here, so a save writes only those that changed (see PieceCache). */
  private readonly pieces: PieceCache = new Map();

  constructor(options: ExcelWorkbookOptions = {}) {
    this.budget = {
      batchBytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
      tableWriteBytes: options.batchBytes ?? TABLE_WRITE_BYTES,
      readCells: options.readCells ?? DEFAULT_READ_CELLS,
      readBytes: options.readBytes ?? options.batchBytes ?? DEFAULT_READ_BYTES,
    };
  }

  async writeTable(spec: TableSpec, rows: CellValue[][]): Promise<void> {
    await Excel.run((ctx) => writeTable(ctx, this.budget, spec, rows));
  }

  async editRows(spec: TableSpec, edits: readonly RowEdit[]): Promise<void> {
    if (edits.length === 0) return;
    await Excel.run((ctx) => editRows(ctx, this.budget, spec, edits));
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
      const opened = await open(ctx, spec.tableName, keys.length > 0);
      const stamps = stampsOf(opened.data?.directory ?? {}, keys);
      const pieces = queuePieces(this.budget, opened.data, keys, this.pieces);
      const table = opened.layout ? await readBody(ctx, this.budget, spec, opened.layout, pieces) : null;
      const snapshots = await pieces.readAll(ctx);
      return { table, snapshots, stamps };
    });
  }

  /**
   * Some data rows of the table, with where the table is and the stamps of the named snapshots, in one round trip:
   * what a live check needs after an edit. Null when the table is gone.
   */
  async readRows(spec: TableSpec, rows: readonly number[], keys: readonly string[]): Promise<RowsRead | null> {
    return Excel.run(async (ctx) => {
      const resolve = queueRows(ctx, spec, rows);
      const data = keys.length ? queueDirectory(ctx) : null;
      try {
        await ctx.sync();
      } catch (error) {
        if (!itemNotFound(error)) throw error;
        // The table or the data sheet is missing: the caller reads the whole table and says why.
        return null;
      }
      return { ...resolve(), stamps: stampsOf(data ? parseDirectory(data.a1.values[0]?.[0]).directory : {}, keys) };
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
      const resolve = queueLayout(table);
      const all = marks === undefined ? null : queueRules(table);
      const found = log ? findLogSheet(ctx) : null;
      try {
        await ctx.sync();
      } catch (error) {
        if (itemNotFound(error)) throw new TableMissingError(spec);
        throw error;
      }
      const layout = resolve();
      const rules = all ? customRules(all) : { custom: [], rules: [] };
      const end = found ? queueLogEnd(found) : null;
      if (rules.custom.length > 0 || end) await ctx.sync();
      await queueCellWrites(ctx, this.budget, spec, layout, updates);
      if (marks !== undefined) queueMarks(spec, layout, rules, marks);
      if (log && log.rows.length > 0 && found) await queueAppend(ctx, this.budget, found, end, log.header, log.rows);
      await ctx.sync();
    });
  }

  async select(spec: TableSpec, row: number, column: string): Promise<void> {
    await Excel.run((ctx) => selectCell(ctx, spec, row, column));
  }

  async saveSnapshot(key: string, json: string): Promise<void> {
    await this.saveSnapshots({ [key]: json });
  }

  async saveSnapshots(entries: Readonly<Record<string, string>>): Promise<void> {
    if (Object.keys(entries).length === 0) return;
    await Excel.run((ctx) => saveSnapshots(ctx, this.budget, entries, this.pieces));
  }

  async loadSnapshot(key: string): Promise<string | null> {
    return (await this.loadSnapshots([key]))[key] ?? null;
  }

  async loadSnapshots(keys: readonly string[]): Promise<Record<string, string | null>> {
    return Excel.run((ctx) => loadSnapshots(ctx, this.budget, keys, this.pieces));
  }

  async appendLog(header: readonly string[], rows: CellValue[][]): Promise<void> {
    await Excel.run((ctx) => appendLog(ctx, this.budget, header, rows));
  }

  onTableChanged(spec: TableSpec, listener: (rows: number[] | "all") => void): Promise<() => Promise<void>> {
    return onTableChanged(spec, listener);
  }
}

/**
 * The table's layout and (when asked) the data sheet's directory in one round trip. `getItem` fails the whole
 * batch when either is missing; only then does a second round trip find out which (before the first pull).
 */
async function open(ctx: Context, tableName: string, withData: boolean): Promise<{ layout: Layout | null; data: DataSheet | null }> {
  const table = ctx.workbook.tables.getItem(tableName);
  const resolve = queueLayout(table);
  const directory = withData ? queueDirectory(ctx) : null;
  try {
    await ctx.sync();
    return { layout: resolve(), data: directory ? dataSheetOf(directory) : null };
  } catch (error) {
    if (!itemNotFound(error)) throw error;
  }
  const found = ctx.workbook.tables.getItemOrNullObject(tableName);
  const sheet = withData ? ctx.workbook.worksheets.getItemOrNullObject(DATA_SHEET) : null;
  await ctx.sync();
  const resolveFound = found.isNullObject ? null : queueLayout(found);
  const a1 = sheet && !sheet.isNullObject ? sheet.getRange("A1").load("values") : null;
  if (resolveFound || a1) await ctx.sync();
  return {
    layout: resolveFound ? resolveFound() : null,
    data: sheet && a1 ? { sheet, ...parseDirectory(a1.values[0]?.[0]) } : null,
  };
}
