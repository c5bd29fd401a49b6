/**
 * Push: every write is reviewed first — a push, a push again of what did not go through, an undo. The review
 * shows each record's fields or lines as pulled → Campfire now → will send, marks what someone else changed in
 * Campfire, and offers overwrite in place; nothing is sent until the user confirms that review. Then progress,
 * results, and the next reviews (push again, undo).
 */
import type { LocatedIssue, OverwriteConsent, PlannedField, PlannedRecord, PushPlan, PushReport } from "../../app/workbench-api";
import { issueList } from "./check-view";
import { fill, h, progressBar, setButtonsBusy } from "./dom";

type ProgressFn = (done: number, total: number, label: string) => void;

export interface PushActions {
  /** `progress` counts the records read from Campfire for the review. */
  plan(progress: ProgressFn): Promise<void>;
  /** `overwrite`: the ticked conflicts, each for the version of the record the plan showed. */
  push(plan: PushPlan, overwrite: OverwriteConsent[], progress: ProgressFn): Promise<void>;
  /** Reviews a push of what the last push did not get through. */
  planAgain(progress: ProgressFn): Promise<void>;
  /** Reviews an undo of the last push. */
  planUndo(progress: ProgressFn): Promise<void>;
  select(issue: LocatedIssue): Promise<void>;
}

const PREVIEW_FIELDS = 200;

const TITLES: Record<PushPlan["mode"], { what: string; verb: string; nothing: string }> = {
  push: { what: "What will change in Campfire", verb: "Push", nothing: "Nothing to push: the table matches what was pulled." },
  "push-again": { what: "What will be pushed again", verb: "Push", nothing: "Nothing to push again: every record of the last push went through, or no longer differs." },
  undo: { what: "What the undo puts back in Campfire", verb: "Undo", nothing: "Nothing to undo." },
};

/** "3 minutes ago" for a server time; the exact time is in the element's title. */
export function ago(iso: string, now: Date = new Date()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso || "at an unknown time";
  const seconds = Math.max(0, Math.round((now.getTime() - at) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  return `on ${iso.slice(0, 10)}`;
}

function valueText(f: PlannedField): string {
  const shown = (v: string) => v || "(empty)";
  return f.changedInCampfire ? `${shown(f.pulled)} · Campfire now ${shown(f.now)} → ${shown(f.send)}` : `${shown(f.now)} → ${shown(f.send)}`;
}

function recordNote(record: PlannedRecord): string | null {
  switch (record.action) {
    case "blocked":
      return `Not sent: ${record.message ?? "blocked"}`;
    case "unreadable":
      return `Not sent: ${record.message ?? "Campfire could not be read"}`;
    case "in-sync":
      return "Campfire already holds these values: nothing is sent.";
    default:
      return null;
  }
}

export class PushView {
  readonly element: HTMLElement;
  private readonly planBox: HTMLElement;
  private readonly results: HTMLElement;
  private readonly planButton: HTMLButtonElement;
  private readonly progress = progressBar("push-progress", "Push progress");
  private busy = false;

  constructor(private readonly actions: PushActions) {
    this.planButton = h("button", { id: "plan-push", type: "button", onclick: () => void this.actions.plan(this.onProgress) }, "Review push");
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

  private readonly onProgress: ProgressFn = (done, total, label) => this.progress.update(done, total, label);

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
    const titles = TITLES[plan.mode];
    const records = plan.records.length;
    if (records === 0) {
      fill(this.planBox, h("p", { id: "push-summary" }, titles.nothing));
      return;
    }
    const blocked = plan.blocked.length > 0;
    const overwrite = new Map(
      plan.records
        .filter((r) => r.action === "conflict")
        .map((r) => [r.key, h("input", { type: "checkbox", className: "overwrite", id: `overwrite-${r.key}`, value: r.key })]),
    );
    const confirm = h("button", { id: "confirm-push", type: "button" }, "");
    const update = () => {
      const sent = blocked ? 0 : plan.sendCount + [...overwrite.values()].filter((o) => o.checked).length;
      confirm.textContent = `${titles.verb} ${sent} ${sent === 1 ? "record" : "records"}`;
      // Nothing to send is not a push: the button says so and cannot be pressed.
      confirm.disabled = sent === 0;
    };
    update();
    // Shown mid-operation (the plan is built inside one): disabled until it ends, then as the plan allows.
    if (this.busy) setButtonsBusy([confirm], true);
    overwrite.forEach((o) => o.addEventListener("change", update));
    confirm.addEventListener("click", () => {
      // The tick covers the version shown here: a change made after the review is skipped as a new conflict.
      const chosen = plan.records.filter((r) => overwrite.get(r.key)?.checked).map(({ key, serverAt }) => ({ key, serverAt }));
      void this.actions.push(plan, chosen, this.onProgress);
    });
    let shown = 0;
    const rows: HTMLElement[] = [];
    for (const record of plan.records) {
      const fields = record.fields.filter(() => shown++ < PREVIEW_FIELDS);
      const note = recordNote(record);
      fields.forEach((f, i) =>
        rows.push(
          h(
            "tr",
            { className: f.overwrites ? "overwrites" : f.edited ? "" : "theirs" },
            h("td", {}, i === 0 ? record.label : ""),
            h("td", {}, f.field, f.edited ? "" : " (changed in Campfire by someone else; kept)"),
            h("td", {}, valueText(f)),
          ),
        ),
      );
      if (note) rows.push(h("tr", { className: "record-note" }, h("td", {}, fields.length ? "" : record.label), h("td", { colspan: 2 }, note)));
    }
    const changes = plan.changes.length;
    fill(
      this.planBox,
      note ? h("p", { id: "push-note", className: "status-error", role: "alert" }, note) : null,
      h("p", { id: "push-summary" }, `${changes} ${changes === 1 ? "change" : "changes"} in ${records} ${records === 1 ? "record" : "records"}.`),
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
        h("caption", {}, titles.what),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Record"), h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Campfire now → will send"))),
        h("tbody", {}, ...rows),
      ),
      shown > PREVIEW_FIELDS ? h("p", { className: "hint" }, `…and ${shown - PREVIEW_FIELDS} more fields.`) : null,
      overwrite.size
        ? h(
            "fieldset",
            { id: "conflicts" },
            h("legend", {}, plan.mode === "undo" ? "Changed in Campfire since your push — skipped unless you overwrite" : "Changed in Campfire since your pull — skipped unless you overwrite"),
            h("p", { className: "hint" }, "Overwrite sends only the fields and lines you changed; everything else keeps Campfire's current values."),
            ...plan.records
              .filter((r) => overwrite.has(r.key))
              .map((r) =>
                h(
                  "div",
                  { className: "check-row" },
                  overwrite.get(r.key) as HTMLInputElement,
                  h("label", { for: `overwrite-${r.key}`, title: `changed ${r.serverAt}; pulled ${r.pulledAt}` }, `Overwrite ${r.label} (changed in Campfire ${ago(r.serverAt)})`),
                ),
              ),
          )
        : null,
      confirm,
    );
    this.planBox.querySelector("#push-note")?.scrollIntoView({ block: "nearest" });
  }

  showReport(report: PushReport, verb: "Push" | "Undo"): void {
    fill(this.planBox);
    this.progress.element.hidden = true;
    const parts = [`${report.succeeded} done`];
    if (report.failed) parts.push(`${report.failed} failed`);
    if (report.skipped) parts.push(`${report.skipped} skipped (changed in Campfire)`);
    if (report.unknown) parts.push(`${report.unknown} not confirmed (review again)`);
    const progress = this.onProgress;
    fill(
      this.results,
      h("p", { id: "push-outcome", className: report.failed || report.skipped || report.unknown ? "status-error" : "status-ok" }, `${verb}: ${parts.join(", ")}.`),
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
        verb === "Push" && (report.failed || report.skipped || report.unknown)
          ? h("button", { id: "push-again", type: "button", onclick: () => void this.actions.planAgain(progress) }, "Review push again (not pushed only)")
          : null,
        verb === "Push" && report.succeeded
          ? h("button", { id: "undo-push", type: "button", className: "secondary", onclick: () => void this.actions.planUndo(progress) }, "Review undo of last push")
          : null,
        // What an undo could not revert stays undoable; what it reverted is done with (there is no redo).
        verb === "Undo" && (report.failed || report.skipped || report.unknown)
          ? h("button", { id: "undo-push", type: "button", className: "secondary", onclick: () => void this.actions.planUndo(progress) }, "Review the undo again (records not undone)")
          : null,
      ),
    );
  }
}
