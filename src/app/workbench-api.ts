/**
 * What the task pane and the ribbon commands ask of the use-cases. `createWorkbench` (workbench.ts) implements it
 * over a Session and a WorkbookPort; the UI depends on this file only.
 */
import type { OverwriteConsent } from "../domain/sheet/last-push";
import type { FieldChange, PlacedIssue } from "../domain/sheet/sheet-view";
import type { Progress } from "./ports";

export type { FieldChange, OverwriteConsent };

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

export interface PushPlan {
  kind: TableKind;
  /** Everything that will be sent, field by field. */
  changes: FieldChange[];
  /** Records that will be sent (one request each). */
  recordKeys: string[];
  /** Invalid rows: when non-empty, nothing is sent. */
  blocked: LocatedIssue[];
  /** Records changed on the server since the pull; skipped unless the user chooses to overwrite them. */
  conflicts: Conflict[];
}

export interface RecordResult {
  key: string;
  label: string;
  outcome: "done" | "failed" | "conflict-skipped";
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

export interface Workbench {
  /** Refuses with UnpushedEditsError when the table has edits not pushed, unless `discardEdits` is set. */
  pull(kind: TableKind, contractIds: readonly number[] | "all", progress?: Progress, options?: PullOptions): Promise<PullResult>;
  check(kind: TableKind): Promise<CheckReport>;
  /** Puts the bundle's remainder on the given row (default: the line with the largest amount). */
  balance(bundleKey: string, row?: number): Promise<CheckReport>;
  /** Reads every changed record from Campfire to find conflicts; `progress` counts those reads. */
  planPush(kind: TableKind, progress?: Progress): Promise<PushPlan>;
  push(plan: PushPlan, options?: PushOptions): Promise<PushReport>;
  /** Sends again only the records that failed in the last push. */
  pushAgain(kind: TableKind, options?: PushOptions): Promise<PushReport>;
  /** Pushes the old values back for the last push, for records nobody changed since. */
  undoLastPush(kind: TableKind, options?: PushOptions): Promise<PushReport>;
  /** Live check: runs `check` on edits (debounced) and reports. Returns an unsubscribe. */
  watch(kind: TableKind, onReport: (report: CheckReport) => void): Promise<() => Promise<void>>;
  select(kind: TableKind, row: number, column: string): Promise<void>;
}
