/**
 * The write path, against the sandbox (its faults play the network, `touch` plays another user): what goes to
 * Campfire is exactly what was reviewed and confirmed, nothing the user did not change is changed, and every
 * outcome and log line is true. One describe per case found when the add-in was tried as a new user would.
 */
import { LOG_HEADER } from "../../src/app/workbench";
import { StalePlanError } from "../../src/app/workbench-interface";
import { parseErrorBody } from "../../src/api/http";
import { ALLOCATIONS, COMMITS, STAMP, UTC_STAMP, commitRow, lineRow, pushAgain, startBench, undo, type Bench } from "./workbench-helpers";

let bench: Bench;
let running: Bench | null = null;
afterEach(async () => {
  // Only the benches a test started: the token test below needs none.
  if (bench && bench !== running) {
    running = bench;
    await bench.close();
  }
});

const BUNDLE = "1:subscription:1001";
const GROWTH = "1:subscription:1002";
const LABEL = 'Bundle on subscription 1001 ("Acme Corp — 2026 Platform Renewal") of contract 1';
const GROWTH_LABEL = 'Bundle on subscription 1002 ("Acme Corp — 2026 Platform Renewal") of contract 1';
const LABEL_9001 = 'Prepaid commit 9001 ("Initech Usage Commit 2026–2030") of contract 3';

const amounts = (itemId: number) => bench.sandbox.store.bundleOf("subscription", 1, itemId).lines.map((l) => l.amount);
const writes = () => bench.writes();

/** Pulls contract 1 and moves 0.03 from line 7001 to line 7002: an edit that still adds up. */
async function pullAndEdit() {
  await bench.workbench.pull("allocations", [1]);
  const wb = bench.workbook;
  wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.3);
  wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.36);
  return wb;
}

describe("1. overwrite is a three-way merge: lines the user did not edit keep Campfire's current value", () => {
  it("a merge that no longer adds up is not sent; the review shows the three values per line and what is off", async () => {
    bench = await startBench();
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 31000);
    wb.type(ALLOCATIONS, lineRow(wb, 7003), "Amount", 35666.67);
    bench.sandbox.store.touchBundle(1, "subscription", 1001, {
      lines: [
        { product: 101, amount: 30000 },
        { product: 105, amount: 35000 },
        { product: 109, amount: 35000 },
      ],
    });
    const plan = await bench.workbench.planPush("allocations");
    const [record] = plan.records;
    expect(record!.fields).toEqual([
      {
        field: "Amount of Platform — Enterprise (line 7001)",
        pulled: "33,333.33",
        now: "30,000.00",
        send: "31,000.00",
        edited: true,
        changedInCampfire: true,
        overwrites: true,
      },
      {
        field: "Amount of Premium Support (line 7002)",
        pulled: "33,333.33",
        now: "35,000.00",
        send: "35,000.00",
        edited: false,
        changedInCampfire: true,
        overwrites: false,
      },
      {
        field: "Amount of SSO & SCIM Add-on (line 7003)",
        pulled: "33,333.34",
        now: "35,000.00",
        send: "35,666.67",
        edited: true,
        changedInCampfire: true,
        overwrites: true,
      },
    ]);
    const why =
      "with Campfire's current lines your amounts make the bundle sum to 101,666.67, not its total 100,000.00 USD (1,666.67 over); " +
      "balance the bundle on the sheet or pull again";
    expect([record!.action, record!.message, record!.payload]).toEqual(["blocked", why, null]);
    expect(plan.sendCount).toBe(0);

    const report = await bench.workbench.push(plan, { overwrite: [{ key: BUNDLE, serverAt: record!.serverAt }] });
    expect(report.results).toEqual([{ key: BUNDLE, label: LABEL, outcome: "failed", message: `Not sent: ${why}` }]);
    expect(writes()).toEqual([]);
    expect(amounts(1001)).toEqual([30000, 35000, 35000]);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Status")).toBe(`Not sent: ${why}`);
    expect(wb.log.rows).toEqual([
      [
        UTC_STAMP,
        "Allocations",
        LABEL,
        "Amount of Platform — Enterprise (line 7001)",
        "30,000.00",
        "31,000.00",
        `Failed: Not sent: ${why}`,
        "",
      ],
      [
        UTC_STAMP,
        "Allocations",
        LABEL,
        "Amount of SSO & SCIM Add-on (line 7003)",
        "35,000.00",
        "35,666.67",
        `Failed: Not sent: ${why}`,
        "",
      ],
    ]);
  });

  it("a merge that adds up sends the user's lines and keeps the other user's: the log names only what this push changed", async () => {
    bench = await startBench();
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    // The user moves 1,000 from line 7014 to 7013; meanwhile a colleague moves 1,000 from 7011 to 7012.
    wb.type(ALLOCATIONS, lineRow(wb, 7013), "Amount", 6999.5);
    wb.type(ALLOCATIONS, lineRow(wb, 7014), "Amount", 3000);
    const theirs = bench.sandbox.store.touchBundle(1, "subscription", 1002, {
      lines: [
        { product: 102, amount: 29000 },
        { product: 103, amount: 11000.5 },
      ],
    });
    const plan = await bench.workbench.planPush("allocations");
    expect(plan.conflicts.map((c) => [c.key, c.serverAt])).toEqual([[GROWTH, theirs.last_modified_at]]);
    expect(plan.records[0]!.payload).toEqual({
      lines: [
        { product: 102, amount: 29000 },
        { product: 103, amount: 11000.5 },
        { product: 104, amount: 6999.5 },
        { product: 110, amount: 3000 },
        { product: 111, amount: -2000 },
      ],
    });
    expect(plan.changes.map((c) => [c.field, c.old, c.new])).toEqual([
      ["Amount of Storage (per TB-month) (line 7013)", "5,999.50", "6,999.50"],
      ["Amount of Audit Log Retention (line 7014)", "4,000.00", "3,000.00"],
    ]);
    const report = await bench.workbench.push(plan, { overwrite: [{ key: GROWTH, serverAt: theirs.last_modified_at }] });
    expect(report.results).toEqual([{ key: GROWTH, label: GROWTH_LABEL, outcome: "done", message: `Pushed ${STAMP}` }]);
    expect(amounts(1002)).toEqual([29000, 11000.5, 6999.5, 3000, -2000]);
    // The sheet now shows Campfire's record, the colleague's lines included.
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7011), "Amount")).toBe(29000);
    expect(wb.log.rows.map((r) => [r[3], r[4], r[5], r[6]])).toEqual([
      ["Amount of Storage (per TB-month) (line 7013)", "5,999.50", "6,999.50", "Pushed"],
      ["Amount of Audit Log Retention (line 7014)", "4,000.00", "3,000.00", "Pushed"],
    ]);
  });
});

describe("2. the review and the log show Campfire's value, not the pulled one", () => {
  it("pulled 20, typed 15, a colleague set 25: review 20 · 25 → 15, log 25 → 15 with an overwrite note, undo 15 → 25", async () => {
    bench = await startBench();
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    const theirs = bench.sandbox.store.touchCommit(3, 9001, { discount_percentage: 25 });
    const plan = await bench.workbench.planPush("commits");
    expect(plan.records[0]!.fields).toEqual([
      { field: "Discount %", pulled: "20", now: "25", send: "15", edited: true, changedInCampfire: true, overwrites: true },
    ]);
    expect(plan.changes.map((c) => [c.field, c.old, c.new])).toEqual([["Discount %", "25", "15"]]);
    await bench.workbench.push(plan, { overwrite: [{ key: "3:9001", serverAt: theirs.last_modified_at! }] });
    expect(bench.sandbox.store.commit(3, 9001).discount_percentage).toBe(15);
    expect(wb.log.header).toEqual([...LOG_HEADER]);
    expect(wb.log.rows).toEqual([
      [UTC_STAMP, "Prepaid commits", LABEL_9001, "Discount %", "25", "15", "Pushed", "Overwrote a change made in Campfire since the pull"],
    ]);

    const undoPlan = await bench.workbench.planUndo("commits");
    expect(undoPlan.records[0]!.fields).toEqual([
      { field: "Discount %", pulled: "15", now: "15", send: "25", edited: true, changedInCampfire: false, overwrites: false },
    ]);
    const undone = await bench.workbench.push(undoPlan);
    expect(undone.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(bench.sandbox.store.commit(3, 9001).discount_percentage).toBe(25);
    expect(wb.log.rows[1]!.slice(3, 7)).toEqual(["Discount %", "15", "25", "Undone"]);
  });
});

describe("3. push again sends only what was reviewed", () => {
  it("a review refused as stale sends nothing, and push again has nothing of it: the new values need their own review", async () => {
    bench = await startBench();
    const wb = await pullAndEdit();
    const plan = await bench.workbench.planPush("allocations");
    // Edited again, still balanced.
    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.0);
    wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.66);
    bench.clearRequests();
    await expect(bench.workbench.push(plan)).rejects.toThrow(StalePlanError);
    expect(bench.sandbox.requests).toEqual([]);
    const again = await bench.workbench.planPushAgain("allocations");
    expect(again.records).toEqual([]);
    expect(await bench.workbench.push(again)).toEqual({
      kind: "allocations",
      results: [],
      succeeded: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
    });
    expect(writes()).toEqual([]);
    expect(amounts(1001)).toEqual([33333.33, 33333.33, 33333.34]);

    const fresh = await bench.workbench.planPush("allocations");
    expect(fresh.changes.map((c) => c.new)).toEqual(["33,333.00", "33,333.66"]);
    await bench.workbench.push(fresh);
    expect(amounts(1001)).toEqual([33333, 33333.66, 33333.34]);
  });

  it("a plan is confirmed once; a plan the workbench did not make is refused", async () => {
    bench = await startBench();
    await pullAndEdit();
    const plan = await bench.workbench.planPush("allocations");
    await bench.workbench.push(plan);
    bench.clearRequests();
    await expect(bench.workbench.push(plan)).rejects.toThrow(StalePlanError);
    await expect(bench.workbench.push({ ...plan, id: "made-up" })).rejects.toThrow(StalePlanError);
    expect(bench.sandbox.requests).toEqual([]);
  });
});

describe("4. undo is reviewed before anything is sent", () => {
  it("the undo review reads only; confirming it sends the values the push replaced", async () => {
    bench = await startBench();
    await pullAndEdit();
    await bench.workbench.push(await bench.workbench.planPush("allocations"));
    bench.clearRequests();
    const plan = await bench.workbench.planUndo("allocations");
    expect(bench.requestCounts()).toEqual({ GET: 1 });
    expect(plan.mode).toBe("undo");
    expect(plan.records[0]!.fields.map((f) => [f.field, f.now, f.send])).toEqual([
      ["Amount of Platform — Enterprise (line 7001)", "33,333.30", "33,333.33"],
      ["Amount of Premium Support (line 7002)", "33,333.36", "33,333.33"],
    ]);
    expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
    await bench.workbench.push(plan);
    expect(amounts(1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });
});

describe("5. a write Campfire applied whose answer was lost is read back: pushed, never a conflict with itself", () => {
  async function editAndLoseAnswer(readBackFails = false) {
    bench = await startBench();
    const wb = await pullAndEdit();
    const plan = await bench.workbench.planPush("allocations");
    bench.sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "PATCH" });
    // The read just before the write passes; the read-back after the lost answer gets a 503 from the sandbox.
    if (readBackFails) bench.sandbox.injectFaults([{ delayMs: 0 }, { status: 503 }], { method: "GET" });
    return { wb, plan };
  }

  it("read back holding what was sent: 'Pushed (confirmed by reading it back)', logged so, and undoable", async () => {
    const { wb, plan } = await editAndLoseAnswer();
    const report = await bench.workbench.push(plan);
    const status = `Pushed (confirmed by reading it back) ${STAMP}`;
    expect(report.results).toEqual([{ key: BUNDLE, label: LABEL, outcome: "done", message: status }]);
    expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 0"]);
    expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Status")).toBe(status);
    expect(wb.log.rows.map((r) => r[6])).toEqual(["Pushed (confirmed by reading it back)", "Pushed (confirmed by reading it back)"]);
    expect((await bench.workbench.check("allocations")).changedRecords).toBe(0);
    expect((await bench.workbench.planPushAgain("allocations")).records).toEqual([]);
    const undone = await undo(bench.workbench, "allocations");
    expect(undone.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(amounts(1001)).toEqual([33333.33, 33333.33, 33333.34]);
  });

  it("read back failing too: 'not confirmed'; the next review finds Campfire holds it, sends nothing and settles it as pushed", async () => {
    const { wb, plan } = await editAndLoseAnswer(true);
    const report = await bench.workbench.push(plan);
    expect(report.results.map((r) => r.outcome)).toEqual(["unknown"]);
    expect(report.results[0]!.message).toMatch(
      /^Not confirmed: Could not reach Campfire for PATCH .*; reading the record back failed too \(Campfire failed \(503\)/,
    );
    expect(wb.log.rows.map((r) => String(r[6]).slice(0, 21))).toEqual(["Unknown: Not confirme", "Unknown: Not confirme"]);

    bench.clearRequests();
    const again = await bench.workbench.planPushAgain("allocations");
    expect(again.records.map((r) => [r.action, r.payload])).toEqual([["in-sync", null]]);
    expect(again.conflicts).toEqual([]);
    const settled = await bench.workbench.push(again);
    expect(settled.results).toEqual([
      { key: BUNDLE, label: LABEL, outcome: "done", message: `Pushed (confirmed by reading it back) ${STAMP}` },
    ]);
    expect(writes()).toEqual([]);
    expect((await bench.workbench.check("allocations")).changedRecords).toBe(0);
    // The write was this add-in's: it can be undone.
    expect((await bench.workbench.planUndo("allocations")).records.map((r) => r.action)).toEqual(["send"]);
  });
});

describe("6. a retried write never overwrites another user", () => {
  it("answer lost, another user saves during the backoff: a conflict, no second write, their values kept", async () => {
    let touched = "";
    bench = await startBench({
      deps: {
        sleep: async () => {
          touched = bench.sandbox.store.touchBundle(1, "subscription", 1001, {
            lines: [
              { product: 105, amount: 33333.43 },
              { product: 109, amount: 33333.24 },
            ],
          }).last_modified_at;
        },
      },
    });
    const wb = await pullAndEdit();
    const plan = await bench.workbench.planPush("allocations");
    bench.sandbox.injectFaults([{ drop: true }], { method: "PATCH" });
    bench.clearRequests();
    const report = await bench.workbench.push(plan);
    expect(report.results.map((r) => [r.outcome, r.serverAt])).toEqual([["conflict-skipped", touched]]);
    expect(report.results[0]!.message).toMatch(
      /^Not pushed: the write was not applied \(Could not reach Campfire for PATCH .*\), and the record changed in Campfire meanwhile \(last modified .*\); review the push again$/,
    );
    expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 0"]);
    expect(amounts(1001)).toEqual([33333.33, 33333.43, 33333.24]);
    expect(wb.log.rows.map((r) => String(r[6]).slice(0, 18))).toEqual(["Skipped (conflict)", "Skipped (conflict)"]);
  });

  it("a 429 with Retry-After: Campfire did nothing; the retry goes only after a read shows it unchanged", async () => {
    const waits: number[] = [];
    bench = await startBench({ deps: { sleep: async (ms) => void waits.push(ms) } });
    await pullAndEdit();
    const plan = await bench.workbench.planPush("allocations");
    bench.sandbox.injectFaults([{ status: 429, retryAfter: 2 }], { method: "PATCH" });
    bench.clearRequests();
    const report = await bench.workbench.push(plan);
    expect(report.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(waits).toEqual([2000]);
    expect(bench.sandbox.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["GET 200", "PATCH 429", "GET 200", "PATCH 200"]);
  });

  it("the record changed between the review and the send: not sent, even with the review's overwrite ticked", async () => {
    bench = await startBench();
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Priority", 4);
    const first = bench.sandbox.store.touchCommit(3, 9001, { tags: "q1" });
    const plan = await bench.workbench.planPush("commits");
    const second = bench.sandbox.store.touchCommit(3, 9001, { tags: "q2" });
    const report = await bench.workbench.push(plan, { overwrite: [{ key: "3:9001", serverAt: first.last_modified_at! }] });
    expect(report.results.map((r) => [r.outcome, r.serverAt])).toEqual([["conflict-skipped", second.last_modified_at]]);
    expect(bench.sandbox.store.commit(3, 9001)).toMatchObject({ priority: 1, tags: "q2" });
  });
});

describe("7. Balance never undoes the user's own edit", () => {
  it("without a pick the remainder goes to the largest line the user did not edit, and the report says which and by how much", async () => {
    bench = await startBench();
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", 31000);
    const report = await bench.workbench.balance(GROWTH);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7011), "Amount")).toBe(31000);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7012), "Amount")).toBe(9000.5);
    expect(report.moved).toEqual({
      row: lineRow(wb, 7012),
      address: "Allocations!F6",
      line: "API Calls (per 1,000) (line 7012)",
      from: "10,000.50",
      to: "9,000.50",
      change: "−1,000.00",
    });
    expect(report.bundles[1]).toMatchObject({ key: GROWTH, balanced: true });
  });

  it("the picked line takes it, edited or not; a bundle whose lines are all edited needs a pick", async () => {
    bench = await startBench();
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", 31000);
    const picked = await bench.workbench.balance(GROWTH, lineRow(wb, 7011));
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7011), "Amount")).toBe(30000);
    expect(picked.moved).toMatchObject({
      line: "Platform — Professional (line 7011)",
      from: "31,000.00",
      to: "30,000.00",
      change: "−1,000.00",
    });

    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 1);
    wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 2);
    wb.type(ALLOCATIONS, lineRow(wb, 7003), "Amount", 3);
    await expect(bench.workbench.balance(BUNDLE)).rejects.toThrow(
      `Every line of ${LABEL} is one you edited; pick the line that takes the remainder`,
    );
  });
});

describe("8. the token never reaches the workbook, even echoed JSON-escaped", () => {
  const escaped = (token: string) => [...token].map((c, i) => (i % 2 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)).join("");

  it("parseErrorBody cuts it from the raw text and from every string of the parsed body", () => {
    const token = "tok-secret-123";
    const body = `{"detail": "Token ${escaped(token)} is bad", "${escaped(token)}": ["x ${token}"], "n": 1}`;
    expect(parseErrorBody(body, token)).toEqual({ detail: "Token [redacted] is bad", "[redacted]": ["x [redacted]"], n: 1 });
    expect(JSON.stringify(parseErrorBody(`["${escaped(token)}"]`, token))).toBe('["[redacted]"]');
  });

  it("a 400 whose body echoes the token escaped: the Status, the log, the report and the kept data never hold it", async () => {
    bench = await startBench();
    const token = bench.sandbox.token;
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9002), "Name", "Burst Pool");
    bench.sandbox.injectFaults(
      [{ status: 400, rawBody: `{"name": ["Token ${escaped(token)} may not rename"], "detail": "${escaped(token)}"}` }],
      { method: "PUT" },
    );
    const report = await bench.workbench.push(await bench.workbench.planPush("commits"));
    expect(report.results[0]!.message).toBe("Campfire rejected it: Name: Token [redacted] may not rename; detail: [redacted]");
    const everything = JSON.stringify([report, wb.table(COMMITS), wb.log, [...wb.snapshots.values()], wb.marks(COMMITS)]);
    expect(everything).not.toContain(token);
    expect(everything).toContain("[redacted]");
  });
});

it("push again covers what did not go through, each record reviewed again", async () => {
  bench = await startBench();
  await pullAndEdit();
  bench.sandbox.injectFaults(Array(4).fill({ status: 503 }), { method: "PATCH" });
  const failed = await bench.workbench.push(await bench.workbench.planPush("allocations"));
  expect(failed.results.map((r) => r.outcome)).toEqual(["failed"]);
  const again = await pushAgain(bench.workbench, "allocations");
  expect(again.results.map((r) => r.outcome)).toEqual(["done"]);
  expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
});

it("the review reads prepaid commits with one list per contract; the push reads that list once more just before writing", async () => {
  bench = await startBench();
  await bench.workbench.pull("commits", [3]);
  const wb = bench.workbook;
  for (const id of [9001, 9002, 9003]) wb.type(COMMITS, commitRow(wb, id), "Priority", 6);
  bench.clearRequests();
  const plan = await bench.workbench.planPush("commits");
  expect(plan.sendCount).toBe(3);
  expect(bench.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /rr/api/v1/contracts/3/prepaid-commits?limit=500"]);
  bench.clearRequests();
  await bench.workbench.push(plan);
  expect(bench.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    "GET /rr/api/v1/contracts/3/prepaid-commits?limit=500",
    ...[9001, 9002, 9003].map((id) => `PUT /rr/api/v1/contracts/3/prepaid-commits/${id}`),
  ]);
});

describe("found by review: another user's change without a new last_modified_at, settling, landed writes, marks after a sort", () => {
  it("a value changed in Campfire without moving last_modified_at is a conflict at review, not a silent overwrite", async () => {
    bench = await startBench();
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    (bench.sandbox.store.commit(3, 9001) as { discount_percentage: number }).discount_percentage = 25; // timestamp unchanged
    const plan = await bench.workbench.planPush("commits");
    expect(plan.records.map((r) => [r.action, r.pulledAt === r.serverAt])).toEqual([["conflict", true]]);
    expect(plan.sendCount).toBe(0);
    await bench.workbench.push(plan);
    expect(bench.sandbox.store.commit(3, 9001).discount_percentage).toBe(25);
  });

  it("a value changed in Campfire during the backoff, without moving last_modified_at, stops the retry", async () => {
    let hook = () => {};
    bench = await startBench({ deps: { sleep: async () => hook() } });
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    const plan = await bench.workbench.planPush("commits");
    bench.sandbox.injectFaults([{ status: 503 }], { method: "PUT" });
    hook = () => {
      (bench.sandbox.store.commit(3, 9001) as { name: string }).name = "Renamed";
      hook = () => {};
    };
    const report = await bench.workbench.push(plan);
    expect(report.results.map((r) => r.outcome)).toEqual(["conflict-skipped"]);
    expect(bench.sandbox.store.commit(3, 9001)).toMatchObject({ name: "Renamed", discount_percentage: 20 });
  });

  it("a write not confirmed, then found in Campfire by push again, is settled as pushed and can be undone", async () => {
    bench = await startBench();
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    const plan = await bench.workbench.planPush("commits");
    bench.sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "PUT" });
    // The read just before the write passes; the read-back after the lost answer fails.
    bench.sandbox.injectFaults([{ delayMs: 0 }, { status: 503 }], { method: "GET" });
    expect((await bench.workbench.push(plan)).results.map((r) => r.outcome)).toEqual(["unknown"]);
    const again = await bench.workbench.planPushAgain("commits");
    expect([again.records.map((r) => r.action), again.sendCount, again.settleCount]).toEqual([["in-sync"], 0, 1]);
    bench.clearRequests();
    const settled = await bench.workbench.push(again);
    expect(settled.results.map((r) => [r.outcome, r.message])).toEqual([["done", `Pushed (confirmed by reading it back) ${STAMP}`]]);
    expect(bench.writes()).toEqual([]);
    const undoPlan = await bench.workbench.planUndo("commits");
    expect(undoPlan.records.map((r) => [r.key, r.action])).toEqual([["3:9001", "send"]]);
    await bench.workbench.push(undoPlan);
    expect(bench.sandbox.store.commit(3, 9001).discount_percentage).toBe(20);
  });

  it("a write that landed is reported pushed even when another user changed another field before the read-back", async () => {
    bench = await startBench();
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    const plan = await bench.workbench.planPush("commits");
    bench.sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "PUT" });
    const store = bench.sandbox.store;
    let armed = true;
    store.onChange = () => {
      if (!armed) return;
      armed = false;
      store.touchCommit(3, 9001, { tags: "colleague" });
    };
    const report = await bench.workbench.push(plan);
    expect(store.commit(3, 9001)).toMatchObject({ discount_percentage: 15, tags: "colleague" });
    expect(report.results.map((r) => [r.outcome, r.message])).toEqual([["done", `Pushed (confirmed by reading it back) ${STAMP}`]]);
  });

  it("text Campfire holds with a trailing space: the body is what the client puts on the wire, so a lost answer reads back as pushed", async () => {
    bench = await startBench();
    bench.sandbox.store.touchCommit(3, 9001, { description: "Prepaid API usage " });
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    const plan = await bench.workbench.planPush("commits");
    bench.sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "PUT" });
    const report = await bench.workbench.push(plan);
    expect(report.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(bench.sandbox.store.commit(3, 9001).discount_percentage).toBe(15);
  });

  it("a conflict mark goes to the record's cell even when the user sorted between review and confirm", async () => {
    bench = await startBench();
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 15);
    bench.sandbox.store.touchCommit(3, 9001, { discount_percentage: 25 });
    const plan = await bench.workbench.planPush("commits");
    wb.sortBy(COMMITS, "Commit ID", true);
    await bench.workbench.push(plan);
    await bench.workbench.check("commits");
    const marked = wb
      .marks(COMMITS)
      .filter((m) => m.kind === "conflict")
      .map((m) => wb.cell(COMMITS, m.row, "Commit ID"));
    expect(marked).toEqual([9001]);
  });
});
