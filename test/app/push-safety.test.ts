/**
 * What a push must never do, found by review against the sandbox: overwrite a version the user did not see,
 * write results onto rows the user moved, pass a plan that then fails vaguely, send a value Campfire would
 * refuse, pull over edits it cannot count, forget an undo, or read a missing snapshot as "no edits".
 */
import { ArgumentError } from "../../src/api/errors";
import { pushFailureMessage } from "../../src/app/workbench";
import { BlockedPlanError, UnpushedEditsError } from "../../src/app/workbench-interface";
import { SnapshotError } from "../../src/domain/sheet/snapshot";
import type { MemoryWorkbook } from "../helpers/memory-workbook";
import { ALLOCATIONS, COMMITS, STAMP, commitRow, lineRow, startBench, pushAgain, undo, type Bench } from "./workbench-helpers";

let bench: Bench;
beforeEach(async () => {
  bench = await startBench();
});
afterEach(() => bench.close());

const BUNDLE = "1:subscription:1001";
const GROWTH = "1:subscription:1002";
const LABEL = 'Bundle on subscription 1001 ("Acme Corp — 2026 Platform Renewal") of contract 1';
const LABEL_9002 = 'Prepaid commit 9002 ("Burst Capacity Pool") of contract 3';

const amounts = (itemId: number) => bench.sandbox.store.bundleOf("subscription", 1, itemId).lines.map((l) => l.amount);
const consents = (conflicts: readonly { key: string; serverAt: string }[]) => conflicts.map(({ key, serverAt }) => ({ key, serverAt }));
const conflictMessage = (at: string) =>
  `Not sent: changed in Campfire since the pull (last modified ${at}); tick overwrite in the review or pull again`;

/** Runs `act` once, the first time the add-in saves to the workbook: that is, after the requests went out. */
function whileRequestsAreOut(wb: MemoryWorkbook, act: () => void): void {
  // A push saves what went through (snapshot and last push, in one call) after its requests are answered.
  const save = wb.saveSnapshots.bind(wb);
  let done = false;
  wb.saveSnapshots = async (entries) => {
    if (!done) {
      done = true;
      act();
    }
    return save(entries);
  };
}

/** A line's cells by line id, wherever the row is. */
function line(wb: MemoryWorkbook, lineId: number, header: string) {
  return wb.cell(ALLOCATIONS, lineRow(wb, lineId), header);
}

async function editBundle(): Promise<MemoryWorkbook> {
  await bench.workbench.pull("allocations", [1]);
  const wb = bench.workbook;
  wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.3);
  wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.36);
  return wb;
}

describe("overwrite covers only the version the user saw", () => {
  it("a change made after the review is refused at the send, and a new review merges over it", async () => {
    await editBundle();
    const t1 = bench.sandbox.store.touchBundle(1, "subscription", 1001, { lines: [{ product: 109, amount: 33333.34 }] });
    const plan = await bench.workbench.planPush("allocations");
    expect(plan.conflicts).toEqual([{ key: BUNDLE, label: LABEL, pulledAt: "2026-02-02T14:05:11.250000Z", serverAt: t1.last_modified_at }]);
    const t2 = bench.sandbox.store.touchBundle(1, "subscription", 1001, {
      lines: [
        { product: 101, amount: 50000 },
        { product: 109, amount: 16666.67 },
      ],
    });
    expect(t2.last_modified_at).not.toBe(t1.last_modified_at);

    bench.clearRequests();
    const skipped = await bench.workbench.push(plan, { overwrite: consents(plan.conflicts) });
    const changed = `Not sent: changed in Campfire after your review (last modified ${t2.last_modified_at}); review the push again`;
    expect(skipped.results).toEqual([
      { key: BUNDLE, label: LABEL, outcome: "conflict-skipped", message: changed, serverAt: t2.last_modified_at },
    ]);
    expect(bench.writes()).toEqual([]);
    expect(amounts(1001)).toEqual([50000, 33333.33, 16666.67]);

    // The new review merges the user's two lines over Campfire's third: they no longer add up, so nothing can go.
    const again = await bench.workbench.planPush("allocations");
    expect(again.records.map((r) => [r.action, r.serverAt])).toEqual([["blocked", t2.last_modified_at]]);
    expect(again.records[0]!.fields).toEqual([
      {
        field: "Amount of Platform — Enterprise (line 7001)",
        pulled: "33,333.33",
        now: "50,000.00",
        send: "33,333.30",
        edited: true,
        changedInCampfire: true,
        overwrites: true,
      },
      {
        field: "Amount of Premium Support (line 7002)",
        pulled: "33,333.33",
        now: "33,333.33",
        send: "33,333.36",
        edited: true,
        changedInCampfire: false,
        overwrites: false,
      },
      {
        field: "Amount of SSO & SCIM Add-on (line 7003)",
        pulled: "33,333.34",
        now: "16,666.67",
        send: "16,666.67",
        edited: false,
        changedInCampfire: true,
        overwrites: false,
      },
    ]);
    const sent = await bench.workbench.push(again, { overwrite: [{ key: BUNDLE, serverAt: t2.last_modified_at! }] });
    expect(sent.results.map((r) => r.outcome)).toEqual(["failed"]);
    expect(bench.writes()).toEqual([]);
    expect(amounts(1001)).toEqual([50000, 33333.33, 16666.67]);
  });

  it("push again is a new review: a change made since is a conflict until ticked again, never overwritten", async () => {
    const wb = await editBundle();
    const t1 = bench.sandbox.store.touchBundle(1, "subscription", 1001);
    const plan = await bench.workbench.planPush("allocations");
    bench.sandbox.injectFaults(Array(4).fill({ status: 503 }), { method: "PATCH" });
    const failed = await bench.workbench.push(plan, { overwrite: consents(plan.conflicts) });
    expect(failed.results.map((r) => r.outcome)).toEqual(["failed"]);
    expect(t1.last_modified_at).toBe(bench.sandbox.store.bundleOf("subscription", 1, 1001).last_modified_at);
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.allocations")!)).toMatchObject({ failed: [BUNDLE] });

    const t3 = bench.sandbox.store.touchBundle(1, "subscription", 1001);
    bench.clearRequests();
    const again = await pushAgain(bench.workbench, "allocations");
    expect(again.results).toEqual([
      {
        key: BUNDLE,
        label: LABEL,
        outcome: "conflict-skipped",
        message: conflictMessage(t3.last_modified_at!),
        serverAt: t3.last_modified_at,
      },
    ]);
    expect(bench.writes()).toEqual([]);
    expect(amounts(1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });

  it("a consent kept by an earlier version of the add-in (a bare key) overwrites nothing", async () => {
    const wb = await editBundle();
    bench.sandbox.store.touchBundle(1, "subscription", 1001, { lines: [{ product: 109, amount: 33333.34 }] });
    wb.snapshots.set(
      "campfire.last-push.allocations",
      JSON.stringify({ version: 1, kind: "allocations", failed: [BUNDLE], overwrite: [BUNDLE], pushed: [] }),
    );
    bench.clearRequests();
    const again = await pushAgain(bench.workbench, "allocations");
    expect(again.results.map((r) => r.outcome)).toEqual(["conflict-skipped"]);
    expect(bench.writes()).toEqual([]);
  });

  it("undo: a consent for one version does not cover a later change", async () => {
    await editBundle();
    await bench.workbench.push(await bench.workbench.planPush("allocations"));
    const s1 = bench.sandbox.store.touchBundle(1, "subscription", 1001);
    const first = await undo(bench.workbench, "allocations");
    expect(first.results.map((r) => [r.outcome, r.serverAt])).toEqual([["conflict-skipped", s1.last_modified_at]]);
    const s2 = bench.sandbox.store.touchBundle(1, "subscription", 1001);

    bench.clearRequests();
    const stale = await undo(bench.workbench, "allocations", { overwrite: [{ key: BUNDLE, serverAt: s1.last_modified_at! }] });
    expect(stale.results.map((r) => [r.outcome, r.serverAt])).toEqual([["conflict-skipped", s2.last_modified_at]]);
    expect(bench.writes()).toEqual([]);
    const fresh = await undo(bench.workbench, "allocations", { overwrite: [{ key: BUNDLE, serverAt: s2.last_modified_at! }] });
    expect(fresh.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(amounts(1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });
});

describe("results go to the rows that hold their record now", () => {
  it("the user sorts and edits while the push is out: statuses and Campfire's answer land on the right lines", async () => {
    const wb = await editBundle();
    const plan = await bench.workbench.planPush("allocations");
    whileRequestsAreOut(wb, () => {
      wb.sortBy(ALLOCATIONS, "Amount");
      wb.type(ALLOCATIONS, lineRow(wb, 7015), "Amount", -2500);
      wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", 29500);
      // A newer edit on a line of the record being pushed is the user's, not overwritten by Campfire's answer.
      wb.type(ALLOCATIONS, lineRow(wb, 7003), "Amount", 33333.35);
    });
    const report = await bench.workbench.push(plan);
    expect(report.results).toEqual([{ key: BUNDLE, label: LABEL, outcome: "done", message: `Pushed ${STAMP}` }]);
    expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
    expect(amounts(1002)).toEqual([30000, 10000.5, 5999.5, 4000, -2000]);

    const byLine = [7001, 7002, 7003, 7011, 7012, 7013, 7014, 7015].map((id) => [id, line(wb, id, "Amount"), line(wb, id, "Status")]);
    expect(byLine).toEqual([
      [7001, 33333.3, `Pushed ${STAMP}`],
      [7002, 33333.36, `Pushed ${STAMP}`],
      [7003, 33333.35, `Pushed ${STAMP}`],
      [7011, 29500, ""],
      [7012, 10000.5, ""],
      [7013, 5999.5, ""],
      [7014, 4000, ""],
      [7015, -2500, ""],
    ]);
    // Nothing read-only was disturbed: only the two bundles' sums are off, by the user's edits made meanwhile.
    const check = await bench.workbench.check("allocations");
    expect(check.issues.map((i) => [i.key, i.message])).toEqual([
      [GROWTH, "The lines sum to 47,000.00 USD, 1,000.00 short of the bundle total 48,000.00 USD."],
      [BUNDLE, "The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD."],
    ]);
  });

  it("a row deleted while the push is out gets nothing, and the result says so", async () => {
    const wb = await editBundle();
    const plan = await bench.workbench.planPush("allocations");
    whileRequestsAreOut(wb, () => wb.deleteRow(ALLOCATIONS, lineRow(wb, 7003)));
    const report = await bench.workbench.push(plan);
    expect(report.results).toEqual([
      {
        key: BUNDLE,
        label: LABEL,
        outcome: "done",
        message: `Pushed ${STAMP} (1 of its 3 rows left the sheet during the push; those are not written)`,
      },
    ]);
    expect(wb.column(ALLOCATIONS, "Line ID")).toEqual([7001, 7002, 7011, 7012, 7013, 7014, 7015]);
    expect(wb.column(ALLOCATIONS, "Status")).toEqual([`Pushed ${STAMP}`, `Pushed ${STAMP}`, "", "", "", "", ""]);
  });

  it("a failed line's mark and address follow the line after a sort", async () => {
    const wb = bench.workbook;
    await bench.workbench.pull("allocations", [1]);
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 10000);
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000);
    bench.sandbox.injectFaults([{ status: 400, body: { lines: [{}, { amount: ["Too large."] }] } }], { method: "PATCH" });
    const plan = await bench.workbench.planPush("allocations");
    whileRequestsAreOut(wb, () => wb.sortBy(ALLOCATIONS, "Line ID", true));
    const report = await bench.workbench.push(plan);
    const row = lineRow(wb, 7012);
    expect(row).toBe(3);
    expect(report.results.map((r) => [r.outcome, r.address])).toEqual([["failed", "Allocations!F5"]]);
    expect(wb.marks(ALLOCATIONS).filter((m) => m.kind === "error")).toEqual([
      { row, column: "amount", kind: "error", message: report.results[0]!.message },
    ]);
    expect(line(wb, 7012, "Status")).toBe(report.results[0]!.message);
    expect(line(wb, 7001, "Status")).toBe("");
  });

  it("commits: the status goes to the commit's row after a sort", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9002), "Priority", 3);
    const plan = await bench.workbench.planPush("commits");
    whileRequestsAreOut(wb, () => wb.sortBy(COMMITS, "Commit ID", true));
    await bench.workbench.push(plan);
    const status = (id: number) => wb.cell(COMMITS, commitRow(wb, id), "Status");
    expect([status(9001), status(9002), status(9003)]).toEqual(["", `Pushed ${STAMP}`, ""]);
    expect(wb.cell(COMMITS, commitRow(wb, 9002), "Priority")).toBe(3);
  });

  it("balance: the remainder goes to the line it was computed for, though the user sorted meanwhile", async () => {
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000.25);
    const load = wb.loadSnapshot.bind(wb);
    let sorted = false;
    wb.loadSnapshot = async (key) => {
      if (!sorted) {
        sorted = true;
        wb.sortBy(ALLOCATIONS, "Amount");
      }
      return load(key);
    };
    const report = await bench.workbench.balance(GROWTH);
    expect([7011, 7012, 7013, 7014, 7015].map((id) => line(wb, id, "Amount"))).toEqual([29999.25, 10000.5, 6000.25, 4000, -2000]);
    expect(report.bundles.find((b) => b.key === GROWTH)).toMatchObject({ difference: "0.00", balanced: true });
  });
});

describe("the plan blocks what the push would refuse, with the reason on its cell", () => {
  it("a commit row copied below the table blocks the plan, naming the copy", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    const row = commitRow(wb, 9002);
    wb.type(COMMITS, row, "Priority", 3);
    const t = wb.table(COMMITS);
    wb.insertRow(COMMITS, Object.fromEntries(t.headers.map((h, i) => [h, t.rows[row]![i]!])));
    const plan = await bench.workbench.planPush("commits");
    const duplicate = "commit 9002 is on the sheet twice; only row 'Prepaid commits'!B3 counts";
    expect(plan.blocked.map((i) => [i.key, i.address, i.message])).toEqual([["3:9002", "'Prepaid commits'!B6", duplicate]]);

    bench.clearRequests();
    // Even a plan whose blocked list was emptied by hand: the workbench confirms only the plan it made.
    await expect(bench.workbench.push({ ...plan, blocked: [] })).rejects.toThrow(BlockedPlanError);
    expect(bench.sandbox.requests).toEqual([]);
  });

  it("a value Campfire holds but this add-in cannot send back blocks the plan on its cell; choosing one sends", async () => {
    bench.sandbox.store.touchCommit(3, 9002, { overage_invoice_cadence: "custom" } as never);
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    // Untouched, it is only shown: nothing is sent, so nothing is wrong.
    expect((await bench.workbench.check("commits")).issues).toEqual([]);
    wb.type(COMMITS, commitRow(wb, 9002), "Priority", 3);
    const check = await bench.workbench.check("commits");
    expect(check.issues.map((i) => [i.key, i.address, i.message, i.allowed])).toEqual([
      [
        "3:9002",
        "'Prepaid commits'!U3",
        'Campfire holds "custom" for Overage invoice cadence, which this add-in cannot send back',
        "one of: monthly, quarterly, biannual, annual, one_time",
      ],
    ]);
    const plan = await bench.workbench.planPush("commits");
    expect(plan.blocked.map((i) => i.column)).toEqual(["overage_invoice_cadence"]);
    bench.clearRequests();
    await expect(bench.workbench.push(plan)).rejects.toThrow(BlockedPlanError);
    expect(bench.writes()).toEqual([]);
    expect(bench.sandbox.store.commit(3, 9002).overage_invoice_cadence).toBe("custom");

    wb.type(COMMITS, commitRow(wb, 9002), "Overage invoice cadence", "annual");
    const sent = await bench.workbench.push(await bench.workbench.planPush("commits"));
    expect(sent.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(bench.sandbox.store.commit(3, 9002)).toMatchObject({ priority: 3, overage_invoice_cadence: "annual" });
  });

  it("such a value set by another user after the pull stops an overwrite on its cell, before any PUT", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9002), "Priority", 3);
    bench.sandbox.store.touchCommit(3, 9002, { overage_invoice_cadence: "custom" } as never);
    const plan = await bench.workbench.planPush("commits");
    bench.clearRequests();
    const report = await bench.workbench.push(plan, { overwrite: consents(plan.conflicts) });
    const message =
      'Not sent: Campfire holds "custom" for Overage invoice cadence, which this add-in cannot send back; ' +
      "allowed: one of: monthly, quarterly, biannual, annual, one_time. Choose one in the row and push again.";
    expect(report.results).toEqual([{ key: "3:9002", label: LABEL_9002, outcome: "failed", message, address: "'Prepaid commits'!U3" }]);
    expect(bench.writes()).toEqual([]);
  });

  it("a body the client refuses reads 'Not sent: …' once, not 'Not pushed: Not sent: …'", () => {
    const refused = new ArgumentError("Not sent: the body for PUT /x is invalid", [{ path: "rate", message: "too big" }]);
    expect(pushFailureMessage(refused)).toBe("Not sent: the body for PUT /x is invalid: rate: too big");
    expect(pushFailureMessage(new Error("socket hang up"))).toBe("Not pushed: Error: socket hang up");
  });
});

describe("a pull asks first when it cannot tell which cells were edited", () => {
  const headerOf = (wb: MemoryWorkbook, header: string) => wb.table(ALLOCATIONS).headers.indexOf(header);
  it.each([
    [
      "a header renamed",
      (wb: MemoryWorkbook) => {
        wb.table(ALLOCATIONS).headers[headerOf(wb, "Line ID")] = "Line";
      },
      'The table CampfireAllocations has no column "Line ID"; put the header back (the text must match) or pull the table again',
    ],
    [
      "the kept snapshot truncated",
      (wb: MemoryWorkbook) =>
        wb.snapshots.set("campfire.snapshot.allocations", wb.snapshots.get("campfire.snapshot.allocations")!.slice(0, 500)),
      "The allocations pulled with this workbook cannot be read (it is not JSON); pull the table again before pushing",
    ],
    [
      "the kept snapshot gone",
      (wb: MemoryWorkbook) => wb.snapshots.delete("campfire.snapshot.allocations"),
      "This workbook has no pulled Campfire data kept for the Allocations table; pull again.",
    ],
  ])("%s: refused with the reason, nothing fetched; pulled when the user confirms", async (_, damage, reason) => {
    const wb = await editBundle();
    damage(wb);
    bench.clearRequests();
    const refused = bench.workbench.pull("allocations", [1]);
    await expect(refused).rejects.toThrow(UnpushedEditsError);
    await expect(refused).rejects.toMatchObject({ cells: 0, records: 0, reason });
    expect(bench.sandbox.requests).toEqual([]);
    expect(wb.column(ALLOCATIONS, "Amount").slice(0, 3)).toEqual([33333.3, 33333.36, 33333.34]);

    await bench.workbench.pull("allocations", [1], undefined, { discardEdits: true });
    expect(wb.column(ALLOCATIONS, "Amount").slice(0, 3)).toEqual([33333.33, 33333.33, 33333.34]);
  });
});

describe("a missing snapshot is not 'no edits'", () => {
  const missing = "This workbook has no pulled Campfire data kept for the Allocations table; pull again.";

  it("push, plan and check refuse with SnapshotError; nothing is sent or written", async () => {
    const wb = await editBundle();
    const plan = await bench.workbench.planPush("allocations");
    wb.snapshots.delete("campfire.snapshot.allocations");
    bench.clearRequests();
    wb.resetCalls();
    await expect(bench.workbench.push(plan)).rejects.toThrow(new SnapshotError("allocations", "missing", missing));
    await expect(bench.workbench.planPush("allocations")).rejects.toThrow(missing);
    await expect(bench.workbench.check("allocations")).rejects.toThrow(SnapshotError);
    expect(bench.sandbox.requests).toEqual([]);
    expect(wb.calls.filter((c) => !["readTable", "loadSnapshot", "readTableAndSnapshots"].includes(c.method))).toEqual([]);
  });

  it("commits name their table", async () => {
    await bench.workbench.pull("commits", [3]);
    bench.workbook.snapshots.delete("campfire.snapshot.commits");
    await expect(bench.workbench.check("commits")).rejects.toThrow(
      "This workbook has no pulled Campfire data kept for the Prepaid commits table; pull again.",
    );
  });
});
