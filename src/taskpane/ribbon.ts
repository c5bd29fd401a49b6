/**
 * Ribbon commands. They run in the shared runtime, so they work with the task pane closed: a push is planned
 * first and sent only when nothing blocks it and nothing conflicts; otherwise the pane opens with the plan.
 */
import type { Session } from "../app/session";
import type { PushPlan, PushReport, TableKind, Workbench } from "../app/workbench-api";

/** What the commands need of the pane (a narrow view of TaskPane). */
export interface RibbonPane {
  say(text: string, tone: "ok" | "error" | "busy"): void;
  showPlan(kind: TableKind, plan: PushPlan, note: string): Promise<void>;
  showReport(kind: TableKind, report: PushReport): Promise<void>;
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
    if (plan.blocked.length || plan.conflicts.length) {
      const why = plan.blocked.length
        ? `${plural(plan.blocked.length, "problem", "problems")} on the sheet must be fixed first`
        : `${plural(plan.conflicts.length, "record was", "records were")} changed in Campfire since your pull`;
      await pane.showPlan(kind, plan, `Nothing was sent: ${why}. Review the push below.`);
      await deps.openPane();
      return;
    }
    const report = await deps.workbench.push(plan);
    await pane.showReport(kind, report);
    pane.say(
      `Pushed ${TITLES[kind]}: ${report.succeeded} done${report.failed ? `, ${report.failed} failed` : ""}${report.skipped ? `, ${report.skipped} skipped` : ""}.`,
      report.failed || report.skipped ? "error" : "ok",
    );
    if (report.failed || report.skipped) await deps.openPane();
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
