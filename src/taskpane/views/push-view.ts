/**
 * Push: first the plan (every field that will change, old → new), problems that block it, records changed in
 * Campfire since the pull (skipped unless ticked to overwrite); then progress, results, Push again, Undo.
 */
import type { LocatedIssue, OverwriteConsent, PushPlan, PushReport } from "../../app/workbench-api";
import { issueList } from "./check-view";
import { fill, h, progressBar, setButtonsBusy } from "./dom";

export interface PushActions {
  /** `progress` counts the records read from Campfire to find conflicts. */
  plan(progress: (done: number, total: number, label: string) => void): Promise<void>;
  /** `overwrite`: the ticked conflicts, each for the version of the record the plan showed. */
  push(plan: PushPlan, overwrite: OverwriteConsent[], progress: (done: number, total: number, label: string) => void): Promise<void>;
  pushAgain(progress: (done: number, total: number, label: string) => void): Promise<void>;
  undo(progress: (done: number, total: number, label: string) => void): Promise<void>;
  select(issue: LocatedIssue): Promise<void>;
}

const PREVIEW_ROWS = 200;

export class PushView {
  readonly element: HTMLElement;
  private readonly planBox: HTMLElement;
  private readonly results: HTMLElement;
  private readonly planButton: HTMLButtonElement;
  private readonly progress = progressBar("push-progress", "Push progress");
  private busy = false;

  constructor(private readonly actions: PushActions) {
    this.planButton = h(
      "button",
      { id: "plan-push", type: "button", onclick: () => void this.actions.plan((done, total, label) => this.progress.update(done, total, label)) },
      "Review push",
    );
    this.planBox = h("div", { id: "push-plan" });
    this.results = h("div", { id: "push-results", "aria-live": "polite" });
    this.element = h(
      "section",
      { id: "push-section", "aria-labelledby": "push-title" },
      h("div", { className: "section-head" }, h("h2", { id: "push-title" }, "Push"), this.planButton),
      this.planBox,
      this.progress.element,
      this.results,
    );
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    setButtonsBusy(this.element.querySelectorAll("button"), busy);
  }

  reset(): void {
    fill(this.planBox);
    fill(this.results);
    this.progress.element.hidden = true;
  }

  /** A plan that could not be made: its reason, and no older plan left to confirm. */
  showError(text: string): void {
    this.reset();
    fill(this.planBox, h("p", { id: "push-error", className: "status-error", role: "alert" }, text));
  }

  showPlan(plan: PushPlan, note?: string): void {
    fill(this.results);
    this.progress.element.hidden = true;
    const records = plan.recordKeys.length;
    if (records === 0) {
      fill(this.planBox, h("p", { id: "push-summary" }, "Nothing to push: the table matches what was pulled."));
      return;
    }
    const preview = plan.changes.slice(0, PREVIEW_ROWS);
    const blocked = plan.blocked.length > 0;
    const overwrite = plan.conflicts.map((c) =>
      h("input", { type: "checkbox", className: "overwrite", id: `overwrite-${c.key}`, value: c.key }),
    );
    const confirm = h("button", { id: "confirm-push", type: "button", disabled: blocked }, this.pushLabel(plan, 0));
    // Shown mid-operation (the plan is built inside one): disabled until it ends, then as the plan allows.
    if (this.busy) setButtonsBusy([confirm], true);
    const update = () => {
      confirm.textContent = this.pushLabel(plan, overwrite.filter((o) => o.checked).length);
    };
    overwrite.forEach((o) => o.addEventListener("change", update));
    confirm.addEventListener("click", () => {
      // The tick covers the version shown here: a change made after the plan is skipped as a new conflict.
      const chosen = plan.conflicts.filter((_, i) => overwrite[i]?.checked).map(({ key, serverAt }) => ({ key, serverAt }));
      void this.actions.push(plan, chosen, (done, total, label) => this.progress.update(done, total, label));
    });
    fill(
      this.planBox,
      note ? h("p", { id: "push-note", className: "status-error", role: "alert" }, note) : null,
      h("p", { id: "push-summary" }, `${plan.changes.length} ${plan.changes.length === 1 ? "change" : "changes"} in ${records} ${records === 1 ? "record" : "records"}.`),
      blocked
        ? h(
            "div",
            { id: "push-blocked", role: "alert" },
            h("p", { className: "status-error" }, "Nothing will be sent until these problems are fixed:"),
            issueList("blocked-issues", plan.blocked, (issue) => void this.actions.select(issue)),
          )
        : null,
      h(
        "table",
        { id: "push-preview" },
        h("caption", {}, "What will change in Campfire"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Record"), h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Old → new"))),
        h(
          "tbody",
          {},
          ...preview.map((c, i) =>
            h("tr", {}, h("td", {}, preview[i - 1]?.key === c.key ? "" : c.label), h("td", {}, c.field), h("td", {}, h("span", { className: "old" }, c.old || "(empty)"), " → ", h("span", { className: "new" }, c.new || "(empty)"))),
          ),
        ),
      ),
      plan.changes.length > PREVIEW_ROWS ? h("p", { className: "hint" }, `…and ${plan.changes.length - PREVIEW_ROWS} more changes.`) : null,
      plan.conflicts.length
        ? h(
            "fieldset",
            { id: "conflicts" },
            h("legend", {}, "Changed in Campfire since your pull — skipped unless you overwrite"),
            ...plan.conflicts.map((c, i) =>
              h("div", { className: "check-row" }, overwrite[i] as HTMLInputElement, h("label", { for: `overwrite-${c.key}` }, `Overwrite ${c.label} (changed ${c.serverAt}, pulled ${c.pulledAt})`)),
            ),
          )
        : null,
      confirm,
    );
    this.planBox.querySelector("#push-note")?.scrollIntoView({ block: "nearest" });
  }

  private pushLabel(plan: PushPlan, overwriting: number): string {
    const sent = plan.recordKeys.length - plan.conflicts.length + overwriting;
    return `Push ${sent} ${sent === 1 ? "record" : "records"}`;
  }

  showReport(report: PushReport, verb: "Push" | "Undo"): void {
    fill(this.planBox);
    this.progress.element.hidden = true;
    const parts = [`${report.succeeded} done`];
    if (report.failed) parts.push(`${report.failed} failed`);
    if (report.skipped) parts.push(`${report.skipped} skipped (changed in Campfire)`);
    const progress = (done: number, total: number, label: string) => this.progress.update(done, total, label);
    fill(
      this.results,
      h("p", { id: "push-outcome", className: report.failed || report.skipped ? "status-error" : "status-ok" }, `${verb}: ${parts.join(", ")}.`),
      report.results.length
        ? h(
            "table",
            { id: "push-result-table" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Record"), h("th", { scope: "col" }, "Result"))),
            h(
              "tbody",
              {},
              ...report.results.map((r) =>
                h(
                  "tr",
                  { className: `outcome-${r.outcome}` },
                  h("td", {}, r.label),
                  h("td", {}, r.address ? `${r.address}: ${r.message}` : r.message),
                ),
              ),
            ),
          )
        : h("p", {}, "Nothing was sent."),
      h(
        "div",
        { className: "buttons" },
        verb === "Push" && report.failed
          ? h("button", { id: "push-again", type: "button", onclick: () => void this.actions.pushAgain(progress) }, "Push again (failed only)")
          : null,
        verb === "Push" && report.succeeded
          ? h("button", { id: "undo-push", type: "button", className: "secondary", onclick: () => void this.actions.undo(progress) }, "Undo last push")
          : null,
        // What an undo could not revert stays undoable; what it reverted is done with (there is no redo).
        verb === "Undo" && (report.failed || report.skipped)
          ? h("button", { id: "undo-push", type: "button", className: "secondary", onclick: () => void this.actions.undo(progress) }, "Try the undo again (records not undone)")
          : null,
      ),
    );
  }
}
