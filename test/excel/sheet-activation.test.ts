/**
 * Tabs ⇄ sheets over the Excel fake: the pane activates a sheet, hears the sheets the user activates, and
 * learns which table row the user is on (the balance picker's default line).
 */
import { ExcelSheetActivation } from "../../src/excel/sheet-activation";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";

let fake: FakeExcel;
const sheets = new ExcelSheetActivation();

beforeEach(async () => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  await Excel.run(async (ctx) => {
    ctx.workbook.worksheets.add("Allocations");
    const commits = ctx.workbook.worksheets.add("Prepaid commits");
    const table = commits.tables.add("'Prepaid commits'!B3:C6", true);
    table.name = "CampfireCommits";
    await ctx.sync();
  });
});

test("activate shows an existing sheet and reports false for one not there yet", async () => {
  expect(await sheets.activate("Prepaid commits")).toBe(true);
  expect(fake.activeSheetName()).toBe("Prepaid commits");
  expect(await sheets.activate("Allocations")).toBe(true);
  expect(fake.activeSheetName()).toBe("Allocations");
  expect(await sheets.activate("Nowhere")).toBe(false);
  expect(fake.activeSheetName()).toBe("Allocations");
});

test("every sheet the user activates is heard, by name, until the handler is removed", async () => {
  const heard: string[] = [];
  const stop = await sheets.onActivated((name) => heard.push(name));
  fake.activate("Prepaid commits");
  await fake.settled();
  fake.userSelect("Allocations", "B2");
  await fake.settled();
  fake.userSelect("Allocations", "C9"); // same sheet: no activation
  await fake.settled();
  await sheets.activate("Sheet1");
  await fake.settled();
  expect(heard).toEqual(["Prepaid commits", "Allocations", "Sheet1"]);
  await stop();
  fake.activate("Prepaid commits");
  await fake.settled();
  expect(heard).toEqual(["Prepaid commits", "Allocations", "Sheet1"]);
});

test.each([
  ["Prepaid commits", "C4", 0],
  ["Prepaid commits", "B6", 2],
  ["Prepaid commits", "B3", null], // the header row
  ["Prepaid commits", "B7", null], // below the table
  ["Allocations", "C4", null], // the same address on another sheet
])("a selection on %s at %s is data row %p of the table", async (sheet, address, row) => {
  fake.userSelect(sheet, address);
  expect(await sheets.tableSelection("CampfireCommits")).toEqual({ headerRow: 3, selectedRow: row });
});

test("a table not in the workbook has no selection", async () => {
  expect(await sheets.tableSelection("CampfireAllocations")).toBeNull();
});
