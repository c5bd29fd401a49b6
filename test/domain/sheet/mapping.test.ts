/** Record → row (as Excel holds it) → draft: nothing changes on the way, whatever the values look like. */
import { isoDateTimeToSerial } from "../../../src/domain/cell-readers";
import { analyzeAllocations } from "../../../src/domain/sheet/allocation-analysis";
import { ALLOCATIONS_LAYOUT, allocationRows } from "../../../src/domain/sheet/allocation-table";
import { analyzeCommits } from "../../../src/domain/sheet/commit-analysis";
import { COMMITS_LAYOUT, commitRows, readCommitField } from "../../../src/domain/sheet/commit-table";
import { allocationSnapshot, commitSnapshot } from "../../../src/domain/sheet/snapshot";
import { COMMIT_WRITABLE_FIELDS, type CommitWritableField } from "../../../src/model/records";
import { typed } from "../../helpers/memory-workbook";
import { asTable, bundle, commit, getCell, utc } from "./fixtures";

describe("allocations: bundle → rows", () => {
  const rows = allocationRows([bundle()], utc);
  const modified = isoDateTimeToSerial("2026-02-02T12:00:00Z");

  it("writes one row per line, text exactly as Campfire has it (no apostrophe), numbers as numbers", () => {
    expect(rows).toEqual([
      // New % (the 7th cell) is the workbook's formula, not a value.
      [3, "usage", 2001, 7101, "API Calls", 60.5, "", 60.5, 100, "USD", 60.5, 103, "API-1000", "=SUM(1) Initech", modified, "", ""],
      [3, "usage", 2001, 7102, "Storage", 49.5, "", 49.5, 100, "USD", "", 104, "STOR", "=SUM(1) Initech", modified, "", ""],
      [3, "usage", 2001, 7103, "Credit", -10, "", -10, 100, "USD", -10, 111, "CREDIT", "=SUM(1) Initech", modified, "", ""],
    ]);
    expect(modified).toBe(46055.5);
  });

  it("reads back as text in Excel: a formula-like name stays text", () => {
    const table = asTable(ALLOCATIONS_LAYOUT, rows);
    expect(getCell(table, 0, "Deal name")).toBe("=SUM(1) Initech");
    expect(getCell(table, 0, "Product code")).toBe("API-1000");
  });

  it("an untouched table has no issues, no edits and nothing to send", () => {
    const b = bundle();
    const analysis = analyzeAllocations(asTable(ALLOCATIONS_LAYOUT, rows), allocationSnapshot([b], "t"), utc);
    expect(analysis.issues).toEqual([]);
    expect(analysis.marks).toEqual([]);
    expect(analysis.changed.size).toBe(0);
    expect(analysis.checkText).toEqual(["", "", ""]);
    expect(
      analysis.bundles.map(({ key, sum, total, difference, balanced, rows: r }) => ({ key, sum, total, difference, balanced, rows: r })),
    ).toEqual([{ key: "3:usage:2001", sum: "100.00", total: "100.00", difference: "0.00", balanced: true, rows: [0, 1, 2] }]);
  });

  it("an empty table writes no rows", () => {
    expect(allocationRows([], utc)).toEqual([]);
  });
});

describe("commits: commit → row → draft", () => {
  const c = commit({ description: null, overage_invoice_start_month: null, subledger: null });
  const [row] = commitRows([c], utc);
  const table = asTable(COMMITS_LAYOUT, [row!]);

  it("writes each column as a cell value", () => {
    const byHeader = Object.fromEntries(COMMITS_LAYOUT.columns.map((col, i) => [col.header, row![i]]));
    expect(byHeader).toEqual({
      "Contract ID": 3,
      "Commit ID": 9001,
      Name: "=SUM(1)",
      Description: "",
      "Total value": 120000.5,
      Currency: "USD",
      "Start date": 46023,
      "Expiration date": 47848,
      "Discount %": 20,
      Rate: 0.25,
      Priority: 1,
      "Entity ID": 1,
      "Product ID": 103,
      "Department ID": "",
      "Subledger ID": "",
      "Exchange rate": 1.0842,
      "Book exchange rate": "",
      "Overage invoice cadence": "quarterly",
      "Auto-send overage invoices": true,
      "Overage invoice start month": "",
      Tags: "usage,api",
      "Commit status": "ACTIVE",
      "Remaining value": 74749.25,
      Entity: "Northwind",
      Product: "API Calls",
      Department: "",
      Invoiced: true,
      "Invoice ID": 880001,
      Created: isoDateTimeToSerial("2026-01-15T09:30:00Z"),
      "Last modified": 46055.5,
      Status: "",
      Check: "",
    });
  });

  const expected: [CommitWritableField, unknown][] = COMMIT_WRITABLE_FIELDS.map((f) => [f, c[f]]);
  it.each(expected)("%s reads back as %p", (field, value) => {
    const cell = getCell(table, 0, COMMITS_LAYOUT.columns.find((col) => col.key === field)!.header);
    expect(readCommitField(field, cell, "USD")).toEqual({ ok: true, value });
  });

  it("an untouched row has no issues and no changes", () => {
    const analysis = analyzeCommits(table, commitSnapshot([c], "t"), utc);
    expect(analysis.issues).toEqual([]);
    expect(analysis.changed.size).toBe(0);
    expect(analysis.editedCells).toBe(0);
  });

  it.each([
    ["name", '=HYPERLINK("x")'],
    ["name", "TRUE"],
    ["name", "0012"],
    ["name", "+44 20 7946 0000"],
    ["name", "'quoted'"],
    ["description", "2026-03-01"],
    ["tags", "1,2,3"],
  ] as const)("%s %p survives the trip through Excel as the same text", (field, text) => {
    const [r] = commitRows([commit({ [field]: text })], utc);
    const t = asTable(COMMITS_LAYOUT, [r!]);
    const header = COMMITS_LAYOUT.columns.find((col) => col.key === field)!.header;
    expect(getCell(t, 0, header)).toBe(text);
    expect(readCommitField(field, getCell(t, 0, header), "USD")).toEqual({ ok: true, value: text });
    expect(analyzeCommits(t, commitSnapshot([commit({ [field]: text })], "t"), utc).changed.size).toBe(0);
  });

  it("text that reads like an error cell (#N/A) or an unknown cadence is fine while unchanged", () => {
    const odd = commit({ description: "#N/A", overage_invoice_cadence: "custom" });
    const t = asTable(COMMITS_LAYOUT, commitRows([odd], utc));
    expect(getCell(t, 0, "Description")).toBe("#N/A");
    expect(readCommitField("description", "#N/A", "USD")).toEqual({
      ok: false,
      message: "the cell holds the error #N/A",
      allowed: "text, or an empty cell",
    });
    const analysis = analyzeCommits(t, commitSnapshot([odd], "t"), utc);
    expect(analysis.issues).toEqual([]);
    expect(analysis.changed.size).toBe(0);
  });

  it("numeric text a user types into a number column reads as the number", () => {
    expect(typed("1200.50")).toBe(1200.5);
    expect(readCommitField("total_value", "1200.50", "USD")).toEqual({ ok: true, value: 1200.5 });
  });
});
