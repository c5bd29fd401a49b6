/**
 * Merging pulls and refresh in place, end to end: the workbench against the sandbox over HTTP, Excel in memory.
 * `touch` plays another user changing a record in Campfire.
 */
import { UnpushedEditsError } from "../../src/app/workbench-interface";
import { ALLOCATIONS, COMMITS, NOW, commitRow, lineRow, startBench, type Bench } from "./workbench-helpers";

let bench: Bench;
beforeEach(async () => {
  bench = await startBench();
});
afterEach(() => bench.close());

function snapshotKeys(kind: "allocations" | "commits"): string[] {
  return Object.keys(JSON.parse(bench.workbook.snapshots.get(`campfire.snapshot.${kind}`)!).records);
}

function snapshot(kind: "allocations" | "commits") {
  return JSON.parse(bench.workbook.snapshots.get(`campfire.snapshot.${kind}`)!);
}

describe("a pull of some contracts merges: only their rows are replaced", () => {
  it("keeps other contracts' rows with their edits, rewrites the pulled contract's rows in place, and updates only its records", async () => {
    await bench.workbench.pull("allocations", "all");
    const wb = bench.workbook;
    // An edit in contract 2, not pushed.
    wb.type(ALLOCATIONS, lineRow(wb, 7031), "Amount", 30000);
    wb.type(ALLOCATIONS, lineRow(wb, 7033), "Amount", 12000);
    bench.sandbox.store.touchBundle(1, "subscription", 1001, {
      lines: [
        { product: 101, amount: 40000 },
        { product: 105, amount: 30000 },
        { product: 109, amount: 30000 },
      ],
    });
    const before = wb.table(ALLOCATIONS).rows.map((r) => [...r]);
    wb.resetCalls();

    const result = await bench.workbench.pull("allocations", [1]);

    expect(result).toEqual({
      kind: "allocations",
      records: 2,
      rows: 37,
      message: "Pulled 2 bundles (8 lines) from 1 contract; the rows of 5 other contracts are as they were",
    });
    expect(wb.count("writeTable")).toBe(0);
    expect(wb.calls.filter((c) => c.method === "editRows")).toEqual([{ method: "editRows", table: ALLOCATIONS, size: 1 }]);
    // Only bundle 1001's three rows changed (rows 0–2); every other row holds what it held, contract 2's edits included.
    const after = wb.table(ALLOCATIONS).rows;
    expect(after.slice(3)).toEqual(before.slice(3));
    expect(wb.column(ALLOCATIONS, "Amount").slice(0, 3)).toEqual([40000, 30000, 30000]);
    expect(wb.cell(ALLOCATIONS, lineRow(wb, 7031), "Amount")).toBe(30000);
    // The kept pulled data: contract 1's bundles as Campfire has them now, the others as pulled before.
    const snap = snapshot("allocations");
    expect(snap.records["1:subscription:1001"].bundle.lines.map((l: { amount: number }) => l.amount)).toEqual([40000, 30000, 30000]);
    expect(snap.records["2:subscription:1004"].bundle.lines.map((l: { amount: number }) => l.amount)).toEqual([29999.99, 18000, 12000.01]);
    expect(snap.scope).toBe("all");
    expect(snapshotKeys("allocations")).toHaveLength(9);
    // Contract 2's edit is still an edit: 2 cells in 1 record.
    const check = await bench.workbench.check("allocations");
    expect([check.editedCells, check.changedRecords]).toEqual([2, 1]);
  });

  it("refuses only for edits in the contracts being pulled, counting only those", async () => {
    await bench.workbench.pull("allocations", "all");
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7031), "Amount", 30000);
    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 1);
    wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", 2);
    wb.type(ALLOCATIONS, lineRow(wb, 7012), "Amount", 3);
    await expect(bench.workbench.pull("allocations", [1])).rejects.toEqual(new UnpushedEditsError("Allocations", 3, 2));
    await expect(bench.workbench.pull("allocations", [2])).rejects.toEqual(new UnpushedEditsError("Allocations", 1, 1));
    await expect(bench.workbench.pull("allocations", "all")).rejects.toEqual(new UnpushedEditsError("Allocations", 4, 3));
    // Contract 3 has no edits: it merges, and every edit stays.
    await bench.workbench.pull("allocations", [3]);
    expect([wb.cell(ALLOCATIONS, lineRow(wb, 7031), "Amount"), wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Amount")]).toEqual([30000, 1]);
    // Discarding replaces contract 1's rows only.
    await bench.workbench.pull("allocations", [1], undefined, { discardEdits: true });
    expect([wb.cell(ALLOCATIONS, lineRow(wb, 7031), "Amount"), wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Amount")]).toEqual([
      30000, 33333.33,
    ]);
  });

  it("adds a contract not on the sheet after the others, and deletes rows of records gone from Campfire", async () => {
    await bench.workbench.pull("commits", [3, 1]);
    const wb = bench.workbook;
    expect(wb.column(COMMITS, "Commit ID")).toEqual([9007, 9001, 9002, 9003, 9004]);
    bench.sandbox.store.deleteCommit(3, 9002);
    await bench.workbench.pull("commits", [5, 3]);
    expect(wb.column(COMMITS, "Commit ID")).toEqual([9007, 9001, 9003, 9004, 9008]);
    expect(snapshotKeys("commits").sort()).toEqual(["1:9007", "3:9001", "3:9003", "3:9004", "5:9008"]);
    expect(snapshot("commits").scope).toEqual([1, 3, 5]);
    const check = await bench.workbench.check("commits");
    expect([check.editedCells, check.issues.length]).toEqual([0, 0]);
  });

  it("keeps the last push of other contracts undoable and forgets the pulled contract's", async () => {
    await bench.workbench.pull("commits", [3, 1]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(bench.workbook, 9007), "Tags", "kept");
    wb.type(COMMITS, commitRow(bench.workbook, 9001), "Tags", "replaced");
    const plan = await bench.workbench.planPush("commits");
    await bench.workbench.push(plan);
    await bench.workbench.pull("commits", [3]);
    const undo = await bench.workbench.planUndo("commits");
    expect(undo.recordKeys).toEqual(["1:9007"]);
  });
});

describe("refresh in place", () => {
  it("gives unedited rows Campfire's values, keeps an edit, and marks a conflict where Campfire changed under it", async () => {
    await bench.workbench.pull("allocations", [1]);
    const wb = bench.workbook;
    wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.3);
    wb.type(ALLOCATIONS, lineRow(wb, 7003), "Amount", 33333.37);
    const store = bench.sandbox.store;
    // Another user changes the bundle nobody edited here …
    store.touchBundle(1, "subscription", 1002, {
      lines: [
        { product: 102, amount: 31000 },
        { product: 103, amount: 9000.5 },
      ],
    });
    const pulledBase = snapshot("allocations").records["1:subscription:1001"];

    const first = await bench.workbench.refresh("allocations");
    expect(first).toEqual({
      kind: "allocations",
      updatedRows: 5,
      kept: 1,
      conflicts: 0,
      message: "Refreshed: 5 rows updated from Campfire; 1 edited record kept.",
    });
    expect(wb.column(ALLOCATIONS, "Amount")).toEqual([33333.3, 33333.33, 33333.37, 31000, 9000.5, 5999.5, 4000, -2000]);
    expect(snapshot("allocations").records["1:subscription:1002"].bundle.lines.map((l: { amount: number }) => l.amount)).toEqual([
      31000, 9000.5, 5999.5, 4000, -2000,
    ]);
    expect(snapshot("allocations").records["1:subscription:1001"]).toEqual(pulledBase);

    // … then the bundle under the user's edits.
    const theirs = store.touchBundle(1, "subscription", 1001, {
      lines: [
        { product: 101, amount: 30000 },
        { product: 105, amount: 33333.33 },
        { product: 109, amount: 36666.67 },
      ],
    });
    const second = await bench.workbench.refresh("allocations");
    expect(second).toEqual({
      kind: "allocations",
      updatedRows: 0,
      kept: 1,
      conflicts: 1,
      message:
        "Refreshed: no row changed in Campfire; 1 edited record kept; 1 changed in Campfire under your edits (marked as a conflict).",
    });
    // The edits stay, the base stays what the user edited against, and the rows say so.
    expect(wb.column(ALLOCATIONS, "Amount").slice(0, 3)).toEqual([33333.3, 33333.33, 33333.37]);
    expect(snapshot("allocations").records["1:subscription:1001"]).toEqual(pulledBase);
    const status = `Conflict: changed in Campfire at ${theirs.last_modified_at.slice(11, 16)} under your edits; your edits are kept. Review push shows pulled → Campfire now → will send.`;
    expect(wb.column(ALLOCATIONS, "Status")).toEqual([status, status, status, "", "", "", "", ""]);
    expect(
      wb
        .marks(ALLOCATIONS)
        .filter((m) => m.kind === "conflict")
        .map((m) => [m.row, m.column]),
    ).toEqual([
      [0, "amount"],
      [2, "amount"],
      [0, "status"],
      [1, "status"],
      [2, "status"],
    ]);
    // A later check keeps the conflict marks.
    await bench.workbench.check("allocations");
    expect(wb.marks(ALLOCATIONS).filter((m) => m.kind === "conflict")).toHaveLength(5);
    // The review shows pulled → Campfire now → will send.
    const plan = await bench.workbench.planPush("allocations");
    expect(plan.records.map((r) => [r.key, r.action])).toEqual([["1:subscription:1001", "conflict"]]);
    expect(plan.records[0]!.fields.map((f) => [f.pulled, f.now, f.send])).toEqual([
      ["33,333.33", "30,000.00", "33,333.30"],
      ["33,333.34", "36,666.67", "33,333.37"],
    ]);
  });

  it("inserts records new in Campfire and deletes unedited ones gone; an edited record gone is kept and said so", async () => {
    await bench.workbench.pull("commits", [3, 5]);
    const wb = bench.workbook;
    wb.type(COMMITS, commitRow(bench.workbook, 9003), "Tags", "mine");
    const store = bench.sandbox.store;
    store.deleteCommit(3, 9002);
    store.deleteCommit(3, 9003);
    // Another user adds a commit to contract 3, copying 9004's terms.
    const {
      id: _id,
      contract: _contract,
      consumed_value: _consumed,
      is_invoiced: _invoiced,
      invoice: _invoice,
      created_at: _created,
      last_modified_at: _modified,
      ...terms
    } = store.commit(3, 9004);
    const added = store.createCommit(3, { ...terms, name: "Q2 Overage Credit" });
    expect(added.id).toBe(9009);
    wb.resetCalls();
    const result = await bench.workbench.refresh("commits");
    expect(result.message).toBe("Refreshed: 2 rows updated from Campfire; 1 edited record kept.");
    // 9002 deleted, 9009 inserted after contract 3's last commit (before contract 5's), 9003 kept with its edit.
    expect(wb.column(COMMITS, "Commit ID")).toEqual([9001, 9003, 9004, 9009, 9008]);
    expect(wb.calls.filter((c) => c.method === "editRows")).toEqual([{ method: "editRows", table: COMMITS, size: 2 }]);
    expect(wb.cell(COMMITS, commitRow(bench.workbook, 9009), "Name")).toBe("Q2 Overage Credit");
    expect(wb.cell(COMMITS, commitRow(bench.workbook, 9003), "Tags")).toBe("mine");
    expect(wb.cell(COMMITS, commitRow(bench.workbook, 9003), "Status")).toBe(
      "Deleted in Campfire since your pull; your edits are kept here.",
    );
    expect(snapshotKeys("commits")).toEqual(["3:9003", "3:9001", "3:9004", "3:9009", "5:9008"]);
  });

  it("stamps when the table was pulled and refreshed", async () => {
    expect(await bench.workbench.stamps("commits")).toBeNull();
    await bench.workbench.pull("commits", [3]);
    expect(await bench.workbench.stamps("commits")).toEqual({ pulledAt: NOW.toISOString(), refreshedAt: null });
    await bench.workbench.refresh("commits");
    expect(await bench.workbench.stamps("commits")).toEqual({ pulledAt: NOW.toISOString(), refreshedAt: NOW.toISOString() });
    // A pull starts over.
    await bench.workbench.pull("commits", [3]);
    expect(await bench.workbench.stamps("commits")).toEqual({ pulledAt: NOW.toISOString(), refreshedAt: null });
  });

  it("reads only the contracts the table holds, and changes nothing when Campfire did not change", async () => {
    await bench.workbench.pull("commits", [3]);
    bench.clearRequests();
    bench.workbook.resetCalls();
    const result = await bench.workbench.refresh("commits");
    expect(result.message).toBe("Refreshed: no row changed in Campfire.");
    expect(bench.sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /rr/api/v1/contracts/3/prepaid-commits?limit=500"]);
    expect(bench.workbook.count("editRows")).toBe(0);
  });
});
