/**
 * Ribbon commands. They run in the shared runtime, so they work with the task pane closed. A push is only
 * planned here: the pane always opens on the plan (every field, old → new) and nothing is sent until the user
 * confirms there — or, when something blocks the push or conflicts, sees why it cannot be sent as it is.
 */
import type { Session } from "../app/session";
import type { PushPlan, TableKind, Workbench } from "../app/workbench-api";

/** What the commands need of the pane (a narrow view of TaskPane). */
export interface RibbonPane {
  say(text: string, tone: "ok" | "error" | "busy"): void;
  /** Shows the plan with its confirm button; `note` says why it cannot be sent as it is. */
  showPlan(kind: TableKind, plan: PushPlan, note?: string): Promise<void>;
}

export interface RibbonDeps {
  session: Session;
  workbench: Workbench;
  pane(): Promise<RibbonPane>;
  openPane(): Promise<void>;
  refreshAll(): Promise<void>;
}

export interface CommandEvent {
  completed(): void;
}

export type RibbonAction = "pushAllocations" | "pushPrepaidCommits" | "refreshAll";

const TITLES: Record<TableKind, string> = { allocations: "allocations", commits: "prepaid commits" };

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
    refreshAll: command(() => deps.refreshAll()),
  };
}
