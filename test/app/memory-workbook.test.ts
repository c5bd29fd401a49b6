/** The in-memory workbook must behave like Excel where the use-cases rely on it, or the workflow tests prove nothing. */
import { FormulaWrittenError, MemoryWorkbook, ShapeError, typed } from "../helpers/memory-workbook";
import type { TableSpec } from "../../src/app/ports";

const spec: TableSpec = {
  sheetName: "S",
  tableName: "T",
  columns: [
    { key: "id", header: "ID", format: "integer", editable: false },
    { key: "name", header: "Name", format: "text", editable: true },
  ],
};

describe("typed: Excel's parsing of typed input", () => {
  it.each([
    ["'=SUM(1)", "=SUM(1)"],
    ["'0012", "0012"],
    ["0012", 12],
    ["1.50", 1.5],
    ["TRUE", true],
    ["false", false],
    ["text", "text"],
    ["", ""],
    [3, 3],
  ])("%p → %p", (written, value) => {
    expect(typed(written)).toBe(value);
  });

  it("refuses formulas: the workflows never type one", () => {
    expect(() => typed("=SUM(1)")).toThrow(FormulaWrittenError);
  });
});

describe("MemoryWorkbook", () => {
  it("editRows changes only the rows named, keeps the user's own column, and keeps one row as Excel does", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(spec, [
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
    wb.moveColumn("T", "Name", 0);
    wb.table("T").headers.push("Mine");
    wb.table("T").rows.forEach((r, i) => r.push(`note ${i}`));
    await wb.editRows(spec, [
      { kind: "write", row: 0, rows: [[1, "A"]] },
      { kind: "delete", row: 1, count: 1 },
      { kind: "insert", row: 2, rows: [[4, "d"]] },
    ]);
    expect(wb.table("T").rows).toEqual([
      ["A", 1, "note 0"],
      ["c", 3, "note 2"],
      ["d", 4, ""],
    ]);
    await expect(wb.editRows(spec, [{ kind: "delete", row: 0, count: 3 }])).rejects.toThrow("a table keeps at least one data row");
    await expect(wb.editRows(spec, [{ kind: "write", row: 3, rows: [[5, "e"]] }])).rejects.toThrow("row 3 is outside the table's 3 rows");
  });

  it("refuses rows that do not match the columns, as Range.values does", async () => {
    const wb = new MemoryWorkbook();
    await expect(wb.writeTable(spec, [[1]])).rejects.toThrow(ShapeError);
    await expect(wb.writeTable(spec, [[1, "a", "extra"]])).rejects.toThrow("row 0 has 3 values for 2 columns");
  });

  it("addresses cells by column key wherever the column was moved, and reports changes", async () => {
    const wb = new MemoryWorkbook({ headerRow: 3, firstColumn: 1 });
    await wb.writeTable(spec, [[1, "007"]]);
    const changes: (number[] | "all")[] = [];
    await wb.onTableChanged(spec, (rows) => changes.push(rows));
    wb.moveColumn("T", "Name", 0);
    await wb.writeCells(spec, [{ row: 0, column: "name", value: "=x" }]);
    expect(await wb.readTable(spec)).toEqual({ sheetName: "S", headerRow: 3, firstColumn: 1, headers: ["Name", "ID"], rows: [["=x", 1]] });
    expect(changes).toEqual(["all", [0]]);
    await expect(wb.writeCells(spec, [{ row: 1, column: "name", value: "x" }])).rejects.toThrow("row 1 is outside the table's 1 rows");
    await expect(wb.setMarks(spec, [{ row: 0, column: "nope", kind: "error" }])).rejects.toThrow('no column key "nope"');
    expect(wb.calls.map((c) => c.method)).toEqual(["writeTable", "onTableChanged", "writeCells", "readTable", "writeCells", "setMarks"]);
  });

  it("keeps written strings exactly, as the adapter's Text cells do; typing parses except in text columns", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(spec, [
      ["'007", "'quoted"],
      [1, "00123"],
    ]);
    expect((await wb.readTable(spec))?.rows).toEqual([
      ["'007", "'quoted"],
      [1, "00123"],
    ]);
    wb.type("T", 1, "ID", "0012");
    wb.type("T", 1, "Name", "0012");
    expect((await wb.readTable(spec))?.rows[1]).toEqual([12, "0012"]);
  });

  it("has no table until one is written", async () => {
    expect(await new MemoryWorkbook().readTable(spec)).toBeNull();
  });
});
