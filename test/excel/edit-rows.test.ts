/**
 * editRows against the Excel fake: only the rows named change; every other row — a formula the user typed, their
 * own column — keeps exactly what it holds; new rows get the formats, dropdowns and read-only fill of a pull.
 */
import { ExcelWorkbook } from "../../src/excel/workbook";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";
import { SPEC, row, rows } from "./table-spec";

let fake: FakeExcel;
let workbook: ExcelWorkbook;

beforeEach(async () => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  workbook = new ExcelWorkbook();
  await workbook.writeTable(SPEC, rows(4));
  await fake.settled();
  fake.resetCounters();
});

test("writes, inserts and deletes rows in place; a formula the user typed in another row stays a formula", async () => {
  await fake.edit("Allocations", "C2", "=1200.5+300");
  const fresh = (i: number, product: string) => [7, product, 10 + i, 0.5, 45300, "annual", true, ""];
  await workbook.editRows(SPEC, [
    { kind: "write", row: 1, rows: [fresh(1, "=not a formula")] },
    { kind: "delete", row: 2, count: 1 },
    { kind: "insert", row: 3, rows: [fresh(2, "00123"), fresh(3, "TRUE")] },
  ]);
  expect(fake.table("CampfireAllocations")).toEqual({
    sheet: "Allocations",
    address: "A1:H6",
    headers: ["Contract", "Product", "Amount", "Share", "Start date", "Cadence", "Auto send", "Status"],
  });
  expect(fake.formulas("Allocations", "C2")).toEqual([["=1200.5+300"]]);
  expect(fake.values("Allocations", "A2:H6")).toEqual([
    [...row(0).slice(0, 2), 1500.5, ...row(0).slice(3)],
    fresh(1, "=not a formula"),
    row(3),
    fresh(2, "00123"),
    fresh(3, "TRUE"),
  ]);
  // Text stays text; the new rows look like pulled rows.
  expect(fake.formulas("Allocations", "B3")).toEqual([["=not a formula"]]);
  expect(fake.numberFormats("Allocations", "A6:H6")).toEqual([
    ["0", "@", "#,##0.00;[Red]-#,##0.00", "0.00%", "yyyy-mm-dd", "@", "General", "@"],
  ]);
  expect(fake.validation("Allocations", "F6")).toEqual(["monthly", "quarterly", "annual"]);
  expect(fake.fill("Allocations", "A6")).toBe("#F2F2F2");
  // Find the table, read its layout, then every step in one batch.
  expect(fake.syncCount).toBe(3);
});

test("a column of the user's keeps its cells in rewritten rows", async () => {
  // The user adds a column of their own right of the table (the table grows into it).
  await fake.edit("Allocations", "I1", "Notes");
  await Excel.run(async (ctx) => {
    ctx.workbook.tables.getItem("CampfireAllocations").resize(ctx.workbook.worksheets.getItem("Allocations").getRange("A1:I5"));
    await ctx.sync();
  });
  await fake.edit("Allocations", "I3", "mine");
  await workbook.editRows(SPEC, [{ kind: "write", row: 1, rows: [row(9)] }]);
  expect(fake.values("Allocations", "A3:I3")).toEqual([[...row(9), "mine"]]);
});

test("refuses to delete every row, and rows the table does not have, before anything changes", async () => {
  await expect(workbook.editRows(SPEC, [{ kind: "delete", row: 0, count: 4 }])).rejects.toThrow("keeps at least one data row");
  await expect(workbook.editRows(SPEC, [{ kind: "write", row: 4, rows: [row(1)] }])).rejects.toThrow("has no row 5 to write");
  expect(fake.values("Allocations", "A2:H5")).toEqual(rows(4));
});

test("a rewrite heavier than one batch budget is sent in several round trips, with the same result", async () => {
  const small = new ExcelWorkbook({ batchBytes: 2_000 });
  const fresh = rows(40).map((r, i) => [8000 + i, ...r.slice(1)]);
  await small.editRows(SPEC, [
    { kind: "write", row: 0, rows: fresh.slice(0, 4) },
    { kind: "insert", row: 4, rows: fresh.slice(4) },
  ]);
  expect(fake.values("Allocations", "A2:H41")).toEqual(fresh);
  expect(fake.table("CampfireAllocations")?.address).toBe("A1:H41");
  // Find the table and read its layout; then the rows in slices of at most 1,000 bytes of values (about as much
  // again in formats): the 4 rows written, then the 36 inserted in three slices, none of which fits beside another
  // in a 2,000-byte round trip — 4 round trips.
  const valueBytes = JSON.stringify(fresh).length;
  expect(valueBytes).toBe(2_726);
  expect(fake.syncCount).toBe(2 + 4);
});
