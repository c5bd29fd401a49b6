/**
 * Check: what is wrong on the sheet, one line per problem grouped by record, details on expand, a count and
 * Previous/Next that select the cell; for allocations each bundle that does not add up carries its own card
 * in its group — the sums, the line that takes the remainder, Balance — so nothing is said twice.
 */
import type { BundleStatus, CheckReport, LocatedIssue } from "../../app/workbench-interface";
import { h, fill } from "./dom";
import { differenceText, groupProblems, issueDetail, shortIssue, showAmount, type ProblemGroup } from "./problems";

export { differenceText, showAmount };

export interface CheckActions {
  check(): Promise<void>;
  select(issue: LocatedIssue): Promise<void>;
  /** `row`: the data row that takes the remainder. */
  balance(bundle: BundleStatus, row: number): Promise<void>;
}

/** Where the table is and which row the user is on, for the balance picker's labels and default. */
export interface TablePlace {
  /** 1-based worksheet row of the header row. */
  headerRow: number;
  selectedRow: number | null;
}

/** The compact, grouped list; `current` marks the problem Previous/Next is on. */
export function issueList(
  id: string,
  issues: readonly LocatedIssue[],
  select: (issue: LocatedIssue) => void,
  bundles: readonly BundleStatus[] = [],
  card?: (group: ProblemGroup) => HTMLElement | null,
): HTMLElement {
  let n = 0;
  return h(
    "ul",
    { id, className: "issues" },
    ...groupProblems(issues, bundles).map((group) =>
      h(
        "li",
        { className: "issue-group", "data-key": group.key },
        h("h3", {}, group.label),
        h(
          "ul",
          { className: "issue-lines" },
          ...group.issues.map((issue) => {
            const details = h(
              "details",
              { className: "issue", "data-address": issue.address, "data-index": n++ },
              h("summary", {}, shortIssue(issue, bundles)),
              h(
                "div",
                { className: "issue-detail" },
                h("p", {}, issueDetail(issue)),
                h(
                  "button",
                  { type: "button", className: "secondary select-cell", onclick: () => select(issue) },
                  `Select ${issue.address.slice(issue.address.lastIndexOf("!") + 1)}`,
                ),
              ),
            );
            return h("li", {}, details);
          }),
        ),
        card?.(group) ?? null,
      ),
    ),
  );
}

export const CHECK_HINT = "Pull a table; edits are checked as you type.";

export class CheckView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly button: HTMLButtonElement;
  /** The problems in list order, and the one Previous/Next is on (by address, so it survives a re-check). */
  private problems: LocatedIssue[] = [];
  private current: string | null = null;
  /**
   * The line the user picked for each bundle, kept while the checks re-render: by its place in the bundle's lines
   * (the bundle's own order), never by table row, so a sort in between cannot move the pick to another line.
   */
  private readonly picked = new Map<string, number>();
  private place: TablePlace | null = null;
  /** Problems the user opened, by address: a re-check (every edit brings one) keeps them open. */
  private readonly opened = new Set<string>();
  private busy = false;

  constructor(private readonly actions: CheckActions) {
    this.button = h(
      "button",
      { id: "check", type: "button", className: "secondary", onclick: () => void this.actions.check() },
      "Check now",
    );
    this.body = h("div", { id: "check-body", "aria-live": "polite" }, h("p", { className: "hint" }, CHECK_HINT));
    this.element = h(
      "section",
      { id: "check-section", "aria-labelledby": "check-title" },
      h("div", { className: "section-head" }, h("h2", { id: "check-title" }, "Check"), this.button),
      this.body,
    );
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.button.disabled = busy;
    this.body.querySelectorAll("button.balance").forEach((b) => ((b as HTMLButtonElement).disabled = busy));
  }

  clear(text: string): void {
    this.problems = [];
    this.opened.clear();
    this.picked.clear();
    fill(this.body, h("p", { className: "hint" }, text));
  }

  /** A check that could not run: its reason replaces the last report, which no longer describes the sheet. */
  showError(text: string): void {
    this.problems = [];
    fill(this.body, h("p", { id: "check-error", className: "status-error", role: "alert" }, text));
  }

  show(report: CheckReport, place: TablePlace | null = this.place): void {
    this.place = place;
    const bundles = report.kind === "allocations" ? report.bundles : [];
    const groups = groupProblems(report.issues, bundles);
    this.problems = groups.flatMap((g) => g.issues);
    const problems = this.problems.length;
    if (!this.problems.some((p) => p.address === this.current)) this.current = null;
    const summary = [
      `${report.editedCells} edited ${report.editedCells === 1 ? "cell" : "cells"} in ${report.changedRecords} ${report.changedRecords === 1 ? "record" : "records"}`,
      problems === 0 ? "no problems" : `${problems} ${problems === 1 ? "problem" : "problems"}`,
    ].join(" · ");
    const balancedCount = bundles.filter((b) => b.balanced).length;
    const anyCard = groups.some((g) => g.bundle);
    // The list is drawn again on every check: the focus stays on the control it was on.
    const focused = this.body.contains(document.activeElement) ? document.activeElement?.id : undefined;
    fill(
      this.body,
      h("p", { id: "check-summary", className: problems || anyCard ? "status-error" : "status-ok" }, summary),
      problems ? this.navigation() : null,
      problems || anyCard
        ? issueList(
            "issues",
            report.issues,
            (issue) => void this.select(issue),
            bundles,
            (g) => this.card(g),
          )
        : null,
      bundles.length
        ? h(
            "p",
            { id: "bundle-summary", className: "hint" },
            bundles.length === 1
              ? `${balancedCount} of 1 bundle adds up to its total.`
              : `${balancedCount} of ${bundles.length} bundles add up to their totals.`,
          )
        : null,
      report.missing?.length
        ? h(
            "div",
            { id: "missing" },
            h("p", {}, "Pulled but no longer on the sheet (not deleted in Campfire; pull again to bring them back):"),
            h("ul", {}, ...report.missing.map((m) => h("li", {}, m.label))),
          )
        : null,
    );
    this.body.querySelectorAll<HTMLDetailsElement>("details.issue").forEach((d) => {
      const address = d.dataset.address ?? "";
      if (this.opened.has(address)) {
        d.dataset.restored = "";
        d.open = true;
      }
      d.addEventListener("toggle", () => {
        if (!d.open) return void this.opened.delete(address);
        // Opened again after a re-check: not the user's doing, so the selection stays where the user is.
        if (d.dataset.restored !== undefined) return void delete d.dataset.restored;
        this.opened.add(address);
        // Opening a problem takes the user to its cell, as Next does.
        const issue = this.problems[Number(d.dataset.index)];
        if (issue) void this.select(issue);
      });
    });
    this.markCurrent(false);
    this.setBusy(this.busy);
    if (focused) document.getElementById(focused)?.focus();
  }

  private navigation(): HTMLElement {
    const previous = h(
      "button",
      { id: "problem-previous", type: "button", "aria-label": "Previous problem", onclick: () => void this.step(-1) },
      "‹ Previous",
    );
    const next = h(
      "button",
      { id: "problem-next", type: "button", "aria-label": "Next problem", onclick: () => void this.step(1) },
      "Next ›",
    );
    return h(
      "div",
      { className: "problem-nav" },
      previous,
      h("span", { id: "problem-position", className: "problem-position", "aria-live": "polite" }, ""),
      next,
    );
  }

  private async step(by: 1 | -1): Promise<void> {
    const n = this.problems.length;
    if (n === 0) return;
    const at = this.problems.findIndex((p) => p.address === this.current);
    const index = at < 0 ? (by === 1 ? 0 : n - 1) : (at + by + n) % n;
    const issue = this.problems[index];
    if (issue) await this.select(issue);
  }

  private async select(issue: LocatedIssue): Promise<void> {
    this.current = issue.address;
    this.markCurrent();
    await this.actions.select(issue);
  }

  /** `reveal`: scroll the current problem into view (when the user stepped to it, not on every re-check). */
  private markCurrent(reveal = true): void {
    const index = this.problems.findIndex((p) => p.address === this.current);
    const position = this.body.querySelector("#problem-position");
    if (position) position.textContent = index < 0 ? `${this.problems.length} to fix` : `Problem ${index + 1} of ${this.problems.length}`;
    this.body.querySelectorAll<HTMLElement>("details.issue").forEach((d) => {
      if (Number(d.dataset.index) === index) {
        d.setAttribute("data-current", "");
        if (reveal) d.scrollIntoView?.({ block: "nearest" });
      } else d.removeAttribute("data-current");
    });
  }

  /** The bundle's card in its group: the sums (the difference is already the problem's line), a line picker, Balance. */
  private card(group: ProblemGroup): HTMLElement | null {
    const b = group.bundle;
    if (!b) return null;
    const id = `balance-line-${b.key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
    const sums = h(
      "p",
      { className: "bundle-sums" },
      `Lines ${b.sum === "" ? "—" : showAmount(b.sum, b.currency)} · total ${showAmount(b.total, b.currency)}`,
      group.issues.length === 0 && b.difference !== ""
        ? h("strong", { className: "difference" }, ` · ${differenceText(b.difference, b.currency)}`)
        : null,
    );
    if (b.difference === "") {
      return h(
        "div",
        { className: "bundle-card bundle", "data-bundle": b.key },
        sums,
        h("p", { className: "hint" }, "Fix the amount above, then the bundle can be balanced."),
      );
    }
    const headerRow = this.place?.headerRow;
    const selectedLine =
      this.place?.selectedRow === null || this.place?.selectedRow === undefined ? -1 : b.rows.indexOf(this.place.selectedRow);
    const chosen = this.picked.get(b.key) ?? (selectedLine >= 0 ? selectedLine : undefined);
    const select = h(
      "select",
      { id, "aria-describedby": `${id}-note` },
      h("option", { value: "" }, "Choose a line…"),
      ...b.rows.map((row, i) =>
        h(
          "option",
          { value: i, selected: i === chosen },
          headerRow === undefined ? `Line ${i + 1}` : `Line ${i + 1} (row ${headerRow + 1 + row})`,
        ),
      ),
    );
    const note = h("p", { id: `${id}-note`, className: "hint" }, "The line that takes the remainder.");
    select.addEventListener("change", () => {
      if (select.value === "") this.picked.delete(b.key);
      else this.picked.set(b.key, Number(select.value));
    });
    const balance = h("button", { type: "button", className: "balance", "aria-label": `Balance ${b.label}` }, "Balance");
    balance.addEventListener("click", () => {
      if (select.value === "") {
        note.textContent = "Choose the line that takes the remainder first.";
        note.className = "status-error";
        select.focus();
        return;
      }
      const row = b.rows[Number(select.value)];
      if (row !== undefined) void this.actions.balance(b, row);
    });
    return h(
      "div",
      { className: "bundle-card bundle", "data-bundle": b.key },
      sums,
      h("label", { for: id }, "Put the remainder on"),
      h("div", { className: "inline" }, select, balance),
      note,
    );
  }
}
