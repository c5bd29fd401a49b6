/**
 * Refresh and a merging pull on a 10,000-line table: a constant number of workbook calls, and only the rows
 * Campfire changed are rewritten (one row-level call), however large the table.
 */
import { makeLargeData } from "../../src/sandbox/seed";
import { ALLOCATIONS, lineRow, startBench, type Bench } from "./workbench-helpers";

let bench: Bench;
beforeAll(async () => {
  bench = await startBench({ data: makeLargeData(1000, 10), deps: { concurrency: 8 } });
  await bench.workbench.pull("allocations", "all");
});
afterAll(() => bench.close());

function editedRows(): number {
  return bench.workbook.calls.filter((c) => c.method === "editRows").length;
}

it("refreshes 10,000 lines with an edit kept and two bundles changed in Campfire: one row-level write of their 20 rows", async () => {
  const wb = bench.workbook;
  const row = lineRow(wb, 100000);
  wb.type(ALLOCATIONS, row, "Amount", (wb.cell(ALLOCATIONS, row, "Amount") as number) + 1);
  wb.type(ALLOCATIONS, lineRow(wb, 100001), "Amount", (wb.cell(ALLOCATIONS, lineRow(wb, 100001), "Amount") as number) - 1);
  const store = bench.sandbox.store;
  // Subscriptions 100501 and 100900, of contracts 110 and 118 (50 bundles a contract from 100 on).
  for (const itemId of [100501, 100900]) {
    const bundle = store.bundleOf("subscription", 100 + Math.floor((itemId - 100000) / 50), itemId);
    store.setLineAmounts(bundle, new Map([[bundle.lines[0]!.product, bundle.lines[0]!.amount]]));
  }
  const before = wb.table(ALLOCATIONS).rows.map((r) => [...r]);
  wb.resetCalls();
  let writes: number[] = [];
  const editRows = wb.editRows.bind(wb);
  wb.editRows = async (spec, edits) => {
    writes = edits.map((e) => (e.kind === "delete" ? e.count : e.rows.length));
    return editRows(spec, edits);
  };
  const result = await bench.workbench.refresh("allocations");
  expect(result.message).toBe("Refreshed: 20 rows updated from Campfire; 1 edited record kept.");
  // Each changed bundle's 10 lines are one run of rows (their Last modified moved): two writes in one call.
  expect(writes).toEqual([10, 10]);
  expect(wb.calls.map((c) => c.method)).toEqual([
    "readTable",
    "loadSnapshot", // the table and what was pulled
    "editRows",
    "saveSnapshot", // the changed rows, the pulled data following
    "readTableAndSnapshots",
    "writeResults", // the check after it: one read, one write
  ]);
  const after = wb.table(ALLOCATIONS).rows;
  const changed = after.flatMap((r, i) => (JSON.stringify(r) === JSON.stringify(before[i]) ? [] : [i]));
  expect(changed).toHaveLength(20);
  expect(editedRows()).toBe(1);
  expect(wb.cell(ALLOCATIONS, row, "Amount")).toBe(before[row]![5] as number);
});

it("pulls one contract's 500 lines (contract 107) into the 10,000-line table in place: nothing else is touched", async () => {
  const wb = bench.workbook;
  const before = wb.table(ALLOCATIONS).rows.map((r) => [...r]);
  wb.resetCalls();
  const result = await bench.workbench.pull("allocations", [107]);
  expect(result).toEqual({
    kind: "allocations",
    records: 50,
    rows: 10000,
    message: "Pulled 50 bundles (500 lines) from 1 contract; the rows of 19 other contracts are as they were",
  });
  // Campfire did not change contract 107: no row is written at all.
  expect(wb.calls.map((c) => c.method)).toEqual([
    "readTable",
    "loadSnapshot",
    "saveSnapshot",
    "loadSnapshot",
    "saveSnapshot",
    "readTableAndSnapshots",
    "writeResults",
  ]);
  expect(wb.table(ALLOCATIONS).rows).toEqual(before);
});
