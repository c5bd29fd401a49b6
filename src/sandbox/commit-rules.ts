/**
 * The server's own check of a prepaid-commit write, with DRF's semantics for each method:
 * - POST and PUT need `name`, `total_value` and `start_date`; every writable field left out is reset to
 *   its default (null, 0, "USD", "monthly", …). That is what Django does when a full-update serializer
 *   saves a model, and it is why a client must never send a partial PUT: the fields it leaves out are lost.
 * - PATCH changes only the fields it sends.
 * Read-only and unknown fields are ignored. The result is the full set of writable fields to store.
 */
import { AMOUNT_LIMIT, CURRENCY_MAX, INT32_MAX, INT32_MIN, NAME_MAX, OVERAGE_INVOICE_CADENCES, RATE_LIMIT } from "../model/campfire-facts";
import type { CommitData } from "./data";
import {
  MSG,
  checkBoolean,
  checkChoice,
  checkDate,
  checkInteger,
  checkNumber,
  checkPk,
  checkString,
  isPlainObject,
  type Checked,
  type FieldErrors,
} from "./drf";

export type CommitFields = Pick<
  CommitData,
  | "name"
  | "description"
  | "total_value"
  | "currency"
  | "start_date"
  | "expiration_date"
  | "discount_percentage"
  | "rate"
  | "priority"
  | "entity"
  | "product"
  | "department"
  | "subledger"
  | "exchange_rate"
  | "exchange_rate_book"
  | "overage_invoice_cadence"
  | "auto_send_overage_invoices"
  | "overage_invoice_start_month"
  | "tags"
>;

/** What an omitted optional field becomes on POST and PUT. */
export const COMMIT_DEFAULTS: Omit<CommitFields, "name" | "total_value" | "start_date"> = {
  description: null,
  currency: "USD",
  expiration_date: null,
  discount_percentage: 0,
  rate: null,
  priority: 1,
  entity: null,
  product: null,
  department: null,
  subledger: null,
  exchange_rate: null,
  exchange_rate_book: null,
  overage_invoice_cadence: "monthly",
  auto_send_overage_invoices: false,
  overage_invoice_start_month: null,
  tags: null,
};

export interface CommitLookups {
  entityExists(id: number): boolean;
  productExists(id: number): boolean;
  departmentExists(id: number): boolean;
}

type FieldSpec = { nullable: boolean; check: (v: unknown, l: CommitLookups) => Checked<unknown> };

const FIELDS: Record<keyof CommitFields, FieldSpec> = {
  name: { nullable: false, check: (v) => checkString(v, { max: NAME_MAX }) },
  description: { nullable: true, check: (v) => checkString(v, { allowBlank: true }) },
  total_value: { nullable: false, check: (v) => checkNumber(v, { gt: -AMOUNT_LIMIT, lt: AMOUNT_LIMIT }) },
  currency: { nullable: false, check: (v) => checkString(v, { max: CURRENCY_MAX }) },
  start_date: { nullable: false, check: checkDate },
  expiration_date: { nullable: true, check: checkDate },
  discount_percentage: { nullable: false, check: (v) => checkNumber(v, { gte: 0, lte: 100 }) },
  rate: { nullable: true, check: (v) => checkNumber(v, { gte: 0, lt: RATE_LIMIT }) },
  priority: { nullable: false, check: (v) => checkInteger(v, INT32_MIN, INT32_MAX) },
  entity: { nullable: true, check: (v, l) => checkPk(v, (id) => l.entityExists(id)) },
  product: { nullable: true, check: (v, l) => checkPk(v, (id) => l.productExists(id)) },
  department: { nullable: true, check: (v, l) => checkPk(v, (id) => l.departmentExists(id)) },
  // No endpoint lists subledgers, so only the type can be checked.
  subledger: { nullable: true, check: (v) => checkPk(v) },
  exchange_rate: { nullable: true, check: (v) => checkNumber(v, { gt: -RATE_LIMIT, lt: RATE_LIMIT }) },
  exchange_rate_book: { nullable: true, check: (v) => checkNumber(v, { gt: -RATE_LIMIT, lt: RATE_LIMIT }) },
  overage_invoice_cadence: { nullable: false, check: (v) => checkChoice(v, OVERAGE_INVOICE_CADENCES) },
  auto_send_overage_invoices: { nullable: false, check: checkBoolean },
  overage_invoice_start_month: { nullable: true, check: checkDate },
  tags: { nullable: true, check: (v) => checkString(v, { allowBlank: true }) },
};

const REQUIRED = new Set<keyof CommitFields>(["name", "total_value", "start_date"]);

export type CommitResult = { ok: true; fields: CommitFields } | { ok: false; errors: FieldErrors };

export function checkCommitWrite(
  body: unknown,
  method: "POST" | "PUT" | "PATCH",
  existing: CommitFields | null,
  lookups: CommitLookups,
): CommitResult {
  if (body === null || body === undefined) return { ok: false, errors: { non_field_errors: [MSG.noData] } };
  if (!isPlainObject(body)) return { ok: false, errors: { non_field_errors: [MSG.notDict(body)] } };

  const errors: FieldErrors = {};
  const given: Partial<Record<keyof CommitFields, unknown>> = {};
  for (const [field, spec] of Object.entries(FIELDS) as [keyof CommitFields, FieldSpec][]) {
    if (!(field in body)) {
      if (method !== "PATCH" && REQUIRED.has(field)) errors[field] = [MSG.required];
      continue;
    }
    const v = body[field];
    if (v === null) {
      if (spec.nullable) given[field] = null;
      else errors[field] = [MSG.notNull];
      continue;
    }
    const r = spec.check(v, lookups);
    if (r.ok) given[field] = r.value;
    else errors[field] = r.errors;
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const base: Partial<CommitFields> = method === "PATCH" ? { ...existing } : { ...COMMIT_DEFAULTS };
  const fields = { ...base, ...given } as CommitFields;
  if (fields.expiration_date !== null && fields.expiration_date < fields.start_date) {
    return {
      ok: false,
      errors: {
        expiration_date: [
          `Expiration date ${fields.expiration_date} is before the start date ${fields.start_date}; it must be on or after it.`,
        ],
      },
    };
  }
  return { ok: true, fields };
}
