/**
 * The shortcuts a check takes for speed give what the general routes give, for every value: a pulled amount in
 * minor units (toMinorExact of a number, against the same number as text), and the 15-digit reading of a cell.
 */
import fc from "fast-check";
import { excelNumber, toMinorExact } from "../../src/domain/money";
import { asRead, fitsInCell, sameCell } from "../../src/domain/sheet/cell-values";

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
