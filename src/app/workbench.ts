/**
 * The use-cases behind the task pane: pull into tables, check edits, push (with conflicts, partial failure,
 * retry and undo). Each operation reads and writes the table a fixed number of times, whatever the number of
 * rows, because every Excel round trip costs far more than the work done in memory. A push reads it twice:
 * before sending, and again before writing results, so they land on the rows that hold their records then.
 */
import { CampfireError, ValidationError } from "../api/errors";
import { balanceBundle, fromMinor } from "../domain/money";
import type { BundleState } from "../domain/sheet/allocation-analysis";
import { asRead, messageCell, sameCell, type UtcOffset } from "../domain/sheet/cell-values";
import { LastPushError, type LastPush, type OverwriteConsent, type PushMark, type PushedBase } from "../domain/sheet/last-push";
import { TableMissingError, cellAddress, locateColumns, type SheetLayout } from "../domain/sheet/layout";
import type { ChangedRecord, FieldChange, SheetAnalysis, TableRead } from "../domain/sheet/sheet-view";
import { mapLimit } from "./concurrency";
import type { CellMark, CellUpdate, CellValue, Progress, TableSpec, WorkbookPort } from "./ports";
import { pullAllocations, pullCommits } from "./pull";
import type { Session } from "./session";
import { allocationOps, opsFor, type Place, type Snapshot, type TableKindOps } from "./table-kinds";
import type {
  BundleStatus,
  CheckReport,
  Conflict,
  LocatedIssue,
  PullOptions,
  PullResult,
  PushOptions,
  PushPlan,
  PushReport,
  RecordResult,
  TableKind,
  Workbench,
} from "./workbench-api";
import { UnpushedEditsError } from "./workbench-api";

export interface WorkbenchDeps {
  session: Session;
  workbook: WorkbookPort;
  /** Requests in flight at once during pull and push; default 4. */
  concurrency?: number;
  now?: () => Date;
  /** Quiet time after the last edit before a watched table is checked; default 300 ms. */
  debounceMs?: number;
  /** How server times become the wall-clock times Excel shows; default the machine's time zone. */
  utcOffset?: UtcOffset;
}

export const DEFAULT_CONCURRENCY = 4;
const DEFAULT_DEBOUNCE_MS = 300;
export const LOG_HEADER = ["Time", "Table", "Record", "Field", "Old value", "New value", "Result"] as const;

export class BalanceError extends Error {
  override name = "BalanceError";
}

type AnyOps = TableKindOps<unknown, unknown, PushedBase>;

type Outcome =
  | { key: string; label: string; rows: readonly number[]; changes: FieldChange[]; kind: "done"; before: unknown; after: unknown; fields: string[] }
  | { key: string; label: string; rows: readonly number[]; changes: FieldChange[]; kind: "failed"; message: string; place?: Place; cells?: { row: number; column: string }[] }
  | { key: string; label: string; rows: readonly number[]; changes: FieldChange[]; kind: "conflict"; message: string; cells: { row: number; column: string }[]; serverAt: string };

/** "2026-11-21 14:03" in the user's time zone. */
function formatStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function errorMessage(error: unknown): string {
  // CampfireError messages are built without the token or headers; anything else is reduced to name and message.
  if (error instanceof CampfireError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Whether the user chose to overwrite this record as Campfire holds it now: the version they saw, and no later one. */
function consented(consents: readonly OverwriteConsent[], key: string, serverAt: string | null): boolean {
  return consents.some((c) => c.key === key && c.serverAt === (serverAt ?? ""));
}

/** The Status text of a send that failed: "Not pushed: …", but the client's own refusals already read "Not sent: …". */
export function pushFailureMessage(error: unknown): string {
  const text = errorMessage(error);
  return /^Not (sent|pushed)\b/.test(text) ? text : `Not pushed: ${text}`;
}

function asSpec(layout: SheetLayout): TableSpec {
  return layout as TableSpec;
}

/** A private copy: results are applied to it in memory before the check that follows a write. */
function copyTable(table: TableRead): TableRead {
  return { ...table, headers: [...table.headers], rows: table.rows.map((r) => [...r]) };
}

export function createWorkbench(deps: WorkbenchDeps): Workbench {
  const { session, workbook } = deps;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const now = deps.now ?? (() => new Date());
  const debounceMs = deps.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const offset = deps.utcOffset;

  async function readTable(ops: AnyOps): Promise<TableRead> {
    const table = await workbook.readTable(asSpec(ops.layout));
    if (!table) throw new TableMissingError(ops.layout, ops.title);
    return copyTable(table);
  }

  async function loadSnapshot(ops: AnyOps): Promise<Snapshot<unknown> & { version: number; kind: string }> {
    return ops.parseSnapshot(await workbook.loadSnapshot(ops.snapshotKey));
  }

  /**
   * The last push is read from the workbook each time, never kept in memory: it must survive a reload of the
   * add-in, and the ribbon commands and the pane must see the same one.
   */
  async function loadLastPush(ops: AnyOps): Promise<LastPush> {
    return ops.parseLastPush(await workbook.loadSnapshot(ops.lastPushKey));
  }

  function emptyLastPush(ops: AnyOps): LastPush {
    return ops.parseLastPush(null);
  }

  async function loadLastPushOrEmpty(ops: AnyOps): Promise<LastPush> {
    return loadLastPush(ops).catch((error: unknown) => {
      if (error instanceof LastPushError) return emptyLastPush(ops);
      throw error;
    });
  }

  /**
   * The marks the last push left on records that did not go through, placed on the rows that hold them now.
   * A record that no longer differs from what was pulled has nothing left to push: its marks are done with.
   */
  async function pushMarks(ops: AnyOps, table: TableRead, analysis: SheetAnalysis<unknown>): Promise<CellMark[]> {
    if (analysis.changed.size === 0) return []; // spares the workbook a read on every check of a clean table
    const { marks } = await loadLastPushOrEmpty(ops);
    if (marks.length === 0) return [];
    const rowOf = rowsById(ops, table);
    return marks.flatMap((m) => {
      const row = rowOf.get(m.row);
      return row !== undefined && analysis.changed.has(m.key) ? [{ row, column: m.column, kind: m.kind, message: m.message }] : [];
    });
  }

  /**
   * Each row's identity (allocations: contract, item type, item id and line id; commits: contract and commit
   * id) and which copy of it the row is; null for a row whose identity is incomplete.
   */
  function rowIdentities(ops: AnyOps, table: TableRead): (string | null)[] {
    const index = columnIndex(ops, table);
    const seen = new Map<string, number>();
    return table.rows.map((cells) => {
      const parts = ops.identity.map((key) => {
        const at = index.get(key);
        return at === undefined ? undefined : cells[at];
      });
      if (parts.some((p) => p === undefined || p === "")) return null;
      const id = JSON.stringify(parts);
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return `${id}#${n}`;
    });
  }

  /** The row that holds each identity (see rowIdentities). */
  function rowsById(ops: AnyOps, table: TableRead): Map<string, number> {
    const rows = new Map<string, number>();
    rowIdentities(ops, table).forEach((id, row) => {
      if (id !== null) rows.set(id, row);
    });
    return rows;
  }

  function columnIndex(ops: AnyOps, table: TableRead): ReadonlyMap<string, number> {
    return locateColumns(ops.layout, table.headers).index;
  }

  function addressOf(ops: AnyOps, table: TableRead, place: Place): string {
    return cellAddress(table, place.row, columnIndex(ops, table).get(place.column) ?? 0);
  }

  /**
   * Applies updates to the in-memory table and returns the ones that change a cell: a cell that already
   * holds the value is not rewritten, and columns the user removed are skipped.
   */
  function applyInMemory(ops: AnyOps, table: TableRead, updates: CellUpdate[]): CellUpdate[] {
    const index = columnIndex(ops, table);
    return updates.filter((u) => {
      const at = index.get(u.column);
      const row = table.rows[u.row];
      if (at === undefined || !row) return false;
      const value = asRead(u.value);
      if (row[at] !== undefined && sameCell(row[at], value)) return false;
      row[at] = value;
      return true;
    });
  }

  /** Writes the Check column (only cells whose text changes), the given updates, and every mark, in one call each. */
  async function publish(
    ops: AnyOps,
    table: TableRead,
    analysis: SheetAnalysis<unknown>,
    updates: CellUpdate[] = [],
    extraMarks: CellMark[] = [],
  ): Promise<void> {
    const spec = asSpec(ops.layout);
    const checkAt = columnIndex(ops, table).get("check");
    const writes = [...updates];
    if (checkAt !== undefined) {
      analysis.checkText.forEach((text, row) => {
        const value = messageCell(text);
        if (!sameCell(table.rows[row]?.[checkAt] ?? "", asRead(value))) writes.push({ row, column: "check", value });
      });
    }
    if (writes.length) await workbook.writeCells(spec, writes);
    const byCell = new Map<string, CellMark>();
    for (const mark of [...analysis.marks, ...extraMarks]) byCell.set(`${mark.row}\u0000${mark.column}`, mark);
    await workbook.setMarks(spec, [...byCell.values()]);
  }

  function report(kind: TableKind, analysis: SheetAnalysis<unknown>): CheckReport {
    const bundles: BundleStatus[] =
      "bundles" in analysis
        ? (analysis.bundles as BundleState[]).map(({ key, label, currency, sum, total, difference, balanced, rows }) => ({
            key,
            label,
            currency,
            sum,
            total,
            difference,
            balanced,
            rows,
          }))
        : [];
    return {
      kind,
      issues: analysis.issues,
      bundles,
      editedCells: analysis.editedCells,
      changedRecords: analysis.changed.size,
      missing: analysis.missing,
    };
  }

  async function check(kind: TableKind): Promise<CheckReport> {
    const ops = opsFor(kind);
    const table = await readTable(ops);
    const analysis = ops.analyze(table, await loadSnapshot(ops), offset);
    await publish(ops, table, analysis, [], await pushMarks(ops, table, analysis));
    return report(kind, analysis);
  }

  /**
   * Issues of the records about to be sent, by record key: an issue on another row of the same record (a second
   * copy of a commit's row, say) blocks it too, and one on an unrelated row does not.
   */
  function blockedIssues(analysis: SheetAnalysis<unknown>, keys: readonly string[]): LocatedIssue[] {
    const wanted = new Set(keys);
    return analysis.issues.filter((issue) => wanted.has(issue.key));
  }

  async function planPush(kind: TableKind, progress?: Progress): Promise<PushPlan> {
    const ops = opsFor(kind);
    const table = await readTable(ops);
    const snapshot = await loadSnapshot(ops);
    const analysis = ops.analyze(table, snapshot, offset);
    const recordKeys = [...analysis.changed.keys()];
    const blocked = blockedIssues(analysis, recordKeys);
    const changes = recordKeys.flatMap((key) => analysis.changed.get(key)?.changes ?? []);
    const conflicts: Conflict[] = [];
    if (blocked.length === 0 && recordKeys.length > 0) {
      const api = session.api();
      await mapLimit(recordKeys, concurrency, async (key) => {
        const pulled = snapshot.records[key];
        const label = analysis.changed.get(key)?.label ?? key;
        const pulledAt = ops.lastModified(pulled) ?? "";
        try {
          const current = await ops.fetch(api, pulled);
          const serverAt = ops.lastModified(current) ?? "";
          if (serverAt !== pulledAt) conflicts.push({ key, label, pulledAt, serverAt });
        } catch (error) {
          // The record may be gone; the push would fail on it too, so the user hears about it now.
          conflicts.push({ key, label, pulledAt, serverAt: `unknown: ${errorMessage(error)}` });
        }
      }, (done, total) => progress?.(done, total, `Comparing with Campfire ${done} of ${total}`));
      conflicts.sort((a, b) => recordKeys.indexOf(a.key) - recordKeys.indexOf(b.key));
    }
    return { kind, changes, recordKeys, blocked, conflicts };
  }

  function samePlanned(plan: PushPlan, change: ChangedRecord<unknown>): boolean {
    const planned = plan.changes.filter((c) => c.key === change.key);
    return (
      planned.length === change.changes.length &&
      planned.every((c, i) => c.field === change.changes[i]?.field && c.new === change.changes[i]?.new)
    );
  }

  /**
   * Sends the given records, then writes every result back in one pass. `plan` (when given) must still
   * match the sheet: a push never sends something the user did not see in the plan.
   */
  async function runPush(
    ops: AnyOps,
    keys: readonly string[],
    plan: PushPlan | null,
    options: PushOptions,
    /** For a push again: the last push, whose records that went through stay undoable next to the new ones. */
    again?: LastPush,
  ): Promise<PushReport> {
    const api = session.api();
    const table = await readTable(ops);
    const snapshot = await loadSnapshot(ops);
    const analysis = ops.analyze(table, snapshot, offset);
    const consents = options.overwrite ?? [];
    const outcomes: Outcome[] = [];
    const toSend: { change: ChangedRecord<unknown>; pulled: unknown }[] = [];
    const firstIssue = (key: string) => analysis.issues.find((i) => i.key === key);

    for (const key of keys) {
      const change = analysis.changed.get(key);
      const pulled = snapshot.records[key];
      const base = { key, label: change?.label ?? key, rows: change?.rows ?? analysis.rowsByKey.get(key) ?? [], changes: change?.changes ?? [] };
      if (plan && plan.blocked.length) {
        outcomes.push({ ...base, kind: "failed", message: "Not sent: the push is blocked by problems on the sheet; fix them and push again" });
      } else if (!change || pulled === undefined) {
        outcomes.push({ ...base, kind: "failed", message: "Not sent: the row no longer differs from what was pulled" });
      } else if (change.send === null || analysis.keysWithIssues.has(key)) {
        const issue = firstIssue(key);
        outcomes.push({ ...base, kind: "failed", message: `Not sent: ${issue ? `${issue.address}: ${issue.message}` : "the row has problems"}` });
      } else if (plan && !samePlanned(plan, change)) {
        outcomes.push({ ...base, kind: "failed", message: "Not sent: the row changed after the push was planned; plan the push again" });
      } else {
        toSend.push({ change, pulled });
      }
    }

    const sent = await mapLimit(
      toSend,
      concurrency,
      async ({ change, pulled }): Promise<Outcome> => {
        const base = { key: change.key, label: change.label, rows: change.rows, changes: change.changes };
        let current: unknown;
        try {
          current = await ops.fetch(api, pulled);
        } catch (error) {
          return { ...base, kind: "failed", message: `Not sent: ${errorMessage(error)}` };
        }
        const serverAt = ops.lastModified(current);
        if (serverAt !== ops.lastModified(pulled) && !consented(consents, change.key, serverAt)) {
          return {
            ...base,
            kind: "conflict",
            cells: change.cells,
            serverAt: serverAt ?? "",
            message: `Not sent: changed in Campfire since the pull (last modified ${serverAt ?? "unknown"}); choose overwrite or pull again`,
          };
        }
        return send(ops, api, change.send, current, base, analysis);
      },
      (done, total) => options.progress?.(done, total, `Sent ${done} of ${total}`),
    );
    outcomes.push(...sent);
    const failed = outcomes.filter((o) => o.kind === "failed").map((o) => o.key);
    const done = outcomes.flatMap((o) => (o.kind === "done" ? [ops.remember(o.key, o.label, o.before, o.after, o.fields)] : []));
    // A damaged record of the last push must not stop these results from reaching the sheet.
    const previous = again ?? (await loadLastPushOrEmpty(ops));
    let next: LastPush;
    if (done.length === 0) {
      // Nothing reached Campfire, so the last push that did stays the one to undo.
      next = { ...previous, failed, overwrite: toSend.length ? [...consents] : previous.overwrite };
    } else {
      // A push again finishes the push it repeats: what went through then stays undoable with what goes now.
      const sentNow = new Set(done.map((p) => p.key));
      const kept = again ? again.pushed.filter((p) => !sentNow.has(p.key)) : [];
      next = { ...emptyLastPush(ops), failed, overwrite: [...consents], pushed: [...kept, ...done], marks: previous.marks };
    }
    return finish(ops, "push", table, snapshot, analysis, outcomes, next);
  }

  async function send(
    ops: AnyOps,
    api: ReturnType<Session["api"]>,
    payload: unknown,
    current: unknown,
    base: { key: string; label: string; rows: readonly number[]; changes: FieldChange[] },
    analysis: SheetAnalysis<unknown>,
  ): Promise<Outcome> {
    // Checked on what actually goes out — the edits over Campfire's record as it is now — so an overwrite,
    // a push again or an undo never sends something that another user's change has made invalid.
    const refusal = ops.refuse(payload, current, base.key, base.rows, analysis);
    if (refusal) return { ...base, kind: "failed", message: refusal.message, ...(refusal.place ? { place: refusal.place } : {}) };
    try {
      const after = await ops.send(api, payload, current);
      return { ...base, kind: "done", before: current, after, fields: ops.fieldsOf(payload) };
    } catch (error) {
      if (error instanceof ValidationError && error.issues.length) {
        const first = error.issues[0]!;
        const place = ops.placeIssue(first, payload, base.key, base.rows, analysis);
        return {
          ...base,
          kind: "failed",
          place,
          message: `Campfire rejected it: ${error.issues.map((i) => ops.describeIssue(i, payload, current)).join("; ")}`,
        };
      }
      return { ...base, kind: "failed", message: pushFailureMessage(error) };
    }
  }

  /**
   * Writes results back: snapshot for what succeeded, what undo and push again will need, rows rewritten
   * from Campfire's answers, status, marks, log. `table` is the table as read before sending: the user may
   * have sorted, inserted, deleted or typed while the requests were out, so the table is read again and every
   * result goes to the row that now holds its record (and line), never to a row number read earlier.
   */
  async function finish(
    ops: AnyOps,
    mode: "push" | "undo",
    table: TableRead,
    snapshot: Snapshot<unknown> & { version: number; kind: string },
    analysis: SheetAnalysis<unknown>,
    outcomes: Outcome[],
    lastPush: LastPush,
  ): Promise<PushReport> {
    const stamp = formatStamp(now());
    const records = { ...snapshot.records };
    const log: CellValue[][] = [];
    const statusText = (o: Outcome) => (o.kind === "done" ? `${mode === "push" ? "Pushed" : "Undone"} ${stamp}` : o.message);
    // Cells and marks by the rows of `table`; placed on the table as it is now below.
    const planned = outcomes.map((o) => {
      const updates: CellUpdate[] = [];
      const marks: CellMark[] = [];
      if (o.kind === "done") {
        records[o.key] = o.after;
        for (const { row, cells } of ops.rowUpdates(o.after, o.rows, analysis, offset)) {
          for (const [column, value] of Object.entries(cells)) updates.push({ row, column, value });
        }
      } else if (o.kind === "failed" && o.place) {
        marks.push({ ...o.place, kind: "error", message: o.message });
      } else if (o.kind === "conflict") {
        for (const cell of o.cells) marks.push({ ...cell, kind: "conflict", message: o.message });
      }
      for (const row of o.rows) updates.push({ row, column: "status", value: messageCell(statusText(o)) });
      const outcomeWord = o.kind === "done" ? (mode === "push" ? "Pushed" : "Undone") : o.kind === "failed" ? "Failed" : "Skipped (conflict)";
      const resultText = o.kind === "done" ? outcomeWord : `${outcomeWord}: ${o.message}`;
      const changes = o.changes.length ? o.changes : [{ key: o.key, label: o.label, field: "", old: "", new: "" }];
      for (const c of changes) {
        log.push([stamp, ops.title, o.label, c.field, c.old, c.new, resultText].map((v) => messageCell(v)));
      }
      return { o, updates, marks };
    });

    const succeeded = outcomes.filter((o) => o.kind === "done").length;
    if (succeeded) await workbook.saveSnapshot(ops.snapshotKey, JSON.stringify({ ...snapshot, records }));
    // This push's marks replace those an earlier push left on the same records; the rest stay.
    const ids = rowIdentities(ops, table);
    const tried = new Set(outcomes.map((o) => o.key));
    const marks: PushMark[] = planned.flatMap(({ o, marks: mine }) =>
      mine.flatMap((m) => {
        const row = ids[m.row];
        return row && (m.kind === "error" || m.kind === "conflict") ? [{ key: o.key, row, column: m.column, kind: m.kind, message: m.message ?? "" }] : [];
      }),
    );
    await workbook.saveSnapshot(ops.lastPushKey, JSON.stringify({ ...lastPush, marks: [...lastPush.marks.filter((m) => !tried.has(m.key)), ...marks] }));

    const sheet = await readBack(ops, table, { ...snapshot, records }, planned);
    const results: RecordResult[] = planned.map(({ o }, i) => {
      const result: RecordResult = {
        key: o.key,
        label: o.label,
        outcome: o.kind === "done" ? "done" : o.kind === "failed" ? "failed" : "conflict-skipped",
        message: statusText(o) + (sheet.notes[i] ?? ""),
      };
      const place = o.kind === "failed" && o.place && sheet.table ? sheet.placeOf(o.place) : undefined;
      if (place && sheet.table) result.address = addressOf(ops, sheet.table, place);
      if (o.kind === "conflict") result.serverAt = o.serverAt;
      return result;
    });
    if (log.length) await workbook.appendLog(LOG_HEADER, log);
    if (succeeded) session.dataChanged();
    return {
      kind: ops.kind,
      results,
      succeeded,
      failed: results.filter((r) => r.outcome === "failed").length,
      skipped: results.filter((r) => r.outcome === "conflict-skipped").length,
    };
  }

  /**
   * Reads the table again and writes the planned cells and marks (given by the rows of `before`) onto the rows
   * that now hold the same record and line. A row that is gone gets nothing (`notes` says so per outcome), and a
   * cell the user changed since `before` keeps the user's value: a result never overwrites a newer edit.
   */
  async function readBack(
    ops: AnyOps,
    before: TableRead,
    snapshot: Snapshot<unknown>,
    planned: { o: Outcome; updates: CellUpdate[]; marks: CellMark[] }[],
  ): Promise<{ table: TableRead | null; notes: string[]; placeOf: (place: Place) => Place | undefined }> {
    const raw = await workbook.readTable(asSpec(ops.layout));
    const lost = (why: string) => ({ table: null, notes: planned.map(() => ` (${why}; this result is not written on the sheet)`), placeOf: () => undefined });
    if (!raw) return lost("the table was removed during the push");
    const table = copyTable(raw);
    const moved = relocate(ops, before, table);
    const placeOf = (place: Place): Place | undefined => {
      const row = moved.row(place.row);
      return row === undefined ? undefined : { row, column: place.column };
    };
    const updates: CellUpdate[] = [];
    const marks: CellMark[] = [];
    const notes = planned.map(({ o, updates: mine, marks: myMarks }) => {
      updates.push(...placeUnchanged(moved, mine));
      for (const m of myMarks) {
        const at = placeOf(m);
        if (at) marks.push({ ...m, ...at });
      }
      const gone = o.rows.filter((r) => moved.row(r) === undefined).length;
      if (gone === 0) return "";
      return gone === o.rows.length
        ? " (its rows left the sheet during the push, so this is not written there)"
        : ` (${gone} of its ${o.rows.length} rows left the sheet during the push; those are not written)`;
    });
    let after: SheetAnalysis<unknown>;
    let written: CellUpdate[];
    try {
      written = applyInMemory(ops, table, updates);
      after = ops.analyze(table, snapshot, offset);
    } catch (error) {
      // A column removed or renamed mid-push: nothing can be placed safely; the log and the report still tell.
      return lost(`the table cannot be read back: ${error instanceof Error ? error.message.replace(/[.\s]+$/, "") : String(error)}`);
    }
    // Marks of failed and conflicting records go on top of what the check finds, with those kept from before.
    await publish(ops, table, after, written, [...(await pushMarks(ops, table, after)), ...marks]);
    return { table, notes, placeOf };
  }

  /**
   * Where each row of `before` is in `now`, by identity (allocations: contract, item type, item id and line id;
   * commits: contract and commit id), the n-th copy of an identity matching the n-th copy.
   */
  function relocate(ops: AnyOps, before: TableRead, now: TableRead) {
    const beforeIndex = columnIndex(ops, before);
    const nowIndex = columnIndex(ops, now);
    const from = rowIdentities(ops, before);
    const to = rowsById(ops, now);
    const owned = new Set(ops.layout.columns.filter((c) => c.owned).map((c) => c.key));
    return {
      row: (row: number): number | undefined => {
        const id = from[row];
        return id === null || id === undefined ? undefined : to.get(id);
      },
      /** Whether the user left the cell as it was read before (the add-in's own columns always may be rewritten). */
      unchanged: (beforeRow: number, nowRow: number, column: string): boolean => {
        if (owned.has(column)) return true;
        const b = beforeIndex.get(column);
        const n = nowIndex.get(column);
        const was = b === undefined ? "" : (before.rows[beforeRow]?.[b] ?? "");
        const is = n === undefined ? "" : (now.rows[nowRow]?.[n] ?? "");
        return sameCell(was, is);
      },
    };
  }

  /** Updates moved to the rows that hold their record now, leaving out every cell the user changed meanwhile. */
  function placeUnchanged(moved: ReturnType<typeof relocate>, updates: readonly CellUpdate[]): CellUpdate[] {
    return updates.flatMap((u) => {
      const row = moved.row(u.row);
      return row !== undefined && moved.unchanged(u.row, row, u.column) ? [{ ...u, row }] : [];
    });
  }

  async function push(plan: PushPlan, options: PushOptions = {}): Promise<PushReport> {
    return runPush(opsFor(plan.kind), plan.recordKeys, plan, options);
  }

  async function pushAgain(kind: TableKind, options: PushOptions = {}): Promise<PushReport> {
    const ops = opsFor(kind);
    const last = await loadLastPush(ops);
    if (last.failed.length === 0) return { kind, results: [], succeeded: 0, failed: 0, skipped: 0 };
    return runPush(ops, last.failed, null, { ...options, overwrite: options.overwrite ?? last.overwrite }, last);
  }

  async function undoLastPush(kind: TableKind, options: PushOptions = {}): Promise<PushReport> {
    const ops = opsFor(kind);
    const last = await loadLastPush(ops);
    if (last.pushed.length === 0) return { kind, results: [], succeeded: 0, failed: 0, skipped: 0 };
    const api = session.api();
    const table = await readTable(ops);
    const snapshot = await loadSnapshot(ops);
    const analysis = ops.analyze(table, snapshot, offset);
    const consents = options.overwrite ?? [];
    const outcomes = await mapLimit(
      last.pushed,
      concurrency,
      async (pushed): Promise<Outcome> => {
        const rows = analysis.rowsByKey.get(pushed.key) ?? [];
        const base = { key: pushed.key, label: pushed.label, rows, changes: [] as FieldChange[] };
        if (analysis.changed.has(pushed.key)) {
          // Undo rewrites the row from Campfire's answer, which would wipe edits made since the push.
          return { ...base, kind: "failed", message: "Not undone: the row has edits that are not pushed; push or revert them first" };
        }
        let current: unknown;
        try {
          current = await ops.fetchPushed(api, pushed);
        } catch (error) {
          return { ...base, kind: "failed", message: `Not undone: ${errorMessage(error)}` };
        }
        const changes = ops.undoChanges(pushed, current);
        const serverAt = ops.lastModified(current);
        if (serverAt !== pushed.lastModifiedAt && !consented(consents, pushed.key, serverAt)) {
          return {
            ...base,
            changes,
            kind: "conflict",
            cells: [],
            serverAt: serverAt ?? "",
            message: `Not undone: changed in Campfire since your push (last modified ${serverAt ?? "unknown"}); choose overwrite or pull again`,
          };
        }
        const payload = ops.undo(pushed, current);
        return send(ops, api, payload, current, { ...base, changes }, analysis);
      },
      (done, total) => options.progress?.(done, total, `Undid ${done} of ${total}`),
    );
    // What could not be undone stays undoable (e.g. again, choosing to overwrite); what was undone is done with.
    const undone = new Set(outcomes.filter((o) => o.kind === "done").map((o) => o.key));
    const next = { ...emptyLastPush(ops), pushed: last.pushed.filter((p) => !undone.has(p.key)), marks: last.marks };
    return finish(ops, "undo", table, snapshot, analysis, outcomes, next);
  }

  /**
   * Edited cells against the pulled values, which a pull would overwrite. A table that cannot be compared with
   * what was pulled (a column removed or renamed, the pulled data missing or damaged) may hold edits nobody can
   * count: the pull is refused with the reason, and the user decides.
   */
  async function unpushedEdits(ops: AnyOps): Promise<{ cells: number; records: number }> {
    const table = await workbook.readTable(asSpec(ops.layout));
    if (!table) return { cells: 0, records: 0 };
    let analysis: SheetAnalysis<unknown>;
    try {
      analysis = ops.analyze(table, await loadSnapshot(ops), offset);
    } catch (error) {
      throw new UnpushedEditsError(ops.title, 0, 0, error instanceof Error ? error.message : String(error));
    }
    return { cells: analysis.editedCells, records: analysis.changed.size };
  }

  async function pull(
    kind: TableKind,
    contractIds: readonly number[] | "all",
    progress?: Progress,
    options: PullOptions = {},
  ): Promise<PullResult> {
    const ops = opsFor(kind);
    if (!options.discardEdits) {
      // Checked before any request: refusing is cheap, and the user decides with nothing fetched in vain.
      const edits = await unpushedEdits(ops);
      if (edits.cells > 0 || edits.records > 0) throw new UnpushedEditsError(ops.title, edits.cells, edits.records);
    }
    const ctx = { api: session.api(), concurrency, progress, pulledAt: now().toISOString(), offset };
    const pulled = kind === "allocations" ? await pullAllocations(ctx, contractIds) : await pullCommits(ctx, contractIds);
    const spec = asSpec(ops.layout);
    await workbook.writeTable(spec, pulled.rows);
    await workbook.saveSnapshot(ops.snapshotKey, pulled.snapshotJson);
    // A push before this pull is not undone from the new table: its rows were just replaced.
    await workbook.saveSnapshot(ops.lastPushKey, JSON.stringify(emptyLastPush(ops)));
    await workbook.setMarks(spec, []);
    return { kind, records: pulled.records, rows: pulled.rows.length, message: pulled.message };
  }

  async function balance(bundleKey: string, row?: number): Promise<CheckReport> {
    const ops = allocationOps as unknown as AnyOps;
    const table = await readTable(ops);
    const snapshot = await loadSnapshot(ops);
    const analysis = ops.analyze(table, snapshot, offset) as SheetAnalysis<unknown> & { bundles: BundleState[] };
    const state = analysis.bundles.find((b) => b.key === bundleKey);
    if (!state) throw new BalanceError(`There is no pulled bundle ${bundleKey} on the sheet`);
    const invalid = state.amountsMinor.findIndex((a) => a === null);
    if (invalid >= 0) {
      const at = state.rows[invalid] ?? 0;
      throw new BalanceError(`Cannot balance ${state.label}: the amount at ${addressOf(ops, table, { row: at, column: "amount" })} is not valid; fix it first`);
    }
    let target: number | undefined;
    if (row !== undefined) {
      target = state.rows.indexOf(row);
      if (target < 0) throw new BalanceError(`Row ${row + 1} of the table is not a line of ${state.label}`);
    }
    const amounts = state.amountsMinor as bigint[];
    const balanced = balanceBundle(amounts, state.totalMinor, target);
    const updates: CellUpdate[] = [];
    balanced.forEach((minor, i) => {
      if (minor !== amounts[i]) updates.push({ row: state.rows[i]!, column: "amount", value: fromMinor(minor, state.scale) });
    });
    // The user may have sorted or typed since the read: the amounts go to the rows that hold the same lines now,
    // and an amount the user changed meanwhile is theirs (the check then shows what is left to balance).
    const now = await readTable(ops);
    const moved = relocate(ops, table, now);
    const written = applyInMemory(ops, now, placeUnchanged(moved, updates));
    const after = ops.analyze(now, snapshot, offset);
    await publish(ops, now, after, written, await pushMarks(ops, now, after));
    return report("allocations", after);
  }

  async function watch(kind: TableKind, onReport: (report: CheckReport) => void): Promise<() => Promise<void>> {
    const ops = opsFor(kind);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;
    let stopped = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const result = await check(kind);
        if (!stopped) onReport(result);
      } catch {
        // A table mid-edit (or deleted) cannot be checked; the next edit or an explicit check reports why.
      } finally {
        running = false;
        if (again && !stopped) {
          again = false;
          schedule();
        }
      }
    };
    const schedule = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), debounceMs);
    };
    const unsubscribe = await workbook.onTableChanged(asSpec(ops.layout), schedule);
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await unsubscribe();
    };
  }

  return {
    pull,
    check,
    balance,
    planPush,
    push,
    pushAgain,
    undoLastPush,
    watch,
    select: (kind, row, column) => workbook.select(asSpec(opsFor(kind).layout), row, column),
  };
}
