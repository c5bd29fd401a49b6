/**
 * What every use-case does with a table: read it (a private copy), read what was pulled and what the last push
 * left, find rows by identity, and write checks, results and marks back — each in one workbook call, whatever the
 * number of rows, because every Excel round trip costs far more than the work done in memory.
 */
import type { BundleState } from "../domain/sheet/allocation-analysis";
import { asRead, messageCell, sameCell, type UtcOffset } from "../domain/sheet/cell-writers";
import { LastPushError, type LastPush, type PushedBase } from "../domain/sheet/last-push";
import { TableMissingError, cellAddress, locateColumns, type SheetLayout } from "../domain/sheet/layout";
import { rowIdentities, rowsByIdentity } from "../domain/sheet/row-keys";
import type { SheetAnalysis, TableRead } from "../domain/sheet/sheet-view";
import type { CellMark, CellUpdate, CellValue, TableSpec, WorkbookPort } from "./ports";
import type { Place, Snapshot, TableKindOps } from "./table-kinds";
import type { BundleStatus, CheckReport } from "./workbench-interface";

// Any table kind: these helpers use only what every kind has.
type Ops<R = unknown, S = unknown, P extends PushedBase = PushedBase> = TableKindOps<R, S, P>;

export function asSpec(layout: SheetLayout): TableSpec {
  return layout;
}

/** A private copy: results are applied to it in memory before the check that follows a write. */
export function copyTable(table: TableRead): TableRead {
  return { ...table, headers: [...table.headers], rows: table.rows.map((r) => [...r]) };
}

/** Where each row of `before` is in `now` (by identity), and whether the user left a cell as it was. */
export interface Relocation {
  row(row: number): number | undefined;
  unchanged(beforeRow: number, nowRow: number, column: string): boolean;
}

/** A table read with what was pulled and what the last push left, in one workbook call. */
export interface TableState<R, P extends PushedBase> {
  table: TableRead;
  snapshot: Snapshot<R> & { version: number; kind: string };
  /** The last push as saved (an unreadable one counts as none, as `lastPushOrEmpty` does). */
  lastPush: LastPush<P>;
  /** What changes with each save of the snapshot and of the last push (see WorkbookPort.readRows). */
  stamps: Record<string, string | null>;
  /** Rows of the table's body as read (blank rows at its end included), when the workbook tells. */
  bodyRows?: number;
}

/**
 * A read a review made, kept so that confirming it can use it again: when `token` (see `TableIO.sheetToken`) is
 * still the sheet's and the reviewed rows and the snapshots' stamps are as read, the sheet is what was reviewed.
 */
export interface ReviewedRead<R, P extends PushedBase = PushedBase> extends TableState<R, P> {
  token: string | null;
}

export class TableIO {
  readonly workbook: WorkbookPort;
  private tableWrites = 0;
  /** Every call that may change a table's cells, whatever it writes (see `sheetToken`). */
  private tableChanges = 0;
  /** By table name: the watches on it now, and a count that moves with each edit they see and each start and stop. */
  private readonly watched = new Map<string, { watches: number; epoch: number }>();

  constructor(
    workbook: WorkbookPort,
    readonly offset?: UtcOffset,
  ) {
    // Counts this add-in's writes into tables: every one moves the sheet token (see `sheetToken`); those that write
    // cells (all but a marks-only writeResults) also tell a live check its kept copy is no longer the sheet.
    const writing = new Set<string | symbol>(["writeTable", "editRows", "writeCells", "writeResults"]);
    this.workbook = new Proxy(workbook, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (prop === "onTableChanged") return this.watching(method as WorkbookPort["onTableChanged"]);
        if (!writing.has(prop)) return method;
        return (...args: unknown[]) => {
          this.tableChanges++;
          const results = args[1] as { updates?: readonly unknown[] } | undefined;
          if (prop !== "writeResults" || results?.updates?.length) this.tableWrites++;
          return method(...args);
        };
      },
    });
  }

  /** Wraps onTableChanged so that every edit a watch sees, and every watch's start and stop, moves the table's epoch. */
  private watching(subscribe: WorkbookPort["onTableChanged"]): WorkbookPort["onTableChanged"] {
    return async (spec, listener) => {
      const state = () => {
        const found = this.watched.get(spec.tableName) ?? { watches: 0, epoch: 0 };
        this.watched.set(spec.tableName, found);
        return found;
      };
      const unsubscribe = await subscribe(spec, (rows) => {
        state().epoch++;
        listener(rows);
      });
      state().watches++;
      state().epoch++;
      let stopped = false;
      return async () => {
        if (!stopped) {
          stopped = true;
          state().watches--;
          state().epoch++;
        }
        await unsubscribe();
      };
    };
  }

  /**
   * What stays the same while the table holds what it held: null when no watch is on the table (then nothing here
   * would see a user's edit), else a text that changes with every edit the watch sees and every write of this
   * add-in into a table. Taken before a read, an unchanged token after it says nobody edited the table meanwhile
   * (as far as Excel has told; the rows a confirm depends on are read again to be sure).
   */
  sheetToken<R, S, P extends PushedBase>(ops: Ops<R, S, P>): string | null {
    const watched = this.watched.get(ops.layout.tableName);
    return watched && watched.watches > 0 ? `${watched.epoch}:${this.tableChanges}` : null;
  }

  /** The table, the snapshot and the last push, with the token taken before reading them: what a review keeps. */
  async readForReview<R, S, P extends PushedBase>(ops: Ops<R, S, P>): Promise<ReviewedRead<R, P>> {
    const token = this.sheetToken(ops);
    return { ...(await this.readState(ops)), token };
  }

  /**
   * The table, the snapshot and the last push a confirm starts from. When the review's read is still the sheet (the
   * same token, stamps and layout, and the reviewed rows as they were), that read is used after one round trip for
   * those rows; otherwise everything is read again.
   */
  async readReviewed<R, S, P extends PushedBase>(
    ops: Ops<R, S, P>,
    reviewed: ReviewedRead<R> | undefined,
    rows: Iterable<number>,
  ): Promise<TableState<R, P>> {
    let state: TableState<R, P>;
    let token: string | null;
    if (
      reviewed &&
      reviewed.token !== null &&
      (await this.rowsAsRead(ops, reviewed.table, reviewed.bodyRows, rows, reviewed.token, reviewed.stamps))
    ) {
      const { token: kept, ...read } = reviewed;
      // The review read it with these very ops: its last push is of this kind.
      state = { ...read, table: copyTable(reviewed.table), lastPush: read.lastPush as LastPush<P> };
      token = kept;
    } else {
      token = this.sheetToken(ops);
      state = await this.readState(ops);
    }
    this.held.set(state.table, { token, bodyRows: state.bodyRows });
    return state;
  }

  /** Tables a confirm started from, with the token they were read under and their body's rows (see `readAgain`). */
  private readonly held = new WeakMap<TableRead, { token: string | null; bodyRows: number | undefined }>();

  /**
   * The table again, after a push: a copy of `before` (as `readReviewed` gave it) when the token is unchanged and the
   * given rows hold what they held (one round trip), else the whole table.
   */
  async readAgain<R, S, P extends PushedBase>(ops: Ops<R, S, P>, before: TableRead, rows: Iterable<number>): Promise<TableRead> {
    const held = this.held.get(before);
    if (held && held.token !== null && (await this.rowsAsRead(ops, before, held.bodyRows, rows, held.token, null)))
      return copyTable(before);
    return this.read(ops);
  }

  /** Whether the rows of the table hold what `table` has for them, the token and stamps unchanged. One round trip. */
  private async rowsAsRead<R, S, P extends PushedBase>(
    ops: Ops<R, S, P>,
    table: TableRead,
    bodyRows: number | undefined,
    rows: Iterable<number>,
    token: string,
    stamps: Record<string, string | null> | null,
  ): Promise<boolean> {
    if (bodyRows === undefined || this.sheetToken(ops) !== token) return false;
    const wanted = [...new Set(rows)].sort((a, b) => a - b);
    const keys = stamps ? [ops.snapshotKey, ops.lastPushKey] : [];
    const read = await this.workbook.readRows(asSpec(ops.layout), wanted, keys);
    if (!read || this.sheetToken(ops) !== token) return false;
    const sameCells = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
      a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
    return (
      read.sheetName === table.sheetName &&
      read.headerRow === table.headerRow &&
      read.firstColumn === table.firstColumn &&
      read.bodyRows === bodyRows &&
      sameCells(read.headers, table.headers) &&
      wanted.every((row, i) => sameCells(read.rows[i], table.rows[row])) &&
      (stamps === null || keys.every((key) => read.stamps[key] === stamps[key]))
    );
  }

  /** The last check of each table kind and the table writes counted then (see check.ts): the live check starts from it. */
  private readonly lastChecks = new Map<string, { checked: unknown; writes: number }>();

  rememberCheck(kind: string, checked: unknown): void {
    this.lastChecks.set(kind, { checked, writes: this.tableWrites });
  }

  forgetCheck(kind: string): void {
    this.lastChecks.delete(kind);
  }

  /** The last check of the kind, when no table was written through this IO since. */
  recallCheck(kind: string): unknown {
    const last = this.lastChecks.get(kind);
    return last && last.writes === this.tableWrites ? last.checked : null;
  }

  /** The table, the snapshot and the last push in one workbook call: what a check and a push start from. */
  async readState<R, S, P extends PushedBase>(ops: Ops<R, S, P>): Promise<TableState<R, P>> {
    const read = await this.workbook.readTableAndSnapshots(asSpec(ops.layout), [ops.snapshotKey, ops.lastPushKey]);
    if (!read.table) throw new TableMissingError(ops.layout, ops.title);
    const snapshot = ops.parseSnapshot(read.snapshots[ops.snapshotKey] ?? null);
    return {
      table: copyTable(read.table),
      snapshot,
      lastPush: this.parseLastPushOrEmpty(ops, read.snapshots[ops.lastPushKey] ?? null),
      stamps: read.stamps,
      ...(read.table.bodyRows === undefined ? {} : { bodyRows: read.table.bodyRows }),
    };
  }

  parseLastPushOrEmpty<R, S, P extends PushedBase>(ops: Ops<R, S, P>, json: string | null): LastPush<P> {
    try {
      return ops.parseLastPush(json);
    } catch (error) {
      if (error instanceof LastPushError) return ops.parseLastPush(null);
      throw error;
    }
  }

  async read<R, S, P extends PushedBase>(ops: Ops<R, S, P>): Promise<TableRead> {
    const table = await this.workbook.readTable(asSpec(ops.layout));
    if (!table) throw new TableMissingError(ops.layout, ops.title);
    return copyTable(table);
  }

  async snapshot<R, S, P extends PushedBase>(ops: Ops<R, S, P>): Promise<Snapshot<R> & { version: number; kind: string }> {
    return ops.parseSnapshot(await this.workbook.loadSnapshot(ops.snapshotKey));
  }

  analyze<R, S, P extends PushedBase>(ops: Ops<R, S, P>, table: TableRead, snapshot: Snapshot<R>): SheetAnalysis<S> {
    return ops.analyze(table, snapshot, this.offset);
  }

  /**
   * The last push is read from the workbook each time, never kept in memory: it must survive a reload of the
   * add-in, and the ribbon commands and the pane must see the same one.
   */
  async lastPush<R, S, P extends PushedBase>(ops: Ops<R, S, P>): Promise<LastPush<P>> {
    return ops.parseLastPush(await this.workbook.loadSnapshot(ops.lastPushKey));
  }

  async lastPushOrEmpty<R, S, P extends PushedBase>(ops: Ops<R, S, P>): Promise<LastPush<P>> {
    return this.parseLastPushOrEmpty(ops, await this.workbook.loadSnapshot(ops.lastPushKey));
  }

  columnIndex<R, S, P extends PushedBase>(ops: Ops<R, S, P>, table: TableRead): ReadonlyMap<string, number> {
    return locateColumns(ops.layout, table.headers).index;
  }

  /** Each row's identity (allocations: contract, item type, item id and line id; commits: contract and commit id). */
  identities<R, S, P extends PushedBase>(ops: Ops<R, S, P>, table: TableRead): (string | null)[] {
    const index = this.columnIndex(ops, table);
    return rowIdentities(
      table.rows,
      ops.identity.map((key) => index.get(key)),
    );
  }

  rowsById<R, S, P extends PushedBase>(ops: Ops<R, S, P>, table: TableRead): Map<string, number> {
    return rowsByIdentity(this.identities(ops, table));
  }

  addressOf<R, S, P extends PushedBase>(ops: Ops<R, S, P>, table: TableRead, place: Place): string {
    return cellAddress(table, place.row, this.columnIndex(ops, table).get(place.column) ?? 0);
  }

  /**
   * Applies updates to the in-memory table and returns the ones that change a cell: a cell that already
   * holds the value is not rewritten, and columns the user removed are skipped.
   */
  applyInMemory<R, S, P extends PushedBase>(ops: Ops<R, S, P>, table: TableRead, updates: readonly CellUpdate[]): CellUpdate[] {
    const index = this.columnIndex(ops, table);
    return updates.filter((u) => {
      const at = index.get(u.column);
      const row = table.rows[u.row];
      if (at === undefined || !row) return false;
      const value = asRead(u.value);
      if (!u.always && row[at] !== undefined && sameCell(row[at], value)) return false;
      row[at] = value;
      return true;
    });
  }

  /**
   * The marks the last push left on records that did not go through, placed on the rows that hold them now.
   * A record that no longer differs from what was pulled has nothing left to push: its marks are done with.
   */
  async pushMarks<R, S, P extends PushedBase>(
    ops: Ops<R, S, P>,
    table: TableRead,
    analysis: SheetAnalysis<S>,
    known?: LastPush<P>,
  ): Promise<CellMark[]> {
    if (analysis.changed.size === 0) return []; // spares the workbook a read on every check of a clean table
    const { marks } = known ?? (await this.lastPushOrEmpty(ops));
    if (marks.length === 0) return [];
    const rowOf = this.rowsById(ops, table);
    return marks.flatMap((m) => {
      const row = rowOf.get(m.row);
      return row !== undefined && analysis.changed.has(m.key) ? [{ row, column: m.column, kind: m.kind, message: m.message }] : [];
    });
  }

  /** Writes the Check column (only cells whose text changes), the given updates, and every mark, in one call; returns the cell writes. */
  async publish<R, S, P extends PushedBase>(
    ops: Ops<R, S, P>,
    table: TableRead,
    analysis: SheetAnalysis<S>,
    updates: readonly CellUpdate[] = [],
    extraMarks: readonly CellMark[] = [],
    log?: { header: readonly string[]; rows: CellValue[][] },
    /** Only these rows' Check cells can have changed (a live check of a few rows); all rows when absent. */
    rows?: Iterable<number>,
  ): Promise<CellUpdate[]> {
    const spec = asSpec(ops.layout);
    const checkAt = this.columnIndex(ops, table).get("check");
    const writes = [...updates];
    if (checkAt !== undefined) {
      const compare = (text: string, row: number) => {
        const value = messageCell(text);
        if (!sameCell(table.rows[row]?.[checkAt] ?? "", asRead(value))) writes.push({ row, column: "check", value });
      };
      if (rows) for (const row of rows) compare(analysis.checkText[row] ?? "", row);
      else analysis.checkText.forEach(compare);
    }
    const byCell = new Map<string, CellMark>();
    for (const mark of [...analysis.marks, ...extraMarks]) byCell.set(`${mark.row}\u0000${mark.column}`, mark);
    // One workbook call: Excel round trips cost far more than anything done here.
    await this.workbook.writeResults(spec, { updates: writes, marks: [...byCell.values()], ...(log ? { log } : {}) });
    return writes;
  }

  /**
   * Where each row of `before` is in `now`, by identity, the n-th copy of an identity matching the n-th copy; and
   * whether the user left a cell as it was read before (the add-in's own columns may always be rewritten).
   */
  relocate<R, S, P extends PushedBase>(ops: Ops<R, S, P>, before: TableRead, now: TableRead): Relocation {
    const beforeIndex = this.columnIndex(ops, before);
    const nowIndex = this.columnIndex(ops, now);
    const from = this.identities(ops, before);
    const to = this.rowsById(ops, now);
    const owned = new Set(ops.layout.columns.filter((c) => c.owned).map((c) => c.key));
    return {
      row: (row) => {
        const id = from[row];
        return id === null || id === undefined ? undefined : to.get(id);
      },
      unchanged: (beforeRow, nowRow, column) => {
        if (owned.has(column)) return true;
        const b = beforeIndex.get(column);
        const n = nowIndex.get(column);
        const was = b === undefined ? "" : (before.rows[beforeRow]?.[b] ?? "");
        const is = n === undefined ? "" : (now.rows[nowRow]?.[n] ?? "");
        return sameCell(was, is);
      },
    };
  }
}

/** Updates moved to the rows that hold their record now, leaving out every cell the user changed meanwhile. */
export function placeUnchanged(moved: Relocation, updates: readonly CellUpdate[]): CellUpdate[] {
  return updates.flatMap((u) => {
    const row = moved.row(u.row);
    return row !== undefined && moved.unchanged(u.row, row, u.column) ? [{ ...u, row }] : [];
  });
}

export function checkReport<S>(kind: CheckReport["kind"], analysis: SheetAnalysis<S> & { bundles?: BundleState[] }): CheckReport {
  const bundles: BundleStatus[] = (analysis.bundles ?? []).map(({ key, label, currency, sum, total, difference, balanced, rows }) => ({
    key,
    label,
    currency,
    sum,
    total,
    difference,
    balanced,
    rows,
  }));
  return {
    kind,
    issues: analysis.issues,
    bundles,
    editedCells: analysis.editedCells,
    changedRecords: analysis.changed.size,
    missing: analysis.missing,
  };
}
