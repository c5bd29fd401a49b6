/**
 * The shortcuts a check takes for speed give what the general routes give, for every value: a pulled amount in
 * minor units (toMinorExact of a number, against the same number as text), the 15-digit reading of a cell, a whole
 * number cell, a row's identity read after the row above's, and a bundle's rows taken in line order.
 */
import fc from "fast-check";
import { readInteger, readIntegerCell, type IntegerOptions } from "../../src/domain/cell-readers";
import { excelNumber, toMinorExact } from "../../src/domain/money";
import { ITEM_TYPES } from "../../src/model/records";
import { readAllocationIdentity } from "../../src/domain/sheet/allocation-table";
import { asRead, fitsInCell, sameCell } from "../../src/domain/sheet/cell-writers";
import { claimLines, claimLinesByLookup } from "../../src/domain/sheet/line-claims";

function outcome(run: () => bigint): string {
  try {
    return `ok ${run()}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** Amounts as Campfire sends them (a few decimals), near the edges (large, tiny) and anything else a double is. */
const amounts = fc.oneof(
  fc.tuple(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.integer({ min: 0, max: 6 })).map(([m, k]) => Number(m) / 10 ** k),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.1 + 0.2, 1e15 - 0.5, 999999999999999.9, 2 ** 53, -0, 1e-7, 123456789012.345),
);

describe("fast paths", () => {
  it("toMinorExact of a number equals toMinorExact of its shortest text, value or refusal", () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 0, max: 4 }), (value, scale) => {
        expect(outcome(() => toMinorExact(value, scale))).toBe(outcome(() => toMinorExact(String(value), scale)));
      }),
      { numRuns: 3000 },
    );
  });

  it("the 15-digit reading of a cell (asRead, sameCell, excelNumber) equals toPrecision(15)", () => {
    const reference = (n: number) => Number(n.toPrecision(15));
    fc.assert(
      fc.property(amounts, amounts, (a, b) => {
        expect(asRead(a)).toBe(reference(a));
        expect(sameCell(a, b)).toBe(reference(a) === reference(b));
        if (Math.abs(a) < 1e15) expect(excelNumber(a)).toBe(reference(a));
        // "Fits" is never wrong: such a number reads back as itself.
        if (fitsInCell(a)) expect(reference(a)).toBe(a === 0 ? 0 : a);
      }),
      { numRuns: 3000 },
    );
  });
});

/** What a reader answers, comparable with toEqual whatever it is (a value, -0 included, a failure's words, a throw). */
function answer(run: () => unknown): unknown {
  try {
    const result = run() as { ok: boolean; value?: unknown };
    return result.ok && Object.is(result.value, -0) ? { ...result, value: "-0" } : result;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** Cells as range.values gives them, around the whole numbers the fast paths answer. */
const cells = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, 1, -1, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e15, 1e15 + 2, 1e21, 4.5, 0.1 + 0.2, NaN, Infinity, -Infinity),
  fc.double(),
  fc.constantFrom("", "  ", "12", " 12 ", "12%", "1e3", "#N/A", "abc", true, false, null, undefined),
);

describe("fast paths of the cell readers", () => {
  it("readInteger answers as its general route for every cell and range", () => {
    const bound = fc.option(fc.oneof(fc.integer(), fc.constantFrom(0, 1, -1, 4.5, Number.MAX_SAFE_INTEGER, NaN)), { nil: undefined });
    const options = fc.record(
      { min: bound, max: bound, exact: fc.option(fc.boolean(), { nil: undefined }), nullable: fc.option(fc.boolean(), { nil: undefined }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(cells, options, (cell, opts) => {
        // An option given as undefined is one not given (what exactOptionalPropertyTypes cannot say of a generated record).
        const given = opts as IntegerOptions;
        expect(answer(() => readInteger(cell, given))).toEqual(answer(() => readIntegerCell(cell, given)));
      }),
      { numRuns: 5000 },
    );
  });
});

/** A bundle's line ids (distinct) and rows naming them: as pulled, shuffled, doubled, missing, or unknown ids. */
const bundleRows = fc
  .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 8 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.oneof(
        fc.constant(ids),
        fc.shuffledSubarray(ids),
        fc.array(fc.oneof(fc.constantFrom(...(ids.length ? ids : [1])), fc.integer({ min: 1, max: 50 })), { maxLength: 10 }),
      ),
    ),
  )
  .map(([ids, named]) => ({ lines: ids.map((id) => ({ id })), rows: named.map((lineId, k) => ({ row: 10 + 3 * k, lineId })) }));

describe("fast paths of the allocation analysis", () => {
  it("claimLines answers as the lookup for every set of rows", () => {
    fc.assert(
      fc.property(bundleRows, ({ lines, rows }) => {
        expect(claimLines(lines, rows)).toEqual(claimLinesByLookup(lines, rows));
      }),
      { numRuns: 3000 },
    );
  });

  it("claimLines takes rows naming the lines once each, in order, as the lookup does", () => {
    const lines = [{ id: 7 }, { id: 3 }, { id: 9 }];
    const rows = [
      { row: 4, lineId: 7 },
      { row: 5, lineId: 3 },
      { row: 8, lineId: 9 },
    ];
    expect(claimLines(lines, rows)).toEqual({ single: [4, 5, 8], multiple: [], unknown: [], absent: [] });
    expect(claimLinesByLookup(lines, rows)).toEqual({ single: [4, 5, 8], multiple: [], unknown: [], absent: [] });
  });

  it("readAllocationIdentity after an identity it gave answers as without it", () => {
    const idCell = fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constantFrom(0, -0, 2.5, "2", " 3 ", "", "#REF!", true));
    const typeCell = fc.oneof(fc.constantFrom(...ITEM_TYPES), fc.constantFrom("USAGE", " usage ", "other", "", 3, "#N/A"));
    const row = fc.record({ contract_id: idCell, item_type: typeCell, item_id: idCell, line_id: idCell });
    fc.assert(
      fc.property(row, row, (before, cellsNow) => {
        const previous = readAllocationIdentity((k) => before[k as keyof typeof before]);
        if (!previous.ok) return;
        const cell = (k: string) => cellsNow[k as keyof typeof cellsNow];
        expect(readAllocationIdentity(cell, previous.value)).toEqual(readAllocationIdentity(cell));
        // The row's own identity cells again, with another Line ID: the case the shortcut is for.
        const same = (k: string) => (k === "line_id" ? cellsNow.line_id : before[k as keyof typeof before]);
        expect(readAllocationIdentity(same, previous.value)).toEqual(readAllocationIdentity(same));
      }),
      { numRuns: 3000 },
    );
  });
});
