/**
 * The sizes of a table's reads: as few as Excel on the web's 5 MB response limit forces for a typical table, each
 * under the limit for what is known before it is read (pieces exactly, rows like the ones measured).
 */
import fc from "fast-check";
import {
  EXCEL_WEB_LIMIT_BYTES,
  firstSliceRows,
  nextSliceRows,
  READ_BUDGET_BYTES,
  sliceBytes,
  takeFitting,
  TYPICAL_CELL_BYTES,
} from "../../src/excel/read-slices";

const NO_CAP = Number.MAX_SAFE_INTEGER;

/**
 * A table of `rows` rows of `rowBytes` each and a snapshot of `pieces` pieces of `pieceBytes` each, read as the
 * adapter reads them: a slice per round trip, the pieces filling what the slice leaves of the budget, then the
 * pieces left. Returns the bytes of each round trip.
 */
function readTrips(rows: number, cellsPerRow: number, rowBytes: number, pieces: number, pieceBytes: number): number[] {
  const left = Array.from({ length: pieces }, () => ({ bytes: pieceBytes }));
  const weight = (taken: readonly { bytes: number }[]) => taken.reduce((sum, p) => sum + p.bytes, 0);
  const trips: number[] = [];
  let measured = 0;
  let perRead = firstSliceRows(rows, cellsPerRow, READ_BUDGET_BYTES, NO_CAP);
  for (let start = 0; start < rows;) {
    const count = Math.min(perRead, rows - start);
    const taken = takeFitting(left, READ_BUDGET_BYTES - sliceBytes(count, cellsPerRow, measured));
    trips.push(count * rowBytes + weight(taken));
    start += count;
    measured = rowBytes;
    perRead = nextSliceRows(rows - start, measured, cellsPerRow, READ_BUDGET_BYTES, NO_CAP);
  }
  while (left.length) trips.push(weight(takeFitting(left, READ_BUDGET_BYTES, true)));
  return trips;
}

describe("read slices", () => {
  test("the budget leaves a tenth of the limit for framing and rows a little heavier than measured", () => {
    expect(EXCEL_WEB_LIMIT_BYTES).toBe(5_242_880);
    expect(READ_BUDGET_BYTES).toBe(4_750_000);
    expect(EXCEL_WEB_LIMIT_BYTES / READ_BUDGET_BYTES).toBeCloseTo(1.104, 3);
  });

  test("a first slice is half the budget at a typical cell: 11,642 rows of 17 cells", () => {
    expect(firstSliceRows(30_000, 17, READ_BUDGET_BYTES, NO_CAP)).toBe(Math.floor(READ_BUDGET_BYTES / 2 / (17 * TYPICAL_CELL_BYTES)));
    expect(firstSliceRows(30_000, 17, READ_BUDGET_BYTES, NO_CAP)).toBe(11_642);
    expect(firstSliceRows(50, 17, READ_BUDGET_BYTES, NO_CAP)).toBe(50);
    expect(firstSliceRows(30_000, 17, READ_BUDGET_BYTES, 4_000)).toBe(235); // a cap on cells, when one is given
    expect(firstSliceRows(30_000, 17, 100, NO_CAP)).toBe(1); // never no rows
  });

  test("later slices fill the budget at the weight measured", () => {
    expect(nextSliceRows(30_000, 190, 17, READ_BUDGET_BYTES, NO_CAP)).toBe(25_000);
    expect(nextSliceRows(8_000, 190, 17, READ_BUDGET_BYTES, NO_CAP)).toBe(8_000);
    expect(nextSliceRows(8_000, 10_000_000, 17, READ_BUDGET_BYTES, NO_CAP)).toBe(1);
    expect(sliceBytes(1_000, 17, 190)).toBe(190_000);
    expect(sliceBytes(1_000, 17, 0)).toBe(1_000 * 17 * TYPICAL_CELL_BYTES);
  });

  test("pieces fill a budget in order; a read with nothing else takes one even over budget", () => {
    const pieces = [
      { key: "a", bytes: 100 },
      { key: "b", bytes: 100 },
      { key: "c", bytes: 10 },
      { key: "d", bytes: 10 },
    ];
    expect(takeFitting(pieces, 205).map((p) => p.key)).toEqual(["a", "b"]);
    expect(takeFitting(pieces, 9)).toEqual([]);
    expect(takeFitting(pieces, 9, true).map((p) => p.key)).toEqual(["c"]);
    expect(takeFitting(pieces, 1_000).map((p) => p.key)).toEqual(["d"]);
    expect(pieces).toEqual([]);
  });

  test("pieces taken in any budgets are every piece once, in order, each budget kept", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 20 }),
        (sizes, budgets) => {
          const left = sizes.map((bytes, i) => ({ i, bytes }));
          const got: number[] = [];
          for (let t = 0; left.length > 0; t++) {
            const budget = budgets[t % budgets.length]!;
            const taken = takeFitting(left, budget, t >= budgets.length);
            if (taken.length > 1) expect(taken.reduce((sum, p) => sum + p.bytes, 0)).toBeLessThanOrEqual(budget);
            got.push(...taken.map((p) => p.i));
          }
          expect(got).toEqual(sizes.map((_, i) => i));
        },
      ),
      { numRuns: 500 },
    );
  });

  // A pulled allocations table: 17 cells of about 11 bytes a row; its snapshot, 32 KB pieces of JSON.
  test.each([
    // rows, bytes a row, pieces: round trips as few as ceil(bytes / limit), each under the limit
    [10, 190, 1, 1],
    [1_000, 190, 8, 1],
    [10_000, 190, 76, 1],
    [30_000, 190, 227, 3],
  ])("%i rows of %i bytes with %i pieces: %i round trips", (rows, rowBytes, pieces, trips) => {
    const got = readTrips(rows, 17, rowBytes, pieces, 32_003);
    const total = rows * rowBytes + pieces * 32_003;
    expect(got).toHaveLength(trips);
    expect(got).toHaveLength(Math.ceil(total / EXCEL_WEB_LIMIT_BYTES));
    expect(Math.max(...got)).toBeLessThanOrEqual(READ_BUDGET_BYTES);
  });

  test("rows a fifth heavier than typical still fit with the pieces beside the first slice", () => {
    const first = firstSliceRows(30_000, 17, READ_BUDGET_BYTES, NO_CAP);
    const pieces = READ_BUDGET_BYTES - sliceBytes(first, 17, 0);
    expect(first * 17 * TYPICAL_CELL_BYTES * 1.2 + pieces).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES);
    expect(first * 17 * TYPICAL_CELL_BYTES * 2.2).toBeLessThanOrEqual(EXCEL_WEB_LIMIT_BYTES); // no pieces beside it
  });

  test("long text: a slice sized by rows measured stays within the budget, however heavy the rows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 3, max: 32_767 * 6 * 17 }), (rows, rowBytes) => {
        const count = nextSliceRows(rows, rowBytes, 17, READ_BUDGET_BYTES, NO_CAP);
        if (count > 1) expect(count * rowBytes).toBeLessThanOrEqual(READ_BUDGET_BYTES);
        expect(count).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
