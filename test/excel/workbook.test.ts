/**
 * The Excel adapter against the Excel fake: what lands in the cells, how many round trips it takes, and that
 * the add-in's marks come and go without touching the user's own formatting.
 */
import type { CellValue } from "../../src/app/ports";
import { DATA_SHEET, ExcelWorkbook, LOG_SHEET, TableBlockedError, TableMissingError } from "../../src/excel/workbook";
import { jsonByteLength, sliceByBytes } from "../../src/excel/payload";
import { CELL_TEXT_LIMIT, splitForCells } from "../../src/excel/snapshot-cells";
import { textHash } from "../../src/excel/snapshot-store";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";
import { SPEC, row, rows } from "./table-spec";

let fake: FakeExcel;
let workbook: ExcelWorkbook;

beforeEach(() => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  workbook = new ExcelWorkbook();
});

async function written(n: number): Promise<void> {
  await workbook.writeTable(SPEC, rows(n));
  await fake.settled();
  fake.resetCounters();
}

describe("writeTable / readTable", () => {
  test("a round trip gives back the rows, headers and position", async () => {
    await workbook.writeTable(SPEC, rows(5));
    const table = await workbook.readTable(SPEC);
    expect(table).toEqual({
      sheetName: "Allocations",
      headerRow: 1,
      firstColumn: 0,
      headers: ["Contract", "Product", "Amount", "Share", "Start date", "Cadence", "Auto send", "Status"],
      rows: rows(5),
      bodyRows: 5,
    });
    expect(fake.table("CampfireAllocations")).toEqual({
      sheet: "Allocations",
      address: "A1:H6",
      headers: ["Contract", "Product", "Amount", "Share", "Start date", "Cadence", "Auto send", "Status"],
    });
  });

  test("number formats, editable styling and dropdowns follow the column formats", async () => {
    await workbook.writeTable(SPEC, rows(3));
    expect(fake.numberFormats("Allocations", "A2:H2")).toEqual([
      ["0", "@", "#,##0.00;[Red]-#,##0.00", "0.00%", "yyyy-mm-dd", "@", "General", "@"],
    ]);
    // Editable headers are green, read-only ones grey; read-only bodies are light grey, editable bodies untouched.
    expect(["A1", "C1", "F1", "G1"].map((a) => fake.fill("Allocations", a))).toEqual(["#D9D9D9", "#1F6F43", "#1F6F43", "#1F6F43"]);
    expect(["A2", "B4", "C2", "F3", "H4"].map((a) => fake.fill("Allocations", a))).toEqual(["#F2F2F2", "#F2F2F2", null, null, "#F2F2F2"]);
    expect(fake.validation("Allocations", "F2")).toEqual(["monthly", "quarterly", "annual"]);
    expect(fake.validation("Allocations", "G4")).toEqual(["TRUE", "FALSE"]);
    expect(fake.validation("Allocations", "C2")).toBeNull();
    expect(fake.gridCell("Allocations", 1, 2).text).toBe("0.01");
    expect(fake.gridCell("Allocations", 1, 4).text).toBe("2024-01-01");
  });

  test.each([10, 1000, 10_000])("%i rows: 2 round trips to write, 2 to read, 3 to rewrite", async (n) => {
    await workbook.writeTable(SPEC, rows(n));
    expect(fake.syncCount).toBe(2);
    fake.resetCounters();
    const table = await workbook.readTable(SPEC);
    expect(fake.syncCount).toBe(2); // the table and its layout, then the values
    expect(table?.rows).toHaveLength(n);
    expect(table?.rows[n - 1]).toEqual(row(n - 1));
    fake.resetCounters();
    await workbook.writeTable(SPEC, rows(n).reverse());
    expect(fake.syncCount).toBe(3);
    expect(fake.maxRequestBytes).toBeLessThan(5 * 1024 * 1024);
  });

  test("a large write goes in batches, each under the payload limit", async () => {
    const limit = 200_000;
    fake.payloadLimitBytes = limit;
    workbook = new ExcelWorkbook({ batchBytes: 100_000, readCells: 4_000 });
    const data = rows(10_000);
    const batches = sliceByBytes(data, 100_000).length;
    expect(batches).toBeGreaterThan(5);
    await workbook.writeTable(SPEC, data);
    expect(fake.syncCount).toBe(1 + batches);
    expect(fake.syncs.every((s) => s.requestBytes <= limit && s.responseBytes <= limit)).toBe(true);
    fake.resetCounters();
    const table = await workbook.readTable(SPEC);
    expect(table?.rows).toEqual(data);
    expect(fake.syncCount).toBe(1 + Math.ceil(10_000 / 500)); // 4,000 cells per read at 8 columns = 500 rows
  });

  test("the same table written in one request would be refused by Excel on the web", async () => {
    fake.payloadLimitBytes = 300_000;
    await expect(new ExcelWorkbook({ batchBytes: 10_000_000 }).writeTable(SPEC, rows(10_000))).rejects.toMatchObject({
      code: "RequestPayloadSizeLimitExceeded",
    });
  });

  const TRICKY = ["=SUM(A1:A9)", "+1", "-1", "@x", "00123", "2024-01-05", "TRUE", "'quoted", "+44 20 7946 0000", "-"];

  test("Campfire text that looks like a formula, number, date or boolean reads back as exactly that text", async () => {
    // Written as the domain writes text now: as it is, no apostrophe; the Text format alone keeps it.
    const data = TRICKY.map((text, i) => {
      const r = row(i);
      r[1] = text;
      r[7] = text;
      return r;
    });
    await workbook.writeTable(SPEC, data);
    const table = await workbook.readTable(SPEC);
    expect(table?.rows.map((r) => [r[1], r[7]])).toEqual(TRICKY.map((t) => [t, t]));
    expect(fake.formulas("Allocations", "H2:H3")).toEqual([["=SUM(A1:A9)"], ["+1"]]);
    expect(fake.numberFormats("Allocations", `B2:B${TRICKY.length + 1}`).flat()).toEqual(TRICKY.map(() => "@"));
  });

  test("an apostrophe written into a Text cell stays part of the value (why text is never prefixed)", async () => {
    const data = [row(0)];
    data[0]![1] = "'Q1 credits";
    await workbook.writeTable(SPEC, data);
    expect((await workbook.readTable(SPEC))?.rows[0]?.[1]).toBe("'Q1 credits");
  });

  test("without the Text format the same raw string would have become a formula", async () => {
    await Excel.run(async (ctx) => {
      const cell = ctx.workbook.worksheets.add("Scratch").getRange("A1");
      cell.values = [["=1+1"]];
      await ctx.sync();
    });
    expect(fake.values("Scratch", "A1")).toEqual([[2]]);
  });

  test("a string in a column that is not Text (a date Excel cannot show) gets a Text cell of its own", async () => {
    const data = [row(0), row(1)];
    data[0]![4] = "1899-12-31";
    await workbook.writeTable(SPEC, data);
    expect(fake.numberFormats("Allocations", "E2:E3")).toEqual([["@"], ["yyyy-mm-dd"]]);
    expect((await workbook.readTable(SPEC))?.rows.map((r) => r[4])).toEqual(["1899-12-31", row(1)[4]]);
  });

  test("what a person types is read back as Excel computes it", async () => {
    await workbook.writeTable(SPEC, rows(3));
    await fake.edit("Allocations", "C3", "=100+23.45");
    await fake.edit("Allocations", "C4", "1,250.5");
    const table = await workbook.readTable(SPEC);
    expect(table?.rows.map((r) => r[2])).toEqual([0.01, 123.45, 1250.5]);
  });

  test("an empty pull leaves a table with one blank row and reads as no rows", async () => {
    await workbook.writeTable(SPEC, []);
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:H2");
    expect((await workbook.readTable(SPEC))?.rows).toEqual([]);
  });

  test("rewriting with fewer rows shrinks the table and leaves nothing below it", async () => {
    await workbook.writeTable(SPEC, rows(6));
    await workbook.writeTable(SPEC, rows(2));
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:H3");
    expect(
      fake
        .values("Allocations", "A4:H7")
        .flat()
        .every((v) => v === ""),
    ).toBe(true);
    expect((await workbook.readTable(SPEC))?.rows).toEqual(rows(2));
  });

  test("a table on a sheet already in use goes below the user's data", async () => {
    await Excel.run(async (ctx) => {
      ctx.workbook.worksheets.add("Allocations").getRange("A1:B2").values = [
        ["my", "notes"],
        [1, 2],
      ];
      await ctx.sync();
    });
    await workbook.writeTable(SPEC, rows(2));
    expect(fake.table("CampfireAllocations")?.address).toBe("A4:H6");
    expect(fake.values("Allocations", "A1:B2")).toEqual([
      ["my", "notes"],
      [1, 2],
    ]);
    expect(await workbook.readTable(SPEC)).toMatchObject({ headerRow: 4, rows: rows(2) });
  });

  test("columns the user moved are found by header, for reads and writes", async () => {
    // The user's table: same headers, another order.
    const order = [2, 0, 1, 3, 4, 5, 6, 7];
    await Excel.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.add("Allocations");
      sheet.getRange("B2:I2").values = [order.map((i) => SPEC.columns[i]!.header)];
      sheet.getRange("B3:I3").values = [order.map((i) => row(0)[i]!)];
      sheet.tables.add("Allocations!B2:I3", true).name = "CampfireAllocations";
      await ctx.sync();
    });
    await workbook.writeCells(SPEC, [{ row: 0, column: "amount", value: 99.5 }]);
    expect(fake.values("Allocations", "B3")).toEqual([[99.5]]);
    await workbook.writeTable(SPEC, rows(2));
    expect(fake.table("CampfireAllocations")?.headers).toEqual(order.map((i) => SPEC.columns[i]!.header));
    expect(fake.values("Allocations", "B4:D4")).toEqual([[row(1)[2], row(1)[0], row(1)[1]]]);
    const table = await workbook.readTable(SPEC);
    expect(table).toMatchObject({ headerRow: 2, firstColumn: 1 });
  });

  test("rows of the wrong width are refused before anything is written", async () => {
    await expect(workbook.writeTable(SPEC, [[1, 2]])).rejects.toThrow("row 0 has 2 cells; the table CampfireAllocations has 8 columns");
    expect(fake.syncCount).toBe(0);
  });

  test("a deleted table reads as null", async () => {
    await written(2);
    await Excel.run(async (ctx) => {
      ctx.workbook.tables.getItem("CampfireAllocations").delete();
      await ctx.sync();
    });
    expect(await workbook.readTable(SPEC)).toBeNull();
    await expect(workbook.writeCells(SPEC, [{ row: 0, column: "amount", value: 1 }])).rejects.toBeInstanceOf(TableMissingError);
  });
});

describe("a pull that needs more room", () => {
  const NARROW = { ...SPEC, columns: SPEC.columns.slice(0, 6) };

  test("grows into empty rows in 4 round trips (one to look first; a rewrite of the same size stays at 3)", async () => {
    await written(3);
    await workbook.writeTable(SPEC, rows(6));
    expect(fake.syncCount).toBe(4);
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:H7");
    expect((await workbook.readTable(SPEC))?.rows).toEqual(rows(6));
  });

  test("refuses to grow over the user's data, naming the cells, and changes nothing", async () => {
    await written(3);
    await fake.edit("Allocations", "A6", "MY NOTES - do not lose");
    await fake.edit("Allocations", "B7", "12345");
    const error = await workbook.writeTable(SPEC, rows(6)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TableBlockedError);
    expect(error).toMatchObject({
      name: "TableBlockedError",
      blockers: ["A6:B7"],
      message: "Campfire needs rows 5–7 below the Allocations table, but A6:B7 hold your data; move it or clear it, then pull again.",
    });
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:H4");
    expect(fake.values("Allocations", "A6:B7")).toEqual([
      ["MY NOTES - do not lose", ""],
      ["", 12345],
    ]);
    expect((await workbook.readTable(SPEC))?.rows).toEqual(rows(3));
  });

  test("refuses to grow over another table below before clearing anything", async () => {
    await written(3);
    await workbook.writeTable({ ...SPEC, tableName: "Other" }, rows(1)); // goes two rows below: A6:H7
    expect(fake.table("Other")?.address).toBe("A6:H7");
    await expect(workbook.writeTable(SPEC, rows(6))).rejects.toMatchObject({
      blockers: ["A6:H7"],
      message:
        "Campfire needs rows 5–7 below the Allocations table, but the table Other is at A6:H7; move it or clear it, then pull again.",
    });
    expect((await workbook.readTable(SPEC))?.rows).toEqual(rows(3));
    expect((await workbook.readTable({ ...SPEC, tableName: "Other" }))?.rows).toEqual(rows(1));
  });

  test("new columns need room to the right too", async () => {
    await workbook.writeTable(
      NARROW,
      rows(3).map((r) => r.slice(0, 6)),
    ); // A1:F4
    await fake.edit("Allocations", "H2", "a note");
    await expect(workbook.writeTable(SPEC, rows(5))).rejects.toMatchObject({
      message:
        "Campfire needs rows 5–6 below and columns G–H to the right of the Allocations table, but H2 holds your data; move it or clear it, then pull again.",
    });
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:F4");
    await fake.edit("Allocations", "H2", "");
    await workbook.writeTable(SPEC, rows(5));
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:H6");
    expect((await workbook.readTable(SPEC))?.rows).toEqual(rows(5));
  });

  test("the table is made and resized on its own sheet whichever sheet is active", async () => {
    await workbook.writeTable(SPEC, rows(2)); // the new Allocations sheet is not the active one while the table is added
    expect(fake.table("CampfireAllocations")).toMatchObject({ sheet: "Allocations", address: "A1:H3" });
    fake.activate("Sheet1");
    await workbook.writeTable(SPEC, rows(4));
    expect(fake.table("CampfireAllocations")).toMatchObject({ sheet: "Allocations", address: "A1:H5" });
    expect(
      fake
        .values("Sheet1", "A1:H5")
        .flat()
        .every((v) => v === ""),
    ).toBe(true);
  });

  test("dropdowns land on rows that had the user's own validation (cleared first, as Excel on the web needs)", async () => {
    await written(3);
    await Excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Allocations").getRange("F6:G6").dataValidation.rule = {
        list: { inCellDropDown: true, source: "a,b" },
      };
      await ctx.sync();
    });
    await workbook.writeTable(SPEC, rows(6));
    expect(["F5", "F6", "F7"].map((a) => fake.validation("Allocations", a))).toEqual(Array(3).fill(["monthly", "quarterly", "annual"]));
    expect(fake.validation("Allocations", "G6")).toEqual(["TRUE", "FALSE"]);
  });
});

describe("reads sized by bytes", () => {
  const LONG = 1_000;
  const longRows = (n: number) => rows(n).map((r, i) => r.map((v, j) => (j === 1 ? `${"x".repeat(LONG)}${i}` : v)));

  test("a slice over Excel's response limit is read again in halves, then sized by the bytes of the last read", async () => {
    const limit = 200_000;
    fake.payloadLimitBytes = limit;
    workbook = new ExcelWorkbook({ batchBytes: 100_000 });
    const data = longRows(400);
    await workbook.writeTable(SPEC, data);
    fake.resetCounters();
    expect((await workbook.readTable(SPEC))?.rows).toEqual(data);
    // 400 rows (~450 KB) and 200 rows are refused; 100 rows read; then 100 KB / ~1.1 KB a row = 89 rows a read.
    const reads = fake.syncs.slice(1).map((s) => s.responseBytes > limit);
    expect(reads).toEqual([true, true, false, false, false, false, false]);
    expect(fake.syncCount).toBe(8);
  });

  test("a single row over the limit is an error, not a loop", async () => {
    const huge: CellValue[] = row(1).map((v, j) => (j === 1 ? "y".repeat(6_000) : v));
    await workbook.writeTable(SPEC, [row(0), huge]);
    fake.payloadLimitBytes = 5_000;
    fake.resetCounters();
    await expect(workbook.readTable(SPEC)).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
    // Both rows, then one: row 1 alone fits, so the next read is the one row that never will.
    expect(fake.syncs.slice(1).map((s) => s.responseBytes > 5_000)).toEqual([true, false, true]);
  });
});

describe("writeCells", () => {
  test("updates land in their cells in 2 round trips, consecutive rows in one range", async () => {
    await written(20);
    const updates = [
      ...Array.from({ length: 10 }, (_, i) => ({ row: i + 5, column: "status", value: "done" })),
      { row: 0, column: "amount", value: 7.25 },
      { row: 19, column: "status", value: "=looks like a formula" }, // Status is a Text column
      { row: 50, column: "status", value: "a row that is gone" },
    ];
    await workbook.writeCells(SPEC, updates);
    expect(fake.syncCount).toBe(2);
    expect(fake.values("Allocations", "H7:H16").flat()).toEqual(new Array(10).fill("done"));
    expect(fake.values("Allocations", "C2")).toEqual([[7.25]]);
    expect(fake.values("Allocations", "H21")).toEqual([["=looks like a formula"]]);
    expect(fake.formulas("Allocations", "H21")).toEqual([["=looks like a formula"]]);
    expect(fake.values("Allocations", "H52")).toEqual([[""]]);
  });

  test("text lands as text even after the user reformatted the column; strings elsewhere get a Text cell", async () => {
    await written(4);
    await Excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Allocations").getRange("B2:B5").numberFormat = [["General"], ["General"], ["General"], ["General"]];
      ctx.workbook.worksheets.getItem("Allocations").getRange("H2:H5").numberFormat = [["General"], ["General"], ["General"], ["General"]];
      await ctx.sync();
    });
    fake.resetCounters();
    await workbook.writeCells(SPEC, [
      { row: 0, column: "product", value: "=SUM(A1:A9)" },
      { row: 1, column: "product", value: "00123" },
      { row: 2, column: "status", value: "TRUE" },
      { row: 3, column: "status", value: "'quoted" },
      { row: 1, column: "start", value: "1899-12-31" },
      { row: 2, column: "start", value: 45300 },
    ]);
    expect(fake.syncCount).toBe(2);
    expect((await workbook.readTable(SPEC))?.rows.map((r) => [r[1], r[4], r[7]])).toEqual([
      ["=SUM(A1:A9)", row(0)[4], ""],
      ["00123", "1899-12-31", ""],
      [row(2)[1], 45300, "TRUE"],
      [row(3)[1], row(3)[4], "'quoted"],
    ]);
    expect(fake.numberFormats("Allocations", "B2:B3")).toEqual([["@"], ["@"]]);
    expect(fake.numberFormats("Allocations", "H4:H5")).toEqual([["@"], ["@"]]);
    expect(fake.numberFormats("Allocations", "E3:E4")).toEqual([["@"], ["yyyy-mm-dd"]]);
  });
});

describe("setMarks", () => {
  const ruleFormulas = () => fake.conditionalFormats("Allocations").map((cf) => cf.formula);

  test("marks are conditional formats over merged areas, colours by kind", async () => {
    await written(10);
    await workbook.setMarks(SPEC, [
      { row: 0, column: "amount", kind: "error", message: "off by 1.00" },
      { row: 1, column: "amount", kind: "error" },
      { row: 2, column: "amount", kind: "error" },
      { row: 1, column: "cadence", kind: "edited" },
      { row: 1, column: "auto", kind: "edited" },
      { row: 6, column: "amount", kind: "error" },
      { row: 4, column: "product", kind: "conflict" },
      { row: 99, column: "amount", kind: "error" },
      { row: 1, column: "no-such-column", kind: "error" },
    ]);
    expect(fake.syncCount).toBe(2); // the table, its layout and the sheet's rules; the new rules
    expect(fake.conditionalFormats("Allocations")).toEqual([
      {
        id: expect.any(String),
        type: "Custom",
        address: "C2:C4,C8",
        formula: '=ISTEXT("Campfire mark: error")',
        fill: "#FFC7CE",
        fontColor: "#9C0006",
      },
      {
        id: expect.any(String),
        type: "Custom",
        address: "B6",
        formula: '=ISTEXT("Campfire mark: conflict")',
        fill: "#F4B183",
        fontColor: "#833C0B",
      },
      {
        id: expect.any(String),
        type: "Custom",
        address: "F3:G3",
        formula: '=ISTEXT("Campfire mark: edited")',
        fill: "#FFEB9C",
        fontColor: "#7A5A00",
      },
    ]);
    expect(fake.gridCell("Allocations", 2, 2).fill).toBe("#FFC7CE");
    expect(fake.gridCell("Allocations", 4, 2).fill).toBeNull();
  });

  test("clearing marks leaves the user's own fill and conditional formats alone", async () => {
    await written(5);
    fake.userFill("Allocations", "C3", "#00B0F0");
    await Excel.run(async (ctx) => {
      const cf = ctx.workbook.worksheets.getItem("Allocations").getRange("C2:C6").conditionalFormats.add("Custom");
      cf.custom.rule.formula = "=C2>1000";
      cf.custom.format.fill.color = "#C6EFCE";
      await ctx.sync();
    });
    await workbook.setMarks(SPEC, [{ row: 1, column: "amount", kind: "error" }]);
    expect(fake.gridCell("Allocations", 2, 2).fill).toBe("#FFC7CE");
    expect(fake.fill("Allocations", "C3")).toBe("#00B0F0");

    await workbook.setMarks(SPEC, [{ row: 3, column: "amount", kind: "edited" }]);
    expect(ruleFormulas()).toEqual(['=ISTEXT("Campfire mark: edited")', "=C2>1000"]);

    await workbook.setMarks(SPEC, []);
    expect(ruleFormulas()).toEqual(["=C2>1000"]);
    expect(fake.fill("Allocations", "C3")).toBe("#00B0F0");
    expect(fake.gridCell("Allocations", 2, 2).fill).toBe("#00B0F0");
  });

  test("round trips stay the same with 10,000 marks", async () => {
    await written(10_000);
    const marks = Array.from({ length: 10_000 }, (_, i) => ({
      row: i,
      column: i % 3 === 0 ? "amount" : "cadence",
      kind: "edited" as const,
    }));
    await workbook.setMarks(SPEC, marks);
    expect(fake.syncCount).toBe(2); // no rules yet: no rule formulas to look at
    fake.resetCounters();
    await workbook.setMarks(SPEC, marks);
    expect(fake.syncCount).toBe(3);
    expect(fake.conditionalFormats("Allocations").every((cf) => cf.address.length <= 2000)).toBe(true);
  });
});

describe("select", () => {
  test("selects the cell of a data row and column", async () => {
    await written(5);
    await workbook.select(SPEC, 3, "cadence");
    expect(fake.selection()).toEqual({ sheet: "Allocations", address: "F5" });
  });
});

describe("snapshots", () => {
  test("a 200 KB JSON is split into cells under Excel's limit and joined back", async () => {
    const records = Array.from({ length: 4000 }, (_, i) => ({ id: i, name: `=Line "${i}" ✓ 😀`, amount: (i * 7919) / 100 }));
    const json = JSON.stringify(records);
    expect(json.length).toBeGreaterThan(200_000);
    await workbook.saveSnapshot("allocations", json);
    expect(await workbook.loadSnapshot("allocations")).toBe(json);
    const sheet = fake.sheets().find((s) => s.name === DATA_SHEET);
    expect(sheet?.visibility).toBe("VeryHidden");
    const count = splitForCells(json).length;
    expect(count).toBe(Math.ceil(json.length / (CELL_TEXT_LIMIT - 1))); // one character of each cell is the prefix
    const pieces = fake.values(DATA_SHEET, `B1:B${count + 1}`).flat();
    expect(pieces.slice(0, count).every((p) => typeof p === "string" && p.length > 0 && p.length <= CELL_TEXT_LIMIT)).toBe(true);
    expect(pieces[count]).toBe("");
  });

  describe("reads are sized by the largest piece saved", () => {
    // About 2.6 MB of JSON with quotes to escape, like a pull of tens of thousands of lines.
    const json = JSON.stringify(
      Array.from({ length: 30_000 }, (_, i) => ({
        id: i,
        name: `Line "${i}"`,
        amount: (i * 7919) / 100,
        lastModifiedAt: "2026-02-02T14:05:11.250000Z",
      })),
    );
    const pieces = splitForCells(json);
    const largest = Math.max(...pieces.map((p) => jsonByteLength(p)));

    test("the directory records the largest piece; a load takes 1 sync to find it and 1 to read it", async () => {
      expect(pieces.length).toBe(Math.ceil(json.length / (CELL_TEXT_LIMIT - 1)));
      expect(largest).toBeGreaterThan(CELL_TEXT_LIMIT); // the escaped quotes
      await workbook.saveSnapshot("allocations", json);
      expect(JSON.parse(fake.values(DATA_SHEET, "A1")[0]![0] as string)).toEqual({
        allocations: { column: 1, pieces: pieces.length, pieceBytes: largest, stamp: 1, hash: textHash(json) },
      });
      fake.resetCounters();
      expect(await workbook.loadSnapshot("allocations")).toBe(json);
      // 4,750,000 bytes (reads go to about nine tenths of the 5 MB limit) / (largest + 3) pieces a read.
      const perRead = Math.floor(4_750_000 / (largest + 3));
      expect(fake.syncCount).toBe(1 + Math.ceil(pieces.length / perRead));
      expect(fake.syncCount).toBe(2);
      expect(Math.max(...fake.syncs.map((s) => s.responseBytes))).toBeLessThan(5 * 1024 * 1024);
    });

    test("a directory saved without the size falls back to the worst case: 24 pieces a read", async () => {
      await workbook.saveSnapshot("allocations", json);
      await Excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem(DATA_SHEET).getRange("A1").values = [
          [JSON.stringify({ allocations: { column: 1, pieces: pieces.length } })],
        ];
        await ctx.sync();
      });
      fake.resetCounters();
      expect(await workbook.loadSnapshot("allocations")).toBe(json);
      expect(fake.syncCount).toBe(1 + Math.ceil(pieces.length / Math.floor(4_750_000 / (6 * 32_000 + 3))));
      expect(Math.floor(4_750_000 / (6 * 32_000 + 3))).toBe(24);
    });
  });

  test("saving again replaces the old pieces; other keys stay", async () => {
    await workbook.saveSnapshot("allocations", "x".repeat(100_000));
    await workbook.saveSnapshot("commits", '{"commits":[]}');
    await workbook.saveSnapshot("allocations", '{"short":true}');
    expect(await workbook.loadSnapshot("allocations")).toBe('{"short":true}');
    expect(await workbook.loadSnapshot("commits")).toBe('{"commits":[]}');
    expect(await workbook.loadSnapshot("other")).toBeNull();
    expect(fake.values(DATA_SHEET, "B1:B4").flat()).toEqual(["", "", "", ""]);
  });

  test("no data sheet means no snapshot", async () => {
    expect(await workbook.loadSnapshot("allocations")).toBeNull();
    expect(fake.sheets().map((s) => s.name)).toEqual(["Sheet1"]);
  });
});

describe("appendLog", () => {
  test("creates the log sheet once and appends below", async () => {
    const header = ["When", "Record", "Outcome", "Message"];
    await workbook.appendLog(header, [["2026-11-21 10:00", "3:usage:12", "done", "=not a formula"]]);
    await workbook.appendLog(header, [
      ["2026-11-21 10:05", "3:usage:13", "failed", "'TRUE"],
      ["2026-11-21 10:05", "3:usage:14", "done", 42],
    ]);
    expect(fake.values(LOG_SHEET, "A1:D4")).toEqual([
      header,
      ["2026-11-21 10:00", "3:usage:12", "done", "=not a formula"],
      ["2026-11-21 10:05", "3:usage:13", "failed", "'TRUE"],
      ["2026-11-21 10:05", "3:usage:14", "done", 42],
    ]);
    expect(fake.formulas(LOG_SHEET, "D2")).toEqual([["=not a formula"]]);
    expect(fake.numberFormats(LOG_SHEET, "A4:D4")).toEqual([["@", "@", "@", "General"]]);
  });
});

describe("onTableChanged", () => {
  test("reports the data rows a person edits; ignores the add-in's own writes and other cells", async () => {
    await written(10);
    const heard: Array<number[] | "all"> = [];
    const unsubscribe = await workbook.onTableChanged(SPEC, (rows) => heard.push(rows));
    await fake.edit("Allocations", "C4", "12.50");
    await fake.edit("Allocations", "F2:F3", "monthly");
    await fake.edit("Allocations", "K4", "a note beside the table");
    await workbook.writeCells(SPEC, [{ row: 1, column: "status", value: "done" }]);
    await fake.settled();
    await fake.edit("Allocations", "C1", "Amount (USD)");
    expect(heard).toEqual([[2], [0, 1], "all"]);

    await unsubscribe();
    await fake.edit("Allocations", "C5", "1");
    expect(heard).toHaveLength(3);
  });

  test("a row typed below the table joins it and is reported", async () => {
    await written(3);
    const heard: Array<number[] | "all"> = [];
    await workbook.onTableChanged(SPEC, (rows) => heard.push(rows));
    await fake.edit("Allocations", "A5", "1003");
    expect(heard).toEqual([[3]]);
    expect(fake.table("CampfireAllocations")?.address).toBe("A1:H5");
  });
});

describe("combined calls: fewer round trips for one operation", () => {
  test("readTableAndSnapshots: the table and two snapshots in 2 round trips; a missing snapshot is null", async () => {
    await written(50);
    await workbook.saveSnapshots({ allocations: '{"a":1}', "last-push": '{"b":2}' });
    fake.resetCounters();
    const read = await workbook.readTableAndSnapshots(SPEC, ["allocations", "last-push", "never-saved"]);
    expect(fake.syncCount).toBe(2); // the table, its layout and the directory; then the values and the pieces
    expect(read.table?.rows).toEqual(rows(50));
    expect(read.table?.bodyRows).toBe(50);
    expect(read.snapshots).toEqual({ allocations: '{"a":1}', "last-push": '{"b":2}', "never-saved": null });
    // Each stamp names the entry whole — column, pieces, save stamp, rows and the text's hash — so equal stamps
    // mean the same text (a stamp, column and count alone can repeat after the directory is put back).
    expect(read.stamps).toEqual({
      allocations: JSON.stringify([1, 1, 1, null, textHash('{"a":1}')]),
      "last-push": JSON.stringify([2, 1, 1, null, textHash('{"b":2}')]),
      "never-saved": null,
    });
  });

  test("readTableAndSnapshots before the first pull: no table, no data sheet, null snapshots", async () => {
    const read = await workbook.readTableAndSnapshots(SPEC, ["allocations"]);
    expect(read).toEqual({ table: null, snapshots: { allocations: null }, stamps: { allocations: null } });
  });

  test("saveSnapshots: two snapshots in 2 round trips; every save changes the stamp readRows reports", async () => {
    await written(3);
    await workbook.saveSnapshots({ allocations: "x".repeat(100_000), "last-push": "{}" });
    expect(fake.syncCount).toBe(2); // the directory (the data sheet is added in the same batch), then pieces and directory
    expect(await workbook.loadSnapshots(["allocations", "last-push"])).toEqual({ allocations: "x".repeat(100_000), "last-push": "{}" });
    const before = (await workbook.readRows(SPEC, [0], ["allocations", "last-push"]))?.stamps;
    await workbook.saveSnapshot("last-push", "{}");
    const after = (await workbook.readRows(SPEC, [0], ["allocations", "last-push"]))?.stamps;
    expect(after?.allocations).toBe(before?.allocations);
    expect(after?.["last-push"]).not.toBe(before?.["last-push"]);
  });

  test("readRows: only the rows asked, with where the table is, in 1 round trip; percent cells read as they show", async () => {
    await written(1000); // Share is formatted as a percent: as a 0–100 column it reads as the "25%" it shows
    fake.resetCounters();
    const read = await workbook.readRows(
      { ...SPEC, columns: SPEC.columns.map((c) => (c.key === "share" ? { ...c, unit: "percent" as const } : c)) },
      [7, 500],
      [],
    );
    expect(fake.syncCount).toBe(1);
    expect(read).toEqual({
      sheetName: "Allocations",
      headerRow: 1,
      firstColumn: 0,
      headers: SPEC.columns.map((c) => c.header),
      bodyRows: 1000,
      rows: [7, 500].map((i) => [...row(i).slice(0, 3), "25%", ...row(i).slice(4)]),
      stamps: {},
    });
    expect(await workbook.readRows({ ...SPEC, tableName: "NoSuchTable" }, [0], [])).toBeNull();
  });

  test("writeResults: cells, marks and log rows in 3 round trips (2 while the sheet has no rules)", async () => {
    await written(10);
    await workbook.writeResults(SPEC, {
      updates: [{ row: 2, column: "status", value: "Pushed" }],
      marks: [{ row: 2, column: "amount", kind: "edited" }],
      log: { header: ["Time", "Result"], rows: [["10:00", "Pushed"]] },
    });
    expect(fake.syncCount).toBe(2); // the table, the sheet's rules and the log sheet; then everything written
    fake.resetCounters();
    await workbook.writeResults(SPEC, {
      updates: [{ row: 3, column: "status", value: "Failed" }],
      marks: [{ row: 3, column: "amount", kind: "error" }],
      log: { header: ["Time", "Result"], rows: [["10:05", "Failed"]] },
    });
    expect(fake.syncCount).toBe(3); // the rules' formulas and where the log ends, in the second
    expect(fake.values("Allocations", "H3:H5").flat()).toEqual(["", "Pushed", "Failed"]);
    expect(fake.conditionalFormats("Allocations").map((cf) => [cf.address, cf.formula])).toEqual([
      ["C5", '=ISTEXT("Campfire mark: error")'],
    ]);
    expect(fake.values(LOG_SHEET, "A1:B3")).toEqual([
      ["Time", "Result"],
      ["10:00", "Pushed"],
      ["10:05", "Failed"],
    ]);
  });

  test("writeResults on a table that is gone is TableMissingError, and nothing is written", async () => {
    await expect(workbook.writeResults(SPEC, { updates: [{ row: 0, column: "status", value: "x" }], marks: [] })).rejects.toBeInstanceOf(
      TableMissingError,
    );
  });
});
