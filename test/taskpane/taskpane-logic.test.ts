/** The task pane's logic that needs no DOM: the contract-ID field and the ribbon commands' decisions. */
import type { CampfireApi } from "../../src/api/campfire-api";

import { Session } from "../../src/app/session";
import type { PushPlan, TableKind, Workbench } from "../../src/app/workbench-interface";
import { ALLOCATIONS_LAYOUT } from "../../src/domain/sheet/allocation-table";
import { TableMissingError } from "../../src/domain/sheet/layout";
import { parseContractIds } from "../../src/taskpane/contract-ids";
import { watchFailureNote } from "../../src/taskpane/pane";
import { ribbonCommands, type RibbonPane } from "../../src/taskpane/ribbon";
import { differenceText } from "../../src/taskpane/views/check-view";
import { discardQuestion } from "../../src/taskpane/views/pull-view";
import { MemoryConnectionStore } from "../helpers/memory-connection-store";

describe("contract IDs", () => {
  test.each([
    ["", "all"],
    ["  all ", "all"],
    ["3", [3]],
    ["3, 5", [3, 5]],
    ["3;5 7,,3", [3, 5, 7]],
  ])("%j → %j", (text, ids) => {
    expect(parseContractIds(text)).toEqual({ ok: true, ids });
  });

  test.each(["3, x", "0", "-4", "2.5", "99999999999"])("%j is refused with what is allowed", (text) => {
    const result = parseContractIds(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /is not a contract ID; enter IDs like 3, 5 \(whole numbers from 1\), or leave the field empty for all contracts\.$/,
    );
  });
});

describe("wording", () => {
  test.each([
    ["-32333.33", "USD", "32,333.33 USD short"],
    ["0.01", "USD", "0.01 USD over"],
    ["-400", "JPY", "400 JPY short"],
    ["1234567.5", "", "1,234,567.5 over"],
  ])("a bundle %s %s off its total reads %j", (difference, currency, text) => {
    expect(differenceText(difference, currency)).toBe(text);
  });

  test.each([
    [1, 1, "You have 1 unpushed edit in 1 record. Pull anyway and lose it?"],
    [3, 1, "You have 3 unpushed edits in 1 record. Pull anyway and lose them?"],
    [12, 5, "You have 12 unpushed edits in 5 records. Pull anyway and lose them?"],
  ])("%i edits in %i records: the pull asks %j", (cells, records, text) => {
    expect(discardQuestion(cells, records)).toBe(text);
  });

  test("a table that cannot be compared: the question gives the reason", () => {
    expect(discardQuestion(0, 0, "This workbook has no pulled Campfire data kept for the Allocations table; pull again.")).toBe(
      "Cannot tell which cells you edited (This workbook has no pulled Campfire data kept for the Allocations table; pull again). Pull anyway and lose any edits?",
    );
  });
});

describe("ribbon push", () => {
  const plan = (over: Partial<PushPlan> = {}): PushPlan => ({
    id: "plan-1",
    kind: "allocations",
    mode: "push",
    records: [],
    sendCount: 1,
    settleCount: 0,
    changes: [{ key: "1:subscription:1001", label: "Bundle 1001", field: "Amount", old: "1.00", new: "2.00" }],
    recordKeys: ["1:subscription:1001"],
    blocked: [],
    conflicts: [],
    ...over,
  });

  async function setup(nextPlan: PushPlan | Error, signedIn = true, refreshFails = false) {
    const session = new Session(new MemoryConnectionStore(), () => ({}) as CampfireApi);
    if (signedIn) await session.signIn({ baseUrl: "http://x/campfire", token: "t", kind: "sandbox" }, async () => undefined);
    const calls: string[] = [];
    const workbench = {
      planPush: async (kind: TableKind) => {
        calls.push(`plan ${kind}`);
        if (nextPlan instanceof Error) throw nextPlan;
        return nextPlan;
      },
      // The ribbon must never send: a call here shows up in `calls` and fails the expectations.
      push: async (p: PushPlan) => void calls.push(`push ${p.recordKeys.join(",")}`),
      planPushAgain: async () => void calls.push("planPushAgain"),
      // Allocations were pulled, prepaid commits never.
      stamps: async (kind: TableKind) => (kind === "allocations" ? { pulledAt: "2026-12-05T10:42:00Z", refreshedAt: null } : null),
      refresh: async (kind: TableKind) => {
        calls.push(`refresh ${kind}`);
        if (refreshFails) throw new Error("There is no Allocations table on the sheet");
        return { kind, updatedRows: 2, kept: 1, conflicts: 1, message: "Refreshed: 2 rows updated from Campfire; 1 edited record kept." };
      },
    } as unknown as Workbench;
    const pane: RibbonPane = {
      say: (text, tone) => void calls.push(`say ${tone}: ${text}`),
      showPlan: async (kind, p, note) => void calls.push(`showPlan ${kind} ${p.recordKeys.join(",")}: ${note ?? "(to confirm)"}`),
      tablesRefreshed: async () => void calls.push("tablesRefreshed"),
    };
    const commands = ribbonCommands({
      session,
      workbench,
      pane: async () => pane,
      openPane: async () => void calls.push("openPane"),
      refreshAll: async () => void calls.push("refreshAll"),
    });
    let completed = 0;
    const event = { completed: () => void completed++ };
    return { commands, calls, event, completed: () => completed };
  }

  test("a clean plan is not sent: the pane opens on the preview, where the user confirms", async () => {
    const s = await setup(plan());
    await s.commands.pushAllocations(s.event);
    expect(s.calls).toEqual([
      "plan allocations",
      "showPlan allocations 1:subscription:1001: (to confirm)",
      "say ok: Review the allocations push below: nothing is sent until you confirm it.",
      "openPane",
    ]);
    expect(s.completed()).toBe(1);
  });

  test("problems on the sheet: nothing is sent, the pane opens with the plan", async () => {
    const blocked = plan({ blocked: [{} as PushPlan["blocked"][number], {} as PushPlan["blocked"][number]] });
    const s = await setup(blocked);
    await s.commands.pushAllocations(s.event);
    expect(s.calls).toEqual([
      "plan allocations",
      "showPlan allocations 1:subscription:1001: Nothing was sent: 2 problems on the sheet must be fixed first. Review the push below.",
      "openPane",
    ]);
    expect(s.completed()).toBe(1);
  });

  test("records changed in Campfire since the pull: nothing is sent, the user decides in the pane", async () => {
    const s = await setup({ ...plan(), kind: "commits", conflicts: [{ key: "k", label: "Commit 7", pulledAt: "a", serverAt: "b" }] });
    await s.commands.pushPrepaidCommits(s.event);
    expect(s.calls).toEqual([
      "plan commits",
      "showPlan commits 1:subscription:1001: Nothing was sent: 1 record was changed in Campfire since your pull. Review the push below.",
      "openPane",
    ]);
  });

  test("nothing to push is said; the pane is not opened", async () => {
    const s = await setup(plan({ recordKeys: [], changes: [] }));
    await s.commands.pushAllocations(s.event);
    expect(s.calls).toEqual(["plan allocations", "say ok: Nothing to push: the allocations table matches what was pulled."]);
  });

  test("signed out: asks to connect, plans nothing", async () => {
    const s = await setup(plan(), false);
    await s.commands.pushAllocations(s.event);
    expect(s.calls).toEqual(["say error: Connect to Campfire first, then push again.", "openPane"]);
    expect(s.completed()).toBe(1);
  });

  test("a failure is shown and the command still completes", async () => {
    const s = await setup(new Error("There is no Allocations table on the sheet"));
    await s.commands.pushAllocations(s.event);
    expect(s.calls).toEqual(["plan allocations", "say error: There is no Allocations table on the sheet", "openPane"]);
    expect(s.completed()).toBe(1);
    await s.commands.refreshAll(s.event);
    expect(s.calls.at(-1)).toBe(
      "say ok: Allocations: Refreshed: 2 rows updated from Campfire; 1 edited record kept. CAMPFIRE formulas recalculated.",
    );
    expect(s.completed()).toBe(2);
  });

  test("Refresh does what its tooltip says: every pulled table refreshed in place, then CAMPFIRE formulas", async () => {
    const s = await setup(plan());
    await s.commands.refreshAll(s.event);
    expect(s.calls).toEqual([
      "say busy: Refreshing from Campfire…",
      "refresh allocations",
      "refreshAll",
      "tablesRefreshed",
      "say ok: Allocations: Refreshed: 2 rows updated from Campfire; 1 edited record kept. CAMPFIRE formulas recalculated.",
    ]);
    expect(s.completed()).toBe(1);
  });

  test("a table that cannot be refreshed says why; formulas are still recalculated", async () => {
    const s = await setup(plan(), true, true);
    await s.commands.refreshAll(s.event);
    expect(s.calls.slice(1)).toEqual([
      "refresh allocations",
      "refreshAll",
      "tablesRefreshed",
      "say error: Allocations: not refreshed: There is no Allocations table on the sheet. CAMPFIRE formulas recalculated.",
    ]);
  });

  test("signed out: Refresh asks to connect first", async () => {
    const s = await setup(plan(), false);
    await s.commands.refreshAll(s.event);
    expect(s.calls).toEqual(["say error: Connect to Campfire first, then refresh again.", "openPane"]);
  });
});

describe("watching the table for edits", () => {
  test("no table yet is expected: the pane stays quiet and the pull starts the watch", () => {
    expect(watchFailureNote(new TableMissingError(ALLOCATIONS_LAYOUT))).toBeNull();
  });

  test.each([
    [new Error("RichApi.Error: The request failed"), "Edits are not checked as you type: RichApi.Error: The request failed."],
    [
      new TypeError("workbook.onTableChanged is not a function"),
      "Edits are not checked as you type: workbook.onTableChanged is not a function.",
    ],
    ["offline", "Edits are not checked as you type: offline."],
  ])("any other failure is said: %s", (error, note) => {
    expect(watchFailureNote(error)).toBe(note);
  });
});
