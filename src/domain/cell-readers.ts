/**
 * Reading cells (their writing is sheet/cell-writers.ts): cell ⇄ field codecs. Excel's `range.values` gives each cell as a number, a string or a boolean:
 * "" for an empty cell, and error cells as their error text ("#N/A", "#REF!", ...). Readers never throw;
 * they answer with the value or with plain words saying what is wrong and what is allowed.
 */
import {
  MoneyPrecisionError,
  MoneyRangeError,
  EXCEL_SIGNIFICANT_DIGITS,
  excelNumber,
  fromMinor,
  groupDigits,
  isNumericText,
  toMinor,
  toMinorExact,
  toPlainDecimal,
} from "./money";

export type CellValue = number | string | boolean | null | undefined;
export type CellFailure = { ok: false; message: string; allowed: string };
export type CellResult<T> = { ok: true; value: T } | CellFailure;
export type AmountOk = { ok: true; value: number; minor: bigint };
export type AmountResult = AmountOk | CellFailure;

/** Error values as `range.values` reports them (including the newer dynamic-array and data-type errors). */
export const EXCEL_ERROR_VALUES = [
  "#NULL!",
  "#DIV/0!",
  "#VALUE!",
  "#REF!",
  "#NAME?",
  "#NUM!",
  "#N/A",
  "#GETTING_DATA",
  "#SPILL!",
  "#CALC!",
  "#BUSY!",
  "#CONNECT!",
  "#BLOCKED!",
  "#UNKNOWN!",
  "#FIELD!",
  "#PYTHON!",
  "#TIMEOUT!",
  "#EXTERNAL!",
] as const;
const ERROR_SET: ReadonlySet<string> = new Set(EXCEL_ERROR_VALUES);

/** The error text when the cell holds an Excel error, otherwise null. */
export function cellError(cell: CellValue): string | null {
  // Every error starts with "#": most text cells are ruled out without trimming or upper-casing them.
  if (typeof cell !== "string" || !cell.includes("#")) return null;
  return ERROR_SET.has(cell.trim().toUpperCase()) ? cell.trim().toUpperCase() : null;
}

function isBlank(cell: CellValue): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && cell.trim() === "");
}

const fail = (message: string, allowed: string): CellFailure => ({ ok: false, message, allowed });

/** How a cell's content is named inside a message: text quoted, numbers plain, booleans as Excel shows them. */
export function describeCell(cell: CellValue): string {
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (typeof cell === "number") return Number.isFinite(cell) ? toPlainDecimal(cell) : String(cell);
  if (cell === null || cell === undefined) return "an empty cell";
  const shown = [...cell].length > 40 ? [...cell].slice(0, 40).join("") + "…" : cell;
  return JSON.stringify(shown);
}

/** A limit written for people: 1e14 → "100,000,000,000,000", 0.5 → "0.5". */
export function formatLimit(n: number): string {
  const plain = toPlainDecimal(n);
  const negative = plain.startsWith("-");
  const [whole = "", frac] = (negative ? plain.slice(1) : plain).split(".");
  return `${negative ? "-" : ""}${groupDigits(whole)}${frac === undefined ? "" : "." + frac}`;
}

export interface RangeOptions {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** "a number from 0 to 100", "a number greater than -100,000,000,000,000 and less than 100,000,000,000,000", ... */
export function describeRange(noun: string, r: RangeOptions): string {
  const low = r.min === undefined ? null : formatLimit(r.min);
  const high = r.max === undefined ? null : formatLimit(r.max);
  if (low !== null && high !== null) {
    if (!r.minExclusive && !r.maxExclusive) return `${noun} from ${low} to ${high}`;
    if (r.minExclusive && r.maxExclusive) return `${noun} greater than ${low} and less than ${high}`;
    if (!r.minExclusive) return `${noun} from ${low} up to but not including ${high}`;
    return `${noun} greater than ${low} and at most ${high}`;
  }
  if (low !== null) return r.minExclusive ? `${noun} greater than ${low}` : `${noun} of at least ${low}`;
  if (high !== null) return r.maxExclusive ? `${noun} less than ${high}` : `${noun} of at most ${high}`;
  return noun;
}

function outOfRange(n: number, r: RangeOptions): "too small" | "too large" | null {
  if (r.min !== undefined && (r.minExclusive ? n <= r.min : n < r.min)) return "too small";
  if (r.max !== undefined && (r.maxExclusive ? n >= r.max : n > r.max)) return "too large";
  return null;
}

/** For readers handed a value that is going to Campfire as it is (JSON), not a cell read from the sheet. */
export interface ExactOption {
  /**
   * Check the number digit for digit, without Excel's 15-significant-digit reading (see excelNumber):
   * Campfire reads a JSON number as sent, so 0.30000000000000004 is not 0.30 there.
   */
  exact?: boolean;
}

/** A number cell as the user sees it (Excel's 15-digit reading), unless the caller checks a value as sent. */
function cellNumber(n: number, opts: ExactOption): number {
  return opts.exact ? n : excelNumber(n);
}

/**
 * The number a cell holds, from a number or from numeric text typed into a text-formatted cell.
 * A number goes through Excel's 15-digit reading unless `exact`; text is taken digit for digit, because
 * those are the digits the user typed. A failure (error, blank, boolean, non-numeric text) carries only its
 * message: the caller adds what is allowed. That text is written only for a cell that fails, because a check
 * reads every cell of a table, and writing out the allowed range (digit grouping and all) for each valid one
 * cost more than the rest of the check.
 */
function numberFrom(
  cell: CellValue,
  opts: ExactOption & PercentOption,
): { ok: true; value: { n: number; source: number | string } } | { ok: false; message: string; percentSign?: true } {
  const err = cellError(cell);
  if (err) return { ok: false, message: `the cell holds the error ${err}` };
  if (isBlank(cell)) return { ok: false, message: "the cell is empty" };
  if (typeof cell === "boolean") return { ok: false, message: `${describeCell(cell)} is a true/false value, not a number` };
  if (typeof cell === "string") {
    const text = cell.trim();
    const percent = PERCENT_TEXT.exec(text);
    if (percent && isNumericText(percent[1] ?? "")) {
      // In a percent-as-0–100 column, 20% means 20 (what a finance user typing 20% expects); anywhere else a
      // percent is refused with how to type it, never silently divided by 100.
      const digits = (percent[1] ?? "").trim();
      if (opts.percent) return { ok: true, value: { n: Number(digits), source: digits } };
      return { ok: false, message: `${describeCell(cell)} is a percentage`, percentSign: true };
    }
    if (!isNumericText(text)) return { ok: false, message: `${describeCell(cell)} is text, not a number` };
    return { ok: true, value: { n: Number(text), source: text } };
  }
  if (typeof cell !== "number" || !Number.isFinite(cell)) return { ok: false, message: `${String(cell)} is not a finite number` };
  const n = cellNumber(cell, opts);
  return { ok: true, value: { n, source: n } };
}

/** What is allowed, saying how to type it when the user typed a percent sign where none belongs. */
function withoutPercent(allowed: string, failure: { percentSign?: true }): string {
  return failure.percentSign ? `${allowed} (without a % sign)` : allowed;
}

/** A cell that shows a percent ("20%", "12.5 %"): typed as text, or a percent-formatted number as the workbook reports it. */
const PERCENT_TEXT = /^(.*?)\s*%$/;

export interface PercentOption {
  /** The column's unit is percent as 0–100 (20 means 20%): a cell showing 20% means 20. */
  percent?: boolean;
}

/**
 * How a percent-formatted number in a percent-as-0–100 column is reported to the readers: the text Excel shows
 * for it at full precision, 0.2 → "20%", 0.125 → "12.5%". The decimal point moves two places in the number's
 * 15-digit text, so no binary multiplication adds noise (0.07 × 100 is 7.000000000000001).
 */
export function percentCellText(fraction: number): string {
  const d = toPlainDecimal(excelNumber(fraction));
  const negative = d.startsWith("-");
  const [whole = "0", frac = ""] = (negative ? d.slice(1) : d).split(".");
  const padded = frac.padEnd(2, "0");
  const shifted = `${whole}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, "");
  const rest = padded.slice(2);
  return `${negative ? "-" : ""}${shifted}${rest ? "." + rest : ""}%`;
}

export interface AmountOptions extends ExactOption {
  nullable?: boolean;
  /** Exclusive bound on the absolute value, e.g. AMOUNT_LIMIT (1e18). */
  limit?: number;
  /** Only used in the wording ("an amount in USD ..."). */
  currency?: string | undefined;
}

function amountAllowed(scale: number, currency?: string): string {
  const inCurrency = currency ? ` in ${currency}` : "";
  return scale === 0
    ? `a whole amount${inCurrency}, with no decimal places`
    : `an amount${inCurrency} with at most ${scale} decimal place${scale === 1 ? "" : "s"}`;
}

/** An exact money amount: `value` is the number to send, `minor` the same amount in minor units. */
export function readAmount(
  cell: CellValue,
  scale: number,
  opts: AmountOptions & { nullable: true },
): AmountResult | { ok: true; value: null; minor: null };
export function readAmount(cell: CellValue, scale: number, opts?: AmountOptions): AmountResult;
export function readAmount(
  cell: CellValue,
  scale: number,
  opts: AmountOptions = {},
): AmountResult | { ok: true; value: null; minor: null } {
  if (opts.nullable && isBlank(cell) && cellError(cell) === null) return { ok: true, value: null, minor: null };
  // Messages are written only for a cell that fails (see numberFrom).
  const read = numberFrom(cell, opts);
  if (!read.ok) return fail(read.message, withoutPercent(amountAllowed(scale, opts.currency), read));
  const { n, source } = read.value;
  if (opts.limit !== undefined) {
    const range: RangeOptions = { min: -opts.limit, max: opts.limit, minExclusive: true, maxExclusive: true };
    const problem = outOfRange(n, range);
    if (problem) return fail(`${toPlainDecimal(source)} is ${problem}`, describeRange("an amount", range));
  }
  try {
    // A value as sent has no cell in between: only its decimals matter, not the sheet's 15 digits.
    if (opts.exact && typeof source === "number") return { ok: true, value: source, minor: toMinorExact(source, scale) };
    const minor = toMinor(source, scale);
    return { ok: true, value: fromMinor(minor, scale), minor };
  } catch (e) {
    if (e instanceof MoneyPrecisionError) {
      return fail(
        `${toPlainDecimal(source)} has ${e.decimals} decimal place${e.decimals === 1 ? "" : "s"}`,
        amountAllowed(scale, opts.currency),
      );
    }
    if (e instanceof MoneyRangeError) {
      return fail(
        `${toPlainDecimal(source)} has ${e.significantDigits} significant digits, more than the ${EXCEL_SIGNIFICANT_DIGITS} a cell holds exactly`,
        `an amount with at most ${EXCEL_SIGNIFICANT_DIGITS} significant digits, such as 1234567890123.45`,
      );
    }
    throw e;
  }
}

/** What readInteger and readNumber allow, written out when a cell fails. */
function rangeAllowed(noun: string, range: RangeOptions, nullable: boolean | undefined): string {
  return describeRange(noun, range) + (nullable ? ", or an empty cell" : "");
}

export interface IntegerOptions extends ExactOption {
  min?: number;
  max?: number;
  nullable?: boolean;
}

export function readInteger(cell: CellValue, opts: IntegerOptions & { nullable: true }): CellResult<number | null>;
export function readInteger(cell: CellValue, opts?: IntegerOptions): CellResult<number>;
export function readInteger(cell: CellValue, opts: IntegerOptions = {}): CellResult<number | null> {
  // Most cells a check reads are whole numbers in range (ids): answered without the general route's objects.
  // What the general route gives for them (a test holds the two to agree over every cell): the number itself,
  // with -0 read as 0 as Excel's 15-digit reading has it (unless the value is checked as sent).
  if (typeof cell === "number" && Number.isInteger(cell)) {
    const min = opts.min ?? Number.MIN_SAFE_INTEGER;
    const max = opts.max ?? Number.MAX_SAFE_INTEGER;
    if (cell >= min && cell <= max) return { ok: true, value: opts.exact || cell !== 0 ? cell : 0 };
  }
  return readIntegerCell(cell, opts);
}

/** readInteger by the general route, for every cell; exported for the test that holds the fast path to it. */
export function readIntegerCell(cell: CellValue, opts: IntegerOptions = {}): CellResult<number | null> {
  const range: RangeOptions = {
    min: opts.min ?? Number.MIN_SAFE_INTEGER,
    max: opts.max ?? Number.MAX_SAFE_INTEGER,
  };
  if (opts.nullable && isBlank(cell) && cellError(cell) === null) return { ok: true, value: null };
  const read = numberFrom(cell, opts);
  if (!read.ok) return fail(read.message, withoutPercent(rangeAllowed("a whole number", range, opts.nullable), read));
  const { n, source } = read.value;
  if (!Number.isInteger(n))
    return fail(`${toPlainDecimal(source)} is not a whole number`, rangeAllowed("a whole number", range, opts.nullable));
  const problem = outOfRange(n, range);
  if (problem) return fail(`${toPlainDecimal(source)} is ${problem}`, rangeAllowed("a whole number", range, opts.nullable));
  return { ok: true, value: n };
}

export interface NumberOptions extends RangeOptions, ExactOption, PercentOption {
  nullable?: boolean;
}

export function readNumber(cell: CellValue, opts: NumberOptions & { nullable: true }): CellResult<number | null>;
export function readNumber(cell: CellValue, opts?: NumberOptions): CellResult<number>;
export function readNumber(cell: CellValue, opts: NumberOptions = {}): CellResult<number | null> {
  if (opts.nullable && isBlank(cell) && cellError(cell) === null) return { ok: true, value: null };
  const read = numberFrom(cell, opts);
  if (!read.ok) return fail(read.message, withoutPercent(rangeAllowed("a number", opts, opts.nullable), read));
  const { n, source } = read.value;
  const problem = outOfRange(n, opts);
  if (problem) return fail(`${toPlainDecimal(source)} is ${problem}`, rangeAllowed("a number", opts, opts.nullable));
  return { ok: true, value: n };
}

// ---------- dates ----------

const MS_PER_DAY = 86_400_000;
/** Serial 61 (1900-03-01) and later count days from 1899-12-30, because Excel's calendar has a fake 1900-02-29. */
const EPOCH_MS = Date.UTC(1899, 11, 30);
/** Serial 1 to 59 (1900-01-01 to 1900-02-28) count from 1899-12-31. */
const EARLY_EPOCH_MS = Date.UTC(1899, 11, 31);
/** 9999-12-31, the last date Excel shows. */
export const MAX_DATE_SERIAL = 2_958_465;
/** The serial of the day that does not exist: Excel's 1900-02-29, kept for Lotus 1-2-3 compatibility. */
export const FAKE_LEAP_DAY_SERIAL = 60;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** A date (or serial) Excel or the calendar cannot represent. */
export class CellDateError extends Error {
  override name = "CellDateError";
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${typeof value === "string" ? JSON.stringify(value) : String(value)}: ${reason}`);
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export type IsoDateParse = { ok: true; year: number; month: number; day: number } | { ok: false; reason: string };

/** Checks "YYYY-MM-DD" text is a real calendar day: "2026-02-30" → "February 2026 has 28 days". */
export function parseIsoDate(text: string): IsoDateParse {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return { ok: false, reason: "it is not written as year-month-day, such as 2026-03-01" };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1) return { ok: false, reason: "there is no year 0" };
  if (month < 1 || month > 12) return { ok: false, reason: `there is no month ${month}` };
  if (day < 1) return { ok: false, reason: "there is no day 0" };
  const last = daysInMonth(year, month);
  if (day > last) return { ok: false, reason: `${MONTHS[month - 1]} ${year} has ${last} days` };
  return { ok: true, year, month, day };
}

function utcMs(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 1900-1999
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

function isoOfMs(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/**
 * Excel serial (1900 date system) → "YYYY-MM-DD". A fractional serial's time of day is dropped.
 * Throws CellDateError for serials before 1, after 9999-12-31, and for 60 (the fake 1900-02-29).
 */
export function serialToIsoDate(serial: number): string {
  if (!Number.isFinite(serial)) throw new CellDateError(serial, "it is not a finite number");
  const day = Math.floor(serial);
  if (day < 1) throw new CellDateError(serial, "Excel dates start at 1 (1900-01-01)");
  if (day > MAX_DATE_SERIAL) throw new CellDateError(serial, `Excel dates end at ${MAX_DATE_SERIAL} (9999-12-31)`);
  if (day === FAKE_LEAP_DAY_SERIAL) throw new CellDateError(serial, "it is 29 February 1900, a day that does not exist");
  return isoOfMs((day < FAKE_LEAP_DAY_SERIAL ? EARLY_EPOCH_MS : EPOCH_MS) + day * MS_PER_DAY);
}

/** "YYYY-MM-DD" → Excel serial. Throws CellDateError for impossible dates and dates outside 1900-01-01..9999-12-31. */
export function isoDateToSerial(iso: string): number {
  const p = parseIsoDate(iso);
  if (!p.ok) throw new CellDateError(iso, p.reason);
  if (p.year < 1900) throw new CellDateError(iso, "Excel dates start at 1900-01-01");
  const days = (utcMs(p.year, p.month, p.day) - EPOCH_MS) / MS_PER_DAY;
  return days <= FAKE_LEAP_DAY_SERIAL ? days - 1 : days;
}

/**
 * ISO date-time → Excel serial with the time as a fraction of a day, for showing `last_modified_at`.
 * Excel has no time zones: the serial is the wall-clock time at `offsetMinutes` from UTC (default UTC).
 * A date-time without a zone is read as UTC; a bare date as midnight.
 */
export function isoDateTimeToSerial(iso: string, offsetMinutes = 0): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(iso.trim());
  if (!m) throw new CellDateError(iso, "it is not an ISO date-time such as 2026-03-01T12:30:00Z");
  const p = parseIsoDate(m[1] ?? "");
  if (!p.ok) throw new CellDateError(iso, p.reason);
  const [hours, minutes, seconds] = [m[2], m[3], m[4]].map((s) => Number(s ?? "0")) as [number, number, number];
  if (hours > 23 || minutes > 59 || seconds > 59) throw new CellDateError(iso, "the time of day is not a real time");
  const fraction = m[5] ? Number(m[5]) * 1000 : 0;
  let zoneMinutes = 0;
  const zone = m[6];
  if (zone && zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!z) throw new CellDateError(iso, "the time zone is not written as +hh:mm");
    zoneMinutes = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  const utc = utcMs(p.year, p.month, p.day) + ((hours * 60 + minutes - zoneMinutes) * 60 + seconds) * 1000 + fraction;
  const wallClock = utc + offsetMinutes * 60_000;
  if (wallClock < EARLY_EPOCH_MS + MS_PER_DAY) throw new CellDateError(iso, "Excel dates start at 1900-01-01");
  const days = (wallClock - EPOCH_MS) / MS_PER_DAY;
  return days < FAKE_LEAP_DAY_SERIAL + 1 ? days - 1 : days;
}

const DATE_ALLOWED = "a date such as 2026-03-01";

export interface DateOptions {
  nullable?: boolean;
}

/** A date from a date cell (serial number) or from "YYYY-MM-DD" text. Returns "YYYY-MM-DD". */
export function readDate(cell: CellValue, opts: DateOptions & { nullable: true }): CellResult<string | null>;
export function readDate(cell: CellValue, opts?: DateOptions): CellResult<string>;
export function readDate(cell: CellValue, opts: DateOptions = {}): CellResult<string | null> {
  const allowed = DATE_ALLOWED + (opts.nullable ? ", or an empty cell" : "");
  const err = cellError(cell);
  if (err) return fail(`the cell holds the error ${err}`, allowed);
  if (isBlank(cell)) return opts.nullable ? { ok: true, value: null } : fail("the cell is empty", allowed);
  if (typeof cell === "boolean") return fail(`${describeCell(cell)} is a true/false value, not a date`, allowed);
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return fail(`${String(cell)} is not a date`, allowed);
    // =A1+0.1*10 can leave 46082.00000000001: a whole day as Excel shows it, not a time of day.
    const serial = cellNumber(cell, {});
    if (!Number.isInteger(serial)) {
      return fail(`${describeCell(serial)} is a date with a time of day`, `${DATE_ALLOWED}, without a time`);
    }
    if (serial === FAKE_LEAP_DAY_SERIAL) {
      return fail("the cell holds 29 February 1900, a day that does not exist (an old Excel calendar quirk)", allowed);
    }
    if (serial < 1 || serial > MAX_DATE_SERIAL) {
      return fail(`${describeCell(serial)} is not a date Excel can show`, `${DATE_ALLOWED}, from 1900-01-01 to 9999-12-31`);
    }
    return { ok: true, value: serialToIsoDate(serial) };
  }
  const text = String(cell).trim();
  const p = parseIsoDate(text);
  if (p.ok) return { ok: true, value: text };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return fail(`${text} is not a real date: ${p.reason}`, allowed);
  return fail(`${describeCell(cell)} is not a date written as year-month-day`, allowed);
}

// ---------- text, booleans, choices ----------

export interface TextOptions {
  /** Maximum length in characters (Unicode code points, as the server counts them). */
  max?: number;
  /** Blank (or only spaces) is refused. */
  required?: boolean;
  /** Blank reads as null (otherwise as ""). */
  nullable?: boolean;
}

/** Length in characters as Python (Campfire's server) counts them: code points, not UTF-16 units. */
export function textLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function readText(cell: CellValue, opts: TextOptions & { nullable: true }): CellResult<string | null>;
export function readText(cell: CellValue, opts?: TextOptions): CellResult<string>;
export function readText(cell: CellValue, opts: TextOptions = {}): CellResult<string | null> {
  const limit = opts.max === undefined ? "" : `at most ${formatLimit(opts.max)} characters`;
  const allowed = opts.required
    ? `text of 1 to ${opts.max === undefined ? "any number of" : formatLimit(opts.max)} characters`
    : `text${limit ? " of " + limit : ""}, or an empty cell`;
  const err = cellError(cell);
  if (err) return fail(`the cell holds the error ${err}`, allowed);
  if (isBlank(cell)) {
    if (opts.required) return fail(cell === "" || cell == null ? "the cell is empty" : "the cell holds only spaces", allowed);
    if (cell === "" || cell == null) return { ok: true, value: opts.nullable ? null : "" };
  }
  const text =
    typeof cell === "boolean" ? (cell ? "TRUE" : "FALSE") : typeof cell === "number" ? toPlainDecimal(cellNumber(cell, {})) : String(cell);
  if (opts.max !== undefined) {
    const length = textLength(text);
    if (length > opts.max) return fail(`the text has ${formatLimit(length)} characters`, allowed);
  }
  return { ok: true, value: text };
}

const TRUE_TEXT = new Set(["true", "yes"]);
const FALSE_TEXT = new Set(["false", "no"]);

export function readBoolean(cell: CellValue, opts: { nullable: true }): CellResult<boolean | null>;
export function readBoolean(cell: CellValue, opts?: { nullable?: boolean }): CellResult<boolean>;
export function readBoolean(cell: CellValue, opts: { nullable?: boolean } = {}): CellResult<boolean | null> {
  const allowed = "TRUE or FALSE (yes or no also work)" + (opts.nullable ? ", or an empty cell" : "");
  const err = cellError(cell);
  if (err) return fail(`the cell holds the error ${err}`, allowed);
  if (isBlank(cell)) return opts.nullable ? { ok: true, value: null } : fail("the cell is empty", allowed);
  if (typeof cell === "boolean") return { ok: true, value: cell };
  if (typeof cell === "string") {
    const word = cell.trim().toLowerCase();
    if (TRUE_TEXT.has(word)) return { ok: true, value: true };
    if (FALSE_TEXT.has(word)) return { ok: true, value: false };
    return fail(`${describeCell(cell)} is not TRUE or FALSE`, allowed);
  }
  return fail(`${describeCell(cell)} is a number, not TRUE or FALSE`, allowed);
}

/** One of `values`, matched ignoring case and surrounding spaces; returns the value as spelled in `values`. */
export function readEnum<T extends string>(cell: CellValue, values: readonly T[], opts: { nullable: true }): CellResult<T | null>;
export function readEnum<T extends string>(cell: CellValue, values: readonly T[], opts?: { nullable?: boolean }): CellResult<T>;
export function readEnum<T extends string>(cell: CellValue, values: readonly T[], opts: { nullable?: boolean } = {}): CellResult<T | null> {
  // The choices are written out only for a cell that fails: a check reads this for every row.
  const err = cellError(cell);
  if (err) return fail(`the cell holds the error ${err}`, choicesAllowed(values, opts.nullable));
  if (isBlank(cell)) return opts.nullable ? { ok: true, value: null } : fail("the cell is empty", choicesAllowed(values, opts.nullable));
  const text = (typeof cell === "number" ? toPlainDecimal(cellNumber(cell, {})) : String(cell).trim()).toLowerCase();
  let match: T | undefined;
  for (const v of values) {
    if (v.toLowerCase() !== text) continue;
    match = v;
    break;
  }
  if (match === undefined) return fail(`${describeCell(cell)} is not one of the choices`, choicesAllowed(values, opts.nullable));
  return { ok: true, value: match };
}

function choicesAllowed(values: readonly string[], nullable: boolean | undefined): string {
  return `one of: ${values.join(", ")}` + (nullable ? "; or an empty cell" : "");
}

// ---------- writing text ----------

/** The most characters an Excel cell holds. */
export const CELL_TEXT_MAX = 32_767;

export class CellTextTooLongError extends Error {
  override name = "CellTextTooLongError";
  constructor(readonly length: number) {
    super(`the text has ${length} characters; an Excel cell holds at most ${CELL_TEXT_MAX}`);
  }
}
