/** The Allocations table against the pulled bundles: edits, sums, added and deleted rows, moved columns. */
import { analyzeAllocations } from "../../../src/domain/sheet/allocation-analysis";
import { ALLOCATIONS_LAYOUT, allocationRows } from "../../../src/domain/sheet/allocation-table";
import { MissingColumnsError } from "../../../src/domain/sheet/layout";
import { allocationSnapshot } from "../../../src/domain/sheet/snapshot";
import type { TableRead } from "../../../src/domain/sheet/sheet-view";
import { asTable, bundle, moveColumn, setCell, utc } from "./fixtures";

const other = bundle({
  contractId: 4,
  dealName: "Umbrella",
  itemType: "subscription",
  itemId: 1005,
  bundle: {
    ...bundle().bundle,
    id: 5005,
    currency: "JPY",
    total_amount: 1000,
    lines: [
      {
        id: 7201,
        product: 115,
        product_name: "Platform JP",
        product_id_str: "PLAT-JP",
        amount: 600,
        percentage: "60.00",
        original_percentage: null,
      },
      {
        id: 7202,
        product: 105,
        product_name: "Support",
        product_id_str: "SUP",
        amount: 400,
        percentage: "40.00",
        original_percentage: null,
      },
    ],
  },
});
const snapshot = allocationSnapshot([bundle(), other], "2026-02-03T00:00:00Z");

function fresh(): TableRead {
  return asTable(ALLOCATIONS_LAYOUT, allocationRows([bundle(), other], utc));
}

function analyze(table: TableRead) {
  return analyzeAllocations(table, snapshot, utc);
}

describe("edits", () => {
  it("a changed amount that keeps the sum is a change with every line in the body, in the bundle's order", () => {
    const table = fresh();
    setCell(table, 0, "Amount", 70.5);
    setCell(table, 1, "Amount", "39.50"); // typed as text, read as the number
    const a = analyze(table);
    expect(a.issues).toEqual([]);
    expect([...a.changed.keys()]).toEqual(["3:usage:2001"]);
    const change = a.changed.get("3:usage:2001")!;
    expect(change.changes).toEqual([
      {
        key: "3:usage:2001",
        label: 'Bundle on usage 2001 ("=SUM(1) Initech") of contract 3',
        field: "Amount of API Calls (line 7101)",
        old: "60.50",
        new: "70.50",
      },
      {
        key: "3:usage:2001",
        label: 'Bundle on usage 2001 ("=SUM(1) Initech") of contract 3',
        field: "Amount of Storage (line 7102)",
        old: "49.50",
        new: "39.50",
      },
    ]);
    expect(change.send).toEqual({
      contractId: 3,
      itemType: "usage",
      itemId: 2001,
      lines: [
        { product: 103, amount: 70.5 },
        { product: 104, amount: 39.5 },
        { product: 111, amount: -10 },
      ],
      lineIds: [7101, 7102, 7103],
    });
    expect(change.rows).toEqual([0, 1, 2]);
    expect(a.editedCells).toBe(2);
    expect(a.marks).toEqual([
      { row: 0, column: "amount", kind: "edited" },
      { row: 1, column: "amount", kind: "edited" },
    ]);
  });

  it("the same amount written differently is not an edit", () => {
    const table = fresh();
    setCell(table, 0, "Amount", "60.50");
    setCell(table, 3, "Amount", 600.0);
    expect(analyze(table).changed.size).toBe(0);
  });

  it("a sum that no longer matches is an issue on the bundle, with exact sum and difference", () => {
    const table = fresh();
    setCell(table, 2, "Amount", -10.01);
    const a = analyze(table);
    expect(a.issues).toEqual([
      {
        record: { kind: "bundle", contractId: 3, itemType: "usage", itemId: 2001, label: "=SUM(1) Initech" },
        field: "Amount",
        key: "3:usage:2001",
        message: "The lines sum to 99.99 USD, 0.01 short of the bundle total 100.00 USD.",
        allowed: "line amounts that add up to exactly the bundle total, 100.00 USD",
        row: 0,
        column: "amount",
        address: "Allocations!F2",
      },
    ]);
    const state = a.bundles.find((b) => b.key === "3:usage:2001")!;
    expect([state.sum, state.total, state.difference, state.balanced]).toEqual(["99.99", "100.00", "-0.01", false]);
    expect(a.changed.get("3:usage:2001")!.send).not.toBeNull();
    expect(a.keysWithIssues).toEqual(new Set(["3:usage:2001"]));
    // Every line of the bundle says why in its Check cell.
    expect(a.checkText.slice(0, 3)).toEqual([
      "Amount: The lines sum to 99.99 USD, 0.01 short of the bundle total 100.00 USD; allowed: line amounts that add up to exactly the bundle total, 100.00 USD",
      "Amount: The lines sum to 99.99 USD, 0.01 short of the bundle total 100.00 USD; allowed: line amounts that add up to exactly the bundle total, 100.00 USD",
      "Amount: The lines sum to 99.99 USD, 0.01 short of the bundle total 100.00 USD; allowed: line amounts that add up to exactly the bundle total, 100.00 USD",
    ]);
  });

  it.each([
    ["text", "abc", '"abc" is text, not a number', "an amount in USD with at most 2 decimal places"],
    ["too many decimals", 60.505, "60.505 has 3 decimal places", "an amount in USD with at most 2 decimal places"],
    ["empty", "", "the cell is empty", "an amount in USD with at most 2 decimal places"],
    ["error cell", "#REF!", "the cell holds the error #REF!", "an amount in USD with at most 2 decimal places"],
  ])("an invalid amount (%s) is located on its cell and makes the bundle unsendable", (_name, value, message, allowed) => {
    const table = fresh();
    setCell(table, 0, "Amount", value);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.field, i.line, i.message, i.allowed])).toEqual([
      ["Allocations!F2", "Amount", 0, message, allowed],
    ]);
    expect(a.changed.get("3:usage:2001")!.send).toBeNull();
    expect(a.marks).toEqual([{ row: 0, column: "amount", kind: "error", message }]);
    expect(a.bundles.find((b) => b.key === "3:usage:2001")!.sum).toBe("");
  });

  it("JPY amounts have no decimals", () => {
    const table = fresh();
    setCell(table, 3, "Amount", 600.5);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      ["Allocations!F5", "600.5 has 1 decimal place", "a whole amount in JPY, with no decimal places"],
    ]);
  });

  it("a read-only cell the user changed is reported and not sent", () => {
    const table = fresh();
    setCell(table, 0, "Bundle total", 120);
    setCell(table, 1, "Product name", "Storage Plus");
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.field, i.message])).toEqual([
      ["Allocations!I2", "Bundle total", "Bundle total is read-only here: it was 100 when pulled and is now 120; the change is not sent"],
      [
        "Allocations!E3",
        "Product name",
        'Product name is read-only here: it was "Storage" when pulled and is now "Storage Plus"; the change is not sent',
      ],
    ]);
    expect(a.changed.size).toBe(0);
  });
});

describe("rows the user added, deleted or moved", () => {
  it("a row whose line is not in the pulled data is reported and never sent", () => {
    const table = fresh();
    table.rows.push([...table.rows[0]!]);
    setCell(table, 5, "Line ID", 9999);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message])).toEqual([
      ["Allocations!D7", "line 9999 is not a line of this bundle as pulled (added or copied after the pull); it is not sent"],
    ]);
    expect(a.changed.size).toBe(0);
  });

  it("a copied row (same line twice) is reported on the copy", () => {
    const table = fresh();
    table.rows.push([...table.rows[1]!]);
    setCell(table, 5, "Amount", 1);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message])).toEqual([
      ["Allocations!D7", "line 7102 is on the sheet twice; only row Allocations!D3 counts"],
    ]);
  });

  it("a row for a bundle that was never pulled is reported", () => {
    const table = fresh();
    table.rows.push([...table.rows[0]!]);
    setCell(table, 5, "Item ID", 42);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message])).toEqual([
      ["Allocations!D7", "this line is not in the pulled data (added or copied after the pull); it is not sent"],
    ]);
  });

  it("a row with broken key cells says which cell", () => {
    const table = fresh();
    setCell(table, 4, "Item type", "rental");
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      // Its bundle lost a line as far as the sheet can tell, so it says so too.
      [
        "Allocations!F5",
        "line 7202 (Support) was pulled but is no longer on the sheet",
        "every line of the bundle on the sheet (nothing is deleted in Campfire); pull again to get the line back",
      ],
      [
        "Allocations!F5",
        "The lines sum to 600 JPY, 400 short of the bundle total 1,000 JPY.",
        "line amounts that add up to exactly the bundle total, 1,000 JPY",
      ],
      [
        "Allocations!B6",
        'this row does not name a pulled line: "rental" is not one of the choices',
        "one of: usage, subscription, milestone; Contract ID, Item type, Item ID and Line ID must stay as pulled",
      ],
    ]);
    expect(a.bundles.find((b) => b.key === "4:subscription:1005")!.rows).toEqual([3]);
  });

  it("a deleted line is reported on its bundle and makes it unsendable; nothing is deleted", () => {
    const table = fresh();
    table.rows.splice(1, 1);
    setCell(table, 0, "Amount", 110);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.field, i.message])).toEqual([
      ["Allocations!F2", "Amount", "line 7102 (Storage) was pulled but is no longer on the sheet"],
    ]);
    expect(a.changed.get("3:usage:2001")!.send).toBeNull();
  });

  it("a deleted bundle is listed as missing, not sent", () => {
    const table = fresh();
    table.rows.splice(3, 2);
    const a = analyze(table);
    expect(a.missing).toEqual([{ key: "4:subscription:1005", label: 'Bundle on subscription 1005 ("Umbrella") of contract 4' }]);
    expect(a.issues).toEqual([]);
    expect(a.changed.size).toBe(0);
  });

  it("blank rows at the end of the table are ignored", () => {
    const table = fresh();
    table.rows.push(table.headers.map(() => ""));
    expect(analyze(table).issues).toEqual([]);
  });

  it("moved and sorted columns and rows are found by header and key; addresses follow", () => {
    const table = fresh();
    moveColumn(table, "Amount", 0);
    table.rows.reverse();
    table.headerRow = 3;
    setCell(table, 4, "Amount", 50.5); // line 7101 is now the fifth row
    setCell(table, 3, "Amount", 59.5);
    const a = analyze(table);
    expect(a.issues).toEqual([]);
    expect(a.changed.get("3:usage:2001")!.send!.lines).toEqual([
      { product: 103, amount: 50.5 },
      { product: 104, amount: 59.5 },
      { product: 111, amount: -10 },
    ]);
    setCell(table, 4, "Amount", "x");
    expect(analyze(table).issues.map((i) => i.address)).toEqual(["Allocations!A8"]);
  });

  it("a missing key or amount column stops the check with the header to restore", () => {
    const table = fresh();
    const at = table.headers.indexOf("Line ID");
    table.headers.splice(at, 1);
    table.rows.forEach((r) => r.splice(at, 1));
    expect(() => analyze(table)).toThrow(MissingColumnsError);
    expect(() => analyze(table)).toThrow(
      'The table CampfireAllocations has no column "Line ID"; put the header back (the text must match) or pull the table again',
    );
  });

  it("an optional column removed by the user is simply not compared", () => {
    const table = fresh();
    const at = table.headers.indexOf("Product code");
    table.headers.splice(at, 1);
    table.rows.forEach((r) => r.splice(at, 1));
    expect(analyze(table).issues).toEqual([]);
  });
});

describe("amounts Campfire holds that a cell shows to 15 digits (issue 8)", () => {
  const big = bundle({
    bundle: {
      ...bundle().bundle,
      currency: "BHD",
      total_amount: 1234567890123.456 + 0.5 - 10,
      lines: bundle().bundle.lines.map((l, i) => (i === 0 ? { ...l, amount: 1234567890123.456 } : i === 1 ? { ...l, amount: 0.5 } : l)),
    },
  });
  const held = allocationSnapshot([big], "");
  const sheet = () => {
    const table = asTable(ALLOCATIONS_LAYOUT, allocationRows([big], utc));
    return { ...table, rows: table.rows.map((r) => r.map((c) => (typeof c === "number" ? Number(c.toPrecision(15)) : c))) };
  };

  it("a 16-digit BHD amount shown as 1234567890123.46 is no edit and does not unbalance its bundle", () => {
    const a = analyzeAllocations(sheet(), held, utc);
    expect([a.issues, a.changed.size, a.bundles[0]!.balanced]).toEqual([[], 0, true]);
    expect(a.checkText[0]!.split("\n")).toEqual([
      "Bundle total: kept as Campfire has it: 1,234,567,890,113.956 (a cell holds 15 significant digits and shows 1234567890113.96); it is compared as Campfire has it",
      "Amount: kept as Campfire has it: 1,234,567,890,123.456 (a cell holds 15 significant digits and shows 1234567890123.46); it is sent only if you type a new value",
    ]);
  });

  it("another line edited: the held amount is sent exactly as Campfire has it", () => {
    const table = sheet();
    setCell(table, 1, "Amount", 10.5);
    setCell(table, 2, "Amount", -20);
    const a = analyzeAllocations(table, held, utc);
    expect(a.issues).toEqual([]);
    expect(a.changed.get("3:usage:2001")!.send!.lines).toEqual([
      { product: 103, amount: 1234567890123.456 },
      { product: 104, amount: 10.5 },
      { product: 111, amount: -20 },
    ]);
  });
});

describe("a Line ID typed over (issue 8)", () => {
  it("is reported on the edited row; the line whose id it repeats has nothing, and the sum is not disturbed", () => {
    const table = fresh();
    setCell(table, 1, "Line ID", 7101);
    const a = analyze(table);
    expect(a.issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      [
        "Allocations!D3",
        "line 7101 is already on row Allocations!D2; this column identifies the record; it cannot be changed here",
        "the Line ID as pulled, 7102; pull again to restore it",
      ],
    ]);
    // An edit of the bundle that cannot be sent (a review blocks; a pull or refresh asks before replacing the row).
    expect([...a.changed.values()].map((c) => [c.key, c.changes.map((x) => [x.field, x.old, x.new]), c.cells, c.send])).toEqual([
      ["3:usage:2001", [["Line ID", "7102", "7101"]], [{ row: 1, column: "line_id" }], null],
    ]);
  });
});

describe("an Item ID or Contract ID typed over (issue 8)", () => {
  it.each([
    ["Item ID", 2999, "Allocations!C3", "the Item ID as pulled, 2001; pull again to restore it"],
    ["Contract ID", 9, "Allocations!A3", "the Contract ID as pulled, 3; pull again to restore it"],
  ])("%s ← %p is reported on that cell of the edited row", (header, typed, address, allowed) => {
    const table = fresh();
    setCell(table, 1, header, typed);
    const a = analyze(table);
    expect(a.issues.filter((i) => i.key === "row:1").map((i) => [i.address, i.field, i.message, i.allowed])).toEqual([
      [address, header, "this row names no pulled line; this column identifies the record; it cannot be changed here", allowed],
    ]);
  });

  it.each([
    ["Item ID", "item_id", 2999, "2001", "2999"],
    ["Contract ID", "contract_id", 9, "3", "9"],
  ])(
    "%s typed over is an edit of the bundle the row held that cannot be sent, with the row's amount edit",
    (header, column, typed, was, now) => {
      const table = fresh();
      setCell(table, 1, header, typed);
      setCell(table, 1, "Amount", 12345);
      const a = analyze(table);
      // A review blocks it and a pull or refresh asks before replacing the row: the typed amount is not lost silently.
      expect([...a.changed.values()].map((c) => [c.key, c.changes.map((x) => [x.field, x.old, x.new]), c.cells, c.send])).toEqual([
        ["3:usage:2001", [[header, was, now]], [{ row: 1, column }], null],
      ]);
    },
  );
});
