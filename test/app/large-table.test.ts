/** 10,000 lines: workbook round trips stay constant; nothing is rewritten that did not change. */
import { makeLargeData } from "../../src/sandbox/seed";
import { ALLOCATIONS, lineRow, startBench, type Bench } from "./workbench-helpers";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench({ data: makeLargeData(1000, 10), deps: { concurrency: 8 } });
});
afterAll(() => bench.close());

it("pulls, checks and pushes a 10,000-line table with a constant number of reads and writes per operation", async () => {
  const wb = bench.workbook;
  const pulled = await bench.workbench.pull("allocations", "all");
  expect(pulled).toEqual({
    kind: "allocations",
    records: 1000,
    rows: 10000,
    message: "Pulled 1,000 bundles (10,000 lines) from 20 contracts",
  });
  // No table yet, so no edits to protect: one read finds that; the saves are the snapshot and the cleared last push.
  expect(wb.calls.map((c) => c.method)).toEqual(["readTable", "writeTable", "saveSnapshot", "saveSnapshot", "setMarks"]);
  expect(wb.table(ALLOCATIONS).rows.length).toBe(10000);

  wb.resetCalls();
  const clean = await bench.workbench.check("allocations");
  expect([clean.issues.length, clean.bundles.length, clean.bundles.every((b) => b.balanced)]).toEqual([0, 1000, true]);
  // Nothing to write in the Check column of a clean table: only the marks are replaced.
  expect(wb.calls.map((c) => c.method)).toEqual(["readTableAndSnapshots", "writeResults"]);

  const first = lineRow(wb, 100000);
  const second = lineRow(wb, 100001);
  const a = wb.cell(ALLOCATIONS, first, "Amount") as number;
  const b = wb.cell(ALLOCATIONS, second, "Amount") as number;
  wb.type(ALLOCATIONS, first, "Amount", a + 1);
  wb.type(ALLOCATIONS, second, "Amount", b - 1);

  wb.resetCalls();
  const plan = await bench.workbench.planPush("allocations");
  expect([plan.recordKeys, plan.blocked, plan.conflicts]).toEqual([["100:subscription:100000"], [], []]);
  const report = await bench.workbench.push(plan);
  expect(report.results.map((r) => r.message)).toEqual([expect.stringMatching(/^Pushed/)]);
  expect(report.succeeded).toBe(1);
  expect(wb.calls.map((c) => c.method)).toEqual([
    "readTableAndSnapshots", // plan: the table, the pulled data and the last push together
    "readTableAndSnapshots",
    "saveSnapshots", // push: read table, pulled data, last push; send; keep the results and the last push
    "readTable",
    "writeResults", // read again to find each record's rows, then write cells, marks and the log
  ]);
  // Only cells Campfire's answer changed are rewritten: the bundle's ten rows get a new last modified and a status.
  expect(wb.calls.find((c) => c.method === "writeResults")?.size).toBe(10 * 2);
  expect(
    bench.sandbox.store
      .bundleOf("subscription", 100, 100000)
      .lines.slice(0, 2)
      .map((l) => l.amount),
  ).toEqual([a + 1, b - 1]);
});
