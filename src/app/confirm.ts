/**
 * Confirm: sends a reviewed plan, record by record, exactly as reviewed — or refuses it whole when the sheet no
 * longer holds what the review was made of. Outcomes are what the client observed (an answer, or a read-back),
 * never guesses; they go to the Status column, the marks, the log (one row per field or line, with Campfire's
 * value just before the write) and the record of the last push that push again and undo start from.
 */
import type { LastPush, PushedBase, PushMark } from "../domain/sheet/last-push";
import { messageCell } from "../domain/sheet/cell-writers";
import { TableMissingError } from "../domain/sheet/layout";
import type { SheetAnalysis, TableRead } from "../domain/sheet/sheet-view";
import { mapLimit } from "./concurrency";
import type { CellMark, CellUpdate, CellValue, Progress } from "./ports";
import { sheetPrintOf, type PlanEntry, type Prepared } from "./review";
import { prewriteReads } from "./contract-reads";
import { sendEntry, type SendContext, type SendOutcome } from "./send-record";
import { placeUnchanged, type TableIO } from "./table-io";
import type { Place, Snapshot, TableKindOps } from "./table-kinds";
import { StalePlanError, type OverwriteConsent, type PlanMode, type PushReport, type RecordResult } from "./workbench-interface";

import { LOG_HEADER } from "./log-header";

export { LOG_HEADER };

export interface ConfirmContext extends SendContext {
  io: TableIO;
  concurrency: number;
  now: () => Date;
  /** Campfire data changed through this add-in: caches drop what they hold. */
  dataChanged(): void;
}

type Outcome<R> = SendOutcome<R> | { kind: "skipped"; message: string; serverAt: string };

/** "2026-11-21 14:03" in the user's time zone, for the Status column. */
function localStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "2026-11-21 13:03:27" in UTC, for the log: one clock for everyone who reads the workbook. */
function utcStamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function consented(consents: readonly OverwriteConsent[], key: string, serverAt: string): boolean {
  return consents.some((c) => c.key === key && c.serverAt === serverAt);
}

export async function confirmPlan<R, S, P extends PushedBase>(
  ctx: ConfirmContext,
  ops: TableKindOps<R, S, P>,
  prepared: Prepared<R, S>,
  options: { overwrite?: readonly OverwriteConsent[]; progress?: Progress },
): Promise<PushReport> {
  const mode = prepared.mode;
  if (prepared.entries.length === 0) return { kind: ops.kind, results: [], succeeded: 0, failed: 0, skipped: 0, unknown: 0 };
  // The table, what was pulled and the last push in one workbook call: as the review read them when the reviewed
  // rows still hold what they held and nothing else was edited since (then only those rows are read).
  const reviewedRows = prepared.entries.flatMap((e) => e.rows);
  const { table, snapshot, lastPush } = await ctx.io.readReviewed(ops, prepared.read, reviewedRows);
  const analysis = ctx.io.analyze(ops, table, snapshot);
  if (mode !== "undo") {
    // The review is of the sheet as it was: any edit since, to a reviewed record or a new one, makes it stale.
    const keys = mode === "push" ? [...analysis.changed.keys()] : prepared.entries.map((e) => e.record.key);
    const reviewed = prepared.entries.map((e) => e.record.key);
    if (sheetPrintOf(analysis, keys) !== prepared.sheetPrint || (mode === "push" && keys.length !== reviewed.length)) {
      throw new StalePlanError(
        "The sheet changed after this review, so it is not what you reviewed; nothing was sent. Review the push again.",
      );
    }
  }
  const consents = options.overwrite ?? [];
  const verb = mode === "undo" ? "undone" : "sent";
  /** Why an entry is not sent at all; null when it goes to Campfire. */
  const notSent = (entry: PlanEntry<R, S>): Outcome<R> | null => {
    const { action, message, serverAt } = entry.record;
    if (action === "blocked") {
      const failed = { kind: "failed" as const, message: `Not ${verb}: ${message ?? "the review blocked it"}` };
      // Placed on the row that holds the record now (the review's row numbers may be stale).
      const row = entry.place ? (analysis.rowsByKey.get(entry.record.key) ?? [])[entry.rows.indexOf(entry.place.row)] : undefined;
      return row !== undefined && entry.place ? { ...failed, place: { row, column: entry.place.column } } : failed;
    }
    if (action === "unreadable") return { kind: "failed", message: `Not ${verb}: ${message ?? "Campfire could not be read"}` };
    if (mode === "undo" && analysis.changed.has(entry.record.key)) {
      return { kind: "failed", message: "Not undone: the row has edits that are not pushed; push or revert them first" };
    }
    if (action === "conflict" && !consented(consents, entry.record.key, serverAt)) {
      return {
        kind: "skipped",
        serverAt,
        message: `Not ${verb}: changed in Campfire since ${mode === "undo" ? "your push" : "the pull"} (last modified ${serverAt || "unknown"}); tick overwrite in the review or pull again`,
      };
    }
    return null;
  };
  const refusals = new Map(prepared.entries.map((entry) => [entry, notSent(entry)]));
  const readBefore = prewriteReads(
    ops,
    prepared.entries.filter((entry) => refusals.get(entry) === null),
    () => ctx.readApi(),
  );
  const outcomes = await mapLimit(
    prepared.entries,
    ctx.concurrency,
    async (entry): Promise<Outcome<R>> => refusals.get(entry) ?? sendEntry(ctx, ops, entry, analysis, readBefore),
    (done, total) => options.progress?.(done, total, `${mode === "undo" ? "Undid" : "Sent"} ${done} of ${total}`),
  );
  return finish(ctx, ops, mode, table, snapshot, lastPush, analysis, prepared.entries, outcomes);
}

interface Planned {
  updates: CellUpdate[];
  marks: CellMark[];
}

async function finish<R, S, P extends PushedBase>(
  ctx: ConfirmContext,
  ops: TableKindOps<R, S, P>,
  mode: PlanMode,
  table: TableRead,
  snapshot: Snapshot<R> & { version: number; kind: string },
  previous: LastPush<P>,
  analysis: SheetAnalysis<S>,
  entries: readonly PlanEntry<R, S>[],
  sent: readonly Outcome<R>[],
): Promise<PushReport> {
  const at = ctx.now();
  const stamp = localStamp(at);
  const logStamp = utcStamp(at);
  const records = { ...snapshot.records };
  const log: CellValue[][] = [];
  const undo = mode === "undo";
  const done = (o: { confirmedByReading: boolean }) =>
    `${undo ? "Undone" : "Pushed"}${o.confirmedByReading ? " (confirmed by reading it back)" : ""}`;
  const statusText = (o: Outcome<R>): string => {
    switch (o.kind) {
      case "pushed":
        return `${done(o)} ${stamp}`;
      case "already":
        return `Already in Campfire ${stamp}: nothing ${undo ? "to undo" : "sent"}`;
      default:
        return o.message;
    }
  };
  const resultWord = (o: Outcome<R>): string => {
    switch (o.kind) {
      case "pushed":
        return done(o);
      case "already":
        return "Already in Campfire (nothing sent)";
      case "failed":
        return `Failed: ${o.message}`;
      case "skipped":
      case "conflict":
        return `Skipped (conflict): ${o.message}`;
      case "unknown":
        return `Unknown: ${o.message}`;
    }
  };

  // A record whose earlier write could not be confirmed and that Campfire now holds was pushed by that write: it
  // is settled as pushed, and undoable to what Campfire held before it.
  const unconfirmed = new Map((previous.unconfirmed ?? []).map((u) => [u.key, u.before as R]));
  const outcomes = sent.map((o, i): Outcome<R> => {
    const entry = entries[i]!;
    const before = unconfirmed.get(entry.record.key);
    if (o.kind !== "already" || mode === "undo" || before === undefined || entry.send === null) return o;
    return { kind: "pushed", before, after: o.after, confirmedByReading: true, fields: ops.fieldsOf(entry.send) };
  });
  const planned: Planned[] = entries.map((entry, i) => {
    const o = outcomes[i]!;
    const rows = analysis.rowsByKey.get(entry.record.key) ?? entry.rows;
    const updates: CellUpdate[] = [];
    const marks: CellMark[] = [];
    if (o.kind === "pushed" || o.kind === "already") {
      records[entry.record.key] = o.after;
      for (const { row, cells, always } of ops.rowUpdates(o.after, rows, analysis, ctx.io.offset)) {
        for (const [column, value] of Object.entries(cells))
          updates.push({ row, column, value, ...(always?.includes(column) ? { always: true } : {}) });
      }
    } else if (o.kind === "failed" && o.place) {
      marks.push({ ...o.place, kind: "error", message: o.message });
    } else if (o.kind === "conflict" || o.kind === "skipped") {
      for (const cell of analysis.changed.get(entry.record.key)?.cells ?? entry.cells)
        marks.push({ ...cell, kind: "conflict", message: o.message });
    }
    for (const row of rows) updates.push({ row, column: "status", value: messageCell(statusText(o)) });
    // One row per field or line the write changes; Campfire's value is the one read just before the write.
    const fields = entry.record.fields.filter((f) => f.edited);
    const result = resultWord(o);
    const lines = fields.length ? fields : [{ field: "", now: "", send: "", overwrites: false }];
    for (const f of lines) {
      const note = f.overwrites && o.kind === "pushed" ? `Overwrote a change made in Campfire since ${undo ? "the push" : "the pull"}` : "";
      log.push([logStamp, ops.title, entry.record.label, f.field, f.now, f.send, result, note].map((v) => messageCell(v)));
    }
    return { updates, marks };
  });

  const succeeded = outcomes.filter((o) => o.kind === "pushed" || o.kind === "already").length;
  // `previous` is the last push as read with the table when this push started.
  const next = nextLastPush(ops, mode, previous, entries, outcomes);
  // This push's marks replace those an earlier one left on the same records; the rest stay.
  const ids = ctx.io.identities(ops, table);
  const tried = new Set(entries.map((e) => e.record.key));
  const marks: PushMark[] = planned.flatMap(({ marks: mine }, i) =>
    mine.flatMap((m) => {
      const row = ids[m.row];
      return row && (m.kind === "error" || m.kind === "conflict")
        ? [{ key: entries[i]!.record.key, row, column: m.column, kind: m.kind, message: m.message ?? "" }]
        : [];
    }),
  );
  next.marks = [...previous.marks.filter((m) => !tried.has(m.key)), ...marks];
  // What was pulled (updated by what went through) and the last push, saved together.
  await ctx.io.workbook.saveSnapshots({
    ...(succeeded ? { [ops.snapshotKey]: JSON.stringify({ ...snapshot, records }) } : {}),
    [ops.lastPushKey]: JSON.stringify(next),
  });

  const rowsOf = entries.map((e) => analysis.rowsByKey.get(e.record.key) ?? e.rows);
  // The log goes with the results written on the sheet, in the same workbook call; on its own when they cannot be.
  const sheet = await readBack(ctx, ops, table, { ...snapshot, records }, next, rowsOf, planned, log);
  const results: RecordResult[] = entries.map((entry, i) => {
    const o = outcomes[i]!;
    const outcome: RecordResult["outcome"] =
      o.kind === "pushed" || o.kind === "already"
        ? "done"
        : o.kind === "failed"
          ? "failed"
          : o.kind === "unknown"
            ? "unknown"
            : "conflict-skipped";
    const result: RecordResult = {
      key: entry.record.key,
      label: entry.record.label,
      outcome,
      message: statusText(o) + (sheet.notes[i] ?? ""),
    };
    const place = o.kind === "failed" && o.place && sheet.table ? sheet.placeOf(o.place) : undefined;
    if (place && sheet.table) result.address = ctx.io.addressOf(ops, sheet.table, place);
    if (o.kind === "conflict" || o.kind === "skipped") result.serverAt = o.serverAt;
    return result;
  });
  if (log.length && !sheet.logged) await ctx.io.workbook.appendLog(LOG_HEADER, log);
  if (outcomes.some((o) => o.kind === "pushed")) ctx.dataChanged();
  return {
    kind: ops.kind,
    results,
    succeeded,
    failed: results.filter((r) => r.outcome === "failed").length,
    skipped: results.filter((r) => r.outcome === "conflict-skipped").length,
    unknown: results.filter((r) => r.outcome === "unknown").length,
  };
}

/**
 * What push again and undo start from next. A push: what went through is undoable (a push again adds to the push
 * it repeats), and everything that did not — failed, skipped, unknown, blocked — stays for push again. An undo:
 * what was undone is done with (there is no redo); the rest stays undoable.
 */
function nextLastPush<R, S, P extends PushedBase>(
  ops: TableKindOps<R, S, P>,
  mode: PlanMode,
  previous: LastPush<P>,
  entries: readonly PlanEntry<R, S>[],
  outcomes: readonly Outcome<R>[],
): LastPush<P> {
  const keyOf = (i: number) => entries[i]!.record.key;
  const settled = new Set(outcomes.flatMap((o, i) => (o.kind === "pushed" || o.kind === "already" ? [keyOf(i)] : [])));
  if (mode === "undo") {
    return { ...previous, pushed: previous.pushed.filter((p) => !settled.has(p.key)) };
  }
  // Writes not confirmed now are kept (with what Campfire held before them) until a review settles them.
  const tried = new Set(entries.map((e) => e.record.key));
  const unconfirmed = [
    ...(previous.unconfirmed ?? []).filter((u) => !tried.has(u.key)),
    ...outcomes.flatMap((o, i) => (o.kind === "unknown" ? [{ key: keyOf(i), before: o.before as unknown }] : [])),
  ];
  const withUnconfirmed = (push: LastPush<P>): LastPush<P> => {
    const { unconfirmed: _dropped, ...rest } = push;
    return unconfirmed.length ? { ...rest, unconfirmed } : rest;
  };
  const pushed = outcomes.flatMap((o, i) =>
    o.kind === "pushed" ? [ops.remember(keyOf(i), entries[i]!.record.label, o.before, o.after, o.fields)] : [],
  );
  const open = outcomes.flatMap((o, i) => (o.kind === "pushed" || o.kind === "already" ? [] : [keyOf(i)]));
  if (mode === "push-again") {
    const now = new Set(pushed.map((p) => p.key));
    return withUnconfirmed({
      ...previous,
      failed: [...previous.failed.filter((k) => !tried.has(k)), ...open],
      pushed: [...previous.pushed.filter((p) => !now.has(p.key)), ...pushed],
    });
  }
  // A push that changed nothing in Campfire leaves the last push that did as the one to undo.
  if (pushed.length === 0) return withUnconfirmed({ ...previous, failed: open });
  return withUnconfirmed({ ...ops.parseLastPush(null), failed: open, pushed });
}

/** An error's message as a clause (no closing full stop). */
function reason(error: unknown): string {
  return error instanceof Error ? error.message.replace(/[.\s]+$/, "") : String(error);
}

/**
 * Reads the table again and writes the planned cells and marks (given by the rows of `before`) onto the rows
 * that now hold the same record and line. A row that is gone gets nothing (`notes` says so per record), and a
 * cell the user changed since `before` keeps the user's value: a result never overwrites a newer edit.
 */
async function readBack<R, S, P extends PushedBase>(
  ctx: ConfirmContext,
  ops: TableKindOps<R, S, P>,
  before: TableRead,
  snapshot: Snapshot<R>,
  lastPush: LastPush<P>,
  rowsOf: readonly (readonly number[])[],
  planned: readonly Planned[],
  log: CellValue[][],
): Promise<{ table: TableRead | null; notes: string[]; placeOf: (place: Place) => Place | undefined; logged: boolean }> {
  const lost = (why: string) => ({
    table: null,
    notes: planned.map(() => ` (${why}; this result is not written on the sheet)`),
    placeOf: () => undefined,
    logged: false,
  });
  let table: TableRead;
  try {
    table = await ctx.io.readAgain(ops, before, rowsOf.flat());
  } catch (error) {
    // The writes went through whatever this read does: the report and the log still tell, and say why.
    return lost(
      error instanceof TableMissingError ? "the table was removed during the push" : `the table could not be read back: ${reason(error)}`,
    );
  }
  const moved = ctx.io.relocate(ops, before, table);
  const placeOf = (place: Place): Place | undefined => {
    const row = moved.row(place.row);
    return row === undefined ? undefined : { row, column: place.column };
  };
  const updates: CellUpdate[] = [];
  const marks: CellMark[] = [];
  const notes = planned.map(({ updates: mine, marks: myMarks }, i) => {
    updates.push(...placeUnchanged(moved, mine));
    for (const m of myMarks) {
      const at = placeOf(m);
      if (at) marks.push({ ...m, ...at });
    }
    const rows = rowsOf[i] ?? [];
    const gone = rows.filter((r) => moved.row(r) === undefined).length;
    if (gone === 0) return "";
    return gone === rows.length
      ? " (its rows left the sheet during the push, so this is not written there)"
      : ` (${gone} of its ${rows.length} rows left the sheet during the push; those are not written)`;
  });
  let after: SheetAnalysis<S>;
  let written: CellUpdate[];
  try {
    written = ctx.io.applyInMemory(ops, table, updates);
    after = ctx.io.analyze(ops, table, snapshot);
  } catch (error) {
    // A column removed or renamed mid-push: nothing can be placed safely; the log and the report still tell.
    return lost(`the table cannot be read back: ${reason(error)}`);
  }
  // Marks of failed and conflicting records go on top of what the check finds, with those kept from before.
  const kept = await ctx.io.pushMarks(ops, table, after, lastPush);
  await ctx.io.publish(ops, table, after, written, [...kept, ...marks], log.length ? { header: LOG_HEADER, rows: log } : undefined);
  return { table, notes, placeOf, logged: log.length > 0 };
}
