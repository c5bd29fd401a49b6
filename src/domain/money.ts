/**
 * Exact money. Amounts are held as bigint counts of the currency's minor unit (cents for USD),
 * so sums and comparisons never touch binary floating point.
 *
 * A JS number is converted through its shortest round-trip decimal text (what `String(n)` gives, and
 * what Campfire's server reads from JSON). So toMinor(0.1 + 0.2, 2) reports 0.30000000000000004 as having
 * too many decimals rather than silently making it 0.30. Numbers read from Excel cells first go through
 * excelNumber (below), because there the user's amount is what Excel shows, not the double behind it.
 */
import { currencyDecimals } from "../model/campfire-facts";

/** Excel keeps 15 significant digits of anything typed into a cell; digits beyond are turned into zeros. */
export const EXCEL_SIGNIFICANT_DIGITS = 15;

/** Below this magnitude 15 significant digits reach past the units place (see excelNumber). */
export const EXCEL_ROUNDING_LIMIT = 1e15;

/**
 * A cell's number as Excel itself reads it: rounded to 15 significant digits. THE one place this rule lives.
 *
 * Why: Excel calculates in doubles but shows, types and means 15 significant digits. A formula =0.1+0.2 hands
 * us 0.30000000000000004 and =100000-33333.33-33333.34 hands us 33333.33000000001, while the cells show
 * 0.3 and 33,333.33; refusing those for "17 decimal places" blames the user for binary noise they cannot see.
 * Why only below 1e15: there the 15th digit is at or right of the units place, so what goes away is a
 * fraction smaller than Excel displays. At 1e15 and above, rounding would change whole units
 * (9007199254740993 would quietly become 9007199254740990, 1e15 + 0.5 would lose its half), so such values
 * are left as they are for toMinor's significant-digit check to report.
 * After this reading a value can still carry more decimals than the currency allows (0.125 USD, 33333.333):
 * that is what the user typed or computed, so it is reported, never rounded here.
 * Not for numbers from Campfire's JSON or for text cells: the server reads those digits as sent, and text
 * holds exactly the digits the user typed.
 */
export function excelNumber(n: number): number {
  if (!Number.isFinite(n) || Math.abs(n) >= EXCEL_ROUNDING_LIMIT) return n;
  // A whole number under 10^15 has at most 15 digits: Excel holds it as it is (and most cells are such numbers).
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n === 0 ? 0 : n;
  // Number() of the 15-digit text is the double nearest to it, whose shortest text has at most 15 digits.
  return Number(n.toPrecision(EXCEL_SIGNIFICANT_DIGITS));
}

/** The decimals of a currency's minor unit, from Campfire's facts (2 for USD and anything unknown, 0 for JPY). */
export function minorUnitsOf(currency: string): number {
  return currencyDecimals(currency);
}

/** The value has more decimals than the currency's minor unit allows. */
export class MoneyPrecisionError extends Error {
  override name = "MoneyPrecisionError";
  constructor(
    /** The value as plain decimal text, e.g. "0.30000000000000004". */
    readonly value: string,
    readonly scale: number,
    readonly decimals: number,
  ) {
    super(`${value} has ${decimals} decimal place${decimals === 1 ? "" : "s"}; at most ${scale} allowed`);
  }
}

/** The value has more significant digits than an Excel cell holds exactly. */
export class MoneyRangeError extends Error {
  override name = "MoneyRangeError";
  constructor(
    readonly value: string,
    readonly significantDigits: number,
    readonly maxDigits: number = EXCEL_SIGNIFICANT_DIGITS,
  ) {
    super(`${value} has ${significantDigits} significant digits; at most ${maxDigits} are held exactly`);
  }
}

/** The value is not a finite number or numeric text at all. */
export class MoneyFormatError extends Error {
  override name = "MoneyFormatError";
  constructor(readonly value: unknown) {
    super(`${typeof value === "string" ? JSON.stringify(value) : String(value)} is not a finite number`);
  }
}

/** value = (negative ? -1 : 1) × digits × 10^exponent; digits has no leading or trailing zeros ("" for zero). */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const NUMERIC_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** True when `text` (trimmed) is a plain or exponent-notation decimal number, e.g. "1234.50", "-0.01", "1e-7". */
export function isNumericText(text: string): boolean {
  return parseText(text.trim()) !== null;
}

function parseText(text: string): Decimal | null {
  const m = NUMERIC_TEXT.exec(text);
  if (!m) return null;
  const intPart = m[2] ?? "";
  const fracPart = m[3] ?? "";
  if (intPart === "" && fracPart === "") return null;
  let digits = (intPart + fracPart).replace(/^0+/, "");
  let exponent = Number(m[4] ?? "0") - fracPart.length;
  if (!Number.isSafeInteger(exponent)) return null;
  const trimmed = digits.replace(/0+$/, "");
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  if (digits === "") return { negative: false, digits: "", exponent: 0 };
  return { negative: m[1] === "-", digits, exponent };
}

function parseDecimal(value: number | string): Decimal {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new MoneyFormatError(value);
    // String(n) is the shortest text that reads back as the same double.
    const d = parseText(String(value));
    if (!d) throw new MoneyFormatError(value);
    return d;
  }
  const d = parseText(value.trim());
  if (!d) throw new MoneyFormatError(value);
  return d;
}

function decimalsOf(d: Decimal): number {
  return d.exponent < 0 ? -d.exponent : 0;
}

/** Digits from the first non-zero one down to the units place or the last non-zero decimal, whichever is lower. */
function significantDigitsOf(d: Decimal): number {
  return d.digits.length + (d.exponent > 0 ? d.exponent : 0);
}

function plainText(d: Decimal): string {
  if (d.digits === "") return "0";
  const sign = d.negative ? "-" : "";
  if (d.exponent >= 0) return sign + d.digits + "0".repeat(d.exponent);
  const point = d.digits.length + d.exponent;
  if (point > 0) return `${sign}${d.digits.slice(0, point)}.${d.digits.slice(point)}`;
  return `${sign}0.${"0".repeat(-point)}${d.digits}`;
}

/** Plain decimal text without exponent notation: 1e-7 → "0.0000001", 1.5e21 → "1500000000000000000000". */
export function toPlainDecimal(value: number | string): string {
  return plainText(parseDecimal(value));
}

/** Number of decimal places the value really has (trailing zeros do not count): "1234.50" → 1. */
export function decimalPlacesOf(value: number | string): number {
  return decimalsOf(parseDecimal(value));
}

/** Significant digits as Excel counts them for exactness (trailing zeros of the whole part count). */
export function significantDigitsIn(value: number | string): number {
  return significantDigitsOf(parseDecimal(value));
}

/**
 * Exact conversion to minor units. Throws MoneyPrecisionError when the value has more decimals than
 * `scale`, MoneyRangeError when it has more than 15 significant digits, MoneyFormatError when it is
 * not a finite number or numeric text. Never rounds.
 */
export function toMinor(value: number | string, scale: number): bigint {
  assertScale(scale);
  const d = parseDecimal(value);
  const decimals = decimalsOf(d);
  if (decimals > scale) throw new MoneyPrecisionError(plainText(d), scale, decimals);
  const significant = significantDigitsOf(d);
  if (significant > EXCEL_SIGNIFICANT_DIGITS) throw new MoneyRangeError(plainText(d), significant);
  if (d.digits === "") return 0n;
  const minor = BigInt(d.digits) * 10n ** BigInt(d.exponent + scale);
  return d.negative ? -minor : minor;
}

/**
 * Like toMinor, for a value as Campfire holds or receives it (JSON), not as a cell holds it: no 15-digit limit,
 * because that limit is the sheet's, not Campfire's. Still never rounds: more decimals than `scale` throw.
 */
export function toMinorExact(value: number | string, scale: number): bigint {
  assertScale(scale);
  if (typeof value === "number") {
    // The common case without text: when value·10^scale is a whole number m under 10^15 and m / 10^scale gives
    // back the same double, the value's shortest decimal is m / 10^scale (no other decimal with `scale` places is
    // that close), which is what the text route below finds too, digit for digit.
    const p = 10 ** scale;
    const m = Math.round(value * p);
    if (Math.abs(m) < 1e15 && m / p === value) return BigInt(m);
  }
  const d = parseDecimal(value);
  const decimals = decimalsOf(d);
  if (decimals > scale) throw new MoneyPrecisionError(plainText(d), scale, decimals);
  if (d.digits === "") return 0n;
  const minor = BigInt(d.digits) * 10n ** BigInt(d.exponent + scale);
  return d.negative ? -minor : minor;
}

/** The nearest double to the exact amount (exact whenever the amount has at most 15 significant digits). */
export function fromMinor(minor: bigint, scale: number): number {
  return Number(formatMinor(minor, scale));
}

/** Plain decimal text, always with `scale` decimals: 123456n, 2 → "1234.56"; with a currency → "1234.56 USD". */
export function formatMinor(minor: bigint, scale: number, currency?: string): string {
  const [sign, whole, frac] = splitMinor(minor, scale);
  const text = `${sign}${whole}${frac === "" ? "" : "." + frac}`;
  return currency ? `${text} ${currency}` : text;
}

/** Like formatMinor with thousands separators: 10000000n, 2 → "100,000.00". */
export function formatMinorGrouped(minor: bigint, scale: number, currency?: string): string {
  const [sign, whole, frac] = splitMinor(minor, scale);
  const text = `${sign}${groupDigits(whole)}${frac === "" ? "" : "." + frac}`;
  return currency ? `${text} ${currency}` : text;
}

/** Inserts a comma every three digits of a run of digits: "1234567" → "1,234,567". */
export function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function splitMinor(minor: bigint, scale: number): [sign: string, whole: string, frac: string] {
  assertScale(scale);
  const sign = minor < 0n ? "-" : "";
  const abs = (minor < 0n ? -minor : minor).toString().padStart(scale + 1, "0");
  return [sign, abs.slice(0, abs.length - scale), abs.slice(abs.length - scale)];
}

export function sumMinor(values: readonly bigint[]): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/**
 * Splits a total into n parts that differ by at most one minor unit and add up exactly.
 * The remainder goes one unit at a time to the FIRST lines (with the total's sign):
 * 100n / 3 → [34n, 33n, 33n]; -100n / 3 → [-34n, -33n, -33n].
 */
export function splitEvenly(totalMinor: bigint, n: number): bigint[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`cannot split into ${n} parts; need a whole number of at least 1`);
  const count = BigInt(n);
  const base = totalMinor / count; // truncates toward zero
  let remainder = totalMinor - base * count;
  const step = remainder < 0n ? -1n : 1n;
  return Array.from({ length: n }, () => {
    if (remainder === 0n) return base;
    remainder -= step;
    return base + step;
  });
}

/**
 * Rounds a computed value (e.g. total × percentage) to `scale` decimals, ties to even, and returns
 * minor units. Works on the number's shortest decimal text, so 0.125 → 12n and 0.135 → 14n at scale 2,
 * as a user reading the value would expect. No significant-digit limit applies here.
 */
export function roundHalfEvenToScale(value: number, scale: number): bigint {
  assertScale(scale);
  const d = parseDecimal(value);
  if (d.digits === "") return 0n;
  const shift = -d.exponent - scale; // decimal digits to drop
  let magnitude: bigint;
  if (shift <= 0) {
    magnitude = BigInt(d.digits) * 10n ** BigInt(-shift);
  } else {
    magnitude = divideHalfEven(BigInt(d.digits), 10n ** BigInt(shift));
  }
  return d.negative ? -magnitude : magnitude;
}

/** a ÷ b for a ≥ 0, b > 0, rounded to the nearest whole, ties to even. */
export function divideHalfEven(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  const twiceRest = 2n * (a % b);
  if (twiceRest > b || (twiceRest === b && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/**
 * Makes the lines add up to the total by putting the remainder (total − sum) on one line: `targetIndex`,
 * or by default the line with the largest absolute amount (the first such line on a tie), because a
 * cent moved there changes the allocation's proportions least. Returns a new array.
 */
export function balanceBundle(lineAmountsMinor: readonly bigint[], totalMinor: bigint, targetIndex?: number): bigint[] {
  if (lineAmountsMinor.length === 0) throw new RangeError("a bundle with no lines cannot be balanced");
  let target = 0;
  if (targetIndex === undefined) {
    let largest = -1n;
    lineAmountsMinor.forEach((amount, i) => {
      const abs = amount < 0n ? -amount : amount;
      if (abs > largest) {
        largest = abs;
        target = i;
      }
    });
  } else {
    if (!Number.isInteger(targetIndex) || targetIndex < 0 || targetIndex >= lineAmountsMinor.length) {
      throw new RangeError(`line index ${targetIndex} is outside the bundle's ${lineAmountsMinor.length} lines`);
    }
    target = targetIndex;
  }
  const remainder = totalMinor - sumMinor(lineAmountsMinor);
  return lineAmountsMinor.map((amount, i) => (i === target ? amount + remainder : amount));
}

function assertScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > 20) throw new RangeError(`scale ${scale} is not a whole number from 0 to 20`);
}
