/**
 * Sends one confirmed record, and finds out what really happened.
 *
 * Campfire documents no ETag or conditional write, so the client narrows the window itself: the record is read
 * just before the write and must still be the version the user reviewed; the payload is made again from that read
 * and the sheet and must be byte-for-byte the reviewed one. A write is never retried blindly: when its answer is
 * lost (timeout, dropped connection, 5xx) the record is read back — holding what was sent, the write went through;
 * still holding what was read before, it did not and may be sent again (after reading once more); anything else
 * is another user's change, which a retry would overwrite, so it is a conflict. A 429 means Campfire did nothing.
 */
import type { CampfireApi } from "../api/campfire-api";
import { ArgumentError, AuthError, NotFoundError, RateLimitedError, UnexpectedStatusError, ValidationError } from "../api/errors";
import { retryDelayMs } from "../api/http";
import type { PushedBase } from "../domain/sheet/last-push";
import type { SheetAnalysis } from "../domain/sheet/sheet-view";
import { fingerprint } from "../domain/write/fingerprint";
import { classifyReadBack } from "../domain/write/outcome";
import { errorMessage, pushFailureMessage } from "./errors";
import type { PlanEntry } from "./review";
import type { Place, TableKindOps } from "./table-kinds";

export type SendOutcome<R> =
  | { kind: "pushed"; before: R; after: R; confirmedByReading: boolean; fields: string[] }
  | { kind: "already"; after: R }
  | { kind: "failed"; message: string; place?: Place }
  | { kind: "conflict"; message: string; serverAt: string }
  | { kind: "unknown"; message: string; before: R };

export interface SendContext {
  /** Reads (retried by the client on faults: reading twice changes nothing). */
  readApi(): CampfireApi;
  /** Writes, never retried by the client: retries are decided here, after reading the record back. */
  writeApi(): CampfireApi;
  sleep(ms: number): Promise<void>;
  /** Attempts per write, the first included. */
  attempts: number;
  backoffMs: number;
  maxDelayMs: number;
}

/** A refusal Campfire gave after reading the request: nothing was applied, and sending it again changes nothing. */
function definitive(error: unknown): boolean {
  return (
    error instanceof ValidationError ||
    error instanceof AuthError ||
    error instanceof NotFoundError ||
    error instanceof UnexpectedStatusError ||
    error instanceof ArgumentError
  );
}

export async function sendEntry<R, S, P extends PushedBase>(
  ctx: SendContext,
  ops: TableKindOps<R, S, P>,
  entry: PlanEntry<R, S>,
  analysis: SheetAnalysis<S>,
  /** The read just before the write (prewrite-reads.ts: one record, or its contract's lists). */
  readBefore: (entry: PlanEntry<R, S>) => Promise<R> = (e) => e.fetch(ctx.readApi()),
): Promise<SendOutcome<R>> {
  const { key } = entry.record;
  const rows = analysis.rowsByKey.get(key) ?? entry.rows;
  let before: R;
  try {
    before = await readBefore(entry);
  } catch (error) {
    return { kind: "failed", message: `Not sent: could not read it from Campfire just before sending: ${errorMessage(error)}` };
  }
  const beforeAt = ops.lastModified(before) ?? "";
  if (beforeAt !== entry.record.serverAt || (entry.now !== null && !ops.holds(before, ops.valuesOf(entry.now)))) {
    return {
      kind: "conflict",
      serverAt: beforeAt,
      message: `Not sent: changed in Campfire after your review (last modified ${beforeAt || "unknown"}); review the push again`,
    };
  }
  const merge = entry.remerge(before, analysis);
  if (!merge) return { kind: "failed", message: "Not sent: the row no longer differs from what was pulled" };
  if (merge.inSync && entry.record.action === "in-sync") return { kind: "already", after: before };
  if (!merge.send || merge.blocked) return { kind: "failed", message: `Not sent: ${merge.blocked ?? "nothing to send"}` };
  const send = merge.send;
  const payload = ops.payload(send, before);
  if (fingerprint(payload) !== entry.payloadPrint) {
    return { kind: "failed", message: "Not sent: what would be sent changed after your review; review the push again" };
  }
  // Checked on what actually goes out, so an overwrite or an undo never sends what Campfire's current values
  // make invalid.
  const refusal = ops.refuse(send, before, key, rows, analysis);
  if (refusal) return { kind: "failed", message: refusal.message, ...(refusal.place ? { place: refusal.place } : {}) };

  const pushed = (after: R, confirmedByReading: boolean): SendOutcome<R> => ({
    kind: "pushed",
    before,
    after,
    confirmedByReading,
    fields: ops.fieldsOf(send),
  });
  /** What a read after a lost answer (or before a retry) says the write did. */
  const observe = (read: R) =>
    classifyReadBack({
      holdsSent: ops.holdsChanges(read, payload, before),
      unchangedSinceRead: ops.lastModified(read) === beforeAt && ops.holds(read, ops.valuesOf(before)),
    });
  const changedMeanwhile = (read: R, what: string): SendOutcome<R> => {
    const at = ops.lastModified(read) ?? "";
    return {
      kind: "conflict",
      serverAt: at,
      message: `Not pushed: ${what}, and the record changed in Campfire meanwhile (last modified ${at || "unknown"}); review the push again`,
    };
  };

  for (let attempt = 1; ; attempt++) {
    let error: unknown;
    try {
      return pushed(await ops.write(ctx.writeApi(), send, payload, before), false);
    } catch (caught) {
      error = caught;
    }
    if (definitive(error)) return rejected(ops, error, send, key, rows, analysis, before);
    const limited = error instanceof RateLimitedError ? error : null;
    const rateLimited = limited !== null;
    if (limited?.tooLongToWait) return { kind: "failed", message: pushFailureMessage(error) };

    if (!rateLimited) {
      // The answer is lost; Campfire may have applied the write. Read it back rather than guess.
      let read: R;
      try {
        read = await entry.fetch(ctx.readApi());
      } catch (readError) {
        return {
          kind: "unknown",
          before,
          message:
            `Not confirmed: ${errorMessage(error)}; reading the record back failed too (${errorMessage(readError)}). ` +
            "Review the push again: the review shows what Campfire holds",
        };
      }
      const seen = observe(read);
      if (seen === "applied") return pushed(read, true);
      if (seen === "changed") return changedMeanwhile(read, `Campfire's answer was lost (${errorMessage(error)})`);
    }
    if (attempt >= ctx.attempts) {
      return {
        kind: "failed",
        message: `${pushFailureMessage(error)}; Campfire still holds the values read before sending, so nothing changed; push again`,
      };
    }
    const retryAfter = limited?.retryAfterSeconds !== undefined ? String(limited.retryAfterSeconds) : null;
    await ctx.sleep(retryDelayMs({ attempt, backoffMs: ctx.backoffMs, maxDelayMs: ctx.maxDelayMs, retryAfter }));
    // Before every retry: Campfire must still hold what was read before the first attempt, or the retry could
    // overwrite what another user did during the wait.
    let guard: R;
    try {
      guard = await entry.fetch(ctx.readApi());
    } catch (readError) {
      return {
        kind: "failed",
        message: `${pushFailureMessage(error)}; not sent again because reading the record before the retry failed (${errorMessage(readError)}); push again`,
      };
    }
    const now = observe(guard);
    if (now === "applied") return pushed(guard, true);
    if (now === "changed") return changedMeanwhile(guard, `the write was not applied (${errorMessage(error)})`);
  }
}

function rejected<R, S, P extends PushedBase>(
  ops: TableKindOps<R, S, P>,
  error: unknown,
  send: S,
  key: string,
  rows: readonly number[],
  analysis: SheetAnalysis<S>,
  before: R,
): SendOutcome<R> {
  if (error instanceof ValidationError && error.issues.length) {
    const place = ops.placeIssue(error.issues[0]!, send, key, rows, analysis);
    return {
      kind: "failed",
      place,
      message: `Campfire rejected it: ${error.issues.map((i) => ops.describeIssue(i, send, before)).join("; ")}`,
    };
  }
  return { kind: "failed", message: pushFailureMessage(error) };
}
