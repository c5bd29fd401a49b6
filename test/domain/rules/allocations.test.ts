import { formatIssue } from "../../../src/domain/issues";
import { checkBundleDraft, PRODUCT_ID_ALLOWED, type BundleDraft, type BundleDraftLine } from "../../../src/domain/rules/allocations";

const ref = { kind: "bundle", contractId: 3, itemType: "usage", itemId: 12 } as const;
const draft = (currency: string, totalAmount: number, lines: BundleDraftLine[]): BundleDraft => ({ ref, currency, totalAmount, lines });
const line = (product: unknown, amount: unknown): BundleDraftLine => ({ product, amount });

describe("checkBundleDraft: sums in exact minor units", () => {
  it.each<[string, BundleDraft, bigint, bigint, bigint, number, string]>([
    [
      "0.1 + 0.2 against 0.3 balances",
      draft("USD", 0.3, [line(1, 0.1), line(2, 0.2)]),
      30n,
      30n,
      0n,
      2,
      "Sums to 0.30 of 0.30 USD: balanced",
    ],
    // A cell computed by =0.1+0.2 holds 0.30000000000000004; Excel shows (and means) 0.30.
    [
      "a formula's 0.1+0.2 in one cell reads as 0.30",
      draft("USD", 0.3, [line(1, 0.1 + 0.2)]),
      30n,
      30n,
      0n,
      2,
      "Sums to 0.30 of 0.30 USD: balanced",
    ],
    [
      "13-digit amounts with cents",
      draft("USD", 1234567890123.45, [line(1, 1234567890000), line(2, 123.45)]),
      123456789012345n,
      123456789012345n,
      0n,
      2,
      "Sums to 1,234,567,890,123.45 of 1,234,567,890,123.45 USD: balanced",
    ],
    [
      "negative credit lines",
      draft("USD", 1000, [line(1, 1200), line(2, -200.5), line(3, 0.5)]),
      100000n,
      100000n,
      0n,
      2,
      "Sums to 1,000.00 of 1,000.00 USD: balanced",
    ],
    [
      "JPY has no decimals",
      draft("JPY", 10000, [line(1, 3333), line(2, 6667)]),
      10000n,
      10000n,
      0n,
      0,
      "Sums to 10,000 of 10,000 JPY: balanced",
    ],
    [
      "KWD has 3 decimals",
      draft("KWD", 1.5, [line(1, 1.234), line(2, 0.266)]),
      1500n,
      1500n,
      0n,
      3,
      "Sums to 1.500 of 1.500 KWD: balanced",
    ],
    [
      "cell text amounts",
      draft("USD", 100, [line("1", "40.10"), line(2, " 59.9 ")]),
      10000n,
      10000n,
      0n,
      2,
      "Sums to 100.00 of 100.00 USD: balanced",
    ],
    [
      "one cent short",
      draft("USD", 100000, [line(1, 50000), line(2, 49999.99)]),
      9999999n,
      10000000n,
      -1n,
      2,
      "Sums to 99,999.99 of 100,000.00 USD: 0.01 short",
    ],
    [
      "one cent over",
      draft("USD", 100000, [line(1, 50000), line(2, 50000.01)]),
      10000001n,
      10000000n,
      1n,
      2,
      "Sums to 100,000.01 of 100,000.00 USD: 0.01 over",
    ],
  ])("%s", (_, d, sum, total, difference, scale, summary) => {
    const check = checkBundleDraft(d);
    expect(check).toMatchObject({ sumMinor: sum, totalMinor: total, differenceMinor: difference, scale, summary });
    expect(check.issues.length).toBe(difference === 0n ? 0 : 1);
  });

  it.each<[string, BundleDraft, string]>([
    [
      "over",
      draft("USD", 100000, [line(1, 50000), line(2, 50000.01)]),
      "Bundle on usage 12 of contract 3, lines: The lines sum to 100,000.01 USD, 0.01 over the bundle total 100,000.00 USD; allowed: line amounts that add up to exactly the bundle total, 100,000.00 USD.",
    ],
    [
      "short",
      draft("USD", 100000, [line(1, 50000), line(2, 49999.99)]),
      "Bundle on usage 12 of contract 3, lines: The lines sum to 99,999.99 USD, 0.01 short of the bundle total 100,000.00 USD; allowed: line amounts that add up to exactly the bundle total, 100,000.00 USD.",
    ],
    [
      "JPY",
      draft("JPY", 10000, [line(1, 3333), line(2, 6666)]),
      "Bundle on usage 12 of contract 3, lines: The lines sum to 9,999 JPY, 1 short of the bundle total 10,000 JPY; allowed: line amounts that add up to exactly the bundle total, 10,000 JPY.",
    ],
  ])("a mismatch names the bundle, the sum and how far short of or over the total it is (%s)", (_, d, text) => {
    const check = checkBundleDraft(d);
    expect(check.issues.map(formatIssue)).toEqual([text]);
    expect(check.issues[0]).toMatchObject({ field: "lines", record: ref });
    expect(check.issues[0]?.line).toBeUndefined();
  });
});

describe("checkBundleDraft: the bundle sum message", () => {
  it.each<[string, BundleDraft, string]>([
    [
      "short",
      draft("USD", 100000, [line(1, 1000), line(2, 33333.33), line(3, 33333.34)]),
      "The lines sum to 67,666.67 USD, 32,333.33 short of the bundle total 100,000.00 USD.",
    ],
    ["over", draft("usd", 100, [line(1, 60), line(2, 40.5)]), "The lines sum to 100.50 USD, 0.50 over the bundle total 100.00 USD."],
    ["negative lines", draft("EUR", 0, [line(1, -5), line(2, 2)]), "The lines sum to -3.00 EUR, 3.00 short of the bundle total 0.00 EUR."],
    ["no currency", draft("", 10, [line(1, 12)]), "The lines sum to 12.00, 2.00 over the bundle total 10.00."],
  ])("says the sum and how far it is from the total, in the currency (%s)", (_, d, message) => {
    expect(checkBundleDraft(d).issues.map((i) => i.message)).toEqual([message]);
  });
});

describe("checkBundleDraft: line rules", () => {
  type Expect = { field: string; line: number; message: string; allowed: string; value: unknown };
  const AMOUNT_USD = "an amount in USD with at most 2 decimal places";
  const RANGE = "an amount greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000";
  it.each<[string, BundleDraftLine, Expect]>([
    [
      "product as text",
      line("Platform", 100),
      { field: "product", line: 0, message: '"Platform" is text, not a number', allowed: PRODUCT_ID_ALLOWED, value: "Platform" },
    ],
    [
      "product 1.5",
      line(1.5, 100),
      { field: "product", line: 0, message: "1.5 is not a whole number", allowed: PRODUCT_ID_ALLOWED, value: 1.5 },
    ],
    ["product empty", line("", 100), { field: "product", line: 0, message: "the cell is empty", allowed: PRODUCT_ID_ALLOWED, value: "" }],
    [
      "product null",
      line(null, 100),
      { field: "product", line: 0, message: "the cell is empty", allowed: PRODUCT_ID_ALLOWED, value: null },
    ],
    ["product 0", line(0, 100), { field: "product", line: 0, message: "0 is too small", allowed: PRODUCT_ID_ALLOWED, value: 0 }],
    [
      "product #REF!",
      line("#REF!", 100),
      { field: "product", line: 0, message: "the cell holds the error #REF!", allowed: PRODUCT_ID_ALLOWED, value: "#REF!" },
    ],
    [
      "amount text",
      line(1, "abc"),
      { field: "amount", line: 0, message: '"abc" is text, not a number', allowed: AMOUNT_USD, value: "abc" },
    ],
    ["amount empty", line(1, ""), { field: "amount", line: 0, message: "the cell is empty", allowed: AMOUNT_USD, value: "" }],
    [
      "amount #N/A",
      line(1, "#N/A"),
      { field: "amount", line: 0, message: "the cell holds the error #N/A", allowed: AMOUNT_USD, value: "#N/A" },
    ],
    [
      "amount NaN",
      line(1, Number.NaN),
      { field: "amount", line: 0, message: "NaN is not a finite number", allowed: AMOUNT_USD, value: Number.NaN },
    ],
    [
      "amount Infinity",
      line(1, Number.POSITIVE_INFINITY),
      { field: "amount", line: 0, message: "Infinity is not a finite number", allowed: AMOUNT_USD, value: Number.POSITIVE_INFINITY },
    ],
    [
      "amount 0.001",
      line(1, 0.001),
      { field: "amount", line: 0, message: "0.001 has 3 decimal places", allowed: AMOUNT_USD, value: 0.001 },
    ],
    [
      "amount 0.125",
      line(1, 0.125),
      { field: "amount", line: 0, message: "0.125 has 3 decimal places", allowed: AMOUNT_USD, value: 0.125 },
    ],
    ["amount 1e18", line(1, 1e18), { field: "amount", line: 0, message: "1000000000000000000 is too large", allowed: RANGE, value: 1e18 }],
    [
      "amount -1e18",
      line(1, -1e18),
      { field: "amount", line: 0, message: "-1000000000000000000 is too small", allowed: RANGE, value: -1e18 },
    ],
    [
      "amount 1e16 (inside the limit, beyond a cell's digits)",
      line(1, 1e16),
      {
        field: "amount",
        line: 0,
        message: "10000000000000000 has 17 significant digits, more than the 15 a cell holds exactly",
        allowed: "an amount with at most 15 significant digits, such as 1234567890123.45",
        value: 1e16,
      },
    ],
  ])("%s", (_, l, expected) => {
    const check = checkBundleDraft(draft("USD", 100, [l]));
    expect(check.issues).toEqual([{ record: ref, ...expected }]);
  });

  it("names both lines when a product appears twice", () => {
    const check = checkBundleDraft(draft("USD", 100, [line(4, 50), line(5, 25), line(4, 25)]));
    expect(check.issues).toEqual([
      {
        record: ref,
        field: "product",
        line: 2,
        message: "product 4 is on both line 1 and line 3",
        allowed: "each product at most once in a bundle (put its amounts on one line)",
        value: 4,
      },
    ]);
    expect(check.differenceMinor).toBe(0n);
  });

  it("does not sum while an amount is invalid", () => {
    const check = checkBundleDraft(draft("USD", 100, [line(1, "x"), line(2, 50), line(3, 0.001)]));
    expect(check.sumMinor).toBeNull();
    expect(check.differenceMinor).toBeNull();
    expect(check.summary).toBe("Cannot add up the lines: lines 1, 3 have no valid amount; the total is 100.00 USD");
    expect(check.issues.map((i) => [i.field, i.line])).toEqual([
      ["amount", 0],
      ["amount", 2],
    ]);
  });

  it("needs at least one line", () => {
    const check = checkBundleDraft(draft("USD", 100, []));
    expect(check.issues).toEqual([
      { record: ref, field: "lines", message: "the bundle has no lines", allowed: "at least one line with a product and an amount" },
    ]);
    expect(check.summary).toBe("No lines; the total is 100.00 USD");
  });

  it("reports a total that is not exact to the currency's minor unit", () => {
    const check = checkBundleDraft(draft("JPY", 100.5, [line(1, 100)]));
    expect(check.totalMinor).toBe(100n);
    expect(check.issues).toEqual([
      {
        record: ref,
        field: "total_amount",
        message: "the bundle total 100.5 has more decimal places than JPY allows",
        allowed: "a total with no decimal places and at most 15 significant digits (refresh the bundle from Campfire)",
        value: 100.5,
      },
    ]);
  });
});
