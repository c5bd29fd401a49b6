/**
 * Review: the one way to a write. Push, push again and undo each build a plan — every record read from Campfire
 * and merged three ways (pulled, Campfire now, the user's values) — and nothing is sent until the user confirms
 * that plan (confirm.ts). Each record keeps the fingerprint of the payload it showed; the send goes out only
 * when the same payload comes out of the sheet and Campfire at that moment.
 */
import type { CampfireApi } from "../api/campfire-api";
import { errorMessage } from "./errors";
import type { PushedBase } from "../domain/sheet/last-push";
import type { ChangedRecord, FieldChange, SheetAnalysis, TableRead } from "../domain/sheet/sheet-view";
import { fingerprint } from "../domain/write/fingerprint";
import type { Merge } from "../domain/write/merge";
import { mapLimit } from "./concurrency";
import { readContracts } from "./contract-reads";
import type { Progress } from "./ports";
import type { Place, Snapshot, TableKindOps } from "./table-kinds";
import type { ReviewedRead, TableIO } from "./table-io";
import type {
  Conflict,
  FieldChange as PlanChange,
  LocatedIssue,
  PlanMode,
  PlannedAction,
  PlannedRecord,
  PushPlan,
} from "./workbench-interface";

/** One record of a plan, with what the send needs and the user never sees. */
export interface PlanEntry<R, S> {
  record: PlannedRecord;
  /** Data rows of the record when reviewed. */
  rows: number[];
  /** The edited cells (marked on a conflict). */
  cells: { row: number; column: string }[];
  /** The user's changes for the log and the report: old = Campfire now, new = will send. */
  changes: FieldChange[];
  send: S | null;
  /** fingerprint(payload) of what the review showed; "" when nothing is to be sent. */
  payloadPrint: string;
  /** The user's values (from the sheet) the review was made of: the sheet must still hold them at confirm. */
  yoursPrint: string;
  /** Campfire's record as read for the review (null when it could not be read). */
  now: R | null;
  /** Reads the record from Campfire. */
  fetch(api: CampfireApi): Promise<R>;
  /**
   * `now` came from its contract's lists (contract-reads.ts): the read just before the write reads them too, so
   * both reads see the same fields (a bundle's compact copy has no last_modified_at).
   */
  fromLists?: boolean;
  /**
   * The merge again, against `now` read just before sending and the sheet as it is at confirm; null when the
   * sheet no longer holds a change for the record.
   */
  remerge(now: R, analysis: SheetAnalysis<S>): Merge<S> | null;
  /** For an undo: the pushed entry being undone. */
  pushed?: PushedBase;
  /** The cell a blocked record's reason belongs to, when it has one. */
  place?: Place;
}

export interface Prepared<R, S> {
  mode: PlanMode;
  entries: PlanEntry<R, S>[];
  blocked: LocatedIssue[];
  /** For push modes: the keys and user values of every record the review covers, to tell a stale sheet. */
  sheetPrint: string;
  /** For push modes: what the review read, which confirming uses again while the sheet is unchanged. */
  read?: ReviewedRead<R>;
}

export interface ReviewContext {
  io: TableIO;
  api: () => CampfireApi;
  concurrency: number;
}

/** The user's values of each record (for staleness): what the sheet says, not what Campfire holds. */
export function sheetPrintOf<S>(analysis: SheetAnalysis<S>, keys: readonly string[]): string {
  return fingerprint(keys.map((key) => [key, yoursOf(analysis.changed.get(key))]));
}

function yoursOf<S>(change: ChangedRecord<S> | undefined): unknown {
  return change ? { send: change.send, changes: change.changes.map((c) => [c.field, c.new]) } : null;
}

function changesOf(key: string, label: string, merge: Merge<unknown> | null, fallback: readonly FieldChange[]): FieldChange[] {
  if (!merge) return [...fallback];
  return merge.fields.filter((f) => f.edited).map((f) => ({ key, label, field: f.field, old: f.now, new: f.send }));
}

/**
 * What confirming does with a merged record, and exactly what it would send: blocked (the merge cannot go, or what
 * it would send is refused against Campfire's record now), in sync, a conflict (a version that moved, or a value
 * changed without moving it — not every write in Campfire touches last_modified_at), or send.
 */
function judge<R, S, P extends PushedBase>(
  ops: TableKindOps<R, S, P>,
  merge: Merge<S>,
  now: R,
  where: { key: string; rows: readonly number[]; analysis: SheetAnalysis<S>; baseAt: string },
): { action: PlannedAction; reason: string | null; place: Place | undefined; payload: unknown } {
  const refused = merge.send && !merge.inSync && !merge.blocked ? ops.refuse(merge.send, now, where.key, where.rows, where.analysis) : null;
  const reason = merge.blocked ?? (refused ? refused.message.replace(/^Not sent: /, "") : null);
  const action: PlannedAction = reason
    ? "blocked"
    : merge.inSync
      ? "in-sync"
      : (ops.lastModified(now) ?? "") !== where.baseAt || merge.fields.some((f) => f.changedInCampfire)
        ? "conflict"
        : "send";
  const payload = merge.send && (action === "send" || action === "conflict") ? ops.payload(merge.send, now) : null;
  return { action, reason, place: refused?.place, payload };
}

/** Records of the table that differ from what was pulled (push), or only those the last push did not get through. */
export async function preparePush<R, S, P extends PushedBase>(
  ctx: ReviewContext,
  ops: TableKindOps<R, S, P>,
  mode: "push" | "push-again",
  progress?: Progress,
): Promise<Prepared<R, S> & { table: TableRead; snapshot: Snapshot<R> }> {
  // The table, the snapshot and the last push in one workbook call.
  const read = await ctx.io.readForReview(ops);
  const { table, snapshot } = read;
  const analysis = ctx.io.analyze(ops, table, snapshot);
  let keys = [...analysis.changed.keys()];
  if (mode === "push-again") {
    const failed = new Set((await ctx.io.lastPush(ops)).failed);
    keys = keys.filter((key) => failed.has(key));
  }
  const wanted = new Set(keys);
  const blocked = analysis.issues.filter((issue) => wanted.has(issue.key));
  const sheetPrint = sheetPrintOf(analysis, keys);

  const entryFor = (
    key: string,
    merge: Merge<S> | null,
    now: R | null,
    action: PlannedAction,
    message: string | null,
    place?: Place,
    payload: unknown = null,
  ): PlanEntry<R, S> => {
    const change = analysis.changed.get(key)!;
    const pulled = snapshot.records[key]!;
    const pulledAt = ops.lastModified(pulled) ?? "";
    const serverAt = now === null ? "" : (ops.lastModified(now) ?? "");
    const fields =
      merge?.fields ??
      change.changes.map((c) => ({
        field: c.field,
        pulled: c.old,
        now: "",
        send: c.new,
        edited: true,
        changedInCampfire: false,
        overwrites: false,
      }));
    return {
      record: { key, label: change.label, action, message, pulledAt, serverAt, fields, payload },
      rows: change.rows,
      cells: change.cells,
      changes: changesOf(key, change.label, merge, change.changes),
      send: merge?.send ?? null,
      payloadPrint: payload === null ? "" : fingerprint(payload),
      yoursPrint: fingerprint(yoursOf(change)),
      now,
      fetch: (api) => ops.fetch(api, pulled),
      remerge: (fresh, freshAnalysis) => {
        const again = freshAnalysis.changed.get(key);
        return again ? ops.mergePush(pulled, again, fresh, freshAnalysis) : null;
      },
      ...(place ? { place } : {}),
    };
  };

  let entries: PlanEntry<R, S>[];
  if (blocked.length) {
    // Nothing can be sent; Campfire is not read for a plan that cannot be confirmed.
    entries = keys.map((key) => entryFor(key, null, null, "blocked", "problems on the sheet must be fixed first"));
  } else {
    const api = ctx.api();
    // Where a contract's lists carry its records (commits whole, bundles as compact copies), the review reads
    // them so: a few requests per contract instead of one per record.
    const batch = keys.length > 1 ? await readContracts(ops, api, new Map(keys.map((key) => [key, snapshot.records[key]!]))) : null;
    entries = await mapLimit(
      keys,
      ctx.concurrency,
      async (key) => {
        const change = analysis.changed.get(key)!;
        const pulled = snapshot.records[key]!;
        let now: R;
        try {
          now = batch?.get(key) ?? (await ops.fetch(api, pulled));
        } catch (error) {
          return entryFor(key, null, null, "unreadable", `could not read it from Campfire: ${errorMessage(error)}`);
        }
        const merge = ops.mergePush(pulled, change, now, analysis);
        const { action, reason, place, payload } = judge(ops, merge, now, {
          key,
          rows: change.rows,
          analysis,
          baseAt: ops.lastModified(pulled) ?? "",
        });
        const entry = entryFor(key, merge, now, action, reason, place, payload);
        return batch?.has(key) ? { ...entry, fromLists: true } : entry;
      },
      (done, total) => progress?.(done, total, `Comparing with Campfire ${done} of ${total}`),
    );
  }
  return { mode, entries, blocked, sheetPrint, table, snapshot, read };
}

/** The last push, record by record: what goes back, merged over what Campfire holds now. */
export async function prepareUndo<R, S, P extends PushedBase>(
  ctx: ReviewContext,
  ops: TableKindOps<R, S, P>,
  progress?: Progress,
): Promise<Prepared<R, S>> {
  const last = await ctx.io.lastPush(ops);
  if (last.pushed.length === 0) return { mode: "undo", entries: [], blocked: [], sheetPrint: "" };
  const table = await ctx.io.read(ops);
  const analysis = ctx.io.analyze(ops, table, await ctx.io.snapshot(ops));
  const api = ctx.api();
  const entries = await mapLimit(
    last.pushed,
    ctx.concurrency,
    async (pushed): Promise<PlanEntry<R, S>> => {
      const base = {
        rows: analysis.rowsByKey.get(pushed.key) ?? [],
        cells: [],
        yoursPrint: "",
        fetch: (client: CampfireApi) => ops.fetchPushed(client, pushed),
        remerge: (fresh: R) => ops.mergeUndo(pushed, fresh),
        pushed,
      };
      const record = (
        action: PlannedAction,
        message: string | null,
        serverAt: string,
        merge: Merge<S> | null,
        payload: unknown = null,
      ): PlannedRecord => ({
        key: pushed.key,
        label: pushed.label,
        action,
        message,
        pulledAt: pushed.lastModifiedAt ?? "",
        serverAt,
        fields: merge?.fields ?? [],
        payload,
      });
      if (analysis.changed.has(pushed.key)) {
        // Undo rewrites the row from Campfire's answer, which would wipe edits made since the push.
        const message = "the row has edits that are not pushed; push or revert them first";
        return { ...base, record: record("blocked", message, "", null), changes: [], send: null, payloadPrint: "", now: null };
      }
      let now: R;
      try {
        now = await ops.fetchPushed(api, pushed);
      } catch (error) {
        const message = `could not read it from Campfire: ${errorMessage(error)}`;
        return { ...base, record: record("unreadable", message, "", null), changes: [], send: null, payloadPrint: "", now: null };
      }
      const merge = ops.mergeUndo(pushed, now);
      const serverAt = ops.lastModified(now) ?? "";
      const { action, reason, place, payload } = judge(ops, merge, now, {
        key: pushed.key,
        rows: base.rows,
        analysis,
        baseAt: pushed.lastModifiedAt ?? "",
      });
      return {
        ...base,
        ...(place ? { place } : {}),
        record: record(action, reason, serverAt, merge, payload),
        changes: changesOf(pushed.key, pushed.label, merge, []),
        send: merge.send,
        payloadPrint: payload === null ? "" : fingerprint(payload),
        now,
      };
    },
    (done, total) => progress?.(done, total, `Comparing with Campfire ${done} of ${total}`),
  );
  return { mode: "undo", entries, blocked: [], sheetPrint: "" };
}

let planCounter = 0;

/** The plan the user sees. */
export function publicPlan<R, S>(kind: PushPlan["kind"], prepared: Prepared<R, S>): PushPlan {
  const { entries } = prepared;
  const conflicts: Conflict[] = entries
    .filter((e) => e.record.action === "conflict")
    .map(({ record }) => ({ key: record.key, label: record.label, pulledAt: record.pulledAt, serverAt: record.serverAt }));
  planCounter += 1;
  return {
    id: `plan-${Date.now().toString(36)}-${planCounter}`,
    kind,
    mode: prepared.mode,
    records: entries.map((e) => e.record),
    changes: entries.flatMap((e) => e.changes as PlanChange[]),
    recordKeys: entries.map((e) => e.record.key),
    blocked: prepared.blocked,
    conflicts,
    sendCount: prepared.blocked.length ? 0 : entries.filter((e) => e.record.action === "send").length,
    settleCount: prepared.blocked.length ? 0 : entries.filter((e) => e.record.action === "in-sync").length,
  };
}
