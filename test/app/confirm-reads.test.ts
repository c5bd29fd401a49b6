/**
 * What a push reads before and after it sends, with the table watched as the pane watches it. When nothing was
 * edited since the review, the review's read is used again and only the reviewed rows are read (before sending,
 * to be sure they are as reviewed, and after, to place the results); any edit the watch sees, a sort included,
 * means the whole table is read again — so an edit to another record after the review still refuses the review.
 * An edit Excel has not reported yet is caught when it is in a reviewed row; in another record it is not pushed
 * and stays an edit.
 */
import type { CheckReport } from "../../src/app/workbench-interface";
import { StalePlanError } from "../../src/app/workbench-interface";
import { ALLOCATIONS, STAMP, lineRow, startBench, type Bench } from "./workbench-helpers";

let bench: Bench;
let reports: CheckReport[];
let stop: () => Promise<void>;

beforeEach(async () => {
  bench = await startBench({ deps: { debounceMs: 0 } });
  await bench.workbench.pull("allocations", [1]);
  reports = [];
  stop = await bench.workbench.watch("allocations", (r) => reports.push(r));
});
afterEach(async () => {
  await stop();
  await bench.close();
});

/** Waits until the live checks the edits started are done (no report for 50 ms). */
async function quiet(): Promise<void> {
  let seen = -1;
  while (seen !== reports.length) {
    seen = reports.length;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function editBundle(): Promise<void> {
  const wb = bench.workbook;
  wb.type(ALLOCATIONS, lineRow(wb, 7001), "Amount", 33333.3);
  wb.type(ALLOCATIONS, lineRow(wb, 7002), "Amount", 33333.36);
  await quiet();
}

test("nothing edited since the review: the push reads the reviewed rows before and after sending, never the whole table", async () => {
  await editBundle();
  const wb = bench.workbook;
  wb.resetCalls();
  const plan = await bench.workbench.planPush("allocations");
  const report = await bench.workbench.push(plan);
  expect(report.results.map((r) => r.outcome)).toEqual(["done"]);
  expect(wb.calls.slice(0, 5).map((c) => [c.method, c.size])).toEqual([
    ["readTableAndSnapshots", undefined], // the review: the table, the pulled data and the last push
    ["readRows", 3], // the bundle's three rows, as reviewed
    ["saveSnapshots", 2],
    ["readRows", 3], // the same rows after sending: the results go where the record still is
    ["writeResults", expect.any(Number)],
  ]);
  expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  expect(wb.cell(ALLOCATIONS, lineRow(wb, 7001), "Status")).toBe(`Pushed ${STAMP}`);
  expect(wb.cell(ALLOCATIONS, lineRow(wb, 7003), "Status")).toBe(`Pushed ${STAMP}`);
  await quiet();
  // What was pulled is now what was pushed: the bundle is no longer a change.
  expect((await bench.workbench.check("allocations")).changedRecords).toBe(0);
});

test("another record edited after the review: the whole table is read, and the review is refused with nothing sent", async () => {
  await editBundle();
  const plan = await bench.workbench.planPush("allocations");
  const wb = bench.workbook;
  const other = wb.cell(ALLOCATIONS, lineRow(wb, 7011), "Amount") as number;
  wb.type(ALLOCATIONS, lineRow(wb, 7011), "Amount", other + 1);
  await quiet();
  bench.clearRequests();
  wb.resetCalls();
  await expect(bench.workbench.push(plan)).rejects.toThrow(StalePlanError);
  expect(wb.calls.map((c) => c.method)).toEqual(["readTableAndSnapshots"]);
  expect(bench.writes()).toEqual([]);
});

test("rows sorted after the review: the whole table is read again, and the results land on the rows that hold the record", async () => {
  await editBundle();
  const plan = await bench.workbench.planPush("allocations");
  const wb = bench.workbook;
  wb.sortBy(ALLOCATIONS, "Line ID", true);
  await quiet();
  wb.resetCalls();
  const report = await bench.workbench.push(plan);
  expect(report.results.map((r) => r.outcome)).toEqual(["done"]);
  expect(wb.calls.slice(0, 4).map((c) => c.method)).toEqual(["readTableAndSnapshots", "saveSnapshots", "readRows", "writeResults"]);
  for (const line of [7001, 7002, 7003]) expect(wb.cell(ALLOCATIONS, lineRow(wb, line), "Status")).toBe(`Pushed ${STAMP}`);
  expect(bench.sandbox.store.bundleOf("subscription", 1, 1001).lines.map((l) => l.amount)).toEqual([33333.3, 33333.36, 33333.34]);
});

/** A cell changed in the table before Excel reports the edit (Excel tells the add-in after the fact). */
function unreported(line: number, header: string, value: number): void {
  const wb = bench.workbook;
  const table = wb.tables.get(ALLOCATIONS)!;
  table.rows[lineRow(wb, line)]![table.headers.indexOf(header)] = value;
}

test("a reviewed row changed before Excel reports it: the reviewed rows read again show it, and the review is refused", async () => {
  await editBundle();
  const plan = await bench.workbench.planPush("allocations");
  unreported(7001, "Amount", 33333.2);
  unreported(7003, "Amount", 33333.44);
  const wb = bench.workbook;
  bench.clearRequests();
  wb.resetCalls();
  await expect(bench.workbench.push(plan)).rejects.toThrow(StalePlanError);
  expect(wb.calls.map((c) => c.method)).toEqual(["readRows", "readTableAndSnapshots"]);
  expect(bench.writes()).toEqual([]);
});

test("another record changed before Excel reports it: the reviewed records go as reviewed, and the other stays an edit", async () => {
  await editBundle();
  const plan = await bench.workbench.planPush("allocations");
  const wb = bench.workbook;
  const other = wb.cell(ALLOCATIONS, lineRow(wb, 7011), "Amount") as number;
  unreported(7011, "Amount", other + 1);
  const report = await bench.workbench.push(plan);
  expect(report.results.map((r) => [r.key, r.outcome])).toEqual([["1:subscription:1001", "done"]]);
  expect(bench.writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  expect(wb.cell(ALLOCATIONS, lineRow(wb, 7011), "Amount")).toBe(other + 1);
  await quiet();
  expect((await bench.workbench.check("allocations")).changedRecords).toBe(1);
});
