import { drawdown, DrawdownInputError, orderForDrawing, type CommitTerms, type DrawdownRow } from "../../src/domain/drawdown";
import { divideHalfEven } from "../../src/domain/money";

function commit(over: Partial<CommitTerms> & Pick<CommitTerms, "id">): CommitTerms {
  return {
    name: `Commit ${over.id}`,
    priority: 1,
    startDate: "2026-01-01",
    expirationDate: null,
    opening: 1000,
    discountPercentage: 0,
    ...over,
  };
}

/** Rows as compact tuples in major units: [period, commit, status, gross, discount, net, before, after, overage]. */
function table(rows: DrawdownRow[], scale = 2) {
  const f = (minor: bigint) => Number(minor) / 10 ** scale;
  return rows.map((r) => [
    r.period,
    r.commitId,
    r.status,
    f(r.gross),
    f(r.discount),
    f(r.net),
    f(r.balanceBefore),
    f(r.balanceAfter),
    f(r.overage),
  ]);
}

describe("drawdown: the worked example in the function's help", () => {
  // C11: priority 1, 1,000.00 at 20% off, 2026-01-01..2026-03-31. C12: priority 2, 500.00 at 10% off, from 2026-02-01.
  const commits = [
    commit({ id: 12, priority: 2, startDate: "2026-02-01", opening: 500, discountPercentage: 10 }),
    commit({ id: 11, priority: 1, expirationDate: "2026-03-31", opening: 1000, discountPercentage: 20 }),
  ];
  const usage = [
    { period: "2025-12-01", gross: 100 },
    { period: "2026-01-01", gross: 500 },
    { period: "2026-02-01", gross: 1000 },
    { period: "2026-03-01", gross: 400 },
    { period: "2026-04-01", gross: 50 },
  ];
  const result = drawdown(commits, usage, "USD");

  test("commits are drawn lower priority first", () => {
    expect(result.commits.map((c) => c.id)).toEqual([11, 12]);
    expect(result.scale).toBe(2);
  });

  test("every period × commit, exact to the cent", () => {
    expect(table(result.rows)).toEqual([
      // before any commit starts: nothing drawn, all 100 is overage (on the period's last row)
      ["2025-12-01", 11, "not started", 0, 0, 0, 1000, 1000, 0],
      ["2025-12-01", 12, "not started", 0, 0, 0, 500, 500, 100],
      // 500 gross at 20% off: discount 100, net 400
      ["2026-01-01", 11, "active", 500, 100, 400, 1000, 600, 0],
      ["2026-01-01", 12, "not started", 0, 0, 0, 500, 500, 0],
      // C11 has 600 left: covers 600 / 0.8 = 750 gross; C12 covers the other 250 at 10% off
      ["2026-02-01", 11, "active", 750, 150, 600, 600, 0, 0],
      ["2026-02-01", 12, "active", 250, 25, 225, 500, 275, 0],
      // C11 exhausted; C12 covers 275 / 0.9 = 305.5555… → 305.56; 94.44 is overage at full rate
      ["2026-03-01", 11, "active", 0, 0, 0, 0, 0, 0],
      ["2026-03-01", 12, "active", 305.56, 30.56, 275, 275, 0, 94.44],
      // C11 expired, C12 exhausted: all overage
      ["2026-04-01", 11, "expired", 0, 0, 0, 0, 0, 0],
      ["2026-04-01", 12, "active", 0, 0, 0, 0, 0, 50],
    ]);
  });

  test("on every row gross = discount + net, and the period's gross = covered + overage", () => {
    for (const row of result.rows) {
      expect(row.gross).toBe(row.discount + row.net);
      expect(row.balanceAfter).toBe(row.balanceBefore - row.net);
    }
    for (const { period, gross } of usage) {
      const rows = result.rows.filter((r) => r.period === period);
      const covered = rows.reduce((sum, r) => sum + r.gross + r.overage, 0n);
      expect(covered).toBe(BigInt(Math.round(gross * 100)));
    }
  });
});

describe("drawdown: dates", () => {
  test("start and expiration dates are inclusive", () => {
    const c = commit({ id: 1, startDate: "2026-03-01", expirationDate: "2026-03-31", opening: 1000 });
    const { rows } = drawdown(
      [c],
      [
        { period: "2026-02-28", gross: 1 },
        { period: "2026-03-01", gross: 2 },
        { period: "2026-03-31", gross: 3 },
        { period: "2026-04-01", gross: 4 },
      ],
      "USD",
    );
    expect(rows.map((r) => [r.status, r.net, r.overage])).toEqual([
      ["not started", 0n, 100n],
      ["active", 200n, 0n],
      ["active", 300n, 0n],
      ["expired", 0n, 400n],
    ]);
  });

  test("periods are drawn in date order whatever the input order; equal dates keep their input order", () => {
    const c = commit({ id: 1, opening: 10 });
    const { rows } = drawdown(
      [c],
      [
        { period: "2026-03-01", gross: 4 },
        { period: "2026-01-01", gross: 5 },
        { period: "2026-02-01", gross: 3 },
        { period: "2026-01-01", gross: 1 },
      ],
      "USD",
    );
    expect(rows.map((r) => [r.period, Number(r.net) / 100, Number(r.balanceAfter) / 100, Number(r.overage) / 100])).toEqual([
      ["2026-01-01", 5, 5, 0],
      ["2026-01-01", 1, 4, 0],
      ["2026-02-01", 3, 1, 0],
      ["2026-03-01", 1, 0, 3],
    ]);
  });
});

describe("drawdown: drawing order", () => {
  test("equal priority: the earlier start date first, then the lower id", () => {
    const ordered = orderForDrawing([
      commit({ id: 30, priority: 5, startDate: "2026-01-01" }),
      commit({ id: 20, priority: 5, startDate: "2026-01-01" }),
      commit({ id: 10, priority: 5, startDate: "2026-02-01" }),
      commit({ id: 40, priority: -1, startDate: "2026-06-01" }),
    ]);
    expect(ordered.map((c) => c.id)).toEqual([40, 20, 30, 10]);
  });

  test("the tie-break decides which pool is drawn", () => {
    const { rows } = drawdown(
      [commit({ id: 8, opening: 100 }), commit({ id: 7, opening: 100 })],
      [{ period: "2026-01-01", gross: 150 }],
      "USD",
    );
    expect(rows.map((r) => [r.commitId, Number(r.net) / 100])).toEqual([
      [7, 100],
      [8, 50],
    ]);
  });
});

describe("drawdown: rounding", () => {
  test.each([
    // gross, discount%, expected discount (ties go to the even cent)
    [10.25, 10, 1.02],
    [10.35, 10, 1.04],
    [99.99, 12.5, 12.5],
    [1000, 12.3456, 123.46],
    [0.01, 50, 0],
    [0.03, 50, 0.02],
  ])("gross %p at %p%% off → discount %p", (gross, pct, expected) => {
    const { rows } = drawdown([commit({ id: 1, opening: 1e6, discountPercentage: pct })], [{ period: "2026-01-01", gross }], "USD");
    expect(Number(rows[0]!.discount) / 100).toBe(expected);
    expect(rows[0]!.gross).toBe(rows[0]!.discount + rows[0]!.net);
  });

  test("a discount with any number of decimals is exact: 33.333333% of 1,000,000.00 is 333,333.33", () => {
    // Campfire accepts any percentage from 0 to 100. 33.333333% = 33,333,333 / 100,000,000 of the gross, exactly;
    // 4 decimals (33.3333%) would have given 333,333.00.
    const { rows } = drawdown(
      [commit({ id: 1, opening: 1_000_000, discountPercentage: 33.333333 })],
      [
        { period: "2026-01-01", gross: 1_000_000 },
        // needs net 400,000.00 > 333,333.33 left: covers 333,333.33 ÷ 0.66666667 = 499,999.9925… → 499,999.99
        { period: "2026-02-01", gross: 600_000 },
      ],
      "USD",
    );
    expect(table(rows)).toEqual([
      ["2026-01-01", 1, "active", 1_000_000, 333_333.33, 666_666.67, 1_000_000, 333_333.33, 0],
      ["2026-02-01", 1, "active", 499_999.99, 166_666.66, 333_333.33, 333_333.33, 0, 100_000.01],
    ]);
  });

  test.each<[string, number | string, bigint]>([
    // gross 1,000.00 = 100,000 cents; discount in cents
    ["a tiny percentage in exponent notation", 1e-7, 0n],
    ["a percentage written as text", " 12.5 ", 12_500n],
    ["a binary-inexact number, read as its shortest text", 0.1 + 0.2, 300n],
    ["15 significant digits", 12.3456789012345, 12_346n],
  ])("%s: %p%% of 1,000.00 → %p cents", (_label, pct, cents) => {
    const { rows } = drawdown([commit({ id: 1, opening: 1e6, discountPercentage: pct })], [{ period: "2026-01-01", gross: 1000 }], "USD");
    expect(rows[0]!.discount).toBe(cents);
  });

  test("gross usage is rounded to the cent, ties to even", () => {
    const { rows } = drawdown(
      [commit({ id: 1, opening: 1000 })],
      [
        { period: "2026-01-01", gross: 10.005 },
        { period: "2026-02-01", gross: 10.015 },
        { period: "2026-03-01", gross: 0.1 + 0.2 },
      ],
      "USD",
    );
    expect(rows.map((r) => r.net)).toEqual([1000n, 1002n, 30n]);
  });

  test("a pool running out at 33.3333% off covers balance ÷ (1 − discount), to the cent", () => {
    // 100.00 / 0.666667 = 149.9999250… → 150.00 gross; discount = 150.00 − 100.00
    const { rows } = drawdown(
      [commit({ id: 1, opening: 100, discountPercentage: 33.3333 })],
      [{ period: "2026-01-01", gross: 1000 }],
      "USD",
    );
    expect(table(rows)).toEqual([["2026-01-01", 1, "active", 150, 50, 100, 100, 0, 850]]);
  });

  test("a currency without minor unit (JPY) works in whole yen", () => {
    const { rows, scale } = drawdown(
      [commit({ id: 1, opening: 1000, discountPercentage: 15 })],
      [{ period: "2026-01-01", gross: 2001 }],
      "JPY",
    );
    expect(scale).toBe(0);
    // net needed 2001 − 300 (300.15 → 300) = 1701 > 1000: covers 1000 / 0.85 = 1176.47 → 1176
    expect(table(rows, 0)).toEqual([["2026-01-01", 1, "active", 1176, 176, 1000, 1000, 0, 825]]);
  });

  test("a 100% discount covers everything and draws nothing", () => {
    const { rows } = drawdown([commit({ id: 1, opening: 5, discountPercentage: 100 })], [{ period: "2026-01-01", gross: 80 }], "USD");
    expect(table(rows)).toEqual([["2026-01-01", 1, "active", 80, 80, 0, 5, 5, 0]]);
  });

  test("15-digit amounts stay exact to the cent", () => {
    const { rows } = drawdown(
      [commit({ id: 1, opening: 9999999999999.99, discountPercentage: 0.0001 })],
      [{ period: "2026-01-01", gross: 9999999999999.98 }],
      "USD",
    );
    // discount = 999999999999998 cents × 1/1,000,000 = 999,999,999.999998 → 1,000,000,000 cents
    expect(rows[0]!.discount).toBe(1_000_000_000n);
    expect(rows[0]!.net).toBe(999_999_999_999_998n - 1_000_000_000n);
    expect(rows[0]!.balanceAfter).toBe(999_999_999_999_999n - rows[0]!.net);
  });
});

describe("drawdown: edge cases", () => {
  test("no usage or no commits gives no rows", () => {
    expect(drawdown([commit({ id: 1 })], [], "USD").rows).toEqual([]);
    expect(drawdown([], [{ period: "2026-01-01", gross: 5 }], "USD").rows).toEqual([]);
  });

  test("a commit with a balance of 0 or below draws nothing", () => {
    const { rows } = drawdown([commit({ id: 1, opening: -5 })], [{ period: "2026-01-01", gross: 10 }], "USD");
    expect(table(rows)).toEqual([["2026-01-01", 1, "active", 0, 0, 0, -5, -5, 10]]);
  });

  test("zero usage draws nothing", () => {
    const { rows } = drawdown([commit({ id: 1 })], [{ period: "2026-01-01", gross: 0 }], "USD");
    expect(rows[0]!.net).toBe(0n);
    expect(rows[0]!.overage).toBe(0n);
  });
});

describe("drawdown: bad input names the place", () => {
  test.each<[string, Partial<CommitTerms>, string]>([
    ["start date", { startDate: "01/02/2026" }, "Commit 9: start_date must be a date"],
    ["expiration", { expirationDate: "soon" }, "Commit 9: expiration_date must be a date or empty"],
    ["priority", { priority: 1.5 }, "Commit 9: priority must be a whole number"],
    ["balance decimals", { opening: 10.001 }, "Commit 9: the balance 10.001 has more than the 2 decimals USD allows"],
    ["balance digits", { opening: 1234567890123456 }, "Commit 9: the balance 1234567890123456 has more than 15 significant digits"],
    ["balance text", { opening: "ten" }, "Commit 9: the balance ten is not a number"],
    ["discount > 100", { discountPercentage: 100.01 }, "Commit 9: discount_percentage must be a number from 0 to 100"],
    ["discount just above 100", { discountPercentage: "100.0000001" }, "Commit 9: discount_percentage must be a number from 0 to 100"],
    ["discount < 0", { discountPercentage: -1 }, "Commit 9: discount_percentage must be a number from 0 to 100"],
    ["discount text", { discountPercentage: "a third" }, "Commit 9: discount_percentage must be a number from 0 to 100"],
  ])("commit %s", (_label, over, message) => {
    const run = () => drawdown([commit({ id: 9, ...over })], [{ period: "2026-01-01", gross: 1 }], "USD");
    expect(run).toThrow(DrawdownInputError);
    expect(run).toThrow(message);
  });

  test("the same commit twice (its balance would be drawn twice)", () => {
    const run = () => drawdown([commit({ id: 4 }), commit({ id: 5 }), commit({ id: 4 })], [{ period: "2026-01-01", gross: 1 }], "USD");
    expect(run).toThrow(DrawdownInputError);
    expect(run).toThrow("Commit 4 appears twice; list each commit once");
  });

  test.each([
    [{ period: "2026-1-1", gross: 1 }, "Usage row 2: the period must be a date"],
    [{ period: "2026-01-01", gross: -1 }, "Usage row 2: gross usage must be a number ≥ 0"],
    [{ period: "2026-01-01", gross: Number.NaN }, "Usage row 2: gross usage must be a number ≥ 0"],
  ])("usage %p", (row, message) => {
    expect(() => drawdown([commit({ id: 1 })], [{ period: "2026-01-01", gross: 1 }, row], "USD")).toThrow(message);
  });
});

describe("divideHalfEven", () => {
  test.each([
    [5n, 2n, 2n],
    [7n, 2n, 4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [10n, 5n, 2n],
    [0n, 7n, 0n],
  ])("%p ÷ %p = %p", (a, b, q) => {
    expect(divideHalfEven(a, b)).toBe(q);
  });
});
