/** Number formats the adapter writes and reads: amounts by currency decimals, and which formats show a percent. */
import { amountFormat, isPercentFormat } from "../../src/excel/cell-styles";
import { ExcelWorkbook } from "../../src/excel/workbook";
import type { TableSpec } from "../../src/app/ports";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";

test.each([
  [0, "#,##0;[Red]-#,##0"],
  [2, "#,##0.00;[Red]-#,##0.00"],
  [3, "#,##0.000;[Red]-#,##0.000"],
  [4, "#,##0.0000;[Red]-#,##0.0000"],
])("an amount with %i decimals is formatted %j", (decimals, format) => {
  expect(amountFormat(decimals)).toBe(format);
});

test.each([
  ["0%", true],
  ["0.00%", true],
  ["#,##0.0%;[Red]-#,##0.0%", true],
  ["General", false],
  ['0.0"%"', false],
  ["0.0\\%", false],
  ["[$%-409]0", false],
  ["@", false],
])("%j shows a percent: %p", (format, percent) => {
  expect(isPercentFormat(format)).toBe(percent);
});

describe("the adapter", () => {
  const SPEC: TableSpec = {
    sheetName: "S",
    tableName: "T",
    columns: [
      { key: "currency", header: "Currency", format: "text", editable: false },
      { key: "amount", header: "Amount", format: "amount", editable: true, currencyColumn: "currency" },
      { key: "discount", header: "Discount %", format: "number", editable: true, unit: "percent" },
      { key: "rate", header: "Rate", format: "number", editable: true },
    ],
  };
  let fake: FakeExcel;
  let workbook: ExcelWorkbook;

  beforeEach(async () => {
    fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
    workbook = new ExcelWorkbook();
    await workbook.writeTable(SPEC, [
      ["USD", 1234.5, 20, 0.25],
      ["JPY", 4800000, 5, 1],
      ["JPY", 1000, 0, 1],
      ["KWD", 1.25, 100, 1],
    ]);
  });

  test("formats each amount by its row's currency: runs of rows, no request per 2-decimal row", () => {
    expect(fake.numberFormats("S", "B2:B5")).toEqual([
      ["#,##0.00;[Red]-#,##0.00"],
      ["#,##0;[Red]-#,##0"],
      ["#,##0;[Red]-#,##0"],
      ["#,##0.000;[Red]-#,##0.000"],
    ]);
    expect([2, 3, 4, 5].map((row) => fake.gridCell("S", row - 1, 1).text)).toEqual(["1,234.50", "4,800,000", "1,000", "1.250"]);
  });

  test("reads a percent-formatted number in a percent-as-0–100 column as the percent it shows; elsewhere as its value", async () => {
    await fake.edit("S", "C2", "12.5%");
    await fake.edit("S", "D2", "5%");
    const table = await workbook.readTable(SPEC);
    expect(table!.rows[0]).toEqual(["USD", 1234.5, "12.5%", 0.05]);
  });

  test("a result written back into such a cell gets the column's format again, and an amount its currency's", async () => {
    await fake.edit("S", "C2", "12.5%");
    await workbook.writeCells(SPEC, [
      { row: 0, column: "discount", value: 12.5 },
      { row: 0, column: "currency", value: "JPY" },
      { row: 0, column: "amount", value: 1234 },
    ]);
    expect([fake.numberFormats("S", "C2"), fake.numberFormats("S", "B2")]).toEqual([[["General"]], [["#,##0;[Red]-#,##0"]]]);
    expect(fake.gridCell("S", 1, 2).text).toBe("12.5");
  });
});
