/** A percent a cell shows, read as percent-as-0–100; and exact minor units for values as Campfire holds them. */
import { percentCellText, readNumber } from "../../src/domain/cell-readers";
import { MoneyPrecisionError, toMinor, toMinorExact } from "../../src/domain/money";
import { checkBundleDraft } from "../../src/domain/rules/allocations";

describe("percentCellText: the percent a percent-formatted number shows, at full precision", () => {
  test.each([
    [0.2, "20%"],
    [0.125, "12.5%"],
    [0.07, "7%"], // 0.07 × 100 is 7.000000000000001 in binary; the decimal point moves on the text instead
    [0.3333, "33.33%"],
    [1, "100%"],
    [-0.005, "-0.5%"],
    [0, "0%"],
    [0.1 + 0.2, "30%"], // read as Excel holds it: 15 significant digits
  ])("%p shows %j", (fraction, text) => {
    expect(percentCellText(fraction)).toBe(text);
  });
});

describe("readNumber with a percent unit (0–100)", () => {
  test.each([
    ["20%", 20],
    [" 12.5 %", 12.5],
    ["100%", 100],
    ["0.5%", 0.5],
  ])("%j reads as %p", (cell, value) => {
    expect(readNumber(cell, { percent: true, min: 0, max: 100 })).toEqual({ ok: true, value });
  });

  test("elsewhere a percent is refused with how to type it, never divided by 100", () => {
    expect(readNumber("5%", { min: 0 })).toEqual({
      ok: false,
      message: '"5%" is a percentage',
      allowed: "a number of at least 0 (without a % sign)",
    });
  });

  test("text that only ends in % is still not a number", () => {
    expect(readNumber("abc%", { percent: true })).toEqual({ ok: false, message: '"abc%" is text, not a number', allowed: "a number" });
  });
});

describe("toMinorExact: Campfire's value, whatever its digits; never rounded", () => {
  test.each([
    [1234567890123.456, 3, 1234567890123456n],
    [99999999999999.98, 2, 9999999999999998n],
    [12345678901234568, 0, 12345678901234568n],
    [-0.01, 2, -1n],
    [0, 2, 0n],
  ])("%p at scale %i is %p", (value, scale, minor) => {
    expect(toMinorExact(value, scale)).toBe(minor);
  });

  test("more decimals than the currency has is still refused", () => {
    expect(() => toMinorExact(0.1 + 0.2, 2)).toThrow(MoneyPrecisionError);
  });

  test("toMinor, for cells, keeps the 15-digit limit that toMinorExact leaves out", () => {
    expect(() => toMinor(1234567890123.456, 3)).toThrow("16 significant digits");
  });
});

describe("checkBundleDraft with amounts as sent (overwrite, push again, undo)", () => {
  const ref = { kind: "bundle", contractId: 1, itemType: "subscription", itemId: 1 } as const;

  test("Campfire's own 16-digit BHD amount adds up exactly; it is not read as the 15 digits a cell would show", () => {
    const check = checkBundleDraft({
      ref,
      currency: "BHD",
      totalAmount: 1234567890123.456 + 0.5,
      lines: [
        { product: 1, amount: 1234567890123.456 },
        { product: 2, amount: 0.5 },
      ],
    });
    expect([check.issues, check.sumMinor, check.differenceMinor]).toEqual([[], 1234567890123956n, 0n]);
  });

  test("binary noise beyond the currency's decimals is still read as Excel shows it", () => {
    const check = checkBundleDraft({ ref, currency: "USD", totalAmount: 0.3, lines: [{ product: 1, amount: 0.1 + 0.2 }] });
    expect([check.issues, check.sumMinor]).toEqual([[], 30n]);
  });
});
