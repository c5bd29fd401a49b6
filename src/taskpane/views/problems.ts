/**
 * Problems as the pane lists them: one short line per problem ("I2 · 32,333.33 USD short of 100,000.00"),
 * grouped by the record it belongs to, the full sentence kept for "details". Pure text; no DOM.
 */
import type { BundleStatus, LocatedIssue } from "../../app/workbench-interface";
import { describeRecord } from "../../domain/issues";

/** "USD 1,250.00"; the workbench gives exact decimal strings, shown with digit groups. */
export function showAmount(value: string, currency: string): string {
  const negative = value.startsWith("-");
  const [whole = "0", frac] = (negative ? value.slice(1) : value).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${frac === undefined ? "" : `.${frac}`} ${currency}`.trim();
}

/** "32,333.33 USD short" when the lines add up to less than the total, "… over" when to more. */
export function differenceText(difference: string, currency: string): string {
  const short = difference.startsWith("-");
  return `${showAmount(short ? difference.slice(1) : difference, currency)} ${short ? "short" : "over"}`;
}

/** "Allocations!I2" → "I2", "'Prepaid commits'!D7" → "D7". */
export function cellOf(address: string): string {
  const bang = address.lastIndexOf("!");
  return bang < 0 ? address : address.slice(bang + 1);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function trimEnd(text: string): string {
  return text.replace(/[.;\s]+$/, "");
}

/** The bundle a problem belongs to: the same record key, or (a row with no key of its own) one of its rows. */
export function bundleOf(issue: LocatedIssue, bundles: readonly BundleStatus[]): BundleStatus | undefined {
  const byKey = bundles.find((b) => b.key === issue.key);
  if (byKey || issue.record.kind !== "bundle") return byKey;
  return bundles.find((b) => b.rows.includes(issue.row));
}

/**
 * The one line: the cell, then what is wrong in a few words. A bundle whose lines do not add up says by how
 * much and of what ("I2 · 32,333.33 USD short of 100,000.00"); anything else is the rule's own message.
 */
export function shortIssue(issue: LocatedIssue, bundles: readonly BundleStatus[] = []): string {
  // The bundle-wide problem is the one on no particular line, placed on the amount column.
  const bundle = issue.line === undefined && issue.column === "amount" ? bundleOf(issue, bundles) : undefined;
  const what =
    bundle && bundle.difference !== "" && !bundle.balanced
      ? `${differenceText(bundle.difference, bundle.currency)} of ${showAmount(bundle.total, "")}`
      : capitalize(trimEnd(issue.message));
  return `${cellOf(issue.address)} · ${what}`;
}

/** The details under the line: which field (and line), what is wrong, what is allowed. */
export function issueDetail(issue: LocatedIssue): string {
  const where = issue.line === undefined ? issue.field : `line ${issue.line + 1}, ${issue.field}`;
  return `${capitalize(where)}: ${trimEnd(issue.message)}. Allowed: ${trimEnd(issue.allowed)}.`;
}

export interface ProblemGroup {
  key: string;
  /** "Bundle on subscription 1001 ("Acme Corp — …") of contract 1". */
  label: string;
  issues: LocatedIssue[];
  /** The record's bundle when its lines do not add up (allocations). */
  bundle?: BundleStatus;
}

/**
 * Problems grouped by record, in the order their records first appear; each message once (the same rule can
 * be reported for the same cell twice, e.g. by the row check and the bundle check). Unbalanced bundles with no
 * problem of their own get a group too, so every Balance button has a place.
 */
export function groupProblems(issues: readonly LocatedIssue[], bundles: readonly BundleStatus[] = []): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  const seen = new Set<string>();
  const unbalanced = bundles.filter((b) => !b.balanced);
  for (const issue of issues) {
    const said = `${issue.address}\u0000${issue.field}\u0000${issue.line ?? ""}\u0000${issue.message}`;
    if (seen.has(said)) continue;
    seen.add(said);
    const bundle = bundleOf(issue, unbalanced);
    const key = bundle?.key ?? issue.key;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: describeRecord(issue.record), issues: [] };
      if (bundle) group.bundle = bundle;
      groups.set(key, group);
    }
    group.issues.push(issue);
  }
  for (const bundle of unbalanced) {
    if (!groups.has(bundle.key)) groups.set(bundle.key, { key: bundle.key, label: bundle.label, issues: [], bundle });
  }
  return [...groups.values()];
}
