/**
 * Ribbon commands. They run in the shared runtime, so they work with the task pane closed. A push is only
 * planned here: the pane always opens on the plan (every field, old → new) and nothing is sent until the user
 * confirms there — or, when something blocks the push or conflicts, sees why it cannot be sent as it is.
 */
import type { Session } from "../app/session";
import type { PushPlan, TableKind, Workbench } from "../app/workbench-interface";

/** What the commands need of the pane (a narrow view of TaskPane). */
export interface RibbonPane {
  say(text: string, tone: "ok" | "error" | "busy"): void;
  /** Shows the plan with its confirm button; `note` says why it cannot be sent as it is. */
  showPlan(kind: TableKind, plan: PushPlan, note?: string): Promise<void>;
  /** The tables were refreshed behind the pane's back: show their stamps and check again. */
  tablesRefreshed(): Promise<void>;
}

export interface RibbonDeps {
  session: Session;
  workbench: Workbench;
  pane(): Promise<RibbonPane>;
  openPane(): Promise<void>;
  /** Re-fetches the data behind CAMPFIRE formulas and recalculates them. */
  refreshAll(): Promise<void>;
}

export interface CommandEvent {
  completed(): void;
}

export type RibbonAction = "pushAllocations" | "pushPrepaidCommits" | "refreshAll";

const TITLES: Record<TableKind, string> = { allocations: "allocations", commits: "prepaid commits" };
const KINDS: { kind: TableKind; title: string }[] = [
  { kind: "allocations", title: "Allocations" },
  { kind: "commits", title: "Prepaid commits" },
];

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function ribbonCommands(deps: RibbonDeps): Record<RibbonAction, (event: CommandEvent) => Promise<void>> {
  async function push(kind: TableKind): Promise<void> {
    const pane = await deps.pane();
    if (!deps.session.signedIn) {
      pane.say("Connect to Campfire first, then push again.", "error");
      await deps.openPane();
      return;
    }
    const plan = await deps.workbench.planPush(kind);
    if (plan.recordKeys.length === 0) {
      pane.say(`Nothing to push: the ${TITLES[kind]} table matches what was pulled.`, "ok");
      return;
    }
    const stuck = plan.records.filter((r) => r.action === "blocked" || r.action === "unreadable").length;
    if (plan.blocked.length || plan.conflicts.length || stuck) {
      const why = plan.blocked.length
        ? `${plural(plan.blocked.length, "problem", "problems")} on the sheet must be fixed first`
        : plan.conflicts.length
          ? `${plural(plan.conflicts.length, "record was", "records were")} changed in Campfire since your pull`
          : `${plural(stuck, "record", "records")} cannot be sent as ${stuck === 1 ? "it is" : "they are"}`;
      await pane.showPlan(kind, plan, `Nothing was sent: ${why}. Review the push below.`);
    } else {
      await pane.showPlan(kind, plan);
      pane.say(`Review the ${TITLES[kind]} push below: nothing is sent until you confirm it.`, "ok");
    }
    await deps.openPane();
  }

  /**
   * Refresh (the tooltip: "Pull the latest data from Campfire into every Campfire sheet"): every pulled table is
   * refreshed in place (edits kept, conflicts marked), then CAMPFIRE formulas are fetched again and recalculated.
   * A table that cannot be refreshed says why; the others still are.
   */
  async function refreshAll(): Promise<void> {
    const pane = await deps.pane();
    if (!deps.session.signedIn) {
      pane.say("Connect to Campfire first, then refresh again.", "error");
      await deps.openPane();
      return;
    }
    pane.say("Refreshing from Campfire…", "busy");
    const notes: string[] = [];
    let failed = false;
    for (const { kind, title } of KINDS) {
      try {
        if (!(await deps.workbench.stamps(kind))) continue;
        notes.push(`${title}: ${(await deps.workbench.refresh(kind)).message}`);
      } catch (error) {
        failed = true;
        notes.push(`${title}: not refreshed: ${(error instanceof Error ? error.message : String(error)).replace(/[.\s]+$/, "")}.`);
      }
    }
    try {
      await deps.refreshAll();
      notes.push("CAMPFIRE formulas recalculated.");
    } finally {
      // Reviews made before the tables changed are gone whatever the formulas did.
      await pane.tablesRefreshed();
    }
    pane.say(notes.join(" "), failed ? "error" : "ok");
  }

  /** Every command tells Office it is done, whatever happened, or the ribbon button stays busy. */
  const command = (body: () => Promise<void>) => async (event: CommandEvent) => {
    try {
      await body();
    } catch (error) {
      const pane = await deps.pane().catch(() => null);
      pane?.say(error instanceof Error ? error.message : String(error), "error");
      await deps.openPane().catch(() => undefined);
    } finally {
      event.completed();
    }
  };

  return {
    pushAllocations: command(() => push("allocations")),
    pushPrepaidCommits: command(() => push("commits")),
    refreshAll: command(refreshAll),
  };
}
