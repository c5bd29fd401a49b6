/**
 * The use-cases behind the task pane, wired together: pull, check (and the live check), balance, and the write
 * path — review (push, push again, undo) and confirm. Each lives in its own module, written once for both table
 * kinds; this file holds the plans the user can confirm and the choices that make a workbench (concurrency,
 * clock, retries).
 */
import type { PushedBase } from "../domain/sheet/last-push";
import type { UtcOffset } from "../domain/sheet/cell-writers";
import { balanceTable } from "./balance";
import { checkTable, watchTable } from "./check";
import { createLimiter } from "./concurrency";
import type { ConfirmContext } from "./confirm";
import type { Progress, WorkbookPort } from "./ports";
import type { MergeContext } from "./refresh";

/**
 * Pulling and refreshing (a fifth of the pane's code) are loaded on first use: the task pane's first paint and the
 * live check do not need them, and the page it loads stays small (webpack puts them in a chunk of their own).
 */
const merging = () => import("./refresh");
import type { Prepared, ReviewContext } from "./review";
import type { Session } from "./session";
import { TableIO, asSpec } from "./table-io";
import { withOps, type TableKindOps } from "./table-kinds";
import {
  BlockedPlanError,
  StalePlanError,
  type PlanMode,
  type PullOptions,
  type PullResult,
  type PushOptions,
  type PushPlan,
  type PushReport,
  type RefreshResult,
  type TableKind,
  type Workbench,
} from "./workbench-interface";

export { BalanceError } from "./balance";
export { LOG_HEADER } from "./log-header";

/** The write path (review, send, confirm) is loaded when the user first reviews a push, like pulling. */
const writing = async () => {
  const [review, confirm] = await Promise.all([import("./review"), import("./confirm")]);
  return { ...review, ...confirm };
};
export { pushFailureMessage } from "./errors";

export interface WorkbenchDeps {
  session: Session;
  workbook: WorkbookPort;
  /** Records worked on at once during pull and push; default 6 (the session's client keeps the requests to 6 in all). */
  concurrency?: number;
  now?: () => Date;
  /** Quiet time after the last edit before a watched table is checked; default 300 ms. */
  debounceMs?: number;
  /** How server times become the wall-clock times Excel shows; default the machine's time zone. */
  utcOffset?: UtcOffset;
  /** Waits between attempts of a write; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per write (the first included); default 4. */
  writeAttempts?: number;
  /** First backoff step between write attempts; default 300 ms (doubling, with jitter). */
  backoffMs?: number;
  /** A live check that failed for a reason other than a table mid-edit; default console.error. */
  onWatchError?: (error: unknown) => void;
}

export const DEFAULT_CONCURRENCY = 6;
const DEFAULT_DEBOUNCE_MS = 300;

/** A plan the user may confirm, with what confirming needs (its types kept by the closure). */
interface HeldPlan {
  kind: TableKind;
  confirm(options: PushOptions): Promise<PushReport>;
}

export function createWorkbench(deps: WorkbenchDeps): Workbench {
  const { session, workbook } = deps;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const now = deps.now ?? (() => new Date());
  const debounceMs = deps.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const offset = deps.utcOffset;
  const io = new TableIO(workbook, offset);
  const reviewCtx: ReviewContext = { io, api: () => session.api(), concurrency };
  const confirmCtx: ConfirmContext = {
    io,
    concurrency,
    now,
    readApi: () => session.api(),
    writeApi: () => session.writeApi(),
    sleep: deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    attempts: deps.writeAttempts ?? 4,
    backoffMs: deps.backoffMs ?? 300,
    maxDelayMs: 30_000,
    dataChanged: () => session.dataChanged(),
  };
  /**
   * Operations that write tables and the kept pulled data run one at a time, whoever starts them (the pane, the
   * ribbon — a Refresh pressed during a push — or both): each reads, then saves, what the other would change.
   */
  const oneAtATime = createLimiter(1);
  /** Plans not yet confirmed, by id: a plan is confirmed once, and a new review of the table replaces the last. */
  const plans = new Map<string, HeldPlan>();
  function forgetPlans(kind: TableKind): void {
    for (const [id, held] of plans) if (held.kind === kind) plans.delete(id);
  }

  async function hold<R, S, P extends PushedBase>(ops: TableKindOps<R, S, P>, prepared: Prepared<R, S>): Promise<PushPlan> {
    const { publicPlan, confirmPlan } = await writing();
    const plan = publicPlan(ops.kind, prepared);
    forgetPlans(ops.kind);
    plans.set(plan.id, {
      kind: ops.kind,
      confirm: (options) => {
        if (prepared.blocked.length) {
          return Promise.reject(
            new BlockedPlanError("Nothing was sent: problems on the sheet block this push; fix them and review again."),
          );
        }
        return oneAtATime(() => confirmPlan(confirmCtx, ops, prepared, options));
      },
    });
    return plan;
  }

  function review(kind: TableKind, mode: PlanMode, progress?: Progress): Promise<PushPlan> {
    return withOps(kind, async (ops) => {
      const { prepareUndo, preparePush } = await writing();
      return hold(ops, mode === "undo" ? await prepareUndo(reviewCtx, ops, progress) : await preparePush(reviewCtx, ops, mode, progress));
    });
  }

  async function push(plan: PushPlan, options: PushOptions = {}): Promise<PushReport> {
    const held = plans.get(plan.id);
    if (!held) {
      throw new StalePlanError(
        "This review is no longer current (it was confirmed already, or a newer review replaced it); nothing was sent. Review again.",
      );
    }
    plans.delete(plan.id);
    return held.confirm(options);
  }

  const mergeCtx: MergeContext = { io, api: () => session.api(), concurrency, now, offset };

  async function pull(
    kind: TableKind,
    contractIds: readonly number[] | "all",
    progress?: Progress,
    options: PullOptions = {},
  ): Promise<PullResult> {
    const { pullTable } = await merging();
    const result = await oneAtATime(() => withOps(kind, (ops) => pullTable(mergeCtx, ops, contractIds, progress, options)));
    forgetPlans(kind);
    return result;
  }

  async function refresh(kind: TableKind, progress?: Progress): Promise<RefreshResult> {
    const { refreshTable } = await merging();
    const result = await oneAtATime(() => withOps(kind, (ops) => refreshTable(mergeCtx, ops, progress)));
    // A review made before the refresh compared against rows that may have changed since.
    forgetPlans(kind);
    return result;
  }

  return {
    pull,
    refresh,
    stamps: async (kind) => {
      const { tableStamps } = await merging();
      return withOps(kind, (ops) => tableStamps(io, ops));
    },
    check: (kind) => withOps(kind, (ops) => checkTable(io, ops)),
    balance: (bundleKey, row) => balanceTable(io, bundleKey, row),
    planPush: (kind, progress) => review(kind, "push", progress),
    planPushAgain: (kind, progress) => review(kind, "push-again", progress),
    planUndo: (kind, progress) => review(kind, "undo", progress),
    push,
    watch: (kind, onReport) =>
      withOps(kind, (ops) =>
        watchTable(io, ops, debounceMs, onReport, deps.onWatchError ?? ((error) => console.error("Campfire live check failed:", error))),
      ),
    select: (kind, row, column) => withOps(kind, (ops) => workbook.select(asSpec(ops.layout), row, column)),
  };
}
