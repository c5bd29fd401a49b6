/**
 * The sandbox's state: what a `--data FILE` holds, what `--persist` writes, what `startSandbox({data})` takes.
 * Names shown next to ids (product_name, entity_name, …) and derived values (percentage, remaining_value,
 * status) are NOT stored; they are computed when a record is served, so they can never drift from the ids.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
// The model's schemas are zod/mini (they ship in the task pane bundle): compose them with mini's functions.
import { extend, omit } from "zod/mini";
import { ContractSchema, EntitySchema, MilestoneSchema, ProductSchema, SubscriptionSchema, UsageSchema } from "../model/records";
import { COMPONENT_TYPES, OVERAGE_INVOICE_CADENCES } from "../model/campfire-facts";

const id = z.number().int();
const isoDate = z.iso.date();
const timestamp = z.string().min(1);

export const BundleLineDataSchema = z.object({
  id,
  product: id,
  amount: z.number(),
  original_percentage: z.number().nullable().default(null),
  component_type: z.enum(COMPONENT_TYPES).nullable().optional(),
});
export type BundleLineData = z.output<typeof BundleLineDataSchema>;

export const BundleDataSchema = z.object({
  id,
  source_bundle: id.nullable().default(null),
  source_bundle_name: z.string().nullable().default(null),
  total_amount: z.number(),
  currency: z.string().min(1),
  license_term_start_date: isoDate.nullable().optional(),
  lines: z.array(BundleLineDataSchema),
  created_at: timestamp,
  last_modified_at: timestamp,
});
export type BundleData = z.output<typeof BundleDataSchema>;

/** An item row as served, minus the embedded bundle, plus the full bundle it owns (or null). */
const withBundle = { bundle: BundleDataSchema.nullable().default(null) };
export const SubscriptionDataSchema = extend(omit(SubscriptionSchema, { contract_product_bundle: true }), withBundle);
export const UsageDataSchema = extend(omit(UsageSchema, { contract_product_bundle: true }), withBundle);
export const MilestoneDataSchema = extend(omit(MilestoneSchema, { contract_product_bundle: true }), withBundle);
export type SubscriptionData = z.output<typeof SubscriptionDataSchema>;
export type UsageData = z.output<typeof UsageDataSchema>;
export type MilestoneData = z.output<typeof MilestoneDataSchema>;
export type ItemData = SubscriptionData | UsageData | MilestoneData;

export const DepartmentDataSchema = z.looseObject({ id, code: z.string().optional(), name: z.string().nullable() });
export type DepartmentData = z.output<typeof DepartmentDataSchema>;

/** Every writable field is present in the store (null or its default when unset), as Django stores it. */
export const CommitDataSchema = z.object({
  id,
  contract: id,
  name: z.string(),
  description: z.string().nullable().default(null),
  total_value: z.number(),
  currency: z.string().default("USD"),
  start_date: isoDate,
  expiration_date: isoDate.nullable().default(null),
  discount_percentage: z.number().default(0),
  rate: z.number().nullable().default(null),
  priority: z.number().int().default(1),
  entity: id.nullable().default(null),
  product: id.nullable().default(null),
  department: id.nullable().default(null),
  subledger: id.nullable().default(null),
  exchange_rate: z.number().nullable().default(null),
  exchange_rate_book: z.number().nullable().default(null),
  overage_invoice_cadence: z.enum(OVERAGE_INVOICE_CADENCES).default("monthly"),
  auto_send_overage_invoices: z.boolean().default(false),
  overage_invoice_start_month: isoDate.nullable().default(null),
  tags: z.string().nullable().default(null),
  /** Drawn down so far; remaining_value = total_value − consumed_value. Never served. */
  consumed_value: z.number().default(0),
  is_invoiced: z.boolean().default(false),
  invoice: id.nullable().default(null),
  created_at: timestamp,
  last_modified_at: timestamp,
});
export type CommitData = z.output<typeof CommitDataSchema>;

export const SandboxDataSchema = z.object({
  entities: z.array(EntitySchema),
  products: z.array(ProductSchema),
  departments: z.array(DepartmentDataSchema).default([]),
  contracts: z.array(ContractSchema),
  subscriptions: z.array(SubscriptionDataSchema).default([]),
  usage: z.array(UsageDataSchema).default([]),
  milestones: z.array(MilestoneDataSchema).default([]),
  prepaidCommits: z.array(CommitDataSchema).default([]),
});
export type SandboxData = z.output<typeof SandboxDataSchema>;
/** What a data file may omit (defaults filled in by parseSandboxData). */
export type SandboxDataInput = z.input<typeof SandboxDataSchema>;

export class SandboxDataError extends Error {
  override name = "SandboxDataError";
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not valid sandbox data:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

/**
 * Validates shape (zod) and references (every item points at a contract, every line at a product, ids
 * unique), so a hand-written data file fails at start-up with the place of each mistake, not mid-test.
 */
export function parseSandboxData(raw: unknown, source = "data"): SandboxData {
  const parsed = SandboxDataSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SandboxDataError(
      source,
      parsed.error.issues.slice(0, 20).map((i) => `${pathText(i.path) || "(top level)"}: ${i.message}`),
    );
  }
  const data = parsed.data;
  const problems: string[] = [];
  const ids = (rows: { id: number }[], where: string) => {
    const seen = new Set<number>();
    rows.forEach((r, i) => {
      if (seen.has(r.id)) problems.push(`${where}[${i}].id: duplicate id ${r.id}`);
      seen.add(r.id);
    });
    return seen;
  };
  const contracts = ids(data.contracts, "contracts");
  const products = ids(data.products, "products");
  const entities = ids(data.entities, "entities");
  const departments = ids(data.departments, "departments");
  ids(data.prepaidCommits, "prepaidCommits");
  const bundleIds = new Set<number>();
  for (const kind of ["subscriptions", "usage", "milestones"] as const) {
    const rows: ItemData[] = data[kind];
    ids(rows, kind);
    rows.forEach((row, i) => {
      if (!contracts.has(row.contract)) problems.push(`${kind}[${i}].contract: no contract with id ${row.contract}`);
      const b = row.bundle;
      if (!b) return;
      if (bundleIds.has(b.id)) problems.push(`${kind}[${i}].bundle.id: duplicate bundle id ${b.id}`);
      bundleIds.add(b.id);
      const seenProducts = new Set<number>();
      b.lines.forEach((line, j) => {
        const where = `${kind}[${i}].bundle.lines[${j}].product`;
        if (!products.has(line.product)) problems.push(`${where}: no product with id ${line.product}`);
        if (seenProducts.has(line.product)) problems.push(`${where}: product ${line.product} appears twice`);
        seenProducts.add(line.product);
      });
    });
  }
  data.prepaidCommits.forEach((c, i) => {
    if (!contracts.has(c.contract)) problems.push(`prepaidCommits[${i}].contract: no contract with id ${c.contract}`);
    if (c.entity !== null && !entities.has(c.entity)) problems.push(`prepaidCommits[${i}].entity: no entity with id ${c.entity}`);
    if (c.product !== null && !products.has(c.product)) problems.push(`prepaidCommits[${i}].product: no product with id ${c.product}`);
    if (c.department !== null && !departments.has(c.department))
      problems.push(`prepaidCommits[${i}].department: no department with id ${c.department}`);
  });
  if (problems.length) throw new SandboxDataError(source, problems.slice(0, 20));
  return data;
}

/** Reads and checks a data file (`--data FILE`, or the `--persist` file at start-up). */
export function loadDataFile(file: string): SandboxData {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SandboxDataError(file, [`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SandboxDataError(file, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseSandboxData(raw, file);
}
