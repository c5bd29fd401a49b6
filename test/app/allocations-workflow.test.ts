/** Allocations end to end: the workbench against the sandbox over HTTP, Excel in memory. */
import { BalanceError, LOG_HEADER } from "../../src/app/workbench";
import { TableMissingError } from "../../src/domain/sheet/layout";
import { MissingColumnsError } from "../../src/domain/sheet/layout";
import { BlockedPlanError, StalePlanError, UnpushedEditsError } from "../../src/app/workbench-interface";
import { LastPushError } from "../../src/domain/sheet/last-push";
import { ALLOCATIONS, STAMP, lineRow, reloadedWorkbench, startBench, pushAgain, undo, UTC_STAMP, type Bench } from "./workbench-helpers";

let bench: Bench;
beforeEach(async () => {
  bench = await startBench();
});
afterEach(() => bench.close());

const BUNDLE = "1:subscription:1001";
const GROWTH = "1:subscription:1002";
const LABEL = 'Bundle on subscription 1001 ("Acme Corp — 2026 Platform Renewal") of contract 1';
const GROWTH_LABEL = 'Bundle on subscription 1002 ("Acme Corp — 2026 Platform Renewal") of contract 1';

/**
 * Pulls contract 1 and edits two amounts of BUNDLE (lines 7001 and 7002), the setup most push tests share.
 * Returns the workbook to type into further.
 */
async function pullAndEditBundle() {
  await bench.workbench.pull("allocations", [1]);
  const wb = bench.workbook;
  wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.3);
  wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.36);
  return wb;
}

function amounts(contractId: number, itemType: "subscription" | "usage" | "milestone", itemId: number): number[] {
  return bench.sandbox.store.bundleOf(itemType, contractId, itemId).lines.map((l) => l.amount);
}

describe("pull", () => {
  it("writes one row per bundle line with one table write and one snapshot; no push to undo in it", async () => {
    const progress: string[] = [];
    const result = await bench.workbench.pull("allocations", [1], (done, total, label) => progress.push(`${done}/${total} ${label}`));
    expect(result).toEqual({ kind: "allocations", records: 2, rows: 8, message: "Pulled 2 bundles (8 lines) from 1 contract" });
    expect(progress).toEqual([
      "0/1 Reading contracts",
      "1/3 Listing contract items 1 of 3",
      "2/3 Listing contract items 2 of 3",
      "3/3 Listing contract items 3 of 3",
      "1/2 Reading bundle 1 of 2",
      "2/2 Reading bundle 2 of 2",
    ]);
    expect(bench.workbook.count("writeTable")).toBe(1);
    expect(bench.workbook.count("saveSnapshot")).toBe(2);
    expect(bench.workbook.snapshots.get("campfire.last-push.allocations")).toBe(
      '{"version":1,"kind":"allocations","failed":[],"overwrite":[],"pushed":[],"marks":[]}',
    );
    expect(bench.workbook.column(ALLOCATIONS, "Line ID")).toEqual([7001, 7002, 7003, 7011, 7012, 7013, 7014, 7015]);
    expect(bench.workbook.column(ALLOCATIONS, "Amount")).toEqual([33333.33, 33333.33, 33333.34, 30000, 10000.5, 5999.5, 4000, -2000]);
    const row = bench.workbook.table(ALLOCATIONS).rows[0];
    // New % (after Amount) is Excel's formula, written by the workbook; the memory workbook keeps the row's "".
    expect(row).toEqual([
      1,
      "subscription",
      1001,
      7001,
      "Platform — Enterprise",
      33333.33,
      "",
      33.33,
      100000,
      "USD",
      33.333,
      101,
      "PLAT-ENT",
      "Acme Corp — 2026 Platform Renewal",
      46055.58693576389,
      "",
      "",
    ]);
    // The snapshot holds the records as pulled, keyed by record, with last_modified_at.
    const snapshot = JSON.parse(bench.workbook.snapshots.get("campfire.snapshot.allocations")!);
    expect(Object.keys(snapshot.records)).toEqual([BUNDLE, GROWTH]);
    expect(snapshot.records[BUNDLE].bundle.last_modified_at).toBe("2026-02-02T14:05:11.250000Z");
  });

  it("reads every contract with 'all' and skips items without a bundle", async () => {
    const result = await bench.workbench.pull("allocations", "all");
    expect(result.message).toBe("Pulled 9 bundles (37 lines) from 7 contracts");
    const keys = Object.keys(JSON.parse(bench.workbook.snapshots.get("campfire.snapshot.allocations")!).records);
    expect(keys).toEqual([
      "1:subscription:1001",
      "1:subscription:1002",
      "2:subscription:1004",
      "3:usage:2001",
      "4:subscription:1005",
      "4:usage:2003",
      "5:milestone:3001",
      "7:subscription:1006",
      "7:milestone:3003",
    ]);
  });

  it("a failed pull writes nothing", async () => {
    bench.sandbox.injectFaults([{ status: 500 }], { pathIncludes: "/subscriptions/1002/allocations" });
    await expect(bench.workbench.pull("allocations", [1])).rejects.toThrow("Campfire failed (500)");
    expect(bench.workbook.count("writeTable")).toBe(0);
    expect(bench.workbook.snapshots.size).toBe(0);
  });

  it("check before any pull says to pull first", async () => {
    await expect(bench.workbench.check("allocations")).rejects.toThrow(TableMissingError);
    await expect(bench.workbench.check("allocations")).rejects.toThrow(
      'There is no Allocations table on the sheet "Allocations"; pull allocations first',
    );
  });
});

describe("edit → check → balance → plan → push", () => {
  it("goes through to Campfire and back into the sheet", async () => {
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.34);

    const checked = await bench.workbench.check("allocations");
    expect(checked.issues).toEqual([
      {
        record: { kind: "bundle", contractId: 1, itemType: "subscription", itemId: 1001, label: "Acme Corp — 2026 Platform Renewal" },
        field: "Amount",
        key: BUNDLE,
        message: "The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD.",
        allowed: "line amounts that add up to exactly the bundle total, 100,000.00 USD",
        row: 0,
        column: "amount",
        address: "Allocations!F2",
      },
    ]);
    expect(checked.bundles[0]).toEqual({
      key: BUNDLE,
      label: LABEL,
      currency: "USD",
      sum: "100000.01",
      total: "100000.00",
      difference: "0.01",
      balanced: false,
      rows: [0, 1, 2],
    });
    expect(checked.editedCells).toBe(1);
    expect(checked.changedRecords).toBe(1);
    expect(wb.marks(ALLOCATIONS)).toEqual([
      { row: 0, column: "amount", kind: "error", message: "The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD" },
    ]);
    expect(wb.column(ALLOCATIONS, "Check").slice(0, 4)).toEqual([
      "Amount: The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD; allowed: line amounts that add up to exactly the bundle total, 100,000.00 USD",
      "Amount: The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD; allowed: line amounts that add up to exactly the bundle total, 100,000.00 USD",
      "Amount: The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD; allowed: line amounts that add up to exactly the bundle total, 100,000.00 USD",
      "",
    ]);

    const blockedPlan = await bench.workbench.planPush("allocations");
    expect(blockedPlan.blocked.map((i) => i.address)).toEqual(["Allocations!F2"]);

    const balanced = await bench.workbench.balance(BUNDLE, lineRow(wb, 7002));
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7002), "Amount")).toBe(33333.32);
    expect(balanced.issues).toEqual([]);
    expect(balanced.bundles[0]).toMatchObject({ sum: "100000.00", difference: "0.00", balanced: true });
    expect(wb.column(ALLOCATIONS, "Check").slice(0, 3)).toEqual(["", "", ""]);

    const plan = await bench.workbench.planPush("allocations");
    expect(plan.records).toEqual([
      {
        key: BUNDLE,
        label: LABEL,
        action: "send",
        message: null,
        pulledAt: "2026-02-02T14:05:11.250000Z",
        serverAt: "2026-02-02T14:05:11.250000Z",
        fields: [
          {
            field: "Amount of Platform — Enterprise (line 7001)",
            pulled: "33,333.33",
            now: "33,333.33",
            send: "33,333.34",
            edited: true,
            changedInCampfire: false,
            overwrites: false,
          },
          {
            field: "Amount of Premium Support (line 7002)",
            pulled: "33,333.33",
            now: "33,333.33",
            send: "33,333.32",
            edited: true,
            changedInCampfire: false,
            overwrites: false,
          },
        ],
        payload: {
          lines: [
            { product: 101, amount: 33333.34 },
            { product: 105, amount: 33333.32 },
            { product: 109, amount: 33333.34 },
          ],
        },
      },
    ]);
    expect(plan).toMatchObject({
      kind: "allocations",
      mode: "push",
      sendCount: 1,
      changes: [
        { key: BUNDLE, label: LABEL, field: "Amount of Platform — Enterprise (line 7001)", old: "33,333.33", new: "33,333.34" },
        { key: BUNDLE, label: LABEL, field: "Amount of Premium Support (line 7002)", old: "33,333.33", new: "33,333.32" },
      ],
      recordKeys: [BUNDLE],
      blocked: [],
      conflicts: [],
    });

    bench.clearRequests();
    wb.resetCalls();
    const sent: string[] = [];
    const report = await bench.workbench.push(plan, { progress: (d, t, label) => sent.push(`${d}/${t} ${label}`) });
    expect(report).toEqual({
      kind: "allocations",
      results: [{ key: BUNDLE, label: LABEL, outcome: "done", message: `Pushed ${STAMP}` }],
      succeeded: 1,
      failed: 0,
      skipped: 0,
      unknown: 0,
    });
    expect(sent).toEqual(["1/1 Sent 1 of 1"]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.34, 33333.32, 33333.34]);
    // Two reads (before sending, with the snapshot and the last push; and again to find each record's rows), one
    // save (snapshot and last push), one write (cells, marks and the log), whatever the number of rows.
    expect(wb.calls.map((c) => c.method)).toEqual(["readTableAndSnapshots", "saveSnapshots", "readTable", "writeResults"]);

    // Campfire's answer is in the rows: recomputed percentages, new last modified, status.
    const server = bench.sandbox.store.bundleOf("subscription", 1, 1001);
    const r = lineRow(wb, 7002);
    expect(wb.cell(ALLOCATIONS, r, "Percentage")).toBe(33.33);
    expect(wb.cell(ALLOCATIONS, r, "Status")).toBe(`Pushed ${STAMP}`);
    expect(wb.column(ALLOCATIONS, "Status")).toEqual([...Array(3).fill(`Pushed ${STAMP}`), "", "", "", "", ""]);
    const snapshot = JSON.parse(wb.snapshots.get("campfire.snapshot.allocations")!);
    expect(snapshot.records[BUNDLE].bundle.last_modified_at).toBe(server.last_modified_at);
    // What undo needs, kept with the workbook: old and new line values and what Campfire answered.
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.allocations")!)).toEqual({
      version: 1,
      kind: "allocations",
      failed: [],
      overwrite: [],
      pushed: [
        {
          key: BUNDLE,
          label: LABEL,
          lastModifiedAt: server.last_modified_at,
          fields: ["lines"],
          ref: { contractId: 1, dealName: "Acme Corp — 2026 Platform Renewal", itemType: "subscription", itemId: 1001 },
          currency: "USD",
          old: {
            lines: [
              { id: 7001, product: 101, product_name: "Platform — Enterprise", amount: 33333.33 },
              { id: 7002, product: 105, product_name: "Premium Support", amount: 33333.33 },
              { id: 7003, product: 109, product_name: "SSO & SCIM Add-on", amount: 33333.34 },
            ],
          },
          new: {
            lines: [
              { id: 7001, product: 101, product_name: "Platform — Enterprise", amount: 33333.34 },
              { id: 7002, product: 105, product_name: "Premium Support", amount: 33333.32 },
              { id: 7003, product: 109, product_name: "SSO & SCIM Add-on", amount: 33333.34 },
            ],
          },
        },
      ],
      marks: [],
    });
    expect(server.last_modified_at).not.toBe("2026-02-02T14:05:11.250000Z");
    expect(JSON.stringify([...wb.snapshots.values()])).not.toContain(bench.sandbox.token);
    expect(snapshot.records[BUNDLE].bundle.lines.map((l: { amount: number }) => l.amount)).toEqual([33333.34, 33333.32, 33333.34]);
    expect(wb.marks(ALLOCATIONS)).toEqual([]);
    expect(bench.dataChanged()).toBe(1);
    expect(wb.log.header).toEqual([...LOG_HEADER]);
    expect(wb.log.rows).toEqual([
      [UTC_STAMP, "Allocations", LABEL, "Amount of Platform — Enterprise (line 7001)", "33,333.33", "33,333.34", "Pushed", ""],
      [UTC_STAMP, "Allocations", LABEL, "Amount of Premium Support (line 7002)", "33,333.33", "33,333.32", "Pushed", ""],
    ]);

    // Pushed values are now the pulled ones: nothing left to send.
    const after = await bench.workbench.check("allocations");
    expect([after.changedRecords, after.editedCells, after.issues.length]).toEqual([0, 0, 0]);
  });

  it("finds the rows after the user sorted the table and moved columns", async () => {
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.sortBy(ALLOCATIONS, "Amount", true);
    wb.moveColumn(ALLOCATIONS, "Amount", 0);
    wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", 29000);
    wb.type(ALLOCATIONS, lineRow(wb, 7014), "Amount", 5000);
    const checked = await bench.workbench.check("allocations");
    expect(checked.issues).toEqual([]);
    const report = await bench.workbench.push(await bench.workbench.planPush("allocations"));
    expect(report.succeeded).toBe(1);
    expect(amounts(1, "subscription", 1002)).toEqual([29000, 10000.5, 5999.5, 5000, -2000]);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7014), "Percentage")).toBe(10.42);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7014), "Status")).toBe(`Pushed ${STAMP}`);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Status")).toBe("");
  });
});

describe("balance", () => {
  it("puts the remainder on the largest line by default, with one write", async () => {
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000.25);
    wb.resetCalls();
    const report = await bench.workbench.balance(GROWTH);
    expect(wb.column(ALLOCATIONS, "Amount").slice(3)).toEqual([29999.25, 10000.5, 6000.25, 4000, -2000]);
    expect(report.bundles[1]).toMatchObject({ key: GROWTH, sum: "48000.00", total: "48000.00", difference: "0.00", balanced: true });
    // Read again right before writing, so the amount lands on its line even if the user sorted meanwhile; the
    // bundle still differs from the pull, so the last push is read for marks it left there.
    expect(wb.calls.map((c) => c.method)).toEqual(["readTable", "loadSnapshot", "readTable", "loadSnapshot", "writeResults"]);
    expect(wb.calls[4]!.size).toBe(1);
  });

  it("refuses to guess when an amount is invalid, or the row is not a line of the bundle", async () => {
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    await expect(bench.workbench.balance(BUNDLE, lineRow(wb, 7011))).rejects.toThrow(`Row 4 of the table is not a line of ${LABEL}`);
    await expect(bench.workbench.balance("9:usage:1")).rejects.toThrow(BalanceError);
    wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", "n/a");
    await expect(bench.workbench.balance(BUNDLE)).rejects.toThrow(
      `Cannot balance ${LABEL}: the amount at Allocations!F3 is not valid; fix it first`,
    );
  });
});

describe("the user's table", () => {
  it("a removed Amount column stops check and push with the header to restore", async () => {
    await bench.workbench.pull("allocations", [1]);
    bench.workbook.deleteColumn(ALLOCATIONS, "Amount");
    await expect(bench.workbench.check("allocations")).rejects.toThrow(MissingColumnsError);
    await expect(bench.workbench.planPush("allocations")).rejects.toThrow('The table CampfireAllocations has no column "Amount"');
  });

  it("select goes to the cell the issue names", async () => {
    await bench.workbench.pull("allocations", [1]);
    await bench.workbench.select("allocations", 5, "amount");
    expect(bench.workbook.selections).toEqual([{ table: ALLOCATIONS, row: 5, column: "amount" }]);
  });

  it("a record deleted in Campfire shows up as a conflict in the plan and fails alone in the push", async () => {
    await pullAndEditBundle();
    bench.sandbox.injectFaults([{ status: 404, body: { detail: "Not found." } }], { method: "GET", pathIncludes: "/subscriptions/1001/" });
    const plan = await bench.workbench.planPush("allocations");
    const gone =
      "could not read it from Campfire: Campfire has no such record (404) for GET /rr/api/v1/contracts/1/subscriptions/1001/allocations: Not found.";
    expect(plan.records.map((r) => [r.key, r.action, r.message])).toEqual([[BUNDLE, "unreadable", gone]]);
    expect(plan.sendCount).toBe(0);
    const report = await bench.workbench.push(plan);
    expect(report.results.map((r) => [r.outcome, r.message])).toEqual([["failed", `Not sent: ${gone}`]]);
  });
});

describe("nothing is sent when anything changed is invalid", () => {
  it("blocked plan: no request at all, rows say why", async () => {
    const wb = await pullAndEditBundle();
    wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", "thirty");
    bench.clearRequests();
    const plan = await bench.workbench.planPush("allocations");
    expect(plan.recordKeys).toEqual([BUNDLE, GROWTH]);
    expect(plan.blocked.map((i) => [i.address, i.message])).toEqual([["Allocations!F5", '"thirty" is text, not a number']]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.sendCount).toBe(0);
    expect(plan.records.map((r) => [r.key, r.action])).toEqual([
      [BUNDLE, "blocked"],
      [GROWTH, "blocked"],
    ]);
    await expect(bench.workbench.push(plan)).rejects.toThrow(BlockedPlanError);
    expect(bench.sandbox.requests).toEqual([]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
    expect(bench.dataChanged()).toBe(0);
  });

  it("a blocked attempt does not replace the push that undo would revert", async () => {
    const wb = await pullAndEditBundle();
    await bench.workbench.push(await bench.workbench.planPush("allocations"));
    wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", "thirty");
    await expect(bench.workbench.push(await bench.workbench.planPush("allocations"))).rejects.toThrow(BlockedPlanError);
    const undone = await undo(bench.workbench, "allocations");
    expect(undone.results.map((r) => [r.key, r.outcome])).toEqual([[BUNDLE, "done"]]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });

  it("a push whose sheet changed after planning sends nothing for that record", async () => {
    const wb = await pullAndEditBundle();
    const plan = await bench.workbench.planPush("allocations");
    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.31);
    wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.35);
    bench.clearRequests();
    await expect(bench.workbench.push(plan)).rejects.toThrow(
      new StalePlanError("The sheet changed after this review, so it is not what you reviewed; nothing was sent. Review the push again."),
    );
    expect(bench.writes()).toEqual([]);
  });
});

describe("conflicts", () => {
  it("a bundle changed in Campfire after the pull is skipped, then sent when the user overwrites", async () => {
    const wb = await pullAndEditBundle();
    const touched = bench.sandbox.store.touchBundle(1, "subscription", 1001, { lines: [{ product: 109, amount: 33333.34 }] });

    const plan = await bench.workbench.planPush("allocations");
    expect(plan.conflicts).toEqual([
      { key: BUNDLE, label: LABEL, pulledAt: "2026-02-02T14:05:11.250000Z", serverAt: touched.last_modified_at },
    ]);

    bench.clearRequests();
    const skipped = await bench.workbench.push(plan);
    const conflictMessage = `Not sent: changed in Campfire since the pull (last modified ${touched.last_modified_at}); tick overwrite in the review or pull again`;
    expect(skipped.results).toEqual([
      { key: BUNDLE, label: LABEL, outcome: "conflict-skipped", message: conflictMessage, serverAt: touched.last_modified_at },
    ]);
    expect(skipped.skipped).toBe(1);
    expect(bench.writes()).toEqual([]);
    expect(wb.cell(ALLOCATIONS, 0, "Status")).toBe(conflictMessage);
    expect(wb.marks(ALLOCATIONS)).toEqual([
      { row: 0, column: "amount", kind: "conflict", message: conflictMessage },
      { row: 1, column: "amount", kind: "conflict", message: conflictMessage },
    ]);
    expect(wb.cell(ALLOCATIONS, 0, "Amount")).toBe(33333.3);

    // A plan is confirmed once: the overwrite is a new review, confirmed with the tick.
    await expect(bench.workbench.push(plan, { overwrite: [{ key: BUNDLE, serverAt: touched.last_modified_at }] })).rejects.toThrow(
      StalePlanError,
    );
    const again = await bench.workbench.planPush("allocations");
    const overwritten = await bench.workbench.push(again, { overwrite: [{ key: BUNDLE, serverAt: touched.last_modified_at }] });
    expect(overwritten.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.3, 33333.36, 33333.34]);
    expect(wb.marks(ALLOCATIONS)).toEqual([]);
  });
});

describe("a merge that no longer fits Campfire's bundle is not sent", () => {
  async function editAndReview(change: () => void) {
    await pullAndEditBundle();
    change();
    const plan = await bench.workbench.planPush("allocations");
    bench.clearRequests();
    return plan;
  }

  it("the bundle total changed: blocked in the review with both numbers, no PATCH, edits kept", async () => {
    const plan = await editAndReview(() => {
      bench.sandbox.store.touchBundle(1, "subscription", 1001, { total_amount: 100000.5 });
    });
    const why =
      "with Campfire's current lines your amounts make the bundle sum to 100,000.00, not its total 100,000.50 USD (0.50 short); balance the bundle on the sheet or pull again";
    expect(plan.records.map((r) => [r.action, r.message])).toEqual([["blocked", why]]);
    expect(plan.sendCount).toBe(0);
    const report = await bench.workbench.push(plan, { overwrite: [{ key: BUNDLE, serverAt: plan.records[0]!.serverAt }] });
    expect(report.results).toEqual([{ key: BUNDLE, label: LABEL, outcome: "failed", message: `Not sent: ${why}` }]);
    expect(bench.requestCounts()).toEqual({});
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
    const wb = bench.workbook;
    expect([wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Amount"), wb.cell(ALLOCATIONS, lineRow(wb, 7002), "Amount")]).toEqual([
      33333.3, 33333.36,
    ]);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Status")).toBe(`Not sent: ${why}`);
  });

  it("the bundle's products changed: blocked naming Campfire's lines, no PATCH", async () => {
    const plan = await editAndReview(() => {
      const bundle = bench.sandbox.store.bundleOf("subscription", 1, 1001);
      bundle.lines[2]!.product = 110;
      bundle.last_modified_at = bench.sandbox.store.nextTimestamp(bundle.last_modified_at);
    });
    const why =
      "Campfire's bundle now has other lines (line 7001: product 101, line 7002: product 105, line 7003: product 110) than when pulled; pull again to see them";
    expect(plan.records.map((r) => [r.action, r.message])).toEqual([["blocked", why]]);
    const report = await bench.workbench.push(plan);
    expect(report.results).toEqual([{ key: BUNDLE, label: LABEL, outcome: "failed", message: `Not sent: ${why}` }]);
    expect(bench.requestCounts()).toEqual({});
  });
});

describe("partial failure and push again", () => {
  async function editBoth() {
    const wb = await pullAndEditBundle();
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 10000);
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000);
    return bench.workbench.planPush("allocations");
  }

  it("a 400 on one line marks that exact cell; the other bundle goes through; push again sends only the failed one", async () => {
    const plan = await editBoth();
    const wb = bench.workbook;
    bench.sandbox.injectFaults(
      [{ status: 400, body: { lines: [{}, {}, { amount: ["Ensure that there are no more than 14 digits in total."] }] } }],
      { method: "PATCH", pathIncludes: "/subscriptions/1002/" },
    );
    bench.clearRequests();
    const report = await bench.workbench.push(plan);
    const message =
      "Campfire rejected it: line 7013 (Storage (per TB-month)) amount: Ensure that there are no more than 14 digits in total.";
    expect(report).toEqual({
      kind: "allocations",
      results: [
        { key: BUNDLE, label: LABEL, outcome: "done", message: `Pushed ${STAMP}` },
        { key: GROWTH, label: GROWTH_LABEL, outcome: "failed", message, address: "Allocations!F7" },
      ],
      succeeded: 1,
      failed: 1,
      skipped: 0,
      unknown: 0,
    });
    expect(lineRow(wb, 7013)).toBe(5);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.3, 33333.36, 33333.34]);
    expect(amounts(1, "subscription", 1002)).toEqual([30000, 10000.5, 5999.5, 4000, -2000]);
    // The failed bundle keeps the user's edits; its rows say why; its edited cells stay marked.
    expect(wb.column(ALLOCATIONS, "Amount")).toEqual([33333.3, 33333.36, 33333.34, 30000, 10000, 6000, 4000, -2000]);
    expect(wb.column(ALLOCATIONS, "Status")).toEqual([...Array(3).fill(`Pushed ${STAMP}`), ...Array(5).fill(message)]);
    expect(wb.marks(ALLOCATIONS)).toEqual([
      { row: 4, column: "amount", kind: "edited" },
      { row: 5, column: "amount", kind: "error", message },
    ]);
    const snapshot = JSON.parse(wb.snapshots.get("campfire.snapshot.allocations")!);
    expect(snapshot.records[GROWTH].bundle.lines.map((l: { amount: number }) => l.amount)).toEqual([30000, 10000.5, 5999.5, 4000, -2000]);
    expect(bench.dataChanged()).toBe(1);
    expect(wb.log.rows.map((r) => [r[3], r[6]])).toEqual([
      ["Amount of Platform — Enterprise (line 7001)", "Pushed"],
      ["Amount of Premium Support (line 7002)", "Pushed"],
      ["Amount of API Calls (per 1,000) (line 7012)", `Failed: ${message}`],
      ["Amount of Storage (per TB-month) (line 7013)", `Failed: ${message}`],
    ]);

    bench.clearRequests();
    const again = await pushAgain(bench.workbench, "allocations");
    expect(again.results.map((r) => [r.key, r.outcome])).toEqual([[GROWTH, "done"]]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1002/allocations 200"]);
    expect(amounts(1, "subscription", 1002)).toEqual([30000, 10000, 6000, 4000, -2000]);
    expect(wb.marks(ALLOCATIONS)).toEqual([]);
    expect(await pushAgain(bench.workbench, "allocations")).toEqual({
      kind: "allocations",
      results: [],
      succeeded: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
    });
  });

  it("a 500 on every attempt fails that bundle with Campfire's message and no cell address; nothing changed", async () => {
    const plan = await editBoth();
    bench.sandbox.injectFaults(Array(4).fill({ status: 500 }), { method: "PATCH", pathIncludes: "/subscriptions/1001/" });
    const report = await bench.workbench.push(plan);
    expect(report.results).toEqual([
      {
        key: BUNDLE,
        label: LABEL,
        outcome: "failed",
        message:
          "Not pushed: Campfire failed (500) on PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations: A server error occurred.; " +
          "Campfire still holds the values read before sending, so nothing changed; push again",
      },
      { key: GROWTH, label: GROWTH_LABEL, outcome: "done", message: `Pushed ${STAMP}` },
    ]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });
});

describe("undo", () => {
  it("puts the old amounts back for bundles nobody changed since; others are reported", async () => {
    const wb = await pullAndEditBundle();
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 10000);
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000);
    await bench.workbench.push(await bench.workbench.planPush("allocations"));
    const touched = bench.sandbox.store.touchBundle(1, "subscription", 1002);

    bench.clearRequests();
    const undone = await undo(bench.workbench, "allocations");
    expect(undone.results).toEqual([
      { key: BUNDLE, label: LABEL, outcome: "done", message: `Undone ${STAMP}` },
      {
        key: GROWTH,
        label: GROWTH_LABEL,
        outcome: "conflict-skipped",
        message: `Not undone: changed in Campfire since your push (last modified ${touched.last_modified_at}); tick overwrite in the review or pull again`,
        serverAt: touched.last_modified_at,
      },
    ]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
    expect(amounts(1, "subscription", 1002)).toEqual([30000, 10000, 6000, 4000, -2000]);
    expect(wb.column(ALLOCATIONS, "Amount").slice(0, 3)).toEqual([33333.33, 33333.33, 33333.34]);
    const skipped = `Skipped (conflict): ${undone.results[1]!.message}`;
    expect(wb.log.rows.slice(-4).map((r) => [r[3], r[4], r[5], r[6]])).toEqual([
      ["Amount of Platform — Enterprise (line 7001)", "33,333.30", "33,333.33", "Undone"],
      ["Amount of Premium Support (line 7002)", "33,333.36", "33,333.33", "Undone"],
      ["Amount of API Calls (per 1,000) (line 7012)", "10,000.00", "10,000.50", skipped],
      ["Amount of Storage (per TB-month) (line 7013)", "6,000.00", "5,999.50", skipped],
    ]);
    const check = await bench.workbench.check("allocations");
    expect([check.changedRecords, check.issues.length]).toEqual([0, 0]);
  });

  it("without a push there is nothing to undo", async () => {
    expect(await undo(bench.workbench, "allocations")).toEqual({
      kind: "allocations",
      results: [],
      succeeded: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
    });
  });
});

describe("the last push is kept with the workbook", () => {
  async function pushBundle() {
    await pullAndEditBundle();
    const report = await bench.workbench.push(await bench.workbench.planPush("allocations"));
    expect(report.succeeded).toBe(1);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.3, 33333.36, 33333.34]);
  }

  it("undo works from a new workbench (the add-in reloaded), once", async () => {
    await pushBundle();
    bench.clearRequests();
    const undone = await undo(reloadedWorkbench(bench), "allocations");
    expect(undone).toEqual({
      kind: "allocations",
      results: [{ key: BUNDLE, label: LABEL, outcome: "done", message: `Undone ${STAMP}` }],
      succeeded: 1,
      failed: 0,
      skipped: 0,
      unknown: 0,
    });
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
    expect(bench.workbook.column(ALLOCATIONS, "Amount").slice(0, 3)).toEqual([33333.33, 33333.33, 33333.34]);
    expect(bench.workbook.log.rows.slice(-2).map((r) => [r[3], r[4], r[5], r[6]])).toEqual([
      ["Amount of Platform — Enterprise (line 7001)", "33,333.30", "33,333.33", "Undone"],
      ["Amount of Premium Support (line 7002)", "33,333.36", "33,333.33", "Undone"],
    ]);
    // What was undone is done with, for every workbench over this workbook.
    expect(bench.workbook.snapshots.get("campfire.last-push.allocations")).toBe(
      '{"version":1,"kind":"allocations","failed":[],"overwrite":[],"pushed":[],"marks":[]}',
    );
    expect((await undo(bench.workbench, "allocations")).results).toEqual([]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  });

  it("push again from a new workbench sends only what failed; undo then reverts both halves of the push", async () => {
    const wb = await pullAndEditBundle();
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 10000);
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000);
    bench.sandbox.injectFaults(Array(4).fill({ status: 503 }), { method: "PATCH", pathIncludes: "/subscriptions/1002/" });
    const report = await bench.workbench.push(await bench.workbench.planPush("allocations"));
    expect([report.succeeded, report.failed]).toEqual([1, 1]);
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.allocations")!)).toMatchObject({ failed: [GROWTH], overwrite: [] });

    bench.clearRequests();
    const again = await pushAgain(reloadedWorkbench(bench), "allocations");
    expect(again.results).toEqual([{ key: GROWTH, label: GROWTH_LABEL, outcome: "done", message: `Pushed ${STAMP}` }]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1002/allocations 200"]);
    expect(amounts(1, "subscription", 1002)).toEqual([30000, 10000, 6000, 4000, -2000]);
    // The push again finishes the push it repeats: the bundle that went through the first time stays undoable.
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.allocations")!).pushed.map((p: { key: string }) => p.key)).toEqual([
      BUNDLE,
      GROWTH,
    ]);
    bench.clearRequests();
    const undone = await undo(reloadedWorkbench(bench), "allocations");
    expect(undone.results.map((r) => [r.key, r.outcome])).toEqual([
      [BUNDLE, "done"],
      [GROWTH, "done"],
    ]);
    expect(amounts(1, "subscription", 1002)).toEqual([30000, 10000.5, 5999.5, 4000, -2000]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });

  it("a push where every record failed does not replace the push undo would revert", async () => {
    await pushBundle();
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 10000);
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000);
    bench.sandbox.injectFaults(Array(4).fill({ status: 500 }), { method: "PATCH", pathIncludes: "/subscriptions/1002/" });
    const failed = await bench.workbench.push(await bench.workbench.planPush("allocations"));
    expect([failed.succeeded, failed.failed]).toEqual([0, 1]);
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.allocations")!)).toMatchObject({ failed: [GROWTH], pushed: [{ key: BUNDLE }] });

    bench.clearRequests();
    const undone = await undo(reloadedWorkbench(bench), "allocations");
    expect(undone.results.map((r) => [r.key, r.outcome])).toEqual([[BUNDLE, "done"]]);
    expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
    expect(amounts(1, "subscription", 1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });

  it("a pull clears it: the pulled rows are not undone", async () => {
    await pushBundle();
    await bench.workbench.pull("allocations", [1]);
    bench.clearRequests();
    expect(await undo(reloadedWorkbench(bench), "allocations")).toEqual({
      kind: "allocations",
      results: [],
      succeeded: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
    });
    expect(bench.sandbox.requests).toEqual([]);
  });

  it("a record damaged by hand is reported and nothing is sent", async () => {
    await pushBundle();
    bench.workbook.snapshots.set(
      "campfire.last-push.allocations",
      '{"version":1,"kind":"allocations","failed":[],"overwrite":[],"pushed":[{"key":"x"}]}',
    );
    bench.clearRequests();
    const undoing = undo(reloadedWorkbench(bench), "allocations");
    await expect(undoing).rejects.toThrow(LastPushError);
    await expect(undoing).rejects.toThrow(
      "The record of the last allocations push kept with this workbook cannot be read (pushed.0.label: Invalid input: expected string, received undefined); " +
        "undo and push again are not available for that push — check the values in Campfire",
    );
    expect(bench.sandbox.requests).toEqual([]);
  });
});

describe("pull over unpushed edits", () => {
  it("refuses, naming how many edits in how many records, before any request; pulls when told to discard them", async () => {
    const wb = await pullAndEditBundle();
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", "not a number");
    bench.clearRequests();
    wb.resetCalls();

    const refused = bench.workbench.pull("allocations", [1]);
    await expect(refused).rejects.toThrow(UnpushedEditsError);
    await expect(refused).rejects.toMatchObject({
      name: "UnpushedEditsError",
      cells: 3,
      records: 2,
      message:
        "Not pulled: the Allocations table has 3 edited cells in 2 records that are not pushed; push them first, or pull again choosing to discard them",
    });
    expect(bench.sandbox.requests).toEqual([]);
    expect(wb.calls.filter((c) => !["readTable", "loadSnapshot", "readTableAndSnapshots"].includes(c.method))).toEqual([]);
    expect(wb.column(ALLOCATIONS, "Amount")).toEqual([33333.3, 33333.36, 33333.34, 30000, 10000.5, "not a number", 4000, -2000]);

    const result = await bench.workbench.pull("allocations", [1], undefined, { discardEdits: true });
    expect(result.message).toBe("Pulled 2 bundles (8 lines) from 1 contract");
    expect(wb.column(ALLOCATIONS, "Amount")).toEqual([33333.33, 33333.33, 33333.34, 30000, 10000.5, 5999.5, 4000, -2000]);
    // With nothing edited, a pull needs no permission.
    await expect(bench.workbench.pull("allocations", [1])).resolves.toMatchObject({ records: 2 });
  });

  it("one edited cell is counted in the singular", async () => {
    await bench.workbench.pull("allocations", [1]);
    bench.workbook.type(ALLOCATIONS, lineRow(bench.workbook, 7001), "Amount", 1);
    await expect(bench.workbench.pull("allocations", "all")).rejects.toThrow(
      "Not pulled: the Allocations table has 1 edited cell in 1 record that is not pushed; push it first, or pull again choosing to discard it",
    );
  });

  it("a table that cannot be compared with the pull (a key column removed) is replaced only when the user confirms", async () => {
    await bench.workbench.pull("allocations", [1]);
    bench.workbook.type(ALLOCATIONS, lineRow(bench.workbook, 7001), "Amount", 1);
    bench.workbook.deleteColumn(ALLOCATIONS, "Line ID");
    await expect(bench.workbench.check("allocations")).rejects.toThrow(MissingColumnsError);
    bench.clearRequests();
    const refused = bench.workbench.pull("allocations", [1]);
    await expect(refused).rejects.toThrow(UnpushedEditsError);
    await expect(refused).rejects.toMatchObject({
      cells: 0,
      records: 0,
      reason: 'The table CampfireAllocations has no column "Line ID"; put the header back (the text must match) or pull the table again',
      message:
        'Not pulled: cannot tell which cells of the Allocations table you edited (The table CampfireAllocations has no column "Line ID"; ' +
        "put the header back (the text must match) or pull the table again); pull again choosing to discard any edits, or put the table back as it was",
    });
    expect(bench.sandbox.requests).toEqual([]);
    expect(bench.workbook.column(ALLOCATIONS, "Amount")[0]).toBe(1);
    await expect(bench.workbench.pull("allocations", [1], undefined, { discardEdits: true })).resolves.toMatchObject({
      records: 2,
      rows: 8,
    });
    expect(bench.workbook.column(ALLOCATIONS, "Line ID")).toEqual([7001, 7002, 7003, 7011, 7012, 7013, 7014, 7015]);
  });
});

describe("progress", () => {
  it("review and push count records one by one, with 'n of N' in the label", async () => {
    const wb = await pullAndEditBundle();
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 10000);
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6000);
    const seen: string[] = [];
    const plan = await bench.workbench.planPush("allocations", (d, t, label) => seen.push(`${d}/${t} ${label}`));
    await bench.workbench.push(plan, { progress: (d, t, label) => seen.push(`${d}/${t} ${label}`) });
    expect(seen).toEqual([
      "1/2 Comparing with Campfire 1 of 2",
      "2/2 Comparing with Campfire 2 of 2",
      "1/2 Sent 1 of 2",
      "2/2 Sent 2 of 2",
    ]);
  });
});

describe("watch", () => {
  it("checks once after a burst of edits and stops when unsubscribed", async () => {
    const b = bench;
    await b.workbench.pull("allocations", [1]);
    const reports: number[] = [];
    const wb = b.workbook;
    const { workbench } = b;
    const stop = await workbench.watch("allocations", (r) => reports.push(r.editedCells));
    wb.type(ALLOCATIONS, 0, "Amount", 1);
    wb.type(ALLOCATIONS, 1, "Amount", 2);
    await until(() => reports.length >= 1);
    // The check's own write of the Check column triggers one more (quiet) check, then nothing.
    await until(() => reports.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toEqual([2, 2]);
    await stop();
    wb.type(ALLOCATIONS, 2, "Amount", 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toEqual([2, 2]);
  });
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
