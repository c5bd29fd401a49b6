/**
 * What the task pane and the ribbon commands ask of the use-cases. `createWorkbench` (workbench.ts) implements it
 * over a Session and a WorkbookPort; the UI depends on this file only.
 */
import type { OverwriteConsent } from "../domain/sheet/last-push";
import type { FieldChange, PlacedIssue } from "../domain/sheet/sheet-view";
import type { PlannedField } from "../domain/write/merge";
import type { Progress } from "./ports";

export type { FieldChange, OverwriteConsent, PlannedField };

export type TableKind = "allocations" | "commits";

/**
 * An issue placed on the sheet: which table row and column, the A1 address the user can click, and the key of
 * the record it belongs to (a row that names no record has a key of its own, "row:<n>").
 */
export type LocatedIssue = PlacedIssue;

export interface BundleStatus {
  /** Stable key of the bundle: "contract:itemType:itemId". */
  key: string;
  label: string;
  currency: string;
  /** Decimal strings, exact. */
  sum: string;
  total: string;
  difference: string;
  balanced: boolean;
  /** Data-row indexes of its lines, for the balance picker. */
  rows: number[];
}

export interface CheckReport {
  kind: TableKind;
  issues: LocatedIssue[];
  /** Allocations only. */
  bundles: BundleStatus[];
  editedCells: number;
  /** Rows whose record changed against the pulled values. */
  changedRecords: number;
  /** Records pulled but no longer on the sheet (rows deleted): reported only, never deleted in Campfire. */
  missing?: { key: string; label: string }[];
}

export interface PullResult {
  kind: TableKind;
  records: number;
  rows: number;
  message: string;
}

export interface Conflict {
  key: string;
  label: string;
  pulledAt: string;
  serverAt: string;
}

/** What a review is of: a push of the edits, a push again of what did not go through, or an undo of the last push. */
export type PlanMode = "push" | "push-again" | "undo";

/**
 * What confirming does with one record: send it; skip it unless the user ticks overwrite (Campfire changed it
 * since the pull, or since the push being undone); nothing (blocked: why is in `message`); nothing because
 * Campfire already holds every value (in-sync); nothing because Campfire could not be read (unreadable).
 */
export type PlannedAction = "send" | "conflict" | "blocked" | "in-sync" | "unreadable";

export interface PlannedRecord {
  key: string;
  label: string;
  action: PlannedAction;
  /** Why a record is blocked or unreadable; null otherwise. */
  message: string | null;
  /** Campfire's last_modified_at when pulled (for an undo: what the push left), and as read for this review. */
  pulledAt: string;
  serverAt: string;
  /** Per field or line: pulled → Campfire now → will send, with what someone else changed marked. */
  fields: PlannedField[];
  /** The exact body confirming sends for this record (null when nothing is to be sent): nothing else goes out. */
  payload: unknown;
}

/**
 * A review: what confirming it would send, record by record. Only a plan returned by the workbench can be
 * confirmed, once, and only while neither the sheet nor Campfire changed since it was made (a stale plan is
 * refused with StalePlanError; each record is re-read just before it is sent and must still match).
 */
export interface PushPlan {
  /** Names this review; `push` accepts a plan only by the id the workbench gave it. */
  id: string;
  kind: TableKind;
  mode: PlanMode;
  records: PlannedRecord[];
  /** The user's changes, field by field: old = Campfire's value as read for this review, new = what will be sent. */
  changes: FieldChange[];
  /** Records in the review (one request each when sent). */
  recordKeys: string[];
  /** Invalid rows: when non-empty, nothing is sent. */
  blocked: LocatedIssue[];
  /** Records changed in Campfire since the pull (or the push being undone); skipped unless the user overwrites them. */
  conflicts: Conflict[];
  /** Records confirming sends without any overwrite ticked. */
  sendCount: number;
  /** Records Campfire already holds as reviewed: confirming sends nothing for them and records them as pushed. */
  settleCount: number;
}

/** A plan that no longer describes what would be sent: the sheet changed since the review, or it was confirmed already. */
export class StalePlanError extends Error {
  override name = "StalePlanError";
}

/** A plan with problems on the sheet cannot be confirmed. */
export class BlockedPlanError extends Error {
  override name = "BlockedPlanError";
}

export interface RecordResult {
  key: string;
  label: string;
  /**
   * done: Campfire holds what was sent (confirmed by its answer or by reading it back) or held it already;
   * failed: not applied (it stays for push again); conflict-skipped: changed in Campfire, not overwritten;
   * unknown: the answer was lost and the record could not be read back — review again to see what Campfire holds.
   */
  outcome: "done" | "failed" | "conflict-skipped" | "unknown";
  message: string;
  /** Where the server's message belongs, for a 400 on a field or line. */
  address?: string;
  /** For a conflict: Campfire's last_modified_at now, which an overwrite consent must name. */
  serverAt?: string;
}

export interface PushReport {
  kind: TableKind;
  results: RecordResult[];
  succeeded: number;
  failed: number;
  skipped: number;
  unknown: number;
}

export interface RefreshResult {
  kind: TableKind;
  /** Rows rewritten, inserted or deleted because Campfire's values changed. */
  updatedRows: number;
  /** Edited records whose edits (and pulled base) were kept. */
  kept: number;
  /** Edited records Campfire changed since the pull: marked as conflicts. */
  conflicts: number;
  message: string;
}

/** When a table was pulled and last refreshed in place (ISO times, UTC). */
export interface TableStamps {
  pulledAt: string;
  refreshedAt: string | null;
}

export interface PullOptions {
  /** Replace the table even though it has edits that were not pushed (the user confirmed losing them). */
  discardEdits?: boolean;
}

/**
 * A pull refused because it would overwrite edits that were not pushed — or might: when the table cannot be
 * compared with what was pulled (a column removed or renamed, the kept pulled data missing or damaged), `reason`
 * says why and the counts are 0. Pull again with `discardEdits` to go ahead.
 */
export class UnpushedEditsError extends Error {
  override name = "UnpushedEditsError";
  constructor(
    readonly title: string,
    /** Edited cells and the records they belong to. */
    readonly cells: number,
    readonly records: number,
    readonly reason: string | null = null,
  ) {
    super(
      reason !== null
        ? `Not pulled: cannot tell which cells of the ${title} table you edited (${reason.replace(/[.\s]+$/, "")}); ` +
            `pull again choosing to discard any edits, or put the table back as it was`
        : `Not pulled: the ${title} table has ${cells} edited ${cells === 1 ? "cell" : "cells"} in ${records} ${records === 1 ? "record" : "records"} ` +
            `that ${cells === 1 ? "is" : "are"} not pushed; push ${cells === 1 ? "it" : "them"} first, or pull again choosing to discard ${cells === 1 ? "it" : "them"}`,
    );
  }
}

export interface PushOptions {
  /**
   * Conflicts the user chose to overwrite, each with the last_modified_at they saw (PushPlan.conflicts, or a
   * skipped result's serverAt): a record changed again since is skipped as a new conflict.
   */
  overwrite?: readonly OverwriteConsent[];
  progress?: Progress;
}

export interface BalanceReport extends CheckReport {
  /** The line that took the remainder, and by how much it moved (null when the bundle already added up). */
  moved: { row: number; address: string; line: string; from: string; to: string; change: string } | null;
}

export interface Workbench {
  /**
   * Some contracts merge into the table (only their rows are replaced); "all" replaces it. Refuses with
   * UnpushedEditsError when the rows it replaces have edits not pushed, unless `discardEdits` is set.
   */
  pull(kind: TableKind, contractIds: readonly number[] | "all", progress?: Progress, options?: PullOptions): Promise<PullResult>;
  /**
   * Refresh in place: rows nobody edited take Campfire's current values; edited rows keep the user's values and
   * are marked as conflicts where Campfire changed under them. Throws TableMissingError when never pulled.
   */
  refresh(kind: TableKind, progress?: Progress): Promise<RefreshResult>;
  /** When the table was pulled and refreshed; null when it was never pulled. */
  stamps(kind: TableKind): Promise<TableStamps | null>;
  check(kind: TableKind): Promise<CheckReport>;
  /**
   * Puts the bundle's remainder on the line of the given data row. Without a row: on the largest line the user did
   * not edit (an edited line moves only when picked); a bundle whose lines are all edited needs a pick.
   */
  balance(bundleKey: string, row?: number): Promise<BalanceReport>;
  /** Reviews a push of every edited record: reads each from Campfire and merges; `progress` counts those reads. */
  planPush(kind: TableKind, progress?: Progress): Promise<PushPlan>;
  /** Reviews a push of only the records the last push did not get through. */
  planPushAgain(kind: TableKind, progress?: Progress): Promise<PushPlan>;
  /** Reviews an undo of the last push: the values it replaced go back, for the fields and lines it changed. */
  planUndo(kind: TableKind, progress?: Progress): Promise<PushPlan>;
  /** Sends a plan the user confirmed (any mode), exactly as reviewed. */
  push(plan: PushPlan, options?: PushOptions): Promise<PushReport>;
  /** Live check: runs `check` on edits (debounced) and reports. Returns an unsubscribe. */
  watch(kind: TableKind, onReport: (report: CheckReport) => void): Promise<() => Promise<void>>;
  select(kind: TableKind, row: number, column: string): Promise<void>;
}
