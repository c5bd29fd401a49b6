import {
  CellDateError,
  EXCEL_ERROR_VALUES,
  cellError,
  describeRange,
  formatLimit,
  isoDateTimeToSerial,
  isoDateToSerial,
  parseIsoDate,
  readAmount,
  readBoolean,
  readDate,
  readEnum,
  readInteger,
  readNumber,
  readText,
  serialToIsoDate,
  type CellResult,
  type CellValue,
  type NumberOptions,
  type TextOptions,
} from "../../src/domain/cell-readers";

const AMOUNT_2 = "an amount with at most 2 decimal places";
const INT_ANY = "a whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991";

describe("every Excel error value is reported by every reader", () => {
  const ERRORS = ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA", "#BUSY!"];
  it("knows at least the errors Excel's values API reports", () => {
    for (const e of ERRORS) expect(EXCEL_ERROR_VALUES).toContain(e);
  });

  const readers: [string, (c: CellValue) => { ok: boolean; message?: string }][] = [
    ["readAmount", (c) => readAmount(c, 2)],
    ["readInteger", (c) => readInteger(c, { nullable: true })],
    ["readNumber", (c) => readNumber(c, { nullable: true })],
    ["readDate", (c) => readDate(c, { nullable: true })],
    ["readText", (c) => readText(c, { nullable: true })],
    ["readBoolean", (c) => readBoolean(c, { nullable: true })],
    ["readEnum", (c) => readEnum(c, ["a", "b"], { nullable: true })],
  ];
  const cases = readers.flatMap(([name, read]) => ERRORS.map((err) => [name, err, read] as const));
  it.each(cases)("%s(%p)", (_, err, read) => {
    expect(read(err)).toMatchObject({ ok: false, message: `the cell holds the error ${err}` });
    expect(cellError(err)).toBe(err);
  });

  it("does not take ordinary text for an error", () => {
    expect(cellError("#1 deal")).toBeNull();
    expect(cellError("N/A")).toBeNull();
    expect(cellError(0)).toBeNull();
  });
});

describe("readAmount", () => {
  it.each<[CellValue, number, number, bigint]>([
    [1234.56, 2, 1234.56, 123456n],
    ["1234.50", 2, 1234.5, 123450n],
    [" -0.01 ", 2, -0.01, -1n],
    [1234567890123.45, 2, 1234567890123.45, 123456789012345n],
    [-250, 2, -250, -25000n],
    [1500, 0, 1500, 1500n],
    [1.234, 3, 1.234, 1234n],
    ["1e3", 2, 1000, 100000n],
  ])("%p at scale %i → %p (%p minor)", (cell, scale, value, minor) => {
    expect(readAmount(cell, scale)).toEqual({ ok: true, value, minor });
  });

  it.each<[CellValue, number, string, string]>([
    ["abc", 2, '"abc" is text, not a number', AMOUNT_2],
    ["1,234.50", 2, '"1,234.50" is text, not a number', AMOUNT_2],
    ["", 2, "the cell is empty", AMOUNT_2],
    ["   ", 2, "the cell is empty", AMOUNT_2],
    [true, 2, "TRUE is a true/false value, not a number", AMOUNT_2],
    ["0.30000000000000004", 2, "0.30000000000000004 has 17 decimal places", AMOUNT_2], // typed as text: taken as typed
    [0.001, 2, "0.001 has 3 decimal places", AMOUNT_2],
    [1.5, 0, "1.5 has 1 decimal place", "a whole amount, with no decimal places"],
    [1.2345, 3, "1.2345 has 4 decimal places", "an amount with at most 3 decimal places"],
    [
      1e16,
      2,
      "10000000000000000 has 17 significant digits, more than the 15 a cell holds exactly",
      "an amount with at most 15 significant digits, such as 1234567890123.45",
    ],
    [
      // eslint-disable-next-line no-loss-of-precision -- the point: a value a cell cannot hold exactly
      9007199254740993,
      0,
      "9007199254740992 has 16 significant digits, more than the 15 a cell holds exactly",
      "an amount with at most 15 significant digits, such as 1234567890123.45",
    ],
    [Number.NaN, 2, "NaN is not a finite number", AMOUNT_2],
  ])("%p at scale %i → %s", (cell, scale, message, allowed) => {
    expect(readAmount(cell, scale)).toEqual({ ok: false, message, allowed });
  });

  it("names the currency in what is allowed", () => {
    expect(readAmount("x", 2, { currency: "USD" })).toEqual({
      ok: false,
      message: '"x" is text, not a number',
      allowed: "an amount in USD with at most 2 decimal places",
    });
    expect(readAmount(1.5, 0, { currency: "JPY" })).toMatchObject({ allowed: "a whole amount in JPY, with no decimal places" });
  });

  const RANGE = "an amount greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000";
  it.each<[CellValue, string]>([
    [1e18, "1000000000000000000 is too large"],
    [-1e18, "-1000000000000000000 is too small"],
    ["1e18", "1000000000000000000 is too large"],
    [1.5e21, "1500000000000000000000 is too large"],
  ])("the exclusive limit refuses %p", (cell, message) => {
    expect(readAmount(cell, 2, { limit: 1e18 })).toEqual({ ok: false, message, allowed: RANGE });
  });

  it("inside the limit, digits beyond what a cell holds are still reported", () => {
    expect(readAmount(999999999999999900, 2, { limit: 1e18 })).toMatchObject({
      ok: false,
      message: "999999999999999900 has 18 significant digits, more than the 15 a cell holds exactly",
    });
  });

  it("reads a blank as null when nullable", () => {
    expect(readAmount("", 2, { nullable: true })).toEqual({ ok: true, value: null, minor: null });
    expect(readAmount("#N/A", 2, { nullable: true })).toMatchObject({ ok: false });
  });
});

describe("number cells are read as Excel shows them (15 significant digits below 1e15)", () => {
  const JPY = "a whole amount in JPY, with no decimal places";
  const USD = "an amount in USD with at most 2 decimal places";
  const DIGITS = "an amount with at most 15 significant digits, such as 1234567890123.45";
  const currencyOf = (scale: number) => (scale === 0 ? "JPY" : "USD");

  it.each<[string, CellValue, number, number, bigint]>([
    ["=0.1+0.2", 0.1 + 0.2, 2, 0.3, 30n],
    ["=-(0.1+0.2)", -(0.1 + 0.2), 2, -0.3, -30n],
    // The double range.values gives for =100000-33333.33-33333.34 (JS evaluates it to 33333.33 exactly).
    ["=100000-33333.33-33333.34 as Excel hands it over", 33333.33000000001, 2, 33333.33, 3333333n],
    ["100000-33333.33-33333.34 in JS", 100000 - 33333.33 - 33333.34, 2, 33333.33, 3333333n],
    ["=33333.33+1E-11", 33333.33 + 1e-11, 2, 33333.33, 3333333n],
    ["13 digits and cents, exact", 1234567890123.45, 2, 1234567890123.45, 123456789012345n],
    ["JPY with float noise", 1000.0000000000001, 0, 1000, 1000n],
    ["=0.1*3 in KWD", 0.1 * 3, 3, 0.3, 300n],
    // 16 digits below 1e15: Excel shows 12345678901234.60, so that is the amount.
    ["16 digits below 1e15", 12345678901234.56, 2, 12345678901234.6, 1234567890123460n],
    ["minus zero", -0, 2, 0, 0n],
  ])("%s: %p at scale %i → %p (%p minor)", (_, cell, scale, value, minor) => {
    expect(readAmount(cell, scale, { limit: 1e18, currency: currencyOf(scale) })).toEqual({ ok: true, value, minor });
  });

  it.each<[string, CellValue, number, string, string]>([
    ["more decimals than USD allows", 0.125, 2, "0.125 has 3 decimal places", USD],
    ["a third cent, with float noise", 100000 / 3 - 0.0003333333333, 2, "33333.333 has 3 decimal places", USD],
    ["a third cent, exact", 33333.333, 2, "33333.333 has 3 decimal places", USD],
    ["half a yen", 1000.5, 0, "1000.5 has 1 decimal place", JPY],
    ["text is taken as typed", "0.30000000000000004", 2, "0.30000000000000004 has 17 decimal places", USD],
    ["text is taken as typed", "1000.0000000000001", 0, "1000.0000000000001 has 13 decimal places", JPY],
    // At 1e15 and above rounding would change whole units or halves, so those digits are reported, never dropped.
    [
      "1e15 + 0.5 keeps its half",
      1e15 + 0.5,
      2,
      "1000000000000000.5 has 17 significant digits, more than the 15 a cell holds exactly",
      DIGITS,
    ],
    // eslint-disable-next-line no-loss-of-precision -- the point: a value a cell cannot hold exactly
    ["2^53 + 1", 9007199254740993, 0, "9007199254740992 has 16 significant digits, more than the 15 a cell holds exactly", DIGITS],
    [
      "just below 1e15 reads as 1e15",
      999999999999999.9,
      2,
      "1000000000000000 has 16 significant digits, more than the 15 a cell holds exactly",
      DIGITS,
    ],
  ])("%s: %p at scale %i → %s", (_, cell, scale, message, allowed) => {
    expect(readAmount(cell, scale, { limit: 1e18, currency: currencyOf(scale) })).toEqual({ ok: false, message, allowed });
  });

  it("with exact (a value sent to Campfire as JSON) the digits are checked as they are", () => {
    expect(readAmount(0.1 + 0.2, 2, { exact: true })).toEqual({
      ok: false,
      message: "0.30000000000000004 has 17 decimal places",
      allowed: AMOUNT_2,
    });
    expect(readAmount(33333.33000000001, 2, { exact: true })).toMatchObject({
      ok: false,
      message: "33333.33000000001 has 11 decimal places",
    });
    expect(readNumber(0.1 + 0.2, { exact: true })).toEqual({ ok: true, value: 0.30000000000000004 });
    expect(readInteger(1.15 * 100, { exact: true })).toMatchObject({ ok: false, message: "114.99999999999999 is not a whole number" });
  });

  it.each<[string, CellValue, NumberOptions, number]>([
    ["=0.1+0.2", 0.1 + 0.2, {}, 0.3],
    ["=1-0.9", 1 - 0.9, {}, 0.1],
    ["=4.35*100", 4.35 * 100, {}, 435],
    // Noise just above an inclusive maximum is not "too large": the cell shows 100.
    ["=0.1*3*1000 with max 300", 0.1 * 3 * 1000, { min: 0, max: 300 }, 300],
    ["rate with 15 significant digits", 1.23456789012345, {}, 1.23456789012345],
    ["16 digits below 1e15", 12345678901234.56, {}, 12345678901234.6],
    ["1e15 + 0.5 is left alone", 1e15 + 0.5, {}, 1e15 + 0.5],
  ])("readNumber %s: %p → %p", (_, cell, opts, value) => {
    expect(readNumber(cell, opts)).toEqual({ ok: true, value });
  });

  it("readNumber takes text as typed", () => {
    expect(readNumber("0.30000000000000004")).toEqual({ ok: true, value: 0.30000000000000004 });
  });

  it.each<[string, CellValue, number]>([
    ["=1.15*100", 1.15 * 100, 115],
    ["=-(0.7+0.1)*10", -(0.7 + 0.1) * 10, -8],
    ["=1.1*1.1*100", 1.1 * 1.1 * 100, 121],
  ])("readInteger %s: %p → %p", (_, cell, value) => {
    expect(readInteger(cell)).toEqual({ ok: true, value });
  });

  it("dates, text and choices see the number Excel shows", () => {
    // Date arithmetic with fractions (=start+0.1*n) can leave binary noise on a whole day.
    expect(readDate(46082 + 1e-11)).toEqual({ ok: true, value: "2026-03-01" });
    expect(readDate(46082.5)).toMatchObject({ ok: false, message: "46082.5 is a date with a time of day" });
    expect(readText(0.1 + 0.2)).toEqual({ ok: true, value: "0.3" });
    expect(readEnum((0.1 + 0.7) * 10, ["8", "9"])).toEqual({ ok: true, value: "8" });
  });
});

describe("readInteger", () => {
  const INT32 = "a whole number from -2,147,483,648 to 2,147,483,647";
  const int32 = { min: -2147483648, max: 2147483647 };
  it.each<[CellValue, number]>([
    [12, 12],
    ["12", 12],
    [" 7 ", 7],
    [12.0, 12],
    [2147483647, 2147483647],
    [-2147483648, -2147483648],
    [0, 0],
  ])("%p → %p", (cell, value) => {
    expect(readInteger(cell, int32)).toEqual({ ok: true, value });
  });

  it.each<[CellValue, string]>([
    [1.5, "1.5 is not a whole number"],
    [2147483648, "2147483648 is too large"],
    [-2147483649, "-2147483649 is too small"],
    ["abc", '"abc" is text, not a number'],
    ["", "the cell is empty"],
    [false, "FALSE is a true/false value, not a number"],
  ])("%p → %s", (cell, message) => {
    expect(readInteger(cell, int32)).toEqual({ ok: false, message, allowed: INT32 });
  });

  it("defaults to the exactly representable whole numbers and allows blanks when nullable", () => {
    expect(readInteger(2 ** 53)).toEqual({ ok: false, message: "9007199254740992 is too large", allowed: INT_ANY });
    expect(readInteger("", { nullable: true })).toEqual({ ok: true, value: null });
    expect(readInteger(1.5, { nullable: true, min: 1, max: 10 })).toEqual({
      ok: false,
      message: "1.5 is not a whole number",
      allowed: "a whole number from 1 to 10, or an empty cell",
    });
  });
});

describe("readNumber", () => {
  const pct = { min: 0, max: 100 };
  const rate = { min: 0, max: 1e14, maxExclusive: true, nullable: true };
  const fx = { min: -1e14, max: 1e14, minExclusive: true, maxExclusive: true, nullable: true };
  it.each<[string, CellValue, NumberOptions, CellResult<number | null>]>([
    ["0 is inside 0..100", 0, pct, { ok: true, value: 0 }],
    ["100 is inside 0..100", 100, pct, { ok: true, value: 100 }],
    ["text 20.5", "20.5", pct, { ok: true, value: 20.5 }],
    ["100.0001", 100.0001, pct, { ok: false, message: "100.0001 is too large", allowed: "a number from 0 to 100" }],
    ["-0.0001", -0.0001, pct, { ok: false, message: "-0.0001 is too small", allowed: "a number from 0 to 100" }],
    ["blank 0..100", "", pct, { ok: false, message: "the cell is empty", allowed: "a number from 0 to 100" }],
    ["rate 0", 0, rate, { ok: true, value: 0 }],
    ["rate 99999999999999.9", 99999999999999.9, rate, { ok: true, value: 99999999999999.9 }],
    [
      "rate 1e14",
      1e14,
      rate,
      {
        ok: false,
        message: "100000000000000 is too large",
        allowed: "a number from 0 up to but not including 100,000,000,000,000, or an empty cell",
      },
    ],
    ["rate blank", "", rate, { ok: true, value: null }],
    [
      "fx -1e14",
      -1e14,
      fx,
      {
        ok: false,
        message: "-100000000000000 is too small",
        allowed: "a number greater than -100,000,000,000,000 and less than 100,000,000,000,000, or an empty cell",
      },
    ],
    ["fx -99999999999999", -99999999999999, fx, { ok: true, value: -99999999999999 }],
  ])("%s", (_, cell, opts, expected) => {
    expect(readNumber(cell, opts)).toEqual(expected);
  });

  it("says 'a number' without limits", () => {
    expect(readNumber("x")).toEqual({ ok: false, message: '"x" is text, not a number', allowed: "a number" });
  });
});

describe("wording helpers", () => {
  it.each<[number, string]>([
    [1e14, "100,000,000,000,000"],
    [-1e18, "-1,000,000,000,000,000,000"],
    [0.5, "0.5"],
    [1234.5, "1,234.5"],
    [0, "0"],
  ])("formatLimit(%p) → %s", (n, text) => {
    expect(formatLimit(n)).toBe(text);
  });

  it.each<[object, string]>([
    [{ min: 0, max: 100 }, "a number from 0 to 100"],
    [{ min: 0, max: 10, maxExclusive: true }, "a number from 0 up to but not including 10"],
    [{ min: 0, max: 10, minExclusive: true }, "a number greater than 0 and at most 10"],
    [{ min: 0, max: 10, minExclusive: true, maxExclusive: true }, "a number greater than 0 and less than 10"],
    [{ min: 0 }, "a number of at least 0"],
    [{ min: 0, minExclusive: true }, "a number greater than 0"],
    [{ max: 5 }, "a number of at most 5"],
    [{ max: 5, maxExclusive: true }, "a number less than 5"],
    [{}, "a number"],
  ])("describeRange(%p)", (range, text) => {
    expect(describeRange("a number", range)).toBe(text);
  });
});

describe("dates: Excel serials (1900 date system)", () => {
  it.each<[number, string]>([
    [1, "1900-01-01"],
    [31, "1900-01-31"],
    [59, "1900-02-28"],
    [61, "1900-03-01"],
    [366, "1900-12-31"],
    [367, "1901-01-01"],
    [36526, "2000-01-01"],
    [36585, "2000-02-29"],
    [43831, "2020-01-01"],
    [43890, "2020-02-29"],
    [45000, "2023-03-15"],
    [45351, "2024-02-29"],
    [46082, "2026-03-01"],
    [2958465, "9999-12-31"],
  ])("%i ⇄ %s", (serial, iso) => {
    expect(serialToIsoDate(serial)).toBe(iso);
    expect(isoDateToSerial(iso)).toBe(serial);
    expect(readDate(serial)).toEqual({ ok: true, value: iso });
    expect(readDate(iso)).toEqual({ ok: true, value: iso });
  });

  it("drops the time of day in serialToIsoDate", () => {
    expect(serialToIsoDate(46082.75)).toBe("2026-03-01");
  });

  it.each<[number, string]>([
    [60, "60: it is 29 February 1900, a day that does not exist"],
    [0, "0: Excel dates start at 1 (1900-01-01)"],
    [-5, "-5: Excel dates start at 1 (1900-01-01)"],
    [2958466, "2958466: Excel dates end at 2958465 (9999-12-31)"],
    [Number.NaN, "NaN: it is not a finite number"],
  ])("serialToIsoDate(%p) throws CellDateError", (serial, message) => {
    expect(() => serialToIsoDate(serial)).toThrow(CellDateError);
    expect(() => serialToIsoDate(serial)).toThrow(message);
  });

  it.each<[string, string]>([
    ["1899-12-31", '"1899-12-31": Excel dates start at 1900-01-01'],
    ["1900-02-29", '"1900-02-29": February 1900 has 28 days'],
    ["2026-02-30", '"2026-02-30": February 2026 has 28 days'],
    ["2026/03/01", '"2026/03/01": it is not written as year-month-day, such as 2026-03-01'],
  ])("isoDateToSerial(%s) throws", (iso, message) => {
    expect(() => isoDateToSerial(iso)).toThrow(message);
  });
});

describe("readDate", () => {
  const ALLOWED = "a date such as 2026-03-01";
  it.each<[CellValue, string, string]>([
    ["2026-02-30", "2026-02-30 is not a real date: February 2026 has 28 days", ALLOWED],
    ["2025-02-29", "2025-02-29 is not a real date: February 2025 has 28 days", ALLOWED],
    ["1900-02-29", "1900-02-29 is not a real date: February 1900 has 28 days", ALLOWED],
    ["2026-04-31", "2026-04-31 is not a real date: April 2026 has 30 days", ALLOWED],
    ["2026-13-01", "2026-13-01 is not a real date: there is no month 13", ALLOWED],
    ["2026-00-10", "2026-00-10 is not a real date: there is no month 0", ALLOWED],
    ["2026-03-00", "2026-03-00 is not a real date: there is no day 0", ALLOWED],
    ["3/1/2026", '"3/1/2026" is not a date written as year-month-day', ALLOWED],
    ["tomorrow", '"tomorrow" is not a date written as year-month-day', ALLOWED],
    ["", "the cell is empty", ALLOWED],
    [true, "TRUE is a true/false value, not a date", ALLOWED],
    [60, "the cell holds 29 February 1900, a day that does not exist (an old Excel calendar quirk)", ALLOWED],
    [0, "0 is not a date Excel can show", "a date such as 2026-03-01, from 1900-01-01 to 9999-12-31"],
    [2958466, "2958466 is not a date Excel can show", "a date such as 2026-03-01, from 1900-01-01 to 9999-12-31"],
    [46082.5, "46082.5 is a date with a time of day", "a date such as 2026-03-01, without a time"],
  ])("%p → %s", (cell, message, allowed) => {
    expect(readDate(cell)).toEqual({ ok: false, message, allowed });
  });

  it.each([["2024-02-29"], ["2000-02-29"], ["1600-02-29"], [" 2026-03-01 "]])("accepts the real date %p", (text) => {
    expect(readDate(text)).toEqual({ ok: true, value: text.trim() });
  });

  it("reads a blank as null when nullable, and says so in what is allowed", () => {
    expect(readDate("", { nullable: true })).toEqual({ ok: true, value: null });
    expect(readDate("x", { nullable: true })).toMatchObject({ allowed: "a date such as 2026-03-01, or an empty cell" });
  });

  it.each<[string, boolean]>([
    ["2024-02-29", true],
    ["2100-02-29", false],
    ["0000-01-01", false],
    ["2026-3-1", false],
  ])("parseIsoDate(%s).ok → %p", (text, ok) => {
    expect(parseIsoDate(text).ok).toBe(ok);
  });
});

describe("isoDateTimeToSerial", () => {
  it.each<[string, number | undefined, number]>([
    ["2026-03-01T00:00:00Z", undefined, 46082],
    ["2026-03-01T12:00:00Z", undefined, 46082.5],
    ["2026-03-01T18:00:00.000Z", undefined, 46082.75],
    ["2026-03-01T18:00:00+06:00", undefined, 46082.5],
    ["2026-03-01T06:00:00-0600", undefined, 46082.5],
    ["2026-03-01T12:00:00", undefined, 46082.5],
    ["2026-03-01", undefined, 46082],
    ["2026-03-01T12:00:00Z", 120, 46082 + 14 / 24],
    ["2026-03-01T00:00:00Z", -360, 46081.75],
    ["1900-01-01T06:00:00Z", undefined, 1.25],
    ["1900-03-01T06:00:00Z", undefined, 61.25],
  ])("%s (offset %p) → %p", (iso, offset, serial) => {
    expect(isoDateTimeToSerial(iso, offset)).toBe(serial);
  });

  it.each<[string, string]>([
    ["yesterday", "it is not an ISO date-time such as 2026-03-01T12:30:00Z"],
    ["2026-02-30T00:00:00Z", "February 2026 has 28 days"],
    ["2026-03-01T24:00:00Z", "the time of day is not a real time"],
    ["1899-12-31T23:00:00Z", "Excel dates start at 1900-01-01"],
  ])("%s throws", (iso, reason) => {
    expect(() => isoDateTimeToSerial(iso)).toThrow(reason);
  });
});

describe("readText", () => {
  it.each<[string, CellValue, TextOptions, CellResult<string | null>]>([
    ["plain text", "Q1 credits", { max: 250, required: true }, { ok: true, value: "Q1 credits" }],
    ["250 characters", "x".repeat(250), { max: 250, required: true }, { ok: true, value: "x".repeat(250) }],
    [
      "251 characters",
      "x".repeat(251),
      { max: 250, required: true },
      { ok: false, message: "the text has 251 characters", allowed: "text of 1 to 250 characters" },
    ],
    ["250 emoji count as 250 characters", "😀".repeat(250), { max: 250 }, { ok: true, value: "😀".repeat(250) }],
    [
      "required and empty",
      "",
      { required: true, max: 250 },
      { ok: false, message: "the cell is empty", allowed: "text of 1 to 250 characters" },
    ],
    [
      "required and spaces",
      "  ",
      { required: true, max: 250 },
      { ok: false, message: "the cell holds only spaces", allowed: "text of 1 to 250 characters" },
    ],
    ["nullable and empty", "", { nullable: true }, { ok: true, value: null }],
    ["optional and empty", "", {}, { ok: true, value: "" }],
    ["a number becomes its text", 2026, {}, { ok: true, value: "2026" }],
    ["a boolean becomes its text", true, {}, { ok: true, value: "TRUE" }],
    [
      "too long, optional",
      "abcd",
      { max: 3, nullable: true },
      { ok: false, message: "the text has 4 characters", allowed: "text of at most 3 characters, or an empty cell" },
    ],
  ])("%s", (_, cell, opts, expected) => {
    expect(readText(cell, opts)).toEqual(expected);
  });
});

describe("readBoolean", () => {
  it.each<[CellValue, boolean]>([
    [true, true],
    [false, false],
    ["TRUE", true],
    ["false", false],
    ["Yes", true],
    [" no ", false],
  ])("%p → %p", (cell, value) => {
    expect(readBoolean(cell)).toEqual({ ok: true, value });
  });

  const ALLOWED = "TRUE or FALSE (yes or no also work)";
  it.each<[CellValue, string]>([
    [1, "1 is a number, not TRUE or FALSE"],
    ["maybe", '"maybe" is not TRUE or FALSE'],
    ["", "the cell is empty"],
  ])("%p → %s", (cell, message) => {
    expect(readBoolean(cell)).toEqual({ ok: false, message, allowed: ALLOWED });
  });

  it("reads a blank as null when nullable", () => {
    expect(readBoolean("", { nullable: true })).toEqual({ ok: true, value: null });
  });
});

describe("readEnum", () => {
  const CADENCES = ["monthly", "quarterly", "biannual", "annual", "one_time"] as const;
  it.each<[CellValue, string]>([
    ["monthly", "monthly"],
    ["Monthly", "monthly"],
    [" ONE_TIME ", "one_time"],
  ])("%p → %s", (cell, value) => {
    expect(readEnum(cell, CADENCES)).toEqual({ ok: true, value });
  });
  it.each<[CellValue, string]>([
    ["weekly", '"weekly" is not one of the choices'],
    [3, "3 is not one of the choices"],
    ["", "the cell is empty"],
  ])("%p → %s", (cell, message) => {
    expect(readEnum(cell, CADENCES)).toEqual({
      ok: false,
      message,
      allowed: "one of: monthly, quarterly, biannual, annual, one_time",
    });
  });
  it("reads a blank as null when nullable", () => {
    expect(readEnum(" ", CADENCES, { nullable: true })).toEqual({ ok: true, value: null });
  });
});
