/**
 * The Campfire API's record shapes, written once from Campfire's published schema.
 * Every response the client receives is parsed with these; the sandbox answers with them.
 * Read shapes are lenient about extra fields (the API adds fields between versions)
 * and strict about the ones the add-in relies on.
 */
// zod/mini, not zod: the classic API's schemas carry methods that pull zod's JSON-schema code into the task
// pane bundle (issue 10). Same core, same checks, same messages once the English locale is set below.
import { z } from "zod/mini";

import {
  AMOUNT_LIMIT,
  COMMIT_STATUSES,
  COMPONENT_TYPES,
  CURRENCY_MAX,
  FIELD_RANGES,
  INT32_MAX,
  INT32_MIN,
  ITEM_TYPES,
  NAME_MAX,
  OVERAGE_INVOICE_CADENCES,
  RATE_LIMIT,
} from "./campfire-facts";

// Classic zod registers English messages itself; zod/mini leaves the locale to us. Every schema the add-in
// parses with is built here or from these, so setting it here sets it before any parse.
z.config(z.locales.en());

// The facts live in campfire-facts.ts; re-exported so callers of the schemas find them here too.
export { AMOUNT_LIMIT, COMMIT_STATUSES, CURRENCY_MAX, INT32_MAX, INT32_MIN, ITEM_TYPES, NAME_MAX, OVERAGE_INVOICE_CADENCES, RATE_LIMIT };

/** Django's DecimalField may arrive as a JSON string; accept both, keep a number. */
const numeric = z.union([z.number(), z.pipe(z.string().check(z.regex(/^-?\d+(\.\d+)?$/, "not a decimal number")), z.transform(Number))]);
/** A number strictly between -limit and limit. */
const within = (limit: number) => z.number().check(z.gt(-limit), z.lt(limit));
const amount = z.pipe(numeric, within(AMOUNT_LIMIT));
const rate14 = z.pipe(numeric, within(RATE_LIMIT));
const id = z.int();
const isoDate = z.iso.date();
const isoDateTime = z.string().check(z.minLength(1));
/** Absent, null or `schema`. */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export type ItemType = (typeof ITEM_TYPES)[number];

// ---------- allocations ----------

export const BundleLineSchema = z.object({
  id,
  product: id,
  product_name: z.string(),
  product_id_str: z.string(),
  amount,
  percentage: z.string(),
  original_percentage: z.nullable(
    z.pipe(numeric, z.number().check(z.gt(FIELD_RANGES.original_percentage.min), z.lt(FIELD_RANGES.original_percentage.max))),
  ),
  component_type: maybe(z.enum(COMPONENT_TYPES)),
});
export type BundleLine = z.infer<typeof BundleLineSchema>;

export const BundleSchema = z.object({
  id,
  source_bundle: z.nullable(id),
  source_bundle_name: z.nullable(z.string()),
  total_amount: amount,
  currency: z.string(),
  license_term_start_date: maybe(isoDate),
  lines: z.array(BundleLineSchema),
  created_at: isoDateTime,
  last_modified_at: isoDateTime,
});
export type Bundle = z.infer<typeof BundleSchema>;

export const BundleLineUpdateSchema = z.object({
  product: id,
  amount: within(AMOUNT_LIMIT),
});
export type BundleLineUpdate = z.infer<typeof BundleLineUpdateSchema>;
export const BundleUpdateSchema = z.object({ lines: z.array(BundleLineUpdateSchema) });
export type BundleUpdate = z.infer<typeof BundleUpdateSchema>;
export const BundlePatchSchema = z.partial(BundleUpdateSchema);
export type BundlePatch = z.infer<typeof BundlePatchSchema>;

/** The compact bundle embedded in subscription, usage and milestone rows. */
export const CompactBundleSchema = z.object({
  id,
  source_bundle: maybe(id),
  source_bundle_name: z.nullable(z.string()),
  total_amount: amount,
  currency: z.optional(z.string()),
  lines: z.array(
    z.object({
      id,
      product: id,
      product_name: z.string(),
      amount,
      percentage: z.string(),
      original_percentage: maybe(numeric),
    }),
  ),
});
export type CompactBundle = z.infer<typeof CompactBundleSchema>;

// ---------- prepaid commits ----------

/** Writable fields of a prepaid commit, in the order the sheet shows them. */
export const COMMIT_WRITABLE_FIELDS = [
  "name",
  "description",
  "total_value",
  "currency",
  "start_date",
  "expiration_date",
  "discount_percentage",
  "rate",
  "priority",
  "entity",
  "product",
  "department",
  "subledger",
  "exchange_rate",
  "exchange_rate_book",
  "overage_invoice_cadence",
  "auto_send_overage_invoices",
  "overage_invoice_start_month",
  "tags",
] as const;
export type CommitWritableField = (typeof COMMIT_WRITABLE_FIELDS)[number];

/**
 * Text as Campfire's serializer (DRF CharField, trim_whitespace on by default) takes it: surrounding whitespace
 * is cut before the length is checked, and the trimmed text is what gets sent. Checks run in order, so trim first.
 */
const text = (...checks: z.core.$ZodCheck<string>[]) => z.string().check(z.trim(), ...checks);

const discount = () => z.number().check(z.gte(FIELD_RANGES.discount_percentage.min), z.lte(FIELD_RANGES.discount_percentage.max));
const commitRate = () => z.number().check(z.gte(0), z.lt(RATE_LIMIT));
const priority = () => z.int().check(z.gte(INT32_MIN), z.lte(INT32_MAX));

export const CommitWriteSchema = z.object({
  name: text(z.minLength(1), z.maxLength(NAME_MAX)),
  total_value: within(AMOUNT_LIMIT),
  start_date: isoDate,
  entity: maybe(id),
  product: maybe(id),
  description: maybe(text()),
  currency: z.optional(text(z.maxLength(CURRENCY_MAX))),
  exchange_rate: maybe(within(RATE_LIMIT)),
  exchange_rate_book: maybe(within(RATE_LIMIT)),
  discount_percentage: z.optional(discount()),
  rate: maybe(commitRate()),
  expiration_date: maybe(isoDate),
  priority: z.optional(priority()),
  subledger: maybe(id),
  overage_invoice_cadence: z.optional(z.enum(OVERAGE_INVOICE_CADENCES)),
  auto_send_overage_invoices: z.optional(z.boolean()),
  overage_invoice_start_month: maybe(isoDate),
  department: maybe(id),
  tags: maybe(text()),
});
export type CommitWrite = z.infer<typeof CommitWriteSchema>;
export const CommitPatchSchema = z.partial(CommitWriteSchema);
export type CommitPatch = z.infer<typeof CommitPatchSchema>;

export const PrepaidCommitSchema = z.object({
  id,
  contract: id,
  entity: maybe(id),
  entity_name: z.nullable(z.string()),
  product: maybe(id),
  product_name: z.nullable(z.string()),
  name: z.string(),
  description: maybe(z.string()),
  currency: z.optional(z.string()),
  exchange_rate: maybe(rate14),
  exchange_rate_book: maybe(rate14),
  total_value: amount,
  remaining_value: amount,
  discount_percentage: z.optional(z.pipe(numeric, discount())),
  rate: maybe(z.pipe(numeric, commitRate())),
  start_date: isoDate,
  expiration_date: maybe(isoDate),
  status: z.enum(COMMIT_STATUSES),
  priority: z.optional(priority()),
  is_invoiced: z.boolean(),
  invoice: z.nullable(id),
  subledger: maybe(id),
  // Left open: a later schema copy adds `custom`; the rules decide what may be written.
  overage_invoice_cadence: z.optional(z.string()),
  auto_send_overage_invoices: z.optional(z.boolean()),
  overage_invoice_start_month: maybe(isoDate),
  department: maybe(id),
  department_name: z.nullable(z.string()),
  tags: maybe(z.string()),
  created_at: z.nullable(isoDateTime),
  last_modified_at: z.nullable(isoDateTime),
});
export type PrepaidCommit = z.infer<typeof PrepaidCommitSchema>;

// ---------- contracts and items ----------

export const ContractSchema = z.looseObject({
  id,
  deal_name: maybe(z.string()),
  deal_id: maybe(z.string()),
  client: maybe(id),
  client_name: maybe(z.string()),
  entity: maybe(id),
  entity_name: maybe(z.string()),
  currency: z.optional(z.string()),
  status: z.optional(z.string()),
  contract_start_date: maybe(isoDate),
  contract_end_date: maybe(isoDate),
  total_contract_value: maybe(numeric),
  last_modified_at: z.optional(isoDateTime),
});
export type Contract = z.infer<typeof ContractSchema>;

const itemBase = {
  id,
  contract: id,
  product: maybe(id),
  product_name: maybe(z.string()),
  product_bundle_name: maybe(z.string()),
  contract_product_bundle: maybe(CompactBundleSchema),
};

export const SubscriptionSchema = z.looseObject({
  ...itemBase,
  total_value: maybe(numeric),
  start_date: maybe(isoDate),
  end_date: maybe(isoDate),
  last_modified_at: maybe(isoDateTime),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const UsageSchema = z.looseObject({
  ...itemBase,
  description: maybe(z.string()),
  start_date: maybe(isoDate),
  end_date: maybe(isoDate),
  last_modified_at: maybe(isoDateTime),
});
export type Usage = z.infer<typeof UsageSchema>;

export const MilestoneSchema = z.looseObject({
  ...itemBase,
  milestone_name: z.string(),
  milestone_date: isoDate,
  amount,
  last_modified_at: maybe(isoDateTime),
});
export type Milestone = z.infer<typeof MilestoneSchema>;

// ---------- lookups ----------

export const ProductSchema = z.looseObject({
  id,
  product_id: maybe(z.string()),
  product_name: maybe(z.string()),
  display_name: maybe(z.string()),
  currency: maybe(z.string()),
});
export type Product = z.infer<typeof ProductSchema>;

export const EntitySchema = z.looseObject({
  id,
  name: maybe(z.string()),
  currency: z.optional(z.string()),
  active: z.optional(z.boolean()),
});
export type Entity = z.infer<typeof EntitySchema>;

// ---------- envelopes ----------

export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({
    count: z.int().check(z.gte(0)),
    next: maybe(z.string()),
    previous: maybe(z.string()),
    results: z.array(item),
  });
}
export type Page<T> = { count: number; next?: string | null; previous?: string | null; results: T[] };

/** Django REST framework's error body: `{detail}` or `{field: [msg], lines: [{amount: [msg]}], non_field_errors: [...]}`. */
export type DrfErrorBody = { detail?: string } & Record<string, unknown>;
