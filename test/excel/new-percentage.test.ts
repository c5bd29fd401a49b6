/**
 * The Allocations table's New % column over the Excel fake: an Excel formula (amount ÷ bundle total) the add-in
 * writes on pull and on row-level rewrites; it follows the amount while the user types, reads back as the number
 * Excel computes, and is never an edit.
 */
import type { TableSpec } from "../../src/app/ports";
import { ALLOCATIONS_LAYOUT, allocationRows, type PulledBundle } from "../../src/domain/sheet/allocation-table";
import { ExcelWorkbook, rowFormula } from "../../src/excel/workbook";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";

const SPEC = ALLOCATIONS_LAYOUT as TableSpec;

const BUNDLE: PulledBundle = {
  contractId: 3,
  dealName: "Initech",
  itemType: "usage",
  itemId: 2001,
  bundle: {
    id: 5001,
    total_amount: 100,
    currency: "USD",
    license_term_start_date: null,
    source_bundle: null,
    source_bundle_name: null,
    created_at: "2026-01-01T00:00:00Z",
    last_modified_at: "2026-02-02T12:00:00Z",
    lines: [
      {
        id: 7101,
        product: 103,
        product_id_str: "API",
        product_name: "API Calls",
        amount: 60,
        percentage: "60.00",
        original_percentage: 60,
      },
      { id: 7102, product: 104, product_id_str: "STOR", product_name: "Storage", amount: 40, percentage: "40.00", original_percentage: 40 },
    ],
  },
} as unknown as PulledBundle;

let fake: FakeExcel;
let workbook: ExcelWorkbook;

beforeEach(() => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  workbook = new ExcelWorkbook();
});

test("rowFormula puts each column's cell of the row in place of its key", () => {
  const at = (key: string) => ({ amount: 5, bundle_total: 8 })[key];
  expect(rowFormula('=IF(N({bundle_total})=0,"",N({amount})/{bundle_total})', 2, at)).toBe('=IF(N(I2)=0,"",N(F2)/I2)');
  expect(() => rowFormula("={nothing}", 2, at)).toThrow("names the column nothing");
});

test("a pull writes the formula beside Campfire's percentage; it follows the amount as the user types", async () => {
  await workbook.writeTable(SPEC, allocationRows([BUNDLE]));
  expect(fake.values("Allocations", "E1:H1")).toEqual([["Product name", "Amount", "New %", "Percentage"]]);
  expect(fake.formulas("Allocations", "G2:G3")).toEqual([['=IF(N(I2)=0,"",N(F2)/I2)'], ['=IF(N(I3)=0,"",N(F3)/I3)']]);
  expect(fake.numberFormats("Allocations", "G2")).toEqual([["0.00%"]]);
  expect(fake.values("Allocations", "G2:H3")).toEqual([
    [0.6, 60],
    [0.4, 40],
  ]);
  await fake.edit("Allocations", "F2", "55.5");
  expect(fake.values("Allocations", "G2")).toEqual([[0.555]]);
  expect(fake.gridCell("Allocations", 1, 6).text).toBe("55.50%");
  // Read back as the number Excel shows.
  const table = await workbook.readTable(SPEC);
  expect(table?.rows[0]?.slice(5, 8)).toEqual([55.5, 0.555, 60]);
});

test("rows inserted or rewritten in place get the formula of their own row", async () => {
  await workbook.writeTable(SPEC, allocationRows([BUNDLE]));
  const [first, second] = allocationRows([BUNDLE]);
  await workbook.editRows(SPEC, [
    { kind: "insert", row: 0, rows: [second!] },
    { kind: "write", row: 2, rows: [first!] },
  ]);
  expect(fake.formulas("Allocations", "G2:G4")).toEqual([
    ['=IF(N(I2)=0,"",N(F2)/I2)'],
    ['=IF(N(I3)=0,"",N(F3)/I3)'],
    ['=IF(N(I4)=0,"",N(F4)/I4)'],
  ]);
  expect(fake.values("Allocations", "G2:G4")).toEqual([[0.4], [0.6], [0.6]]);
});
