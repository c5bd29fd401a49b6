/**
 * Exact decimal arithmetic for the sandbox's own rule checks. Deliberately independent of src/domain:
 * the sandbox must catch mistakes a buggy client (or buggy domain code) lets through.
 *
 * Amounts arrive as JSON numbers. Django's JSON parser turns them into Python floats and DRF then
 * reads `Decimal(str(float))`, i.e. the shortest decimal text that round-trips the double; JavaScript's
 * `String(n)` produces that same shortest text, so `decimalTextOf` is exactly what the real server sees.
 */

// The currency-decimals table is one of Campfire's facts, shared with the client (see campfire-facts.ts):
// a fact has one home; the arithmetic below stays the sandbox's own.
export { currencyDecimals } from "../model/campfire-facts";

/** A decimal as an integer count of 10^-scale. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses decimal text (with optional exponent) exactly; returns null for anything else. */
export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const [, sign, whole = "", frac = "", exp = "0"] = m;
  let digits = whole + frac;
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits += "0".repeat(-scale);
    scale = 0;
  }
  // Trailing zeros after the point say nothing about precision once the text came from a double.
  while (scale > 0 && digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    scale -= 1;
  }
  const units = BigInt(digits || "0");
  return { units: sign === "-" ? -units : units, scale };
}

/** The decimal text DRF sees for a JSON number (see the module comment). */
export function decimalTextOf(n: number): string {
  return String(n);
}

/** `value` in minor units of a currency with `decimals` places, or null if it has more places than that. */
export function toMinorUnits(value: number, decimals: number): bigint | null {
  const d = parseDecimal(decimalTextOf(value));
  if (!d || d.scale > decimals) return null;
  return d.units * 10n ** BigInt(decimals - d.scale);
}

/** Decimal places the number carries (0 for integers). */
export function decimalPlaces(value: number): number {
  return parseDecimal(decimalTextOf(value))?.scale ?? 0;
}

export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const abs = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Rounds num/den to an integer, halves away from zero. */
export function divRoundHalfAway(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError("division by zero");
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

/**
 * A line's share of its bundle as the API's `percentage` string: amount / total × 100, rounded half
 * away from zero to 2 decimals ("33.33", "-4.17"); "0.00" when the total is zero.
 */
export function percentageOf(amountMinor: bigint, totalMinor: bigint): string {
  if (totalMinor === 0n) return "0.00";
  return formatUnits(divRoundHalfAway(amountMinor * 10000n, totalMinor), 2);
}

/** a − b exactly, as a JS number (for read-only derived fields such as remaining_value). */
export function subtractExact(a: number, b: number): number {
  const x = parseDecimal(decimalTextOf(a));
  const y = parseDecimal(decimalTextOf(b));
  if (!x || !y) return a - b;
  const scale = Math.max(x.scale, y.scale);
  const units = x.units * 10n ** BigInt(scale - x.scale) - y.units * 10n ** BigInt(scale - y.scale);
  return Number(formatUnits(units, scale));
}
