/**
 * Check: what is wrong on the sheet, in plain words — each problem a button that selects its cell — and, for
 * allocations, every bundle whose lines do not add up to its total, with a Balance button.
 */
import type { BundleStatus, CheckReport, LocatedIssue } from "../../app/workbench-api";
import { formatIssue } from "../../domain/issues";
import { h, fill } from "./dom";

export interface CheckActions {
  check(): Promise<void>;
  select(issue: LocatedIssue): Promise<void>;
  /** `row`: the data row of the line that takes the remainder (default: the largest line not edited). */
  balance(bundle: BundleStatus, row?: number): Promise<void>;
}

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

export function issueText(issue: LocatedIssue): string {
  return `${issue.address}: ${formatIssue(issue)}`;
}

export function issueList(id: string, issues: readonly LocatedIssue[], select: (issue: LocatedIssue) => void): HTMLElement {
  return h(
    "ul",
    { id, className: "issues" },
    ...issues.map((issue) =>
      h("li", {}, h("button", { type: "button", className: "issue link", "data-address": issue.address, title: `Select ${issue.address}`, onclick: () => select(issue) }, issueText(issue))),
    ),
  );
}

export const CHECK_HINT = "Pull a table; edits are checked as you type.";

export class CheckView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly button: HTMLButtonElement;

  constructor(private readonly actions: CheckActions) {
    this.button = h("button", { id: "check", type: "button", className: "secondary", onclick: () => void this.actions.check() }, "Check now");
    this.body = h("div", { id: "check-body", "aria-live": "polite" }, h("p", { className: "hint" }, CHECK_HINT));
    this.element = h(
      "section",
      { id: "check-section", "aria-labelledby": "check-title" },
      h("div", { className: "section-head" }, h("h2", { id: "check-title" }, "Check"), this.button),
      this.body,
    );
  }

  setBusy(busy: boolean): void {
    this.button.disabled = busy;
    this.body.querySelectorAll("button.balance").forEach((b) => ((b as HTMLButtonElement).disabled = busy));
  }

  clear(text: string): void {
    fill(this.body, h("p", { className: "hint" }, text));
  }

  /** A check that could not run: its reason replaces the last report, which no longer describes the sheet. */
  showError(text: string): void {
    fill(this.body, h("p", { id: "check-error", className: "status-error", role: "alert" }, text));
  }

  show(report: CheckReport): void {
    const unbalanced = report.bundles.filter((b) => !b.balanced);
    const problems = report.issues.length;
    const summary = [
      `${report.editedCells} edited ${report.editedCells === 1 ? "cell" : "cells"} in ${report.changedRecords} ${report.changedRecords === 1 ? "record" : "records"}`,
      problems === 0 ? "no problems" : `${problems} ${problems === 1 ? "problem" : "problems"}`,
    ].join(" · ");
    fill(
      this.body,
      h("p", { id: "check-summary", className: problems ? "status-error" : "status-ok" }, summary),
      problems ? issueList("issues", report.issues, (issue) => void this.actions.select(issue)) : null,
      report.kind === "allocations" && report.bundles.length ? this.bundles(report.bundles, unbalanced) : null,
      report.missing?.length
        ? h(
            "div",
            { id: "missing" },
            h("p", {}, "Pulled but no longer on the sheet (not deleted in Campfire; pull again to bring them back):"),
            h("ul", {}, ...report.missing.map((m) => h("li", {}, m.label))),
          )
        : null,
    );
  }

  private bundles(all: readonly BundleStatus[], unbalanced: readonly BundleStatus[]): HTMLElement {
    const balancedCount = all.length - unbalanced.length;
    return h(
      "div",
      { id: "bundle-check" },
      h("p", { id: "bundle-summary" }, all.length === 1 ? `${balancedCount} of 1 bundle adds up to its total.` : `${balancedCount} of ${all.length} bundles add up to their totals.`),
      unbalanced.length
        ? h(
            "ul",
            { id: "bundles", "aria-label": "Bundles that do not add up" },
            ...unbalanced.map((b) =>
              h(
                "li",
                { className: "bundle", "data-bundle": b.key },
                h("p", { className: "bundle-label" }, b.label),
                h(
                  "p",
                  { className: "bundle-sums" },
                  `Lines ${b.sum === "" ? "—" : showAmount(b.sum, b.currency)} · total ${showAmount(b.total, b.currency)} · `,
                  h(
                    "strong",
                    { className: "difference" },
                    b.difference === "" ? "an amount is not valid" : differenceText(b.difference, b.currency),
                  ),
                ),
                b.difference === ""
                  ? null
                  : h("button", { type: "button", className: "balance", "aria-label": `Balance ${b.label}`, onclick: () => void this.actions.balance(b) }, "Balance"),
              ),
            ),
          )
        : null,
    );
  }
}
