/** The adapter's pure helpers: payload slicing, snapshot pieces, mark areas. (A1 addresses: test/domain/a1.test.ts.) */
import { addressGroups, markAreas } from "../../src/excel/mark-areas";
import { jsonByteLength, sliceByBytes } from "../../src/excel/payload";
import { joinCells, SnapshotCorruptError, splitForCells } from "../../src/excel/snapshot-cells";
import { listSource } from "../../src/excel/cell-styles";

describe("payload slices", () => {
  test("bytes are UTF-8 bytes of the JSON", () => {
    expect(jsonByteLength(["é", 1])).toBe('["é",1]'.length + 1);
    expect(jsonByteLength("😀")).toBe(6);
  });

  test("every slice stays within the budget and the slices cover every row in order", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i, "x".repeat(i % 50)]);
    const budget = 5000;
    const slices = sliceByBytes(rows, budget);
    expect(slices[0]?.[0]).toBe(0);
    expect(slices[slices.length - 1]?.[1]).toBe(1000);
    slices.forEach(([start, end], i) => {
      if (i > 0) expect(start).toBe(slices[i - 1]?.[1]);
      expect(jsonByteLength(rows.slice(start, end))).toBeLessThanOrEqual(budget);
    });
    expect(sliceByBytes([], budget)).toEqual([]);
  });

  test("a row bigger than the budget gets a slice of its own", () => {
    expect(sliceByBytes(["a", "b".repeat(100), "c"], 20)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
});

describe("snapshot pieces", () => {
  test("pieces stay within the limit, never split a surrogate pair, and join back", () => {
    const text = "😀".repeat(10) + "x".repeat(7);
    const pieces = splitForCells(text, 6);
    expect(pieces.every((p) => p.length <= 6 && p.startsWith("|"))).toBe(true);
    expect(pieces.slice(0, 3)).toEqual(["|😀😀", "|😀😀", "|😀😀"]);
    expect(joinCells("k", pieces)).toBe(text);
  });

  test("an empty text has no pieces", () => {
    expect(splitForCells("")).toEqual([]);
    expect(joinCells("k", [])).toBe("");
  });

  test("a piece someone changed is reported, not silently joined", () => {
    expect(() => joinCells("allocations", ["|{", 12])).toThrow(SnapshotCorruptError);
    expect(() => joinCells("allocations", ["|{", "}"])).toThrow('The saved pull "allocations" is damaged (piece 2 of 2 was changed)');
  });
});

describe("mark areas", () => {
  const columns: Record<string, number> = { amount: 2, cadence: 5, auto: 6 };
  const at = (key: string) => columns[key] ?? null;

  test("runs in a column merge; side-by-side runs with the same rows merge; other tables' rows are dropped", () => {
    const areas = markAreas(
      [
        { row: 0, column: "amount", kind: "error" },
        { row: 1, column: "amount", kind: "error" },
        { row: 3, column: "amount", kind: "error" },
        { row: 0, column: "cadence", kind: "edited" },
        { row: 1, column: "cadence", kind: "edited" },
        { row: 0, column: "auto", kind: "edited" },
        { row: 1, column: "auto", kind: "edited" },
        { row: 7, column: "auto", kind: "edited" },
        { row: 2, column: "gone", kind: "error" },
      ],
      at,
      1,
      5,
    );
    expect([...areas.keys()]).toEqual(["error", "edited"]);
    expect(addressGroups(areas.get("error") ?? [])).toEqual(["C2:C3,C5"]);
    expect(addressGroups(areas.get("edited") ?? [])).toEqual(["F2:G3"]);
  });

  test("address groups stay under the length limit", () => {
    const areas = Array.from({ length: 100 }, (_, i) => ({ row: i * 2, column: 0, rowCount: 1, columnCount: 1 }));
    const groups = addressGroups(areas, 50);
    expect(groups.every((g) => g.length <= 50)).toBe(true);
    expect(groups.join(",").split(",")).toHaveLength(100);
  });
});

describe("dropdown sources", () => {
  test.each([
    [["monthly", "quarterly"], "monthly,quarterly"],
    [["a,b"], null],
    [[" padded"], null],
    [[], null],
    [Array.from({ length: 60 }, (_, i) => `value${i}`), null],
  ])("%j", (values, source) => {
    expect(listSource(values)).toBe(source);
  });
});
