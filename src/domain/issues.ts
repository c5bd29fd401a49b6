/**
 * A problem found in what the user wants to send, phrased for a finance user: which record, which
 * field (and line), what is wrong, and what is allowed instead.
 */
import type { ItemType } from "../model/records";

export type RecordRef =
  | { kind: "bundle"; contractId: number; itemType: ItemType; itemId: number; label?: string }
  | { kind: "commit"; contractId: number; commitId: number | null; label?: string };

export interface Issue {
  record: RecordRef;
  field: string;
  /** 0-based line index within a bundle. */
  line?: number;
  /** Plain words: what is wrong. */
  message: string;
  /** Plain words: what is allowed. */
  allowed: string;
  value?: unknown;
}

/** "Bundle on usage 12 of contract 3", "Prepaid commit 7 ("Q1 credits") of contract 3", "New prepaid commit of contract 3". */
export function describeRecord(ref: RecordRef): string {
  const label = ref.label ? ` (${JSON.stringify(ref.label)})` : "";
  if (ref.kind === "bundle") return `Bundle on ${ref.itemType} ${ref.itemId}${label} of contract ${ref.contractId}`;
  if (ref.commitId === null) return `New prepaid commit${label} of contract ${ref.contractId}`;
  return `Prepaid commit ${ref.commitId}${label} of contract ${ref.contractId}`;
}

/**
 * One sentence: `Bundle on usage 12 of contract 3, line 2, amount: "abc" is text, not a number; allowed: an amount
 * in USD with at most 2 decimal places.` Lines are counted from 1 here because people read it.
 */
export function formatIssue(issue: Issue): string {
  const where = issue.line === undefined ? issue.field : `line ${issue.line + 1}, ${issue.field}`;
  const message = issue.message.replace(/[.\s]+$/, "");
  const allowed = issue.allowed.replace(/[.\s]+$/, "");
  return `${describeRecord(issue.record)}, ${where}: ${message}; allowed: ${allowed}.`;
}
