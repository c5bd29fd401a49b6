import { TableMissingError, cellAddress, locateColumns, type SheetLayout } from "../../../src/domain/sheet/layout";
import { ALLOCATIONS_LAYOUT } from "../../../src/domain/sheet/allocation-table";
import { COMMITS_LAYOUT } from "../../../src/domain/sheet/commit-table";
import { COMMIT_WRITABLE_FIELDS } from "../../../src/model/records";

describe("cellAddress", () => {
  it.each([
    [{ sheetName: "Prepaid commits", headerRow: 1, firstColumn: 0 }, 5, 3, "'Prepaid commits'!D7"],
    [{ sheetName: "Allocations", headerRow: 1, firstColumn: 0 }, 0, 8, "Allocations!I2"],
    [{ sheetName: "Allocations", headerRow: 4, firstColumn: 2 }, 0, 0, "Allocations!C5"],
    [{ sheetName: "Allocations", headerRow: 1, firstColumn: 25 }, 9999, 1, "Allocations!AA10001"],
  ])("%o row %i column %i → %s", (table, row, column, address) => {
    expect(cellAddress(table, row, column)).toBe(address);
  });
});

describe("locateColumns", () => {
  const layout: SheetLayout<"id" | "amount" | "note"> = {
    sheetName: "S",
    tableName: "T",
    columns: [
      { key: "id", header: "Line ID", format: "integer", editable: false, required: true },
      { key: "amount", header: "Amount", format: "amount", editable: true, required: true },
      { key: "note", header: "Note", format: "text", editable: false },
    ],
  };

  it("finds columns the user moved, ignoring case, spaces and extra columns", () => {
    const found = locateColumns(layout, ["My notes", " amount ", "LINE  ID"]);
    expect([...found.index]).toEqual([
      ["id", 2],
      ["amount", 1],
    ]);
    expect(found.missing).toEqual([]);
  });

  it("lists required columns that are gone, but not optional ones", () => {
    const found = locateColumns(layout, ["Note"]);
    expect(found.missing.map((c) => c.header)).toEqual(["Line ID", "Amount"]);
    expect([...found.index]).toEqual([["note", 0]]);
  });
});

describe("table layouts", () => {
  it("allocations: plain-word headers in this order, Amount (the one editable column) right after the line's identity and product", () => {
    expect(ALLOCATIONS_LAYOUT.columns.map((c) => c.header)).toEqual([
      "Contract ID",
      "Item type",
      "Item ID",
      "Line ID",
      "Product name",
      "Amount",
      "New %",
      "Percentage",
      "Bundle total",
      "Currency",
      "Original percentage",
      "Product ID",
      "Product code",
      "Deal name",
      "Last modified",
      "Status",
      "Check",
    ]);
    expect(ALLOCATIONS_LAYOUT.columns.filter((c) => c.editable).map((c) => c.key)).toEqual(["amount"]);
    expect(ALLOCATIONS_LAYOUT.columns.filter((c) => "owned" in c && c.owned).map((c) => c.header)).toEqual(["New %", "Status", "Check"]);
    // New % is Excel's own arithmetic on the row: amount ÷ bundle total, blank when there is no total.
    expect(ALLOCATIONS_LAYOUT.columns.filter((c) => "formula" in c).map((c) => [c.key, c.format, "formula" in c ? c.formula : ""])).toEqual(
      [["new_percentage", "percent", '=IF(N({bundle_total})=0,"",N({amount})/{bundle_total})']],
    );
  });

  it("commits: every writable field editable, right after the identity, each id followed by its name; cadence a dropdown, headers unique", () => {
    const editable = COMMITS_LAYOUT.columns.filter((c) => c.editable);
    expect(editable.map((c) => c.key)).toEqual([...COMMIT_WRITABLE_FIELDS]);
    expect(COMMITS_LAYOUT.columns.map((c) => c.header)).toEqual([
      "Contract ID",
      "Commit ID",
      "Name",
      "Description",
      "Total value",
      "Currency",
      "Start date",
      "Expiration date",
      "Discount %",
      "Rate",
      "Priority",
      "Entity ID",
      "Entity",
      "Product ID",
      "Product",
      "Department ID",
      "Department",
      "Subledger ID",
      "Exchange rate",
      "Book exchange rate",
      "Overage invoice cadence",
      "Auto-send overage invoices",
      "Overage invoice start month",
      "Tags",
      "Commit status",
      "Remaining value",
      "Invoiced",
      "Invoice ID",
      "Created",
      "Last modified",
      "Status",
      "Check",
    ]);
    const headers = COMMITS_LAYOUT.columns.map((c) => c.header);
    expect(new Set(headers).size).toBe(headers.length);
    expect(COMMITS_LAYOUT.sheetName).toBe("Prepaid commits");
    expect(COMMITS_LAYOUT.tableName).toBe("CampfirePrepaidCommits");
    const byKey = Object.fromEntries(COMMITS_LAYOUT.columns.map((c) => [c.key, c]));
    expect(byKey.overage_invoice_cadence).toMatchObject({
      header: "Overage invoice cadence",
      format: "enum",
      enumValues: ["monthly", "quarterly", "biannual", "annual", "one_time"],
    });
    expect(byKey.discount_percentage).toMatchObject({ header: "Discount %", format: "number" });
    expect(byKey.start_date).toMatchObject({ header: "Start date", format: "date" });
    expect(byKey.auto_send_overage_invoices).toMatchObject({ format: "boolean" });
    expect(byKey.last_modified_at).toMatchObject({ header: "Last modified", format: "datetime", editable: false });
    expect(byKey.commit_status).toMatchObject({ header: "Commit status", editable: false });
  });
});

describe("TableMissingError", () => {
  test.each([
    [ALLOCATIONS_LAYOUT, "Allocations", 'There is no Allocations table on the sheet "Allocations"; pull allocations first'],
    [COMMITS_LAYOUT, undefined, 'There is no Prepaid commits table on the sheet "Prepaid commits"; pull prepaid commits first'],
  ])("names the table and what to do (%#)", (layout, title, message) => {
    const error = new TableMissingError(layout, title);
    expect([error.name, error.message, error.tableName, error.sheetName]).toEqual([
      "TableMissingError",
      message,
      layout.tableName,
      layout.sheetName,
    ]);
    expect(error).toBeInstanceOf(Error);
  });
});
