/**
 * What the task pane and the ribbon commands ask of the use-cases. `createWorkbench` (workbench.ts) implements it
 * over a Session and a WorkbookPort; the UI depends on this file only.
 */
import type { Issue } from "../domain/issues";
import type { Progress } from "./ports";

export type TableKind = "allocations" | "commits";

/** An issue placed on the sheet: which table row and column, and the A1 address the user can click. */
export type LocatedIssue = Issue & { row: number; column: string; address: string };

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

export interface FieldChange {
  key: string;
  label: string;
  field: string;
  old: string;
  new: string;
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
}

export interface PushReport {
  kind: TableKind;
  results: RecordResult[];
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface PushOptions {
  /** Record keys whose conflicts the user chose to overwrite. */
  overwrite?: readonly string[];
  progress?: Progress;
}

export interface Workbench {
  pull(kind: TableKind, contractIds: readonly number[] | "all", progress?: Progress): Promise<PullResult>;
  check(kind: TableKind): Promise<CheckReport>;
  /** Puts the bundle's remainder on the given row (default: the line with the largest amount). */
  balance(bundleKey: string, row?: number): Promise<CheckReport>;
  planPush(kind: TableKind): Promise<PushPlan>;
  push(plan: PushPlan, options?: PushOptions): Promise<PushReport>;
  /** Sends again only the records that failed in the last push. */
  pushAgain(kind: TableKind, options?: PushOptions): Promise<PushReport>;
  /** Pushes the old values back for the last push, for records nobody changed since. */
  undoLastPush(kind: TableKind, options?: PushOptions): Promise<PushReport>;
  /** Live check: runs `check` on edits (debounced) and reports. Returns an unsubscribe. */
  watch(kind: TableKind, onReport: (report: CheckReport) => void): Promise<() => Promise<void>>;
  select(kind: TableKind, row: number, column: string): Promise<void>;
}
