/**
 * Push: every write is reviewed first — a push, a push again of what did not go through, an undo. The review
 * shows each record's fields or lines as pulled → Campfire now → will send, marks what someone else changed in
 * Campfire, and offers overwrite in place; nothing is sent until the user confirms that review. Then progress,
 * results, and the next reviews (push again, undo).
 */
import type { LocatedIssue, OverwriteConsent, PlannedField, PlannedRecord, PushPlan, PushReport } from "../../app/workbench-interface";
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
  "push-again": {
    what: "What will be pushed again",
    verb: "Push",
    nothing: "Nothing to push again: every record of the last push went through, or no longer differs.",
  },
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
  return f.changedInCampfire
    ? `${shown(f.pulled)} · Campfire now ${shown(f.now)} → ${shown(f.send)}`
    : `${shown(f.now)} → ${shown(f.send)}`;
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
    this.planButton = h(
      "button",
      { id: "plan-push", type: "button", onclick: () => void this.actions.plan(this.onProgress) },
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
      const settle = blocked ? 0 : plan.settleCount;
      // Records Campfire already holds are settled by confirming (nothing is sent for them); with nothing to send
      // or settle there is no push: the button says so and cannot be pressed.
      confirm.textContent =
        sent === 0 && settle > 0
          ? `Mark ${settle} ${settle === 1 ? "record" : "records"} as done (already in Campfire)`
          : `${titles.verb} ${sent} ${sent === 1 ? "record" : "records"}`;
      confirm.disabled = sent === 0 && settle === 0;
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
    const cards = plan.records.map((record) => {
      const fields = record.fields.filter(() => shown++ < PREVIEW_FIELDS);
      const note = recordNote(record);
      const tick = overwrite.get(record.key);
      return h(
        "li",
        { className: `review-card action-${record.action}`, "data-key": record.key },
        h("h3", { className: "review-record" }, record.label),
        // The overwrite choice sits on the record it is about, with when Campfire changed it.
        tick
          ? h(
              "div",
              { className: "check-row review-conflict" },
              tick,
              h(
                "label",
                { for: `overwrite-${record.key}`, title: `changed ${record.serverAt}; pulled ${record.pulledAt}` },
                `Overwrite with your changes (changed in Campfire ${ago(record.serverAt)})`,
              ),
            )
          : null,
        note ? h("p", { className: record.action === "in-sync" ? "review-note" : "review-note status-error" }, note) : null,
        fields.length
          ? h(
              "ul",
              { className: "review-fields" },
              ...fields.map((f) =>
                h(
                  "li",
                  { className: `review-field${f.edited ? "" : " theirs"}${f.overwrites ? " overwrites" : ""}` },
                  h("span", { className: "field-name" }, f.field),
                  h("span", { className: "field-values" }, valueText(f)),
                  f.edited ? null : h("span", { className: "field-note" }, "changed in Campfire by someone else; kept"),
                  f.overwrites ? h("span", { className: "field-note" }, "your value replaces a change made in Campfire") : null,
                ),
              ),
            )
          : null,
      );
    });
    const changes = plan.changes.length;
    fill(
      this.planBox,
      note ? h("p", { id: "push-note", className: "status-error", role: "alert" }, note) : null,
      h(
        "p",
        { id: "push-summary" },
        `${changes} ${changes === 1 ? "change" : "changes"} in ${records} ${records === 1 ? "record" : "records"}.`,
      ),
      blocked
        ? h(
            "div",
            { id: "push-blocked", role: "alert" },
            h("p", { className: "status-error" }, "Nothing will be sent until these problems are fixed:"),
            issueList("blocked-issues", plan.blocked, (issue) => void this.actions.select(issue)),
          )
        : null,
      overwrite.size
        ? h(
            "p",
            { id: "conflicts", className: "review-conflicts" },
            `${overwrite.size === 1 ? "1 record was" : `${overwrite.size} records were`} changed in Campfire since your ${plan.mode === "undo" ? "push" : "pull"}: ` +
              "skipped unless you tick overwrite on it. Overwrite sends only the fields and lines you changed; everything else keeps Campfire's current values.",
          )
        : null,
      h("h3", { id: "push-preview-title" }, titles.what),
      h("ul", { id: "push-preview", className: "review-cards", "aria-labelledby": "push-preview-title" }, ...cards),
      shown > PREVIEW_FIELDS ? h("p", { className: "hint" }, `…and ${shown - PREVIEW_FIELDS} more fields.`) : null,
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
      h(
        "p",
        { id: "push-outcome", className: report.failed || report.skipped || report.unknown ? "status-error" : "status-ok" },
        `${verb}: ${parts.join(", ")}.`,
      ),
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
          ? h(
              "button",
              { id: "push-again", type: "button", onclick: () => void this.actions.planAgain(progress) },
              "Review push again (not pushed only)",
            )
          : null,
        verb === "Push" && report.succeeded
          ? h(
              "button",
              { id: "undo-push", type: "button", className: "secondary", onclick: () => void this.actions.planUndo(progress) },
              "Review undo of last push",
            )
          : null,
        // What an undo could not revert stays undoable; what it reverted is done with (there is no redo).
        verb === "Undo" && (report.failed || report.skipped || report.unknown)
          ? h(
              "button",
              { id: "undo-push", type: "button", className: "secondary", onclick: () => void this.actions.planUndo(progress) },
              "Review the undo again (records not undone)",
            )
          : null,
      ),
    );
  }
}
