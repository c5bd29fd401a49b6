/**
 * The task pane: connection, then pull → check → push for the chosen table. It talks to the use-cases
 * through the Workbench only; Excel is behind that.
 */
import type { Session } from "../app/session";
import type { CheckReport, PushPlan, PushReport, TableKind, Workbench } from "../app/workbench-api";
import { TableMissingError } from "../domain/sheet/layout";
import { CHECK_HINT, CheckView } from "./views/check-view";
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
}

const KINDS: { kind: TableKind; label: string }[] = [
  { kind: "allocations", label: "Allocations" },
  { kind: "commits", label: "Prepaid commits" },
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
          await this.refreshCheck();
          await this.watch();
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
      balance: async (bundle) =>
        void (await this.run(async () => {
          this.checkView.show(await workbench.balance(bundle.key));
          this.say(`Balanced ${bundle.label}: the remainder went onto its largest line.`, "ok");
        })),
    });
    this.pushView = new PushView({
      plan: async (progress) =>
        void (await this.run(async () => {
          // An older plan must not stay up with its Push button while this one is made, or after it fails.
          this.pushView.reset();
          try {
            this.pushView.showPlan(await workbench.planPush(this.kind, progress));
          } catch (error) {
            this.pushView.showError(sentence("Could not review the push: ", error));
          }
        })),
      push: async (plan, overwrite, progress) =>
        void (await this.run(() => this.afterPush(() => workbench.push(plan, { overwrite, progress }), "Push"))),
      pushAgain: async (progress) => void (await this.run(() => this.afterPush(() => workbench.pushAgain(this.kind, { progress }), "Push"))),
      undo: async (progress) => void (await this.run(() => this.afterPush(() => workbench.undoLastPush(this.kind, { progress }), "Undo"))),
      select: async (issue) => void (await this.run(() => workbench.select(this.kind, issue.row, issue.column))),
    });
    this.tabs = KINDS.map(({ kind, label }) =>
      h("button", { id: `kind-${kind}`, type: "button", role: "tab", "aria-selected": String(kind === this.kind), onclick: () => void this.switchTo(kind) }, label),
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
      this.pullView.element,
      this.checkView.element,
      this.pushView.element,
      h("section", { id: "formulas-section", "aria-label": "Formulas" }, refresh),
    );
    root.replaceChildren(h("header", {}, h("h1", {}, "Campfire")), this.notice, this.connection.element, this.workspace);
    session.onConnectionChange(() => void this.connectionChanged());
    this.pullView.setKind(this.kind);
  }

  /** Shows the signed-in state (after a restore) and starts checking the current table. */
  async start(): Promise<void> {
    await this.connectionChanged();
  }

  private async connectionChanged(): Promise<void> {
    const described = this.deps.session.describe();
    this.connection.show(described);
    this.workspace.hidden = described === null;
    // What the pane showed belongs to the previous connection: a plan from it must not be pushed with this one.
    this.pushView.reset();
    this.pullView.reset();
    this.checkView.clear(described ? "Checking…" : CHECK_HINT);
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

  /** For the ribbon: the plan to confirm, or (with `note`) why it cannot be sent as it is. */
  async showPlan(kind: TableKind, plan: PushPlan, note?: string): Promise<void> {
    await this.switchTo(kind);
    this.pushView.showPlan(plan, note);
  }

  private async switchTo(kind: TableKind): Promise<void> {
    if (kind === this.kind) return;
    await this.unwatch();
    this.kind = kind;
    this.tabs.forEach((tab) => tab.setAttribute("aria-selected", String(tab.id === `kind-${kind}`)));
    this.pullView.setKind(kind);
    this.pushView.reset();
    this.checkView.clear("Checking…");
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
      this.showCheck(await this.deps.workbench.check(this.kind));
    } catch (error) {
      if (loud) this.checkView.showError(sentence("Check failed: ", error));
      else this.checkView.clear(sentence("", error));
    }
  }

  private showCheck(report: CheckReport): void {
    // A watch report can land after a sign-out; the signed-out pane shows no results.
    if (report.kind === this.kind && this.deps.session.describe() !== null) this.checkView.show(report);
  }

  private async watch(): Promise<void> {
    await this.unwatch();
    try {
      this.stopWatch = await this.deps.workbench.watch(this.kind, (report) => this.showCheck(report));
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
