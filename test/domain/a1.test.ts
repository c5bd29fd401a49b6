/** A1 addresses, column letters and Excel's quoting of sheet names: one module for the domain, adapter and fake. */
import { fc, test as property } from "@fast-check/jest";
import {
  AddressError,
  columnIndex,
  columnName,
  formatAddress,
  formatLocalAddress,
  parseAddress,
  parseLocalAddress,
  quoteSheetName,
  splitSheet,
} from "../../src/domain/a1";

describe("A1 addresses", () => {
  test.each([
    [0, "A"],
    [25, "Z"],
    [26, "AA"],
    [51, "AZ"],
    [52, "BA"],
    [701, "ZZ"],
    [702, "AAA"],
    [16383, "XFD"],
  ])("column %i is %s and back", (index, name) => {
    expect(columnName(index)).toBe(name);
    expect(columnIndex(name)).toBe(index);
  });

  test.each([
    ["A1", { row: 0, column: 0, rowCount: 1, columnCount: 1 }],
    ["$B$2:D9", { row: 1, column: 1, rowCount: 8, columnCount: 3 }],
    ["D9:B2", { row: 1, column: 1, rowCount: 8, columnCount: 3 }],
    ["C:C", { row: 0, column: 2, rowCount: 1_048_576, columnCount: 1 }],
    ["3:5", { row: 2, column: 0, rowCount: 3, columnCount: 16_384 }],
  ])("%s", (address, rect) => {
    expect(parseLocalAddress(address)).toEqual(rect);
  });

  test.each(["", "A", "A0", "XFE1", "A1:B", "1A", "A1:B2:C3", "A1048577"])("%j is refused", (address) => {
    expect(() => parseLocalAddress(address)).toThrow(AddressError);
  });

  test("sheet names are quoted when Excel would quote them", () => {
    expect(formatAddress("Allocations", { row: 0, column: 0, rowCount: 2, columnCount: 3 })).toBe("Allocations!A1:C2");
    expect(formatAddress("Campfire log", { row: 4, column: 1, rowCount: 1, columnCount: 1 })).toBe("'Campfire log'!B5");
    expect(formatAddress("Bob's", { row: 0, column: 0, rowCount: 1, columnCount: 1 })).toBe("'Bob''s'!A1");
    expect(parseAddress("'Bob''s'!B2:C3")).toEqual({ sheet: "Bob's", rect: { row: 1, column: 1, rowCount: 2, columnCount: 2 } });
    expect(formatLocalAddress(parseLocalAddress("AA10:AB12"))).toBe("AA10:AB12");
  });
});

/**
 * How Excel writes each sheet name in a reference. The names and Excel's quoting of them come from workbooks saved
 * by Excel, as collected in XlsxWriter's test suite (xlsxwriter/test/utility/test_quote_sheetname.py); TRUE/FALSE
 * (which Excel would read as booleans) are quoted as Apache POI's SheetNameFormatter does.
 */
describe("quoteSheetName follows Excel", () => {
  test.each([
    // 1. anything but letters (any script), digits, "_" and "."
    ["Sheet1", "Sheet1"],
    ["Sheet.1", "Sheet.1"],
    ["Sheet_1", "Sheet_1"],
    ["Q1_data", "Q1_data"],
    ["Allocations", "Allocations"],
    ["Sheet-1", "'Sheet-1'"],
    ["Sheet 1", "'Sheet 1'"],
    ["Prepaid commits", "'Prepaid commits'"],
    ["Campfire log", "'Campfire log'"],
    ["Sheet#1", "'Sheet#1'"],
    ["#Sheet1", "'#Sheet1'"],
    ["Sheet'1", "'Sheet''1'"],
    ["Sheet''1", "'Sheet''''1'"],
    ["Bob's sheet", "'Bob''s sheet'"],
    ["_", "_"],
    [" ", "' '"],
    ["été", "été"],
    ["Übersicht", "Übersicht"],
    ["Sheet😀", "Sheet😀"],
    ["Sheet⟦1", "'Sheet⟦1'"], // Unicode punctuation
    // 2. a leading digit or "."
    ["_Sheet1", "_Sheet1"],
    [".", "'.'"],
    [".Sheet1", "'.Sheet1'"],
    ["1Sheet1", "'1Sheet1'"],
    ["2026", "'2026'"],
    ["😀Sheet", "'😀Sheet'"],
    // 3. an A1 reference inside the grid, any case
    ["A0", "A0"],
    ["A1", "'A1'"],
    ["a1", "'a1'"],
    ["AB", "AB"],
    ["ABC", "ABC"],
    ["XFD", "XFD"],
    ["AB12", "'AB12'"],
    ["XFD1", "'XFD1'"],
    ["XFE1", "XFE1"], // column beyond XFD
    ["ZZZ1", "ZZZ1"],
    ["A1048576", "'A1048576'"],
    ["A1048577", "A1048577"], // row beyond the grid
    ["B1048576a", "B1048576a"],
    ["XFD1048576", "'XFD1048576'"],
    ["XFD01048576", "'XFD01048576'"],
    ["XFD01048577", "XFD01048577"],
    ["A123456789012345678901", "A123456789012345678901"],
    // 4. starts with an R1C1 reference inside the grid
    ["A", "A"],
    ["Q", "Q"],
    ["C", "'C'"],
    ["c", "'c'"],
    ["R", "'R'"],
    ["RC", "'RC'"],
    ["rc", "'rc'"],
    ["CR", "CR"],
    ["RCZ", "RCZ"],
    ["RRC", "RRC"],
    ["R0C0", "R0C0"],
    ["C8", "'C8'"],
    ["R4C", "'R4C'"],
    ["rc2", "'rc2'"],
    ["rc2z", "'rc2z'"],
    ["R1C1", "'R1C1'"],
    ["r1c2", "'r1c2'"],
    ["bR1C1", "bR1C1"],
    ["R1C1b", "'R1C1b'"],
    ["C16384Z", "'C16384Z'"],
    ["C16385Z", "C16385Z"],
    ["RC16385Z", "RC16385Z"],
    ["R1048576C", "'R1048576C'"],
    ["R1048577C", "R1048577C"],
    ["R1048577C1", "R1048577C1"],
    ["R1C16385", "'R1C16385'"],
    ["ZR1048576C16384", "ZR1048576C16384"],
    ["R123456789012345678901Z", "R123456789012345678901Z"],
    // 5. booleans
    ["TRUE", "'TRUE'"],
    ["false", "'false'"],
    ["Trueish", "Trueish"],
  ])("%s → %s", (name, quoted) => {
    expect(quoteSheetName(name)).toBe(quoted);
  });

  property.prop([fc.string({ minLength: 1, maxLength: 31 })])("any name survives quoting and reading back", (name) => {
    expect(splitSheet(`${quoteSheetName(name)}!A1`)).toEqual({ sheet: name, local: "A1" });
  });
});
