/**
 * What a prepaid commit must satisfy before it is sent (PUT, POST or PATCH). Values are API-shaped:
 * dates as "YYYY-MM-DD" strings, amounts and ids as numbers. Every limit lives in COMMIT_FIELD_RULES,
 * which the messages are written from and the tests walk. Numbers are checked exactly as they will be sent
 * (`exact`): the sheet's readers have already given them Excel's 15-digit reading.
 */
import { AMOUNT_LIMIT, CURRENCY_MAX, FIELD_RANGES, NAME_MAX, OVERAGE_INVOICE_CADENCES, type FieldRange } from "../../model/campfire-facts";
import { COMMIT_WRITABLE_FIELDS, type CommitWritableField } from "../../model/records";
import { describeCell, describeRange, formatLimit, parseIsoDate, readAmount, readInteger, readNumber, textLength } from "../cell-readers";
import type { Issue, RecordRef } from "../issues";
import { minorUnitsOf } from "../money";

export type CommitFieldRule = { label: string } & (
  | { kind: "text"; required: boolean; nullable: boolean; maxLength?: number }
  /** Campfire's schema only limits the length (no case, no minimum): "usd" and "" are accepted as sent. */
  | { kind: "currency"; maxLength: number }
  /** Exclusive bounds ±limit, exact to the commit currency's minor unit. */
  | { kind: "amount"; required: boolean; limit: number }
  /** `percent`: the unit is percent as 0–100 (20 means 20%), so a cell that shows 20% means 20. */
  | { kind: "number"; nullable: boolean; min: number; minExclusive: boolean; max: number; maxExclusive: boolean; percent?: boolean }
  /** `id`: a record id, a positive whole number. */
  | { kind: "integer"; nullable: boolean; min: number; max: number; noun: string; id?: boolean }
  | { kind: "date"; required: boolean; nullable: boolean }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "boolean" }
);

const id = (noun: string) =>
  ({ kind: "integer", nullable: true, min: FIELD_RANGES.id.min, max: FIELD_RANGES.id.max, noun, id: true }) as const;

/** A number rule with a field's range from Campfire's facts. */
function numberRule(range: FieldRange, nullable: boolean) {
  const { min, max, minExclusive, maxExclusive } = range;
  return { kind: "number", nullable, min, minExclusive, max, maxExclusive } as const;
}

/** Field → rule, from Campfire's schema (campfire-facts.ts holds the numbers). */
export const COMMIT_FIELD_RULES = {
  name: { label: "name", kind: "text", required: true, nullable: false, maxLength: NAME_MAX },
  description: { label: "description", kind: "text", required: false, nullable: true },
  total_value: { label: "total value", kind: "amount", required: true, limit: AMOUNT_LIMIT },
  currency: { label: "currency", kind: "currency", maxLength: CURRENCY_MAX },
  start_date: { label: "start date", kind: "date", required: true, nullable: false },
  expiration_date: { label: "expiration date", kind: "date", required: false, nullable: true },
  discount_percentage: { label: "discount percentage", ...numberRule(FIELD_RANGES.discount_percentage, false), percent: true },
  rate: { label: "rate", ...numberRule(FIELD_RANGES.rate, true) },
  priority: {
    label: "priority",
    kind: "integer",
    nullable: false,
    min: FIELD_RANGES.priority.min,
    max: FIELD_RANGES.priority.max,
    noun: "a whole number",
  },
  entity: { label: "entity", ...id("an entity id") },
  product: { label: "product", ...id("a product id") },
  department: { label: "department", ...id("a department id") },
  subledger: { label: "subledger", ...id("a subledger id") },
  exchange_rate: { label: "exchange rate", ...numberRule(FIELD_RANGES.exchange_rate, true) },
  exchange_rate_book: { label: "book exchange rate", ...numberRule(FIELD_RANGES.exchange_rate_book, true) },
  overage_invoice_cadence: { label: "overage invoice cadence", kind: "enum", values: OVERAGE_INVOICE_CADENCES },
  auto_send_overage_invoices: { label: "auto-send overage invoices", kind: "boolean" },
  overage_invoice_start_month: { label: "overage invoice start month", kind: "date", required: false, nullable: true },
  tags: { label: "tags", kind: "text", required: false, nullable: true },
} as const satisfies Record<CommitWritableField, CommitFieldRule>;

const OR_EMPTY = ", or empty";

/** What a field allows, in plain words, e.g. "a number from 0 to 100". `scale` matters for total_value only. */
export function describeCommitRule(rule: CommitFieldRule, scale = 2, currency?: string): string {
  switch (rule.kind) {
    case "text": {
      const size = rule.maxLength === undefined ? "" : `${rule.required ? "1 to " : "at most "}${formatLimit(rule.maxLength)} characters`;
      const base = rule.required ? `text of ${size || "at least 1 character"}` : `text${size ? " of " + size : ""}`;
      return base + (rule.nullable ? OR_EMPTY : "");
    }
    case "currency":
      return `a currency code of at most ${rule.maxLength} characters, such as USD`;
    case "amount": {
      const decimals = scale === 0 ? "no decimal places" : `at most ${scale} decimal place${scale === 1 ? "" : "s"}`;
      const inCurrency = currency ? ` in ${currency}` : "";
      return `${describeRange("an amount" + inCurrency, { min: -rule.limit, max: rule.limit, minExclusive: true, maxExclusive: true })}, with ${decimals}`;
    }
    case "number":
      return describeRange("a number", rule) + (rule.nullable ? OR_EMPTY : "");
    case "integer":
      return (
        (rule.id ? `${rule.noun}: a positive whole number such as 12` : describeRange(rule.noun, rule)) + (rule.nullable ? OR_EMPTY : "")
      );
    case "date":
      return "a date such as 2026-03-01" + (rule.nullable ? OR_EMPTY : "");
    case "enum":
      return `one of: ${rule.values.join(", ")}`;
    case "boolean":
      return "true or false";
  }
}

type Problem = { message: string; allowed?: string } | null;

function typeName(value: unknown): string {
  if (typeof value === "string") return `the text ${describeCell(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return `a value of type ${typeof value}`;
}

function checkValue(rule: CommitFieldRule, value: unknown, scale: number, currency?: string): Problem {
  const label = rule.label;
  const nullable = "nullable" in rule && rule.nullable;
  if (value === null) return nullable ? null : { message: `the ${label} is empty` };
  switch (rule.kind) {
    case "text": {
      if (typeof value !== "string") return { message: `${typeName(value)} is not text` };
      if (rule.required && value.trim() === "") return { message: `the ${label} is empty` };
      if (rule.maxLength !== undefined) {
        const length = textLength(value);
        if (length > rule.maxLength) return { message: `the ${label} has ${formatLimit(length)} characters` };
      }
      return null;
    }
    case "currency": {
      if (typeof value !== "string") return { message: `${typeName(value)} is not a currency code` };
      const length = textLength(value);
      return length > rule.maxLength ? { message: `the currency ${describeCell(value)} has ${length} characters` } : null;
    }
    case "amount": {
      if (typeof value !== "number") return { message: `${typeName(value)} is not a number` };
      // The reader's wording is specific to what failed (range, decimals or significant digits).
      const read = readAmount(value, scale, { limit: rule.limit, currency, exact: true });
      return read.ok ? null : { message: read.message, allowed: read.allowed };
    }
    case "number": {
      if (typeof value !== "number") return { message: `${typeName(value)} is not a number` };
      const read = readNumber(value, { ...rule, exact: true });
      return read.ok ? null : { message: read.message };
    }
    case "integer": {
      if (typeof value !== "number") return { message: `${typeName(value)} is not a number` };
      const read = readInteger(value, { ...rule, exact: true });
      return read.ok ? null : { message: read.message };
    }
    case "date": {
      if (typeof value !== "string") return { message: `${typeName(value)} is not a date` };
      const p = parseIsoDate(value);
      if (p.ok) return null;
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { message: `${value} is not a real date: ${p.reason}` };
      return { message: `${describeCell(value)} is not a date written as year-month-day` };
    }
    case "enum":
      if (typeof value === "string" && rule.values.includes(value)) return null;
      return { message: `${typeof value === "string" ? describeCell(value) : typeName(value)} is not one of the choices` };
    case "boolean":
      return typeof value === "boolean" ? null : { message: `${typeName(value)} is not true or false` };
  }
}

function isWritable(field: string): field is CommitWritableField {
  return (COMMIT_WRITABLE_FIELDS as readonly string[]).includes(field);
}

/**
 * Every problem with a commit body. With `partial` (PATCH) no field is required; present fields are still checked.
 * `opts.currency` is the commit's currency when the draft does not carry one (it sets total_value's decimals).
 */
export function checkCommitDraft(
  ref: RecordRef,
  draft: Record<string, unknown>,
  opts: { partial?: boolean; currency?: string | undefined } = {},
): Issue[] {
  const issues: Issue[] = [];
  const currencyValue = typeof draft.currency === "string" ? draft.currency : (opts.currency ?? "");
  const currency = currencyValue.trim().toUpperCase() || undefined;
  const scale = minorUnitsOf(currency ?? "");

  for (const field of Object.keys(draft)) {
    if (isWritable(field)) continue;
    issues.push({
      record: ref,
      field,
      message: `${field} cannot be changed from Excel`,
      allowed: `only these fields: ${COMMIT_WRITABLE_FIELDS.join(", ")}`,
      value: draft[field],
    });
  }

  for (const field of COMMIT_WRITABLE_FIELDS) {
    const rule: CommitFieldRule = COMMIT_FIELD_RULES[field];
    // What is allowed is written out only for a field that fails: most fields of most commits are fine.
    const value = draft[field];
    if (value === undefined) {
      if (!opts.partial && "required" in rule && rule.required) {
        issues.push({ record: ref, field, message: `the ${rule.label} is missing`, allowed: describeCommitRule(rule, scale, currency) });
      }
      continue;
    }
    const problem = checkValue(rule, value, scale, currency);
    if (problem) {
      issues.push({
        record: ref,
        field,
        message: problem.message,
        allowed: problem.allowed ?? describeCommitRule(rule, scale, currency),
        value,
      });
    }
  }

  const start = draft.start_date;
  const end = draft.expiration_date;
  const bothDates = typeof start === "string" && typeof end === "string";
  if (bothDates && parseIsoDate(start).ok && parseIsoDate(end).ok && end < start) {
    issues.push({
      record: ref,
      field: "expiration_date",
      message: `the expiration date ${end} is before the start date ${start}`,
      allowed: `a date on or after the start date (${start}), or empty`,
      value: end,
    });
  }
  return issues;
}
