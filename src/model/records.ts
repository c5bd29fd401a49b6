/**
 * The Campfire API's record shapes, written once from Campfire's published schema.
 * Every response the client receives is parsed with these; the sandbox answers with them.
 * Read shapes are lenient about extra fields (the API adds fields between versions)
 * and strict about the ones the add-in relies on.
 */
import { z } from "zod";

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

// The facts live in campfire-facts.ts; re-exported so callers of the schemas find them here too.
export {
  AMOUNT_LIMIT,
  COMMIT_STATUSES,
  CURRENCY_MAX,
  INT32_MAX,
  INT32_MIN,
  ITEM_TYPES,
  NAME_MAX,
  OVERAGE_INVOICE_CADENCES,
  RATE_LIMIT,
};

/** Django's DecimalField may arrive as a JSON string; accept both, keep a number. */
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, "not a decimal number")
    .transform(Number),
]);
const amount = numeric.pipe(z.number().gt(-AMOUNT_LIMIT).lt(AMOUNT_LIMIT));
const rate14 = numeric.pipe(z.number().gt(-RATE_LIMIT).lt(RATE_LIMIT));
const id = z.number().int();
const isoDate = z.iso.date();
const isoDateTime = z.string().min(1);

export type ItemType = (typeof ITEM_TYPES)[number];

// ---------- allocations ----------

export const BundleLineSchema = z.object({
  id,
  product: id,
  product_name: z.string(),
  product_id_str: z.string(),
  amount,
  percentage: z.string(),
  original_percentage: numeric.pipe(z.number().gt(FIELD_RANGES.original_percentage.min).lt(FIELD_RANGES.original_percentage.max)).nullable(),
  component_type: z.enum(COMPONENT_TYPES).nullable().optional(),
});
export type BundleLine = z.infer<typeof BundleLineSchema>;

export const BundleSchema = z.object({
  id,
  source_bundle: id.nullable(),
  source_bundle_name: z.string().nullable(),
  total_amount: amount,
  currency: z.string(),
  license_term_start_date: isoDate.nullable().optional(),
  lines: z.array(BundleLineSchema),
  created_at: isoDateTime,
  last_modified_at: isoDateTime,
});
export type Bundle = z.infer<typeof BundleSchema>;

export const BundleLineUpdateSchema = z.object({
  product: id,
  amount: z.number().gt(-AMOUNT_LIMIT).lt(AMOUNT_LIMIT),
});
export type BundleLineUpdate = z.infer<typeof BundleLineUpdateSchema>;
export const BundleUpdateSchema = z.object({ lines: z.array(BundleLineUpdateSchema) });
export type BundleUpdate = z.infer<typeof BundleUpdateSchema>;
export const BundlePatchSchema = BundleUpdateSchema.partial();
export type BundlePatch = z.infer<typeof BundlePatchSchema>;

/** The compact bundle embedded in subscription, usage and milestone rows. */
export const CompactBundleSchema = z.object({
  id,
  source_bundle: id.nullable().optional(),
  source_bundle_name: z.string().nullable(),
  total_amount: amount,
  currency: z.string().optional(),
  lines: z.array(
    z.object({
      id,
      product: id,
      product_name: z.string(),
      amount,
      percentage: z.string(),
      original_percentage: numeric.nullable().optional(),
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
const text = () => z.string().trim();

export const CommitWriteSchema = z.object({
  name: text().min(1).max(NAME_MAX),
  total_value: z.number().gt(-AMOUNT_LIMIT).lt(AMOUNT_LIMIT),
  start_date: isoDate,
  entity: id.nullable().optional(),
  product: id.nullable().optional(),
  description: text().nullable().optional(),
  currency: text().max(CURRENCY_MAX).optional(),
  exchange_rate: z.number().gt(-RATE_LIMIT).lt(RATE_LIMIT).nullable().optional(),
  exchange_rate_book: z.number().gt(-RATE_LIMIT).lt(RATE_LIMIT).nullable().optional(),
  discount_percentage: z.number().min(FIELD_RANGES.discount_percentage.min).max(FIELD_RANGES.discount_percentage.max).optional(),
  rate: z.number().min(0).lt(RATE_LIMIT).nullable().optional(),
  expiration_date: isoDate.nullable().optional(),
  priority: z.number().int().min(INT32_MIN).max(INT32_MAX).optional(),
  subledger: id.nullable().optional(),
  overage_invoice_cadence: z.enum(OVERAGE_INVOICE_CADENCES).optional(),
  auto_send_overage_invoices: z.boolean().optional(),
  overage_invoice_start_month: isoDate.nullable().optional(),
  department: id.nullable().optional(),
  tags: text().nullable().optional(),
});
export type CommitWrite = z.infer<typeof CommitWriteSchema>;
export const CommitPatchSchema = CommitWriteSchema.partial();
export type CommitPatch = z.infer<typeof CommitPatchSchema>;

export const PrepaidCommitSchema = z.object({
  id,
  contract: id,
  entity: id.nullable().optional(),
  entity_name: z.string().nullable(),
  product: id.nullable().optional(),
  product_name: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable().optional(),
  currency: z.string().optional(),
  exchange_rate: rate14.nullable().optional(),
  exchange_rate_book: rate14.nullable().optional(),
  total_value: amount,
  remaining_value: amount,
  discount_percentage: numeric.pipe(z.number().min(FIELD_RANGES.discount_percentage.min).max(FIELD_RANGES.discount_percentage.max)).optional(),
  rate: numeric.pipe(z.number().min(0).lt(RATE_LIMIT)).nullable().optional(),
  start_date: isoDate,
  expiration_date: isoDate.nullable().optional(),
  status: z.enum(COMMIT_STATUSES),
  priority: z.number().int().min(INT32_MIN).max(INT32_MAX).optional(),
  is_invoiced: z.boolean(),
  invoice: id.nullable(),
  subledger: id.nullable().optional(),
  // Left open: a later schema copy adds `custom`; the rules decide what may be written.
  overage_invoice_cadence: z.string().optional(),
  auto_send_overage_invoices: z.boolean().optional(),
  overage_invoice_start_month: isoDate.nullable().optional(),
  department: id.nullable().optional(),
  department_name: z.string().nullable(),
  tags: z.string().nullable().optional(),
  created_at: isoDateTime.nullable(),
  last_modified_at: isoDateTime.nullable(),
});
export type PrepaidCommit = z.infer<typeof PrepaidCommitSchema>;

// ---------- contracts and items ----------

export const ContractSchema = z.looseObject({
  id,
  deal_name: z.string().nullable().optional(),
  deal_id: z.string().nullable().optional(),
  client: id.nullable().optional(),
  client_name: z.string().nullable().optional(),
  entity: id.nullable().optional(),
  entity_name: z.string().nullable().optional(),
  currency: z.string().optional(),
  status: z.string().optional(),
  contract_start_date: isoDate.nullable().optional(),
  contract_end_date: isoDate.nullable().optional(),
  total_contract_value: numeric.nullable().optional(),
  last_modified_at: isoDateTime.optional(),
});
export type Contract = z.infer<typeof ContractSchema>;

const itemBase = {
  id,
  contract: id,
  product: id.nullable().optional(),
  product_name: z.string().nullable().optional(),
  product_bundle_name: z.string().nullable().optional(),
  contract_product_bundle: CompactBundleSchema.nullable().optional(),
};

export const SubscriptionSchema = z.looseObject({
  ...itemBase,
  total_value: numeric.nullable().optional(),
  start_date: isoDate.nullable().optional(),
  end_date: isoDate.nullable().optional(),
  last_modified_at: isoDateTime.nullable().optional(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const UsageSchema = z.looseObject({
  ...itemBase,
  description: z.string().nullable().optional(),
  start_date: isoDate.nullable().optional(),
  end_date: isoDate.nullable().optional(),
  last_modified_at: isoDateTime.nullable().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const MilestoneSchema = z.looseObject({
  ...itemBase,
  milestone_name: z.string(),
  milestone_date: isoDate,
  amount,
  last_modified_at: isoDateTime.nullable().optional(),
});
export type Milestone = z.infer<typeof MilestoneSchema>;

// ---------- lookups ----------

export const ProductSchema = z.looseObject({
  id,
  product_id: z.string().nullable().optional(),
  product_name: z.string().nullable().optional(),
  display_name: z.string().nullable().optional(),
  currency: z.string().nullable().optional(),
});
export type Product = z.infer<typeof ProductSchema>;

export const EntitySchema = z.looseObject({
  id,
  name: z.string().nullable().optional(),
  currency: z.string().optional(),
  active: z.boolean().optional(),
});
export type Entity = z.infer<typeof EntitySchema>;

// ---------- envelopes ----------

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int().min(0),
    next: z.string().nullable().optional(),
    previous: z.string().nullable().optional(),
    results: z.array(item),
  });
}
export type Page<T> = { count: number; next?: string | null; previous?: string | null; results: T[] };

/** Django REST framework's error body: `{detail}` or `{field: [msg], lines: [{amount: [msg]}], non_field_errors: [...]}`. */
export type DrfErrorBody = { detail?: string } & Record<string, unknown>;
