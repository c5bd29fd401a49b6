/** Check: the table against what was pulled, its findings written to the sheet; and the live check on edits. */
import { MissingColumnsError, TableMissingError } from "../domain/sheet/layout";
import type { PushedBase } from "../domain/sheet/last-push";
import { SnapshotError } from "../domain/sheet/snapshot";
import type { SheetAnalysis } from "../domain/sheet/sheet-view";
import type { CellValue } from "./ports";
import { asSpec, checkReport, type TableIO, type TableState } from "./table-io";
import type { TableKindOps } from "./table-kinds";
import type { CheckReport } from "./workbench-interface";

export async function checkTable<R, S, P extends PushedBase>(io: TableIO, ops: TableKindOps<R, S, P>): Promise<CheckReport> {
  const checked = await checkState(io, ops);
  // The pane checks before it watches: the live check starts from this one instead of reading everything again.
  io.rememberCheck(ops.kind, checked);
  return checked.report;
}

/** What a check read and found, kept by the live check (with the count of the add-in's table writes it saw last). */
interface Checked<R, S, P extends PushedBase> {
  state: TableState<R, P>;
  analysis: SheetAnalysis<S>;
  report: CheckReport;
}

/** More changed rows than this and the live check reads the whole table again (a paste, a sort, a fill). */
const RECHECK_ROWS = 500;

/**
 * The live check after an edit to `rows`: reads only those rows (with the stamps of the snapshot and the last
 * push, in one workbook call), analyses again only the bundles they belong to, and writes only what changed.
 * Null when that is not enough — the table moved or grew, a snapshot was saved since, an identity was edited —
 * and the caller checks the whole table.
 */
async function recheck<R, S, P extends PushedBase>(
  io: TableIO,
  ops: TableKindOps<R, S, P>,
  last: Checked<R, S, P>,
  rows: readonly number[],
): Promise<Checked<R, S, P> | null> {
  const { state } = last;
  if (!ops.recheck || state.bodyRows === undefined || rows.some((r) => r >= state.table.rows.length)) return null;
  const read = await io.workbook.readRows(asSpec(ops.layout), rows, [ops.snapshotKey, ops.lastPushKey]);
  if (!read) return null;
  const same =
    read.bodyRows === state.bodyRows &&
    read.headerRow === state.table.headerRow &&
    read.firstColumn === state.table.firstColumn &&
    read.headers.length === state.table.headers.length &&
    read.headers.every((h, i) => h === state.table.headers[i]) &&
    Object.entries(state.stamps).every(([key, stamp]) => read.stamps[key] === stamp);
  if (!same) return null;
  // The kept table takes the rows as they are now (it is this check's from here on); the rows as they were go to
  // the re-analysis, which needs them to know the edit kept each row's identity.
  const table = state.table;
  const before = new Map<number, CellValue[]>();
  rows.forEach((r, i) => {
    before.set(r, table.rows[r] ?? []);
    table.rows[r] = [...(read.rows[i] ?? [])];
  });
  const again = ops.recheck(last.analysis, table, before, state.snapshot, io.offset);
  if (!again) {
    for (const [r, cells] of before) table.rows[r] = cells;
    return null;
  }
  const { analysis } = again;
  // The Check cells that can differ from the sheet: those of the rows analysed again, and those the user typed over.
  const touched = new Set([...rows, ...again.rows]);
  const marks = await io.pushMarks(ops, table, analysis, state.lastPush);
  const written = await io.publish(ops, table, analysis, [], marks, undefined, touched);
  io.applyInMemory(ops, table, written);
  return { state, analysis, report: checkReport(ops.kind, analysis) };
}

/** A full check, with what it read and found: the live check keeps these and re-checks only the rows edited next. */
async function checkState<R, S, P extends PushedBase>(io: TableIO, ops: TableKindOps<R, S, P>): Promise<Checked<R, S, P>> {
  const state = await io.readState(ops);
  const analysis = io.analyze(ops, state.table, state.snapshot);
  const written = await io.publish(ops, state.table, analysis, [], await io.pushMarks(ops, state.table, analysis, state.lastPush));
  // What was written is what the sheet holds now: the live check compares its next findings with it.
  io.applyInMemory(ops, state.table, written);
  return { state, analysis, report: checkReport(ops.kind, analysis) };
}

/** What a live check may meet while the user works: no table (deleted, not pulled yet), a column renamed mid-edit. */
function expectedMidEdit(error: unknown): boolean {
  return error instanceof TableMissingError || error instanceof MissingColumnsError || error instanceof SnapshotError;
}

export async function watchTable<R, S, P extends PushedBase>(
  io: TableIO,
  ops: TableKindOps<R, S, P>,
  debounceMs: number,
  onReport: (report: CheckReport) => void,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  /** Rows changed since the last check ("all" when unknown). */
  let pending: Set<number> | "all" = new Set();
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const rows = pending;
    pending = new Set();
    try {
      // The last check (the pane's, or this watch's), unless the add-in wrote into a table since.
      const last = io.recallCheck(ops.kind) as Checked<R, S, P> | null;
      const quick =
        last && rows !== "all" && rows.size <= RECHECK_ROWS
          ? await recheck(
              io,
              ops,
              last,
              [...rows].sort((a, b) => a - b),
            )
          : null;
      const checked = quick ?? (await checkState(io, ops));
      io.rememberCheck(ops.kind, checked);
      if (!stopped) onReport(checked.report);
    } catch (error) {
      io.forgetCheck(ops.kind);
      // A table mid-edit cannot be checked; the next edit or an explicit check reports why. Anything else is a
      // fault the user must hear about.
      if (!expectedMidEdit(error) && !stopped) onError(error);
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    }
  };
  const changed = (rows: number[] | "all") => {
    if (rows === "all" || pending === "all") pending = "all";
    else for (const r of rows) pending.add(r);
    schedule();
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };
  const unsubscribe = await io.workbook.onTableChanged(asSpec(ops.layout), changed);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await unsubscribe();
  };
}
