import {
  MoneyFormatError,
  MoneyPrecisionError,
  MoneyRangeError,
  balanceBundle,
  decimalPlacesOf,
  excelNumber,
  formatMinor,
  formatMinorGrouped,
  fromMinor,
  groupDigits,
  isNumericText,
  minorUnitsOf,
  roundHalfEvenToScale,
  significantDigitsIn,
  splitEvenly,
  sumMinor,
  toMinor,
  toPlainDecimal,
} from "../../src/domain/money";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("minorUnitsOf", () => {
  it.each([
    ["USD", 2],
    ["EUR", 2],
    ["GBP", 2],
    ["usd", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["VND", 0],
    ["CLP", 0],
    ["ISK", 0],
    ["BHD", 3],
    ["KWD", 3],
    ["OMR", 3],
    ["JOD", 3],
    ["TND", 3],
    ["LYD", 3],
    ["IQD", 3],
    ["CLF", 4],
    ["XYZ", 2],
    ["", 2],
  ])("%s → %i", (code, expected) => {
    expect(minorUnitsOf(code)).toBe(expected);
  });
});

describe("toMinor: exact conversions", () => {
  it.each<[number | string, number, bigint]>([
    [1234567890123.45, 2, 123456789012345n],
    [-1234567890123.45, 2, -123456789012345n],
    [999999999999999, 0, 999999999999999n],
    [0.01, 2, 1n],
    [-0.01, 2, -1n],
    ["-0.01", 2, -1n],
    ["1234.50", 2, 123450n],
    [" 1234.5 ", 2, 123450n],
    ["1234.500000", 2, 123450n],
    ["+7", 2, 700n],
    [".5", 2, 50n],
    ["1e3", 2, 100000n],
    ["1.5E+2", 0, 150n],
    [0, 2, 0n],
    [-0, 2, 0n],
    ["-0.00", 2, 0n],
    [1500, 0, 1500n],
    [1.234, 3, 1234n],
    [0.1, 1, 1n],
    [1e-7, 7, 1n],
    [12.3456, 4, 123456n],
  ])("%p at scale %i → %p", (value, scale, expected) => {
    expect(toMinor(value, scale)).toBe(expected);
  });

  it("round-trips 1234567890123.45 exactly through minor units", () => {
    const minor = toMinor(1234567890123.45, 2);
    expect(formatMinor(minor, 2)).toBe("1234567890123.45");
    expect(fromMinor(minor, 2)).toBe(1234567890123.45);
  });
});

describe("excelNumber: a cell's number as Excel shows it", () => {
  it.each<[string, number, number, string]>([
    ["=0.1+0.2", 0.1 + 0.2, 0.3, "0.3"],
    ["negative noise", -(0.1 + 0.2), -0.3, "-0.3"],
    ["noise in the 11th decimal", 33333.33000000001, 33333.33, "33333.33"],
    ["noise on a whole number", 1000.0000000000001, 1000, "1000"],
    ["15 significant digits stay", 1234567890123.45, 1234567890123.45, "1234567890123.45"],
    ["a real third decimal stays", 0.125, 0.125, "0.125"],
    ["16 digits below 1e15 round to 15", 12345678901234.56, 12345678901234.6, "12345678901234.6"],
    ["rounding up to 1e15", 999999999999999.9, 1e15, "1000000000000000"],
    ["1e15 + 0.5 is not rounded", 1e15 + 0.5, 1e15 + 0.5, "1000000000000000.5"],
    // eslint-disable-next-line no-loss-of-precision -- the point: a value a cell cannot hold exactly
    ["2^53 + 1 is not rounded", 9007199254740993, 9007199254740992, "9007199254740992"],
    ["tiny values keep 15 digits", 1e-7 + 1e-23, 1e-7, "1e-7"],
    ["minus zero", -0, 0, "0"],
  ])("%s: %p → %p", (_, value, expected, text) => {
    expect(excelNumber(value)).toBe(expected);
    expect(String(excelNumber(value))).toBe(text);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])("%p is left for the readers to report", (value) => {
    expect(excelNumber(value)).toBe(value);
  });

  it("then converts to exact minor units", () => {
    expect(toMinor(excelNumber(0.1 + 0.2), 2)).toBe(30n);
    expect(toMinor(excelNumber(33333.33000000001), 2)).toBe(3333333n);
    expect(toMinor(excelNumber(1000.0000000000001), 0)).toBe(1000n);
  });
});

describe("toMinor: reports instead of rounding", () => {
  it.each<[number | string, number, string, number, string]>([
    [0.1 + 0.2, 2, "0.30000000000000004", 17, "0.30000000000000004 has 17 decimal places; at most 2 allowed"],
    [1e-7, 2, "0.0000001", 7, "0.0000001 has 7 decimal places; at most 2 allowed"],
    [1.005, 2, "1.005", 3, "1.005 has 3 decimal places; at most 2 allowed"],
    [0.5, 0, "0.5", 1, "0.5 has 1 decimal place; at most 0 allowed"],
    ["12.345", 2, "12.345", 3, "12.345 has 3 decimal places; at most 2 allowed"],
    [1.2345, 3, "1.2345", 4, "1.2345 has 4 decimal places; at most 3 allowed"],
  ])("%p at scale %i → MoneyPrecisionError(%s, %i decimals)", (value, scale, text, decimals, message) => {
    const e = thrown(() => toMinor(value, scale));
    expect(e).toBeInstanceOf(MoneyPrecisionError);
    expect(e).toMatchObject({ name: "MoneyPrecisionError", value: text, scale, decimals, message });
  });

  it.each<[number | string, string, number]>([
    [1e16, "10000000000000000", 17],
    // eslint-disable-next-line no-loss-of-precision -- the point: a value a cell cannot hold exactly
    [9007199254740993, "9007199254740992", 16], // the literal itself is already rounded by JS; the digit count catches it
    [9007199254740992, "9007199254740992", 16],
    [1e15, "1000000000000000", 16],
    [1.5e21, "1500000000000000000000", 22],
    [12345678901234.56, "12345678901234.56", 16],
    ["1234567890123456", "1234567890123456", 16],
    ["-1234567890123.456", "-1234567890123.456", 16],
  ])("%p → MoneyRangeError(%s, %i digits)", (value, text, digits) => {
    const e = thrown(() => toMinor(value, 3));
    expect(e).toBeInstanceOf(MoneyRangeError);
    expect(e).toMatchObject({ name: "MoneyRangeError", value: text, significantDigits: digits, maxDigits: 15 });
    expect((e as Error).message).toBe(`${text} has ${digits} significant digits; at most 15 are held exactly`);
  });

  it.each<[unknown]>([
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
    ["abc"],
    [""],
    ["1,234.50"],
    ["1e"],
    ["."],
    ["--1"],
  ])("%p → MoneyFormatError", (value) => {
    const e = thrown(() => toMinor(value as number | string, 2));
    expect(e).toBeInstanceOf(MoneyFormatError);
    expect((e as MoneyFormatError).name).toBe("MoneyFormatError");
    expect((e as MoneyFormatError).value).toBe(value);
  });

  it("refuses a scale that is not a whole number from 0 to 20", () => {
    expect(() => toMinor(1, -1)).toThrow(RangeError);
    expect(() => toMinor(1, 1.5)).toThrow("scale 1.5 is not a whole number from 0 to 20");
  });
});

describe("decimal helpers", () => {
  it.each<[number | string, string, number, number]>([
    [1e-7, "0.0000001", 7, 1],
    [1.5e21, "1500000000000000000000", 0, 22],
    ["1234.50", "1234.5", 1, 5],
    [-0.25, "-0.25", 2, 2],
    [100, "100", 0, 3],
    [0, "0", 0, 0],
  ])("%p → plain %s, %i decimals, %i significant digits", (value, plain, decimals, digits) => {
    expect(toPlainDecimal(value)).toBe(plain);
    expect(decimalPlacesOf(value)).toBe(decimals);
    expect(significantDigitsIn(value)).toBe(digits);
  });

  it.each([
    ["12", true],
    ["-0.01", true],
    ["1e-7", true],
    [" 3.5 ", true],
    ["abc", false],
    ["1,000", false],
    ["", false],
    ["12a", false],
  ])("isNumericText(%p) → %p", (text, expected) => {
    expect(isNumericText(text)).toBe(expected);
  });

  it.each([
    ["1", "1"],
    ["1234", "1,234"],
    ["1234567", "1,234,567"],
    ["1000000000000000000", "1,000,000,000,000,000,000"],
  ])("groupDigits(%s) → %s", (digits, expected) => {
    expect(groupDigits(digits)).toBe(expected);
  });
});

describe("formatMinor / formatMinorGrouped / fromMinor", () => {
  it.each<[bigint, number, string, string, number]>([
    [123456n, 2, "1234.56", "1,234.56", 1234.56],
    [-123456n, 2, "-1234.56", "-1,234.56", -1234.56],
    [1n, 2, "0.01", "0.01", 0.01],
    [-1n, 2, "-0.01", "-0.01", -0.01],
    [0n, 2, "0.00", "0.00", 0],
    [1500n, 0, "1500", "1,500", 1500],
    [1234n, 3, "1.234", "1.234", 1.234],
    [10000000n, 2, "100000.00", "100,000.00", 100000],
    [123456789012345n, 2, "1234567890123.45", "1,234,567,890,123.45", 1234567890123.45],
  ])("%p at scale %i → %s / %s / %p", (minor, scale, plain, grouped, number) => {
    expect(formatMinor(minor, scale)).toBe(plain);
    expect(formatMinorGrouped(minor, scale)).toBe(grouped);
    expect(fromMinor(minor, scale)).toBe(number);
  });

  it("appends the currency when given", () => {
    expect(formatMinor(123456n, 2, "USD")).toBe("1234.56 USD");
    expect(formatMinorGrouped(-123456n, 2, "USD")).toBe("-1,234.56 USD");
  });
});

describe("sumMinor", () => {
  it("adds 0.1 and 0.2 to exactly 0.3", () => {
    expect(sumMinor([toMinor(0.1, 2), toMinor(0.2, 2)])).toBe(toMinor(0.3, 2));
  });
  it("is 0 for no values and keeps signs", () => {
    expect(sumMinor([])).toBe(0n);
    expect(sumMinor([500n, -200n, -300n])).toBe(0n);
  });
});

describe("splitEvenly (remainder to the first lines)", () => {
  it.each<[bigint, number, bigint[]]>([
    [100n, 3, [34n, 33n, 33n]],
    [101n, 3, [34n, 34n, 33n]],
    [-100n, 3, [-34n, -33n, -33n]],
    [99n, 3, [33n, 33n, 33n]],
    [1n, 4, [1n, 0n, 0n, 0n]],
    [0n, 2, [0n, 0n]],
    [10000000n, 1, [10000000n]],
  ])("%p into %i → %p", (total, n, expected) => {
    const parts = splitEvenly(total, n);
    expect(parts).toEqual(expected);
    expect(sumMinor(parts)).toBe(total);
  });

  it.each([[0], [-1], [1.5]])("refuses %p parts", (n) => {
    expect(() => splitEvenly(100n, n)).toThrow(`cannot split into ${n} parts; need a whole number of at least 1`);
  });
});

describe("roundHalfEvenToScale", () => {
  it.each<[number, number, bigint]>([
    [0.125, 2, 12n],
    [0.135, 2, 14n],
    [0.145, 2, 14n],
    [-0.125, 2, -12n],
    [-0.135, 2, -14n],
    [2.5, 0, 2n],
    [3.5, 0, 4n],
    [0.126, 2, 13n],
    [0.124, 2, 12n],
    [33333.333333333336, 2, 3333333n],
    [0.1 + 0.2, 2, 30n],
    [1234.5, 2, 123450n],
    [1e21, 2, 100000000000000000000000n],
    [0.004, 2, 0n],
    [0.005, 2, 0n],
    [0.0051, 2, 1n],
    [5e-324, 2, 0n],
    [0, 2, 0n],
  ])("%p at scale %i → %p", (value, scale, expected) => {
    expect(roundHalfEvenToScale(value, scale)).toBe(expected);
  });
});

describe("balanceBundle", () => {
  it.each<[string, bigint[], bigint, number | undefined, bigint[]]>([
    ["a missing cent goes to the largest line", [3333n, 3333n, 3333n + 1n], 10000n, undefined, [3333n, 3333n, 3334n]],
    ["ties pick the first largest line", [3333n, 3333n, 3333n], 10000n, undefined, [3334n, 3333n, 3333n]],
    ["a surplus is taken off", [5001n, 5000n], 10000n, undefined, [5000n, 5000n]],
    ["largest by absolute value, credit line included", [1000n, -2000n, 500n], 0n, undefined, [1000n, -1500n, 500n]],
    ["the chosen target line", [3333n, 3333n, 3333n], 10000n, 2, [3333n, 3333n, 3334n]],
    ["already balanced stays the same", [6000n, 4000n], 10000n, undefined, [6000n, 4000n]],
    ["a single line takes the whole total", [0n], 12345n, undefined, [12345n]],
  ])("%s", (_, lines, total, target, expected) => {
    const before = [...lines];
    const result = balanceBundle(lines, total, target);
    expect(result).toEqual(expected);
    expect(sumMinor(result)).toBe(total);
    expect(lines).toEqual(before);
  });

  it("refuses an empty bundle and a target outside the lines", () => {
    expect(() => balanceBundle([], 100n)).toThrow("a bundle with no lines cannot be balanced");
    expect(() => balanceBundle([1n, 2n], 3n, 2)).toThrow("line index 2 is outside the bundle's 2 lines");
    expect(() => balanceBundle([1n, 2n], 3n, -1)).toThrow(RangeError);
  });
});
