/** The Prepaid commits table against the pulled commits; and the PUT body built from Campfire's current record. */
import { analyzeCommits } from "../../../src/domain/sheet/commit-analysis";
import { COMMITS_LAYOUT, commitPutBody, commitRows } from "../../../src/domain/sheet/commit-table";
import { commitSnapshot } from "../../../src/domain/sheet/snapshot";
import type { TableRead } from "../../../src/domain/sheet/sheet-view";
import { asTable, commit, setCell, utc } from "./fixtures";

const pulled = [commit(), commit({ id: 9002, name: "Burst Pool", currency: "JPY", total_value: 30000, description: "pool" })];
const snapshot = commitSnapshot(pulled, "2026-02-03T00:00:00Z");

function fresh(): TableRead {
  return asTable(COMMITS_LAYOUT, commitRows(pulled, utc));
}

const analyze = (table: TableRead) => analyzeCommits(table, snapshot, utc);

describe("edits", () => {
  it.each([
    ["Name", "Renamed", "name", "Name", "=SUM(1)", "Renamed", "Renamed"],
    ["Total value", 125000.25, "total_value", "Total value", "120,000.50", "125,000.25", 125000.25],
    ["Description", "now described", "description", "Description", "(empty)", "now described", "now described"],
    ["Expiration date", "2031-06-30", "expiration_date", "Expiration date", "2030-12-31", "2031-06-30", "2031-06-30"],
    ["Expiration date", 47999, "expiration_date", "Expiration date", "2030-12-31", "2031-05-31", "2031-05-31"],
    ["Expiration date", "", "expiration_date", "Expiration date", "2030-12-31", "(empty)", null],
    ["Rate", "", "rate", "Rate", "0.25", "(empty)", null],
    ["Discount %", 12.5, "discount_percentage", "Discount %", "20", "12.5", 12.5],
    ["Auto-send overage invoices", "no", "auto_send_overage_invoices", "Auto-send overage invoices", "TRUE", "FALSE", false],
    ["Overage invoice cadence", "Annual", "overage_invoice_cadence", "Overage invoice cadence", "quarterly", "annual", "annual"],
    ["Department ID", 202, "department", "Department ID", "(empty)", "202", 202],
    ["Tags", "", "tags", "Tags", "usage,api", "(empty)", null],
  ] as const)("%s ← %p is one change, sent as only that field", (header, value, field, label, oldText, newText, sent) => {
    const table = fresh();
    setCell(table, 0, header, value);
    const a = analyze(table);
    expect(a.issues).toEqual([]);
    const change = a.changed.get("3:9001")!;
    expect(change.changes).toEqual([
      { key: "3:9001", label: 'Prepaid commit 9001 ("=SUM(1)") of contract 3', field: label, old: oldText, new: newText },
    ]);
    expect(change.send).toEqual({ contractId: 3, commitId: 9001, edits: { [field]: sent } });
    expect(a.marks).toEqual([{ row: 0, column: field, kind: "edited" }]);
  });

  it("clearing an empty description, or retyping a value the same way, is not an edit", () => {
    const table = fresh();
    setCell(table, 0, "Description", "");
    setCell(table, 0, "Total value", "120000.50");
    setCell(table, 0, "Start date", "2026-01-01");
    setCell(table, 0, "Overage invoice cadence", "quarterly");
    expect(analyze(table).changed.size).toBe(0);
  });

  it.each([
    ["Name", "", "name", "the name is empty", "text of 1 to 250 characters"],
    ["Name", "x".repeat(251), "name", "the name has 251 characters", "text of 1 to 250 characters"],
    ["Total value", 10.005, "total_value", "10.005 has 3 decimal places", "an amount in USD with at most 2 decimal places"],
    ["Start date", "2026-02-30", "start_date", "2026-02-30 is not a real date: February 2026 has 28 days", "a date such as 2026-03-01"],
    [
      "Expiration date",
      "2025-12-31",
      "expiration_date",
      "the expiration date 2025-12-31 is before the start date 2026-01-01",
      "a date on or after the start date (2026-01-01), or empty",
    ],
    ["Discount %", 120, "discount_percentage", "120 is too large", "a number from 0 to 100"],
    [
      "Overage invoice cadence",
      "weekly",
      "overage_invoice_cadence",
      '"weekly" is not one of the choices',
      "one of: monthly, quarterly, biannual, annual, one_time",
    ],
    ["Priority", 1.5, "priority", "1.5 is not a whole number", "a whole number from -2,147,483,648 to 2,147,483,647"],
    ["Currency", "USDX", "currency", 'the currency "USDX" has 4 characters', "a currency code of at most 3 characters, such as USD"],
  ] as const)("%s ← %p: issue on that cell, named by its header, nothing sendable", (header, value, column, message, allowed) => {
    const table = fresh();
    setCell(table, 0, header, value);
    const a = analyze(table);
    const letter = String.fromCharCode(65 + table.headers.indexOf(header));
    // The pane shows `field`: the header the user sees, as the Check column does; `column` keeps the key.
    expect(a.issues.map((i) => [i.address, i.column, i.field, i.message, i.allowed])).toEqual([
      [`'Prepaid commits'!${letter}2`, column, header, message, allowed],
    ]);
    expect(a.changed.get("3:9001")!.send).toBeNull();
    expect(a.keysWithIssues).toEqual(new Set(["3:9001"]));
  });

  it("the currency sets the decimals of the total: JPY has none", () => {
    const table = fresh();
    setCell(table, 1, "Total value", 30000.5);
    expect(analyze(table).issues.map((i) => [i.address, i.message])).toEqual([["'Prepaid commits'!E3", "30000.5 has 1 decimal place"]]);
  });

  it("a read-only column changed is reported and not sent", () => {
    const table = fresh();
    setCell(table, 0, "Remaining value", 1);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message])).toEqual([
      ["'Prepaid commits'!Z2", "Remaining value is read-only here: it was 74749.25 when pulled and is now 1; the change is not sent"],
    ]);
    expect(a.changed.size).toBe(0);
  });
});

describe("rows added or deleted", () => {
  it("a row without a commit id is a new commit: reported, never created", () => {
    const table = fresh();
    table.rows.push(table.headers.map(() => ""));
    setCell(table, 2, "Contract ID", 3);
    setCell(table, 2, "Name", "New one");
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message])).toEqual([
      ["'Prepaid commits'!B4", "this row has no commit id, so it is not a pulled commit; new commits are not created from the sheet"],
    ]);
    expect(a.changed.size).toBe(0);
  });

  it("a copied row and an unknown commit are reported", () => {
    const table = fresh();
    table.rows.push([...table.rows[0]!], [...table.rows[1]!]);
    setCell(table, 3, "Commit ID", 123);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message])).toEqual([
      ["'Prepaid commits'!B4", "commit 9001 is on the sheet twice; only row 'Prepaid commits'!B2 counts"],
      ["'Prepaid commits'!B5", "commit 123 of contract 3 is not in the pulled data (added or copied after the pull); it is not sent"],
    ]);
  });

  it("a deleted row is listed as missing and nothing is sent for it", () => {
    const table = fresh();
    table.rows.splice(0, 1);
    const a = analyze(table);
    expect(a.missing).toEqual([{ key: "3:9001", label: 'Prepaid commit 9001 ("=SUM(1)") of contract 3' }]);
    expect(a.changed.size).toBe(0);
  });

  it("without the Name column the other fields still check and send", () => {
    const table = fresh();
    const at = table.headers.indexOf("Name");
    table.headers.splice(at, 1);
    table.rows.forEach((r) => r.splice(at, 1));
    setCell(table, 0, "Priority", 5);
    const a = analyze(table);
    expect(a.issues).toEqual([]);
    expect(a.changed.get("3:9001")!.send).toEqual({ contractId: 3, commitId: 9001, edits: { priority: 5 } });
  });
});

describe("commitPutBody: Campfire's current record + only the user's edits", () => {
  const current = commit({
    name: "Changed by someone else",
    tags: "theirs",
    description: "kept",
    last_modified_at: "2026-03-01T00:00:00Z",
  });

  it("keeps every field the user did not edit as Campfire holds it now", () => {
    expect(commitPutBody(current, { total_value: 1, expiration_date: null })).toEqual({
      name: "Changed by someone else",
      description: "kept",
      total_value: 1,
      currency: "USD",
      start_date: "2026-01-01",
      expiration_date: null,
      discount_percentage: 20,
      rate: 0.25,
      priority: 1,
      entity: 1,
      product: 103,
      department: null,
      subledger: null,
      exchange_rate: 1.0842,
      exchange_rate_book: null,
      overage_invoice_cadence: "quarterly",
      auto_send_overage_invoices: true,
      overage_invoice_start_month: null,
      tags: "theirs",
    });
  });

  it("never sends read-only fields, and leaves out optional fields Campfire did not send", () => {
    const { rate: _rate, tags: _tags, ...withoutOptional } = current;
    const body = commitPutBody(withoutOptional as typeof current, {});
    expect(Object.keys(body)).not.toContain("rate");
    expect(Object.keys(body)).not.toContain("tags");
    for (const readOnly of ["id", "contract", "status", "remaining_value", "is_invoiced", "invoice", "last_modified_at", "entity_name"]) {
      expect(Object.keys(body)).not.toContain(readOnly);
    }
  });
});

/** Every number as Excel holds it once written: 15 significant digits. */
function asExcelHolds(table: TableRead): TableRead {
  return { ...table, rows: table.rows.map((r) => r.map((c) => (typeof c === "number" ? Number(c.toPrecision(15)) : c))) };
}

describe("values Campfire holds that a cell shows to 15 digits (issue 8)", () => {
  const awkward = commit({ rate: 0.1 + 0.2, exchange_rate: 1 / 0.92, discount_percentage: 100 / 3, total_value: 1234567890123.45 });
  const held = commitSnapshot([awkward], "2026-02-03T00:00:00Z");
  const sheet = () => asExcelHolds(asTable(COMMITS_LAYOUT, commitRows([awkward], utc)));

  it("are not edits, raise no issue, and the row's Check column says each is kept as Campfire has it", () => {
    const a = analyzeCommits(sheet(), held, utc);
    expect([a.changed.size, a.issues, a.marks]).toEqual([0, [], []]);
    expect(a.checkText[0]!.split("\n")).toEqual([
      "Discount %: kept as Campfire has it: 33.333333333333336 (a cell holds 15 significant digits and shows 33.3333333333333); it is sent only if you type a new value",
      "Rate: kept as Campfire has it: 0.30000000000000004 (a cell holds 15 significant digits and shows 0.3); it is sent only if you type a new value",
      "Exchange rate: kept as Campfire has it: 1.0869565217391304 (a cell holds 15 significant digits and shows 1.08695652173913); it is sent only if you type a new value",
    ]);
  });

  it("another field edited: only it is sent; the held ones stay out of the edits (the PUT takes them from Campfire)", () => {
    const table = sheet();
    setCell(table, 0, "Priority", 4);
    const a = analyzeCommits(table, held, utc);
    expect(a.issues).toEqual([]);
    expect(a.changed.get("3:9001")!.send).toEqual({ contractId: 3, commitId: 9001, edits: { priority: 4 } });
  });

  it("a rate of 99,999,999,999,999.98, shown as 1E+14, is not 'too large'", () => {
    const big = commit({ rate: 99999999999999.98 });
    const a = analyzeCommits(asExcelHolds(asTable(COMMITS_LAYOUT, commitRows([big], utc))), commitSnapshot([big], ""), utc);
    expect([a.issues, a.changed.size]).toEqual([[], 0]);
    expect(a.checkText[0]).toContain("Rate: kept as Campfire has it: 99,999,999,999,999.98");
  });

  it("typing the value as Excel shows it is no edit either", () => {
    const table = sheet();
    setCell(table, 0, "Exchange rate", "1.08695652173913");
    expect(analyzeCommits(table, held, utc).changed.size).toBe(0);
  });
});

describe("percent as 0–100: Discount %", () => {
  it.each([
    ["20%", 0],
    ["12.5%", 12.5],
    ["100 %", 100],
  ])("%j as the workbook reports a percent-formatted cell means the percent it shows", (cell, edited) => {
    const table = fresh();
    setCell(table, 0, "Discount %", cell);
    const a = analyzeCommits(table, snapshot, utc);
    expect(a.issues).toEqual([]);
    expect(a.changed.get("3:9001")?.send?.edits ?? null).toEqual(edited === 0 ? null : { discount_percentage: edited });
  });

  it("a % in Rate (text in a Text cell) is refused with how to type it", () => {
    const table = fresh();
    setCell(table, 0, "Rate", "5%");
    expect(analyze(table).issues.map((i) => [i.message, i.allowed])).toEqual([
      ['"5%" is a percentage', "a number from 0 up to but not including 100,000,000,000,000, or empty (without a % sign)"],
    ]);
  });
});

describe("a new currency's decimals apply to the total Campfire holds", () => {
  it("USD 120,000.50 made JPY: the total is refused on its cell", () => {
    const table = fresh();
    setCell(table, 0, "Currency", "JPY");
    const a = analyze(table);
    expect(a.issues.map((i) => [i.column, i.message])).toEqual([["total_value", "120000.5 has 1 decimal place"]]);
  });
});

describe("identity edits (issue 8)", () => {
  it("a Commit ID typed over with another commit's is reported on the edited row, not on the other commit's", () => {
    const table = fresh();
    setCell(table, 0, "Commit ID", 9002);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      [
        "'Prepaid commits'!B2",
        "commit 9002 is already on row 'Prepaid commits'!B3; this column identifies the record; it cannot be changed here",
        "the Commit ID as pulled, 9001 (and Contract ID 3); pull again to restore it",
      ],
    ]);
    // Filed under the commit the row held, which now has an edit that cannot be sent.
    expect([[...a.changed.keys()], a.keysWithIssues]).toEqual([["3:9001"], new Set(["3:9001"])]);
    expect(a.missing.map((m) => m.key)).toEqual(["3:9001"]);
  });

  it("the same with the rows the other way round: still the edited row", () => {
    const table = fresh();
    setCell(table, 1, "Commit ID", 9001);
    expect(analyze(table).issues.map((i) => [i.address, i.message])).toEqual([
      [
        "'Prepaid commits'!B3",
        "commit 9001 is already on row 'Prepaid commits'!B2; this column identifies the record; it cannot be changed here",
      ],
    ]);
  });

  it("a Commit ID typed over with an unknown id, while a pulled commit is gone from the sheet, is an identity edit", () => {
    const table = fresh();
    setCell(table, 1, "Commit ID", 123);
    expect(analyze(table).issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      [
        "'Prepaid commits'!B3",
        "commit 123 of contract 3 is not in the pulled data; this column identifies the record; it cannot be changed here",
        "the Commit ID as pulled, 9002 (and Contract ID 3); pull again to restore it",
      ],
    ]);
  });
});

describe("a Contract ID typed over (issue 8)", () => {
  it("is reported on that cell of the edited row", () => {
    const table = fresh();
    setCell(table, 1, "Contract ID", 4);
    expect(analyze(table).issues.map((i) => [i.address, i.field, i.message, i.allowed])).toEqual([
      [
        "'Prepaid commits'!A3",
        "Contract ID",
        "commit 9002 of contract 4 is not in the pulled data; this column identifies the record; it cannot be changed here",
        "the Contract ID as pulled, 3; pull again to restore it",
      ],
    ]);
  });
});
