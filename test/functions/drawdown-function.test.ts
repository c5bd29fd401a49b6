/**
 * CAMPFIRE.DRAWDOWN's reading of its ranges. Given a range of commits it needs no Campfire at all: these run
 * with a session that is not even signed in. (The arithmetic itself: test/domain/drawdown.test.ts.)
 */
import "./custom-functions-stub";
import { isoDateToSerial } from "../../src/domain/cell-readers";
import { createCampfireFunctions } from "../../src/functions/campfire-functions";
import { FunctionsService } from "../../src/functions/functions-service";
import { excelError, loggedSession, memoryStore } from "./helpers";

const { session, requests } = loggedSession(memoryStore());
const fns = createCampfireFunctions(new FunctionsService(session));
const d = isoDateToSerial;

afterEach(() => {
  expect(requests).toEqual([]);
});

const HEADED = [
  ["id", "name", "currency", "total_value", "remaining_value", "discount_percentage", "start_date", "expiration_date", "priority"],
  [11, "Pool A", "USD", 1000, 600, 20, d("2026-01-01"), d("2026-03-31"), 1],
  [12, "Pool B", "USD", 500, 500, 10, d("2026-02-01"), "", 2],
];

test("the worked example of the help, from a hand-made range with a header, periods as dates", async () => {
  const usage = [
    [d("2025-12-01"), 100],
    [d("2026-01-01"), 500],
    [d("2026-02-01"), 1000],
    [d("2026-03-01"), 400],
    [d("2026-04-01"), 50],
  ];
  expect(await fns.drawdown(HEADED, usage)).toEqual([
    [d("2025-12-01"), 11, "Pool A", "not started", 0, 0, 0, 1000, 1000, 0],
    [d("2025-12-01"), 12, "Pool B", "not started", 0, 0, 0, 500, 500, 100],
    [d("2026-01-01"), 11, "Pool A", "active", 500, 100, 400, 1000, 600, 0],
    [d("2026-01-01"), 12, "Pool B", "not started", 0, 0, 0, 500, 500, 0],
    [d("2026-02-01"), 11, "Pool A", "active", 750, 150, 600, 600, 0, 0],
    [d("2026-02-01"), 12, "Pool B", "active", 250, 25, 225, 500, 275, 0],
    [d("2026-03-01"), 11, "Pool A", "active", 0, 0, 0, 0, 0, 0],
    [d("2026-03-01"), 12, "Pool B", "active", 305.56, 30.56, 275, 275, 0, 94.44],
    [d("2026-04-01"), 11, "Pool A", "expired", 0, 0, 0, 0, 0, 0],
    [d("2026-04-01"), 12, "Pool B", "active", 0, 0, 0, 0, 0, 50],
  ]);
});

test('"remaining" starts each pool at remaining_value; ISO text periods and a usage header are accepted', async () => {
  const rows = await fns.drawdown(
    HEADED,
    [
      ["Month", "Gross"],
      ["2026-02-01", 1000],
    ],
    "Remaining",
    true,
  );
  expect(rows).toEqual([
    ["period", "commit_id", "commit_name", "status", "gross", "discount", "net_drawn", "balance_before", "balance_after", "overage"],
    [d("2026-02-01"), 11, "Pool A", "active", 750, 150, 600, 600, 0, 0],
    [d("2026-02-01"), 12, "Pool B", "active", 250, 25, 225, 500, 275, 0],
  ]);
});

test("the PREPAIDCOMMITS layout without its header is read by position", async () => {
  // id, contract, entity, entity_name, product, product_name, name, description, currency, exchange_rate,
  // exchange_rate_book, total_value, remaining_value, discount_percentage, rate, start_date, expiration_date, status, priority, ...
  const row = [
    7,
    3,
    "",
    "",
    "",
    "",
    "Pool",
    "",
    "EUR",
    "",
    "",
    100,
    40,
    0,
    "",
    d("2026-01-01"),
    "",
    "ACTIVE",
    1,
    false,
    "",
    "",
    "monthly",
    false,
    "",
    "",
    "",
    "",
    0,
    0,
  ];
  expect(await fns.drawdown([row], [[d("2026-01-01"), 30]], "remaining")).toEqual([
    [d("2026-01-01"), 7, "Pool", "active", 30, 0, 30, 40, 10, 0],
  ]);
});

test("empty cells passed as 0 read as empty in date and text cells; priority 0 stays a real priority", async () => {
  // Excel desktop (and matrix arguments elsewhere) pass an empty cell of a range as 0.
  const H = HEADED[0]!;
  const rows = await fns.drawdown(
    [H, [1, "B", "USD", 100, 100, 0, d("2026-01-01"), "", 1], [2, 0, 0, 100, 100, 0, d("2026-01-01"), 0, 0]],
    [
      [d("2026-01-01"), 150],
      [d("2099-01-01"), 0],
    ],
  );
  expect(rows).toEqual([
    // priority 0 before priority 1 (read as the empty default 1, the lower id 1 would go first)
    [d("2026-01-01"), 2, "", "active", 100, 0, 100, 100, 0, 0],
    [d("2026-01-01"), 1, "B", "active", 50, 0, 50, 100, 50, 0],
    // no expiration: still active in 2099
    [d("2099-01-01"), 2, "", "active", 0, 0, 0, 0, 0, 0],
    [d("2099-01-01"), 1, "B", "active", 0, 0, 0, 50, 50, 0],
  ]);
});

test("a usage range may start with blank rows above its header", async () => {
  const usage = [
    [null, null],
    [0, 0],
    ["Month", "Gross"],
    [d("2026-01-01"), 5],
  ];
  expect(await fns.drawdown(HEADED, usage)).toEqual([
    [d("2026-01-01"), 11, "Pool A", "active", 5, 1, 4, 1000, 996, 0],
    [d("2026-01-01"), 12, "Pool B", "not started", 0, 0, 0, 500, 500, 0],
  ]);
});

test("a discount with six decimals, as Campfire allows, is exact: 33.333333% of 1,000,000.00 is 333,333.33", async () => {
  const rows = await fns.drawdown(
    [
      ["id", "start_date", "total_value", "discount_percentage"],
      [1, "2026-01-01", 1000000, 33.333333],
    ],
    [
      ["2026-01-01", 1000000],
      ["2026-02-01", 600000],
    ],
  );
  expect(rows).toEqual([
    [d("2026-01-01"), 1, "", "active", 1000000, 333333.33, 666666.67, 1000000, 333333.33, 0],
    // 333,333.33 ÷ 0.66666667 = 499,999.9925… → 499,999.99 of gross covered
    [d("2026-02-01"), 1, "", "active", 499999.99, 166666.66, 333333.33, 333333.33, 0, 100000.01],
  ]);
});

test('blank rows are skipped, whether Excel passes empty cells as 0, null or ""', async () => {
  const commits = [...HEADED, [0, 0, 0, 0, 0, 0, 0, 0, 0], [null, "", null, "", null, "", null, "", null]];
  const usage = [
    [d("2026-01-01"), 500],
    [0, 0],
    ["", ""],
    [null, null],
  ];
  expect(await fns.drawdown(commits, usage)).toHaveLength(2);
});

test("missing optional columns: priority 1, no discount, no expiration, USD cents", async () => {
  const rows = await fns.drawdown(
    [
      ["ID", "Start_Date", "Total_Value"],
      [2, "2026-01-01", 10.5],
      [1, "2026-01-01", 10.5],
    ],
    [["2026-01-01", 15.25]],
  );
  expect(rows).toEqual([
    [d("2026-01-01"), 1, "", "active", 10.5, 0, 10.5, 10.5, 0, 0],
    [d("2026-01-01"), 2, "", "active", 4.75, 0, 4.75, 10.5, 5.75, 0],
  ]);
});

test("an empty priority counts as 1: after priority 0, before priority 2", async () => {
  const rows = await fns.drawdown(
    [
      ["id", "start_date", "total_value", "priority"],
      [1, "2026-01-01", 10, 2],
      [2, "2026-01-01", 10, ""],
      [3, "2026-01-01", 10, 0],
    ],
    [["2026-01-01", 25]],
  );
  expect(rows.map((r) => [r[1], r[6], r[8]])).toEqual([
    [3, 10, 0],
    [2, 10, 0],
    [1, 5, 5],
  ]);
});

test("a JPY model works in whole yen", async () => {
  const rows = await fns.drawdown(
    [
      ["id", "currency", "start_date", "total_value", "discount_percentage"],
      [1, "JPY", "2026-04-01", 5000000, 5.5],
    ],
    [["2026-04-01", 1000001]],
  );
  // discount 55,000.055 → 55,000; net 945,001
  expect(rows).toEqual([[d("2026-04-01"), 1, "", "active", 1000001, 55000, 945001, 5000000, 4054999, 0]]);
});

describe("bad ranges are #VALUE! naming the row and cell", () => {
  test.each<[string, unknown, unknown, string]>([
    [
      "usage period not a date",
      HEADED,
      [
        [d("2026-01-01"), 1],
        ["March", 5],
      ],
      'usage row 2, period: "March" is not a date written as year-month-day. Use a date such as 2026-03-01.',
    ],
    ["negative usage", HEADED, [[d("2026-01-01"), -5]], "usage row 1, gross: -5 is too small. Use a number of at least 0."],
    ["one usage column", HEADED, [[d("2026-01-01")]], "usage must have two columns: period date and gross usage."],
    ["no usage", HEADED, [["", ""]], "usage: no periods. Give a range of period dates and gross usage."],
    [
      "commit start missing",
      [
        ["id", "start_date", "total_value"],
        [1, "", 5],
      ],
      [[d("2026-01-01"), 1]],
      "commits row 2, start_date: the cell is empty. Use a date such as 2026-03-01.",
    ],
    [
      "commit id not whole",
      [
        ["id", "start_date", "total_value"],
        [1.5, "2026-01-01", 5],
      ],
      [[d("2026-01-01"), 1]],
      "commits row 2, id: 1.5 is not a whole number. Use a whole number from 1 to 2,147,483,647.",
    ],
    [
      "discount above 100",
      [
        ["id", "start_date", "total_value", "discount_percentage"],
        [1, "2026-01-01", 5, 120],
      ],
      [[d("2026-01-01"), 1]],
      "commits row 2, discount_percentage: 120 is too large. Use a number from 0 to 100, or an empty cell.",
    ],
    [
      "no balance column",
      [
        ["id", "start_date"],
        [1, "2026-01-01"],
      ],
      [[d("2026-01-01"), 1]],
      'commits: no "total_value" column. Use the PREPAIDCOMMITS output or a range with that header.',
    ],
    [
      "not the PREPAIDCOMMITS layout",
      [[1, 2, 3]],
      [[d("2026-01-01"), 1]],
      "commits: not the PREPAIDCOMMITS layout. Give a contract id, or add a header row (id, start_date, total_value, ...).",
    ],
    ["text instead of a contract id", [["three"]], [[d("2026-01-01"), 1]], "commits must be a contract id or the PREPAIDCOMMITS range."],
    [
      "mixed currencies",
      [
        ["id", "currency", "start_date", "total_value"],
        [1, "USD", "2026-01-01", 5],
        [2, "EUR", "2026-01-01", 5],
      ],
      [[d("2026-01-01"), 1]],
      "commits mix currencies (USD, EUR). Model one currency at a time.",
    ],
    [
      "balance with too many decimals",
      [
        ["id", "currency", "start_date", "total_value"],
        [1, "JPY", "2026-01-01", 5.5],
      ],
      [[d("2026-01-01"), 1]],
      "Commit 1: the balance 5.5 has more than the 0 decimals JPY allows",
    ],
    ["only a header", [["id", "start_date", "total_value"]], [[d("2026-01-01"), 1]], "commits: no prepaid commits to draw from."],
    [
      "the same commit twice",
      [
        ["id", "start_date", "total_value"],
        [1, "2026-01-01", 100],
        [2, "2026-01-01", 5],
        [1, "2026-01-01", 100],
      ],
      [[d("2026-01-01"), 150]],
      "commits row 4: commit id 1 appears twice (rows 2 and 4).",
    ],
    [
      "a start date passed as 0 (an empty cell)",
      [
        ["id", "start_date", "total_value"],
        [1, 0, 5],
      ],
      [[d("2026-01-01"), 1]],
      "commits row 2, start_date: the cell is empty. Use a date such as 2026-03-01.",
    ],
  ])("%s", async (_case, commits, usage, message) => {
    expect(await excelError(fns.drawdown(commits, usage))).toEqual({ code: "#VALUE!", message });
  });
});
