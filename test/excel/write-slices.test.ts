/**
 * A pull's rows go in slices filled to the write budget by their exact size, a text format command counted with
 * the row that needs it: as few slices as the budget allows, each within it.
 */
import fc from "fast-check";
import { jsonByteLength, sliceByBytes } from "../../src/excel/payload";
import { CELL_COMMAND_BYTES, TABLE_WRITE_BYTES, tableWriteSlices } from "../../src/excel/write-slices";
import { EXCEL_WEB_PAYLOAD_LIMIT_BYTES } from "../../preview/excel-fake/fake-excel";

/** What a slice sends, as tableWriteSlices counts it (a comma after each row: one byte over the JSON itself). */
const sent = (rows: readonly unknown[], [start, end]: [number, number], commandsOf: (r: number) => number) => {
  let commands = 0;
  for (let r = start; r < end; r++) commands += commandsOf(r);
  return jsonByteLength(rows.slice(start, end)) + 1 + commands * CELL_COMMAND_BYTES;
};

describe("table write slices", () => {
  test("the budget leaves a fifth of Excel on the web's limit for what rides along unmeasured", () => {
    expect(TABLE_WRITE_BYTES).toBe(4_000_000);
    expect(EXCEL_WEB_PAYLOAD_LIMIT_BYTES - TABLE_WRITE_BYTES).toBe(1_242_880);
  });

  test("without commands, the slices are those of sliceByBytes", () => {
    const rows = Array.from({ length: 500 }, (_, i) => [i, `line ${i}`, i * 1.5]);
    expect(tableWriteSlices(rows, 1_000)).toEqual(sliceByBytes(rows, 1_000));
  });

  test("a 30,000-line pull (about 6.3 MB of cells) goes in 2 slices", () => {
    const row = Array.from({ length: 17 }, (_, j) => (j % 3 === 0 ? `text ${j}` : 123456.78 + j));
    const rows = Array.from({ length: 30_000 }, () => row);
    expect(jsonByteLength(rows)).toBeGreaterThan(TABLE_WRITE_BYTES);
    expect(tableWriteSlices(rows, TABLE_WRITE_BYTES)).toHaveLength(Math.ceil(jsonByteLength(rows) / TABLE_WRITE_BYTES));
  });

  test("rows with text in number columns take fewer rows to a slice", () => {
    const rows = Array.from({ length: 10 }, (_, i) => [i, i]);
    expect(tableWriteSlices(rows, 250, () => 0)).toEqual([[0, 10]]);
    expect(tableWriteSlices(rows, 250, () => 1)).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
      [8, 10],
    ]);
  });

  test("every row once, in order; each slice within the budget unless it is one row heavier than the budget", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 30 })), { maxLength: 6 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 400 }),
        fc.func(fc.integer({ min: 0, max: 3 })),
        (rows, budget, commands) => {
          const commandsOf = (r: number) => commands(r);
          const slices = tableWriteSlices(rows, budget, commandsOf);
          expect(slices.flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k))).toEqual(rows.map((_, i) => i));
          for (const slice of slices) {
            if (slice[1] - slice[0] > 1) expect(sent(rows, slice, commandsOf)).toBeLessThanOrEqual(budget);
          }
          // As few as filling each slice allows: no two neighbours fit together.
          for (let k = 1; k < slices.length; k++) {
            expect(sent(rows, [slices[k - 1]![0], slices[k]![0] + 1], commandsOf)).toBeGreaterThan(budget);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
