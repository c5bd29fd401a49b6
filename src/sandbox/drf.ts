/**
 * Django REST framework's wording for validation errors, and the field checks that produce it.
 * Messages are DRF's own where DRF has one, so the add-in is exercised against the text Campfire sends.
 * The sandbox is stricter than DRF in one way: numbers, integers and booleans must be JSON numbers and
 * booleans ("12.50" or "true" as strings are rejected), because a client that sends cell text as-is
 * has a bug even where the real server happens to coerce it.
 */
import { ID_MIN } from "../model/campfire-facts";

export type FieldErrors = Record<string, unknown>;
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export const MSG = {
  required: "This field is required.",
  notNull: "This field may not be null.",
  blank: "This field may not be blank.",
  notString: "Not a valid string.",
  number: "A valid number is required.",
  integer: "A valid integer is required.",
  boolean: "Must be a valid boolean.",
  date: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  gt: (n: string) => `Ensure this value is greater than ${n}.`,
  gte: (n: string) => `Ensure this value is greater than or equal to ${n}.`,
  lt: (n: string) => `Ensure this value is less than ${n}.`,
  lte: (n: string) => `Ensure this value is less than or equal to ${n}.`,
  decimalPlaces: (n: number) => `Ensure that there are no more than ${n} decimal places.`,
  choice: (v: unknown) => `"${String(v)}" is not a valid choice.`,
  pkType: (v: unknown) => `Incorrect type. Expected pk value, received ${pythonType(v)}.`,
  pkMissing: (v: unknown) => `Invalid pk "${String(v)}" - object does not exist.`,
  notList: (v: unknown) => `Expected a list of items but got type "${pythonType(v)}".`,
  notDict: (v: unknown) => `Invalid data. Expected a dictionary, but got ${pythonType(v)}.`,
  noData: "No data provided",
};

/** The Python type name DRF puts in its messages for a parsed JSON value. */
export function pythonType(v: unknown): string {
  if (v === null) return "NoneType";
  if (Array.isArray(v)) return "list";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  return "dict";
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** DRF's CharField trims surrounding whitespace before validating and storing. */
export function checkString(v: unknown, opts: { max?: number; allowBlank?: boolean }): Checked<string> {
  if (typeof v !== "string") return { ok: false, errors: [MSG.notString] };
  const s = v.trim();
  if (!s && !opts.allowBlank) return { ok: false, errors: [MSG.blank] };
  // Python counts code points, not UTF-16 units.
  if (opts.max !== undefined && [...s].length > opts.max) return { ok: false, errors: [MSG.maxLength(opts.max)] };
  return { ok: true, value: s };
}

export interface NumberBounds {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

const boundText = (n: number) => (Math.abs(n) >= 1e15 ? BigInt(n).toString() : String(n));

export function checkNumber(v: unknown, bounds: NumberBounds): Checked<number> {
  if (typeof v !== "number" || !Number.isFinite(v)) return { ok: false, errors: [MSG.number] };
  const errors: string[] = [];
  if (bounds.gt !== undefined && !(v > bounds.gt)) errors.push(MSG.gt(boundText(bounds.gt)));
  if (bounds.gte !== undefined && !(v >= bounds.gte)) errors.push(MSG.gte(boundText(bounds.gte)));
  if (bounds.lt !== undefined && !(v < bounds.lt)) errors.push(MSG.lt(boundText(bounds.lt)));
  if (bounds.lte !== undefined && !(v <= bounds.lte)) errors.push(MSG.lte(boundText(bounds.lte)));
  return errors.length ? { ok: false, errors } : { ok: true, value: v };
}

export function checkInteger(v: unknown, min: number, max: number): Checked<number> {
  if (typeof v !== "number" || !Number.isInteger(v)) return { ok: false, errors: [MSG.integer] };
  if (v < min) return { ok: false, errors: [MSG.gte(String(min))] };
  if (v > max) return { ok: false, errors: [MSG.lte(String(max))] };
  return { ok: true, value: v };
}

export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !isLeap(y) ? 1 : 0);
  return d <= daysInMonth;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function checkDate(v: unknown): Checked<string> {
  return typeof v === "string" && isRealDate(v) ? { ok: true, value: v } : { ok: false, errors: [MSG.date] };
}

export function checkBoolean(v: unknown): Checked<boolean> {
  return typeof v === "boolean" ? { ok: true, value: v } : { ok: false, errors: [MSG.boolean] };
}

export function checkChoice<T extends string>(v: unknown, choices: readonly T[]): Checked<T> {
  return typeof v === "string" && (choices as readonly string[]).includes(v)
    ? { ok: true, value: v as T }
    : { ok: false, errors: [MSG.choice(typeof v === "string" ? v : JSON.stringify(v))] };
}

/** A primary-key reference: JSON integer, and (when `exists` is given) one that names an existing row. */
export function checkPk(v: unknown, exists?: (id: number) => boolean): Checked<number> {
  if (typeof v !== "number" || !Number.isInteger(v)) return { ok: false, errors: [MSG.pkType(v)] };
  // Primary keys start at ID_MIN (Campfire's facts): no object has a smaller one, listed or not.
  if (v < ID_MIN || (exists && !exists(v))) return { ok: false, errors: [MSG.pkMissing(v)] };
  return { ok: true, value: v };
}
