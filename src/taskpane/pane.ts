/**
 * The task pane: connection, then pull → check → push for the chosen table. It talks to the use-cases
 * through the Workbench only; Excel is behind that.
 */
import type { Session } from "../app/session";
import type { CheckReport, PushPlan, PushReport, TableKind, Workbench } from "../app/workbench-interface";
import { ALLOCATIONS_LAYOUT } from "../domain/sheet/allocation-table";
import { COMMITS_LAYOUT } from "../domain/sheet/commit-table";
import type { SheetActivationPort } from "../app/ports";
import { CHECK_HINT, CheckView, type TablePlace } from "./views/check-view";
import { TableMissingError } from "../domain/sheet/layout";
import { ConnectionView, type ConnectionDefaults } from "./views/connection-view";
import { h } from "./views/dom";
import { PullView } from "./views/pull-view";
import { PushView } from "./views/push-view";

export interface PaneDeps {
  session: Session;
  workbench: Workbench;
  defaults: ConnectionDefaults;
  /** Re-fetches the data behind CAMPFIRE formulas. */
  refreshFormulas(): Promise<void>;
  /** Keeps the tabs and Excel's sheets together; without it the tabs only switch the pane. */
  sheets?: SheetActivationPort | undefined;
}

const KINDS: { kind: TableKind; label: string; sheetName: string; tableName: string }[] = [
  { kind: "allocations", label: "Allocations", sheetName: ALLOCATIONS_LAYOUT.sheetName, tableName: ALLOCATIONS_LAYOUT.tableName },
  { kind: "commits", label: "Prepaid commits", sheetName: COMMITS_LAYOUT.sheetName, tableName: COMMITS_LAYOUT.tableName },
];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "Check failed: " + a message, ending in exactly one full stop. */
function sentence(prefix: string, error: unknown): string {
  const text = `${prefix}${messageOf(error)}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * What the pane says when it cannot watch the table for edits: nothing when the table is not there yet (the pull
 * starts watching it), the reason for anything else — the user must know edits are not being checked.
 */
export function watchFailureNote(error: unknown): string | null {
  return error instanceof TableMissingError ? null : sentence("Edits are not checked as you type: ", error);
}

export const BUSY_NOTE = "Another Campfire operation is still running; wait for it to finish.";

export class TaskPane {
  private kind: TableKind = "allocations";
  private stopWatch: (() => Promise<void>) | null = null;
  /** Orders the check renders: a report that waited on the selection must not replace a newer one. */
  private shown = 0;
  private busy = false;
  private readonly notice: HTMLElement;
  private readonly workspace: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private readonly connection: ConnectionView;
  private readonly pullView: PullView;
  private readonly checkView: CheckView;
  private readonly pushView: PushView;

  constructor(
    readonly root: HTMLElement,
    private readonly deps: PaneDeps,
  ) {
    const { session, workbench } = deps;
    this.notice = h("div", { id: "notice", role: "status", "aria-live": "polite", hidden: true });
    this.connection = new ConnectionView(deps.defaults, {
      connect: (connection) => session.signIn(connection),
      // Through run(): never while a pull or push is still using the signed-in client.
      signOut: async () =>
        void (await this.run(async () => {
          await this.unwatch();
          await session.signOut();
        })),
    });
    this.pullView = new PullView({
      pull: (ids, progress, discardEdits) =>
        this.run(async () => {
          const result = await workbench.pull(this.kind, ids, progress, { discardEdits });
          this.pushView.reset();
          await this.showStamps();
          await this.refreshCheck();
          await this.watch();
          return result.message;
        }, true),
      refresh: (progress) =>
        this.run(async () => {
          const result = await workbench.refresh(this.kind, progress);
          // A review made before the refresh is of rows that may have changed.
          this.pushView.reset();
          await this.showStamps();
          await this.refreshCheck();
          return result.message;
        }, true),
    });
    this.checkView = new CheckView({
      check: async () =>
        void (await this.run(async () => {
          this.checkView.clear("Checking…");
          await this.refreshCheck(true);
        })),
      select: async (issue) => void (await this.run(() => workbench.select(this.kind, issue.row, issue.column))),
      balance: async (bundle, row) =>
        void (await this.run(async () => {
          const report = await workbench.balance(bundle.key, row);
          await this.showCheck(report);
          this.say(
            report.moved
              ? `Balanced ${bundle.label}: ${report.moved.line} at ${report.moved.address} went from ${report.moved.from} to ${report.moved.to} (${report.moved.change}).`
              : `${bundle.label} already adds up to its total.`,
            "ok",
          );
        })),
    });
    const review = (what: string, make: () => Promise<PushPlan>) =>
      this.run(async () => {
        // An older plan must not stay up with its confirm button while this one is made, or after it fails.
        this.pushView.reset();
        try {
          this.pushView.showPlan(await make());
        } catch (error) {
          this.pushView.showError(sentence(`Could not review the ${what}: `, error));
        }
      });
    this.pushView = new PushView({
      plan: async (progress) => void (await review("push", () => workbench.planPush(this.kind, progress))),
      planAgain: async (progress) => void (await review("push again", () => workbench.planPushAgain(this.kind, progress))),
      planUndo: async (progress) => void (await review("undo", () => workbench.planUndo(this.kind, progress))),
      push: async (plan, overwrite, progress) =>
        void (await this.run(() =>
          this.afterPush(() => workbench.push(plan, { overwrite, progress }), plan.mode === "undo" ? "Undo" : "Push"),
        )),
      select: async (issue) => void (await this.run(() => workbench.select(this.kind, issue.row, issue.column))),
    });
    this.tabs = KINDS.map(({ kind, label }) =>
      h(
        "button",
        {
          id: `kind-${kind}`,
          type: "button",
          role: "tab",
          "aria-selected": String(kind === this.kind),
          "aria-controls": "table-panel",
          tabindex: kind === this.kind ? 0 : -1,
          onclick: () => void this.switchTo(kind),
          onkeydown: (e: Event) => this.tabKey(e as KeyboardEvent),
        },
        label,
      ),
    );
    const refresh = h(
      "button",
      {
        id: "refresh-formulas",
        type: "button",
        className: "secondary",
        onclick: () =>
          void this.run(async () => {
            await deps.refreshFormulas();
            this.say("CAMPFIRE formulas refreshed.", "ok");
          }),
      },
      "Refresh CAMPFIRE formulas",
    );
    this.workspace = h(
      "div",
      { id: "workspace", hidden: true },
      h("div", { role: "tablist", "aria-label": "Table", className: "tabs" }, ...this.tabs),
      h(
        "div",
        { id: "table-panel", role: "tabpanel", "aria-labelledby": `kind-${this.kind}` },
        this.pullView.element,
        this.checkView.element,
        this.pushView.element,
      ),
      h("section", { id: "formulas-section", "aria-label": "Formulas" }, refresh),
    );
    root.replaceChildren(h("header", {}, h("h1", {}, "Campfire")), this.notice, this.connection.element, this.workspace);
    session.onConnectionChange(() => void this.connectionChanged());
    this.pullView.setKind(this.kind);
  }

  /** Shows the signed-in state (after a restore) and starts checking the current table. */
  async start(): Promise<void> {
    await this.connectionChanged();
    if (this.deps.sheets) {
      // A Campfire sheet the user activates in Excel selects its tab here.
      // The pane lives as long as the page, so the handler is never removed.
      await this.deps.sheets
        .onActivated((name) => {
          const kind = KINDS.find((k) => k.sheetName === name)?.kind;
          if (kind && kind !== this.kind && !this.busy) void this.switchTo(kind, false);
        })
        .catch(() => undefined);
    }
  }

  /** Arrow keys, Home and End move between the tabs, as in Office. */
  private tabKey(e: KeyboardEvent): void {
    const at = this.tabs.findIndex((t) => t === e.currentTarget);
    const n = this.tabs.length;
    const to =
      e.key === "ArrowRight"
        ? (at + 1) % n
        : e.key === "ArrowLeft"
          ? (at - 1 + n) % n
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? n - 1
              : -1;
    if (to < 0) return;
    e.preventDefault();
    this.tabs[to]?.focus();
    const kind = KINDS[to]?.kind;
    if (kind) void this.switchTo(kind);
  }

  private async connectionChanged(): Promise<void> {
    const described = this.deps.session.describe();
    this.connection.show(described);
    this.workspace.hidden = described === null;
    // What the pane showed belongs to the previous connection: a plan from it must not be pushed with this one.
    this.pushView.reset();
    this.pullView.reset();
    this.checkView.clear(described ? "Checking…" : CHECK_HINT);
    await this.showStamps();
    if (described) {
      await this.refreshCheck();
      await this.watch();
    } else {
      await this.unwatch();
    }
  }

  /** A message at the top of the pane: "ok" and "busy" are polite, "error" is an alert. */
  say(text: string, tone: "ok" | "error" | "busy"): void {
    this.notice.hidden = false;
    this.notice.textContent = text;
    this.notice.className = `status-${tone}`;
    this.notice.setAttribute("role", tone === "error" ? "alert" : "status");
  }

  /** For the ribbon: after it refreshed the tables, the current table's stamps and check. */
  async tablesRefreshed(): Promise<void> {
    this.pushView.reset();
    await this.showStamps();
    await this.refreshCheck();
  }

  /** "Pulled 10:42 · refreshed 11:05" for the current table (hidden with Refresh when it was never pulled). */
  private async showStamps(): Promise<void> {
    const kind = this.kind;
    const stamps = this.deps.session.describe() === null ? null : await this.deps.workbench.stamps(kind).catch(() => null);
    if (kind === this.kind) this.pullView.setStamps(stamps);
  }

  /** For the ribbon: the plan to confirm, or (with `note`) why it cannot be sent as it is. */
  async showPlan(kind: TableKind, plan: PushPlan, note?: string): Promise<void> {
    await this.switchTo(kind);
    this.pushView.showPlan(plan, note);
  }

  /** `activateSheet`: the user chose the tab here, so Excel shows its sheet too (when it exists). */
  private async switchTo(kind: TableKind, activateSheet = true): Promise<void> {
    if (kind === this.kind) return;
    await this.unwatch();
    this.kind = kind;
    this.tabs.forEach((tab) => {
      const selected = tab.id === `kind-${kind}`;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    this.workspace.querySelector("#table-panel")?.setAttribute("aria-labelledby", `kind-${kind}`);
    const sheetName = KINDS.find((k) => k.kind === kind)?.sheetName;
    if (activateSheet && sheetName && this.deps.sheets) await this.deps.sheets.activate(sheetName).catch(() => false);
    this.pullView.setKind(kind);
    // What the other table's pull said ("Pulled 8 prepaid commits") is not about this one.
    this.pullView.reset();
    this.pushView.reset();
    this.checkView.clear("Checking…");
    await this.showStamps();
    await this.refreshCheck();
    await this.watch();
  }

  private async afterPush(send: () => Promise<PushReport>, verb: "Push" | "Undo"): Promise<void> {
    const report = await send();
    this.pushView.showReport(report, verb);
    await this.refreshCheck();
  }

  /** Runs the check; without `loud` a missing table is a hint, not an error. */
  private async refreshCheck(loud = false): Promise<void> {
    try {
      await this.showCheck(await this.deps.workbench.check(this.kind));
    } catch (error) {
      if (loud) this.checkView.showError(sentence("Check failed: ", error));
      else this.checkView.clear(sentence("", error));
    }
  }

  private async showCheck(report: CheckReport): Promise<void> {
    const turn = ++this.shown;
    const place = report.kind === "allocations" ? await this.place(report.kind) : null;
    if (turn !== this.shown) return; // a newer report is already on its way
    // A watch report can land after a sign-out; the signed-out pane shows no results.
    if (report.kind === this.kind && this.deps.session.describe() !== null) this.checkView.show(report, place);
  }

  /** Where the table is and the user's row in it, for the balance picker; null when Excel cannot say. */
  private async place(kind: TableKind): Promise<TablePlace | null> {
    const tableName = KINDS.find((k) => k.kind === kind)?.tableName;
    if (!tableName || !this.deps.sheets) return null;
    return this.deps.sheets.tableSelection(tableName).catch(() => null);
  }

  private async watch(): Promise<void> {
    await this.unwatch();
    try {
      this.stopWatch = await this.deps.workbench.watch(this.kind, (report) => void this.showCheck(report));
    } catch (error) {
      const note = watchFailureNote(error);
      if (note !== null) this.checkView.showError(note);
    }
  }

  private async unwatch(): Promise<void> {
    const stop = this.stopWatch;
    this.stopWatch = null;
    if (stop) await stop().catch(() => undefined);
  }

  /**
   * One operation at a time. A failure is shown at the top of the pane; `rethrow` also hands it to a caller
   * that shows it in place (the pull form).
   */
  private async run<T>(operation: () => Promise<T>, rethrow = false): Promise<T | undefined> {
    if (this.busy) {
      // Refused, not failed: the running operation goes on, so the note is neutral.
      this.say(BUSY_NOTE, "busy");
      return undefined;
    }
    this.setBusy(true);
    try {
      this.notice.hidden = true;
      return await operation();
    } catch (error) {
      if (rethrow) throw error;
      this.say(messageOf(error), "error");
      return undefined;
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.root.setAttribute("aria-busy", String(busy));
    this.connection.setBusy(busy);
    this.pullView.setBusy(busy);
    this.checkView.setBusy(busy);
    this.pushView.setBusy(busy);
  }
}
