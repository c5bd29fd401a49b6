import {
  currencyDecimals,
  decimalPlaces,
  divRoundHalfAway,
  formatUnits,
  parseDecimal,
  percentageOf,
  subtractExact,
  toMinorUnits,
} from "../../src/sandbox/money";

describe("parseDecimal", () => {
  test.each([
    ["0", 0n, 0],
    ["12.50", 125n, 1],
    ["-0.01", -1n, 2],
    ["1e21", 1000000000000000000000n, 0],
    ["1.5e-7", 15n, 8],
    ["-3.25E2", -325n, 0],
  ])("%s → %s × 10^-%s", (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
  });

  test.each(["", "abc", "1.", ".5", "1,5", "NaN", "Infinity"])("%j is not a decimal", (text) => {
    expect(parseDecimal(text)).toBeNull();
  });
});

describe("toMinorUnits", () => {
  test.each([
    [33333.33, 2, 3333333n],
    [0.1 + 0.2, 2, null], // 0.30000000000000004 carries 17 places
    [1000.01, 2, 100001n],
    [-2000, 2, -200000n],
    [12000000, 0, 12000000n],
    [1.5, 0, null],
    [1.234, 3, 1234n],
    [1.2345, 3, null],
    [1e-7, 2, null],
  ])("%s with %s places → %s", (value, decimals, expected) => {
    expect(toMinorUnits(value, decimals)).toBe(expected);
  });

  test("decimalPlaces counts the shortest round-trip text", () => {
    expect([decimalPlaces(10), decimalPlaces(10.5), decimalPlaces(0.125), decimalPlaces(1e-7)]).toEqual([0, 1, 3, 7]);
  });
});

describe("currencyDecimals", () => {
  test.each([
    ["USD", 2],
    ["eur", 2],
    ["GBP", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["KWD", 3],
    ["BHD", 3],
    ["CLF", 4],
    ["XYZ", 2],
  ])("%s has %s", (code, n) => expect(currencyDecimals(code)).toBe(n));
});

describe("formatting and rounding", () => {
  test.each([
    [100001n, 2, "1000.01"],
    [-1n, 2, "-0.01"],
    [5n, 3, "0.005"],
    [12000000n, 0, "12000000"],
    [0n, 2, "0.00"],
  ])("formatUnits(%s, %s) = %s", (units, scale, text) => expect(formatUnits(units, scale)).toBe(text));

  test.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [-4n, 3n, -1n],
    [7n, -2n, -4n],
  ])("divRoundHalfAway(%s, %s) = %s", (n, d, q) => expect(divRoundHalfAway(n, d)).toBe(q));

  test.each([
    [3333333n, 10000000n, "33.33"],
    [3333334n, 10000000n, "33.33"],
    [200000n, 4800000n, "4.17"],
    [-200000n, 4800000n, "-4.17"],
    [1n, 8n, "12.50"],
    [5n, 0n, "0.00"],
    [10000000n, 10000000n, "100.00"],
  ])("percentageOf(%s, %s) = %s", (a, t, pct) => expect(percentageOf(a, t)).toBe(pct));

  test.each([
    [120000, 45250.75, 74749.25],
    [0.3, 0.1, 0.2],
    [3000, 3150.25, -150.25],
  ])("subtractExact(%s, %s) = %s", (a, b, r) => expect(subtractExact(a, b)).toBe(r));
});
