/** Prepaid commits end to end: the workbench against the sandbox over HTTP, Excel in memory. */
import { isoDateToSerial } from "../../src/domain/cell-readers";
import { BlockedPlanError } from "../../src/app/workbench-interface";
import { COMMITS, STAMP, commitRow, reloadedWorkbench, startBench, pushAgain, undo, type Bench } from "./workbench-helpers";

let bench: Bench;
beforeEach(async () => {
  bench = await startBench();
});
afterEach(() => bench.close());

const LABEL_9001 = 'Prepaid commit 9001 ("Initech Usage Commit 2026–2030") of contract 3';
const LABEL_9002 = 'Prepaid commit 9002 ("Burst Capacity Pool") of contract 3';

const stored = (commitId: number) => structuredClone(bench.sandbox.store.commit(3, commitId));

describe("pull", () => {
  it("writes one row per commit; formula-like text stays text", async () => {
    const progress: string[] = [];
    const result = await bench.workbench.pull("commits", [2, 3], (done, total, label) => progress.push(`${done}/${total} ${label}`));
    expect(result).toEqual({ kind: "commits", records: 5, rows: 5, message: "Pulled 5 prepaid commits from 2 contracts" });
    expect(progress).toEqual([
      "0/1 Reading contracts",
      "1/2 Reading prepaid commits: contract 1 of 2",
      "2/2 Reading prepaid commits: contract 2 of 2",
    ]);
    const wb = bench.workbook;
    expect(wb.column(COMMITS, "Commit ID")).toEqual([9005, 9001, 9002, 9003, 9004]);
    expect(wb.cell(COMMITS, 0, "Name")).toBe("=SUM(A1:A9) Analytics Credits");
    expect(wb.cell(COMMITS, 0, "Description")).toBe('=HYPERLINK("http://example.invalid") must stay text');
    expect(wb.cell(COMMITS, 1, "Start date")).toBe(isoDateToSerial("2026-01-01"));
    expect(wb.cell(COMMITS, 1, "Overage invoice start month")).toBe(isoDateToSerial("2026-04-01"));
    expect(wb.cell(COMMITS, 2, "Expiration date")).toBe("");
    expect(wb.cell(COMMITS, 1, "Auto-send overage invoices")).toBe(true);
    expect(wb.cell(COMMITS, 3, "Commit status")).toBe("EXPIRED");
    expect(wb.cell(COMMITS, 1, "Remaining value")).toBe(74749.25);
    const checked = await bench.workbench.check("commits");
    expect([checked.issues, checked.editedCells, checked.changedRecords]).toEqual([[], 0, 0]);
  });
});

describe("push", () => {
  it("a PUT sends Campfire's current record with only the edited fields changed", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    const before = stored(9001);
    wb.type(COMMITS, commitRow(wb, 9001), "Name", "Initech Usage Commit (amended)");
    wb.type(COMMITS, commitRow(wb, 9001), "Total value", 125000.5);

    const plan = await bench.workbench.planPush("commits");
    expect(plan.changes).toEqual([
      { key: "3:9001", label: LABEL_9001, field: "Name", old: "Initech Usage Commit 2026–2030", new: "Initech Usage Commit (amended)" },
      { key: "3:9001", label: LABEL_9001, field: "Total value", old: "120,000.00", new: "125,000.50" },
    ]);
    bench.clearRequests();
    const report = await bench.workbench.push(plan);
    expect(report.results).toEqual([{ key: "3:9001", label: LABEL_9001, outcome: "done", message: `Pushed ${STAMP}` }]);
    expect(bench.writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9001 200"]);
    const after = stored(9001);
    expect(after).toEqual({
      ...before,
      name: "Initech Usage Commit (amended)",
      total_value: 125000.5,
      last_modified_at: after.last_modified_at,
    });
    expect(after.last_modified_at).not.toBe(before.last_modified_at);
    // Campfire's recomputed remaining value is written back.
    expect(wb.cell(COMMITS, commitRow(wb, 9001), "Remaining value")).toBe(79749.75);
    expect(bench.dataChanged()).toBe(1);
  });

  it("overwriting a conflict keeps the other user's change to a field this user did not edit", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9002), "Priority", 3);
    const touched = bench.sandbox.store.touchCommit(3, 9002, { tags: "changed elsewhere", description: "theirs" });

    const plan = await bench.workbench.planPush("commits");
    expect(plan.conflicts).toEqual([
      { key: "3:9002", label: LABEL_9002, pulledAt: "2026-02-02T14:05:11.250000Z", serverAt: touched.last_modified_at },
    ]);
    bench.clearRequests();
    const skipped = await bench.workbench.push(plan);
    expect(skipped.results.map((r) => r.outcome)).toEqual(["conflict-skipped"]);
    expect(bench.writes()).toEqual([]);

    const again = await bench.workbench.planPush("commits");
    expect(again.records[0]!.fields).toEqual([
      { field: "Description", pulled: "(empty)", now: "theirs", send: "theirs", edited: false, changedInCampfire: true, overwrites: false },
      { field: "Priority", pulled: "1", now: "1", send: "3", edited: true, changedInCampfire: false, overwrites: false },
      {
        field: "Tags",
        pulled: "storage",
        now: "changed elsewhere",
        send: "changed elsewhere",
        edited: false,
        changedInCampfire: true,
        overwrites: false,
      },
    ]);
    const report = await bench.workbench.push(again, { overwrite: [{ key: "3:9002", serverAt: touched.last_modified_at! }] });
    expect(report.results.map((r) => r.outcome)).toEqual(["done"]);
    expect(bench.writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9002 200"]);
    expect(stored(9002)).toMatchObject({ priority: 3, tags: "changed elsewhere", description: "theirs", name: "Burst Capacity Pool" });
    // The row now shows what Campfire holds, including the other user's change.
    expect(wb.cell(COMMITS, commitRow(wb, 9002), "Tags")).toBe("changed elsewhere");
  });

  it("overwriting does not send a PUT that another user's change has made invalid; the edit stays", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    const row = commitRow(wb, 9001);
    wb.type(COMMITS, row, "Expiration date", isoDateToSerial("2026-03-01"));
    const touched = bench.sandbox.store.touchCommit(3, 9001, { start_date: "2026-06-01" });
    const plan = await bench.workbench.planPush("commits");
    // The merge with Campfire's current values would be refused: the review blocks it, naming why and where.
    expect(plan.records.map((r) => [r.key, r.action, r.serverAt])).toEqual([["3:9001", "blocked", touched.last_modified_at]]);
    expect(plan.sendCount).toBe(0);

    bench.clearRequests();
    const report = await bench.workbench.push(plan, { overwrite: [{ key: "3:9001", serverAt: touched.last_modified_at! }] });
    const message =
      "Not sent: with Campfire's current values, Expiration date: the expiration date 2026-03-01 is before the start date 2026-06-01; " +
      "allowed: a date on or after the start date (2026-06-01), or empty. Pull again or change the row.";
    expect(report.results).toEqual([{ key: "3:9001", label: LABEL_9001, outcome: "failed", message, address: "'Prepaid commits'!H2" }]);
    expect(bench.requestCounts()).toEqual({});
    expect(stored(9001)).toMatchObject({
      start_date: "2026-06-01",
      expiration_date: "2030-12-31",
      last_modified_at: touched.last_modified_at,
    });
    expect(wb.cell(COMMITS, row, "Expiration date")).toBe(isoDateToSerial("2026-03-01"));
    expect(wb.cell(COMMITS, row, "Status")).toBe(message);
    expect(wb.marks(COMMITS)).toContainEqual({ row, column: "expiration_date", kind: "error", message });
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.commits")!)).toMatchObject({ failed: ["3:9001"] });

    // Push again is reviewed again, and blocked the same way.
    bench.clearRequests();
    const again = await pushAgain(bench.workbench, "commits");
    expect(again.results.map((r) => [r.outcome, r.message])).toEqual([["failed", message]]);
    expect(bench.requestCounts()).toEqual({ GET: 1 });
  });

  it("a 400 on a field puts Campfire's message on that cell; the edit stays; push again sends only it", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Tags", "q3");
    wb.type(COMMITS, commitRow(wb, 9002), "Name", "Burst Pool");
    bench.sandbox.injectFaults([{ status: 400, body: { name: ["A commit with this name already exists."] } }], {
      method: "PUT",
      pathIncludes: "/prepaid-commits/9002",
    });
    const report = await bench.workbench.push(await bench.workbench.planPush("commits"));
    const message = "Campfire rejected it: Name: A commit with this name already exists.";
    expect(report.results).toEqual([
      { key: "3:9001", label: LABEL_9001, outcome: "done", message: `Pushed ${STAMP}` },
      { key: "3:9002", label: LABEL_9002, outcome: "failed", message, address: "'Prepaid commits'!C3" },
    ]);
    expect(wb.cell(COMMITS, 1, "Name")).toBe("Burst Pool");
    expect(wb.cell(COMMITS, 1, "Status")).toBe(message);
    expect(wb.marks(COMMITS)).toEqual([{ row: 1, column: "name", kind: "error", message }]);
    expect(stored(9002).name).toBe("Burst Capacity Pool");

    bench.clearRequests();
    const again = await pushAgain(bench.workbench, "commits");
    expect(again.results.map((r) => [r.key, r.outcome])).toEqual([["3:9002", "done"]]);
    expect(bench.writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9002 200"]);
    expect(stored(9002).name).toBe("Burst Pool");
  });

  it("an invalid edit blocks the whole push: no PUT at all", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Discount %", 120);
    wb.type(COMMITS, commitRow(wb, 9002), "Name", "Fine");
    bench.clearRequests();
    const plan = await bench.workbench.planPush("commits");
    expect(plan.blocked.map((i) => [i.address, i.message, i.allowed])).toEqual([
      ["'Prepaid commits'!I2", "120 is too large", "a number from 0 to 100"],
    ]);
    await expect(bench.workbench.push(plan)).rejects.toThrow(BlockedPlanError);
    expect(bench.sandbox.requests).toEqual([]);
  });

  it("a deleted row is reported as missing and nothing is deleted in Campfire", async () => {
    await bench.workbench.pull("commits", [3]);
    bench.workbook.deleteRow(COMMITS, commitRow(bench.workbook, 9003));
    const checked = await bench.workbench.check("commits");
    expect(checked.missing).toEqual([{ key: "3:9003", label: 'Prepaid commit 9003 ("Initech Usage Commit 2025") of contract 3' }]);
    bench.clearRequests();
    const plan = await bench.workbench.planPush("commits");
    expect(plan.recordKeys).toEqual([]);
    expect(await bench.workbench.push(plan)).toEqual({ kind: "commits", results: [], succeeded: 0, failed: 0, skipped: 0, unknown: 0 });
    expect(bench.writes()).toEqual([]);
    expect(bench.sandbox.store.commits(3).map((c) => c.id)).toEqual([9001, 9002, 9003, 9004]);
  });
});

describe("marks of the last push", () => {
  const LABEL_9003 = 'Prepaid commit 9003 ("Initech Usage Commit 2025") of contract 3';
  const rejected = "Campfire rejected it: Name: A commit with this name already exists.";
  const conflict = (at: string) =>
    `Not sent: changed in Campfire since the pull (last modified ${at}); tick overwrite in the review or pull again`;

  /** 9001 goes through, Campfire refuses 9002's name, and 9003 was changed by another user since the pull. */
  async function pushWithFailureAndConflict(): Promise<string> {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Tags", "q3");
    wb.type(COMMITS, commitRow(wb, 9002), "Name", "Burst Pool");
    wb.type(COMMITS, commitRow(wb, 9003), "Priority", 5);
    const touched = bench.sandbox.store.touchCommit(3, 9003, { tags: "theirs" });
    bench.sandbox.injectFaults([{ status: 400, body: { name: ["A commit with this name already exists."] } }], {
      method: "PUT",
      pathIncludes: "/prepaid-commits/9002",
    });
    const report = await bench.workbench.push(await bench.workbench.planPush("commits"));
    expect(report.results.map((r) => [r.label, r.outcome])).toEqual([
      [LABEL_9001, "done"],
      [LABEL_9002, "failed"],
      [LABEL_9003, "conflict-skipped"],
    ]);
    return touched.last_modified_at!;
  }

  it("stay on their records through every later check and a sort, until the record is reverted or goes through", async () => {
    const at = await pushWithFailureAndConflict();
    const wb = bench.workbook;
    const afterPush = [
      { row: 1, column: "name", kind: "error", message: rejected },
      { row: 2, column: "priority", kind: "conflict", message: conflict(at) },
    ];
    expect(wb.marks(COMMITS)).toEqual(afterPush);

    // The pane checks right after a push, and on every edit: the check keeps the push's marks.
    const checked = await bench.workbench.check("commits");
    expect([checked.editedCells, checked.changedRecords, checked.issues]).toEqual([2, 2, []]);
    expect(wb.marks(COMMITS)).toEqual(afterPush);

    // Placed by the row's commit, not its number.
    wb.sortBy(COMMITS, "Commit ID", true);
    expect(wb.column(COMMITS, "Commit ID")).toEqual([9004, 9003, 9002, 9001]);
    await bench.workbench.check("commits");
    expect(wb.marks(COMMITS)).toEqual([
      { row: 1, column: "priority", kind: "conflict", message: conflict(at) },
      { row: 2, column: "name", kind: "error", message: rejected },
    ]);

    // 9003 typed back to what was pulled: nothing left to push, so nothing left to mark.
    wb.type(COMMITS, commitRow(wb, 9003), "Priority", 0);
    await bench.workbench.check("commits");
    expect(wb.marks(COMMITS)).toEqual([{ row: 2, column: "name", kind: "error", message: rejected }]);

    // 9002 goes through on the push again: its mark goes too, now and at the next check.
    const again = await pushAgain(bench.workbench, "commits");
    expect(again.results.map((r) => [r.key, r.outcome])).toEqual([["3:9002", "done"]]);
    expect(wb.marks(COMMITS)).toEqual([]);
    await bench.workbench.check("commits");
    expect(wb.marks(COMMITS)).toEqual([]);
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.commits")!).marks).toEqual([
      { key: "3:9003", row: "[3,9003]#0", column: "priority", kind: "conflict", message: conflict(at) },
    ]);
  });

  it("a push of other records keeps them; a pull clears them", async () => {
    const at = await pushWithFailureAndConflict();
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9004), "Priority", 7);
    // 9002 is refused the same way again and 9003 is not overwritten: their marks stay; 9004 goes through.
    bench.sandbox.injectFaults([{ status: 400, body: { name: ["A commit with this name already exists."] } }], {
      method: "PUT",
      pathIncludes: "/prepaid-commits/9002",
    });
    const other = await bench.workbench.push(await bench.workbench.planPush("commits"));
    expect(other.results.map((r) => [r.key, r.outcome])).toEqual([
      ["3:9002", "failed"],
      ["3:9003", "conflict-skipped"],
      ["3:9004", "done"],
    ]);
    await bench.workbench.check("commits");
    expect(wb.marks(COMMITS)).toEqual([
      { row: 1, column: "name", kind: "error", message: rejected },
      { row: 2, column: "priority", kind: "conflict", message: conflict(at) },
    ]);

    await bench.workbench.pull("commits", [3], undefined, { discardEdits: true });
    wb.type(COMMITS, commitRow(wb, 9003), "Priority", 5);
    await bench.workbench.check("commits");
    expect(wb.marks(COMMITS)).toEqual([{ row: 2, column: "priority", kind: "edited" }]);
  });
});

describe("undo", () => {
  it("restores only the fields the push changed, for commits nobody touched since", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    const original = stored(9001);
    wb.type(COMMITS, commitRow(wb, 9001), "Expiration date", "2031-12-31");
    wb.type(COMMITS, commitRow(wb, 9001), "Auto-send overage invoices", false);
    wb.type(COMMITS, commitRow(wb, 9002), "Rate", 0.35);
    await bench.workbench.push(await bench.workbench.planPush("commits"));
    expect(stored(9001)).toMatchObject({ expiration_date: "2031-12-31", auto_send_overage_invoices: false });
    bench.sandbox.store.touchCommit(3, 9002, { tags: "elsewhere" });

    bench.clearRequests();
    const undone = await undo(bench.workbench, "commits");
    expect(undone.results.map((r) => [r.key, r.outcome])).toEqual([
      ["3:9001", "done"],
      ["3:9002", "conflict-skipped"],
    ]);
    expect(bench.writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9001 200"]);
    const restored = stored(9001);
    expect(restored).toEqual({ ...original, last_modified_at: restored.last_modified_at });
    expect(stored(9002)).toMatchObject({ rate: 0.35, tags: "elsewhere" });
    expect(wb.cell(COMMITS, commitRow(wb, 9001), "Expiration date")).toBe(isoDateToSerial("2030-12-31"));
    expect(wb.cell(COMMITS, commitRow(wb, 9001), "Status")).toBe(`Undone ${STAMP}`);
    expect(wb.log.rows.slice(3).map((r) => [r[2], r[3], r[4], r[5], r[6]])).toEqual([
      [LABEL_9001, "Expiration date", "2031-12-31", "2030-12-31", "Undone"],
      [LABEL_9001, "Auto-send overage invoices", "FALSE", "TRUE", "Undone"],
      [LABEL_9002, "Rate", "0.35", "0.3", `Skipped (conflict): ${undone.results[1]!.message}`],
    ]);

    // The conflicting one stays undoable, by choice of overwrite; the undone one is not undone twice.
    bench.clearRequests();
    // The consent names the version the skipped result reported.
    expect(undone.results[1]!.serverAt).toBe(stored(9002).last_modified_at);
    const forced = await undo(bench.workbench, "commits", { overwrite: [{ key: "3:9002", serverAt: undone.results[1]!.serverAt! }] });
    expect(forced.results.map((r) => [r.key, r.outcome])).toEqual([["3:9002", "done"]]);
    expect(bench.writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9002 200"]);
    expect(stored(9002)).toMatchObject({ rate: 0.3, tags: "elsewhere" });
    expect((await undo(bench.workbench, "commits")).results).toEqual([]);
  });

  it("keeps the pushed fields' old and new values with the workbook; a new workbench undoes them", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    const original = stored(9001);
    wb.type(COMMITS, commitRow(wb, 9001), "Expiration date", "");
    wb.type(COMMITS, commitRow(wb, 9001), "Total value", 125000.5);
    await bench.workbench.push(await bench.workbench.planPush("commits"));
    const pushed = stored(9001);
    expect(pushed).toMatchObject({ expiration_date: null, total_value: 125000.5 });
    expect(JSON.parse(wb.snapshots.get("campfire.last-push.commits")!)).toEqual({
      version: 1,
      kind: "commits",
      failed: [],
      overwrite: [],
      pushed: [
        {
          key: "3:9001",
          label: LABEL_9001,
          lastModifiedAt: pushed.last_modified_at,
          fields: ["total_value", "expiration_date"],
          ref: { contract: 3, id: 9001 },
          currency: "USD",
          old: { total_value: 120000, expiration_date: "2030-12-31" },
          new: { total_value: 125000.5, expiration_date: null },
        },
      ],
      marks: [],
    });

    bench.clearRequests();
    const undone = await undo(reloadedWorkbench(bench), "commits");
    expect(undone.results).toEqual([{ key: "3:9001", label: LABEL_9001, outcome: "done", message: `Undone ${STAMP}` }]);
    expect(bench.writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9001 200"]);
    const restored = stored(9001);
    expect(restored).toEqual({ ...original, last_modified_at: restored.last_modified_at });
    expect(wb.log.rows.slice(-2).map((r) => [r[3], r[4], r[5], r[6]])).toEqual([
      ["Total value", "125,000.50", "120,000.00", "Undone"],
      ["Expiration date", "(empty)", "2030-12-31", "Undone"],
    ]);
  });

  it("does not undo a record whose row has edits made after the push", async () => {
    await bench.workbench.pull("commits", [3]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(wb, 9001), "Priority", 7);
    await bench.workbench.push(await bench.workbench.planPush("commits"));
    wb.type(COMMITS, commitRow(wb, 9001), "Tags", "new edit");
    bench.clearRequests();
    const undone = await undo(bench.workbench, "commits");
    expect(undone.results).toEqual([
      {
        key: "3:9001",
        label: LABEL_9001,
        outcome: "failed",
        message: "Not undone: the row has edits that are not pushed; push or revert them first",
      },
    ]);
    expect(bench.writes()).toEqual([]);
    expect(wb.cell(COMMITS, commitRow(wb, 9001), "Tags")).toBe("new edit");
    expect(stored(9001).priority).toBe(7);
  });
});
