/**
 * The bench's verdict rules: a goal is met only when the measured number is within its bound; nothing measured
 * is never a pass; the 5 MB limit excuses only the round trips the bytes themselves force.
 */
import { isPreviewOnly } from "../../bench/bundle-size";
import { atMost, median, verdictsMarkdown } from "../../bench/report";
import { forcedChunkTrips, neededBytes, type OperationUse } from "../../bench/table-sizes";
import { EXCEL_WEB_PAYLOAD_LIMIT_BYTES } from "../../preview/excel-fake/fake-excel";

describe("atMost", () => {
  test.each([
    [0, 0, "OK", null],
    [1, 0, "SHORT", null],
    [6, 6, "OK", 1],
    [7, 6, "SHORT", 7 / 6],
    [1.2000001, 1.2, "SHORT", 1.2000001 / 1.2],
    [0.5, 3, "OK", 0.5 / 3],
    [null, 0, "not measured", null],
    [null, 10, "not measured", null],
  ] as const)("measured %p against bound %p: %s", (measured, bound, verdict, ratio) => {
    const row = atMost("id", "goal", measured, bound, "note");
    expect(row.verdict).toBe(verdict);
    expect(row.ratio).toBe(ratio);
  });
});

describe("forcedChunkTrips", () => {
  const L = EXCEL_WEB_PAYLOAD_LIMIT_BYTES;
  /** An operation that must move these bytes and moved `moved` times as many. */
  const use = (requestBytes: number, responseBytes: number, moved = 1): OperationUse => ({
    syncs: 1,
    requestBytes: requestBytes * moved,
    responseBytes: responseBytes * moved,
    maxRequestBytes: requestBytes,
    maxResponseBytes: responseBytes,
    needed: { requestBytes, responseBytes },
  });
  test.each([
    [0, 0, 0],
    [L, L, 0],
    [L + 1, 0, 1],
    [0, 2 * L + 1, 2],
    [3 * L, 3 * L + 1, 2 + 3],
  ])("%i request bytes and %i response bytes force %i extra trips", (req, res, extra) => {
    expect(forcedChunkTrips(use(req, res))).toBe(extra);
  });

  test("bytes an adapter moves beyond what is needed excuse no trip", () => {
    expect(forcedChunkTrips(use(0, L, 3))).toBe(0);
  });

  test("what is needed: the table's values and the snapshot's pieces, once each way the operation goes", () => {
    const table = {
      sheetName: "Allocations",
      headerRow: 1,
      firstColumn: 0,
      headers: ["A", "B"],
      rows: [
        [1, "x"],
        [2, "ü"],
      ],
    };
    const both =
      JSON.stringify([
        [1, "x"],
        [2, "ü"],
      ]).length +
      1 +
      JSON.stringify([["|{}"]]).length;
    expect(neededBytes(table, "{}")).toEqual({
      pull: { requestBytes: both, responseBytes: 0 },
      check: { requestBytes: 0, responseBytes: both },
      plan: { requestBytes: 0, responseBytes: both },
      push: { requestBytes: JSON.stringify([["|{}"]]).length, responseBytes: both },
    });
  });
});

test("median of odd and even counts", () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(() => median([])).toThrow("median of nothing");
});

test.each([
  ["preview.html", true],
  ["preview.js", true],
  ["office-js/office.js", true],
  ["office-js/en-us/office_strings.js", true],
  ["taskpane.html", false],
  ["taskpane.js", false],
  ["937.js", false],
  ["functions.json", false],
])("%s is preview-only: %p", (file, expected) => {
  expect(isPreviewOnly(file)).toBe(expected);
});

test("the Markdown table has one line per goal and escapes pipes", () => {
  const md = verdictsMarkdown([atMost("a", "x | y", 3, 2, ""), atMost("b", "z", null, 0, "")]);
  expect(md.split("\n")).toEqual([
    "| goal | measured | bound | ratio | verdict |",
    "| --- | --- | --- | --- | --- |",
    "| x \\| y | 3 | 2 | 1.50 | SHORT |",
    "| z | — | 0 |  | not measured |",
  ]);
});
