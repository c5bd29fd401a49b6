/**
 * Campfire records as rows of cell values for spilled results.
 *
 * - Dates and date-times become Excel serial numbers (date-times in UTC, with the time as a fraction), so the
 *   user can format them and compute with them; numbers stay numbers (a bundle line's `percentage` string too).
 * - Empty values (null, missing) become "": Excel turns a null inside a returned array into 0 (by design, see
 *   OfficeDev/office-js#1503), and 0 would read as a real amount or id.
 * - Text is returned as it is. A custom function's result is a value, never parsed like typed input, so text
 *   such as "=HYPERLINK(...)" from Campfire shows as text and never becomes a formula (no apostrophe needed,
 *   unlike range.values writes, and one would show).
 */
import { isoDateTimeToSerial, isoDateToSerial } from "../domain/cell-readers";
import type { Bundle, BundleLine, Contract, ItemType, Milestone, PrepaidCommit, Subscription, Usage } from "../model/records";
import { PrepaidCommitSchema } from "../model/records";

export type Cell = string | number | boolean;
export type Kind = "text" | "number" | "date" | "datetime" | "boolean";

export interface Column<R> {
  /** Header text, also the `field` argument's name. */
  name: string;
  kind: Kind;
  get: (record: R) => unknown;
}

export function toCell(value: unknown, kind: Kind): Cell {
  if (value === null || value === undefined || value === "") return "";
  switch (kind) {
    case "date":
      return typeof value === "string" ? safeSerial(value, isoDateToSerial) : "";
    case "datetime":
      return typeof value === "string" ? safeSerial(value, (v) => isoDateTimeToSerial(v)) : "";
    case "number":
      if (typeof value === "number") return Number.isFinite(value) ? value : "";
      if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
      return String(value);
    case "boolean":
      return typeof value === "boolean" ? value : String(value);
    case "text":
      return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? value : JSON.stringify(value);
  }
}

/** A date Excel cannot show (before 1900) stays as its ISO text rather than failing the whole result. */
function safeSerial(iso: string, convert: (iso: string) => number): Cell {
  try {
    return convert(iso);
  } catch {
    return iso;
  }
}

export function rowOf<R>(record: R, columns: readonly Column<R>[]): Cell[] {
  return columns.map((column) => toCell(column.get(record), column.kind));
}

export function headerOf<R>(columns: readonly Column<R>[]): Cell[] {
  return columns.map((column) => column.name);
}

/** Looks a column up by the user's `field` text, ignoring case and surrounding spaces. */
export function findColumn<R>(columns: readonly Column<R>[], field: string): Column<R> | undefined {
  const wanted = field.trim().toLowerCase();
  return columns.find((column) => column.name === wanted);
}

const field =
  <R>(kind: Kind) =>
  (name: keyof R & string): Column<R> => ({ name, kind, get: (r) => r[name] });

// ---------- bundle lines (ALLOCATIONS) ----------

export const LINE_COLUMNS: readonly Column<BundleLine>[] = [
  { name: "line_id", kind: "number", get: (l) => l.id },
  { name: "product_id", kind: "number", get: (l) => l.product },
  { name: "product_code", kind: "text", get: (l) => l.product_id_str },
  { name: "product_name", kind: "text", get: (l) => l.product_name },
  { name: "amount", kind: "number", get: (l) => l.amount },
  { name: "percentage", kind: "number", get: (l) => l.percentage },
  { name: "original_percentage", kind: "number", get: (l) => l.original_percentage },
];

// ---------- bundle (BUNDLE) ----------

export const BUNDLE_COLUMNS: readonly Column<Bundle>[] = [
  { name: "bundle_id", kind: "number", get: (b) => b.id },
  { name: "source_bundle", kind: "number", get: (b) => b.source_bundle },
  { name: "source_bundle_name", kind: "text", get: (b) => b.source_bundle_name },
  { name: "total_amount", kind: "number", get: (b) => b.total_amount },
  { name: "currency", kind: "text", get: (b) => b.currency },
  { name: "line_count", kind: "number", get: (b) => b.lines.length },
  { name: "license_term_start_date", kind: "date", get: (b) => b.license_term_start_date },
  { name: "created_at", kind: "datetime", get: (b) => b.created_at },
  { name: "last_modified_at", kind: "datetime", get: (b) => b.last_modified_at },
];

// ---------- prepaid commits (PREPAIDCOMMITS, PREPAIDCOMMIT) ----------

const COMMIT_KINDS: Partial<Record<keyof PrepaidCommit, Kind>> = {
  name: "text",
  description: "text",
  currency: "text",
  entity_name: "text",
  product_name: "text",
  department_name: "text",
  status: "text",
  overage_invoice_cadence: "text",
  tags: "text",
  start_date: "date",
  expiration_date: "date",
  overage_invoice_start_month: "date",
  created_at: "datetime",
  last_modified_at: "datetime",
  is_invoiced: "boolean",
  auto_send_overage_invoices: "boolean",
};

/** Every field of the record, in the schema's order (ids, amounts, rates and priority are numbers). */
export const COMMIT_COLUMNS: readonly Column<PrepaidCommit>[] = (
  Object.keys(PrepaidCommitSchema.shape) as (keyof PrepaidCommit & string)[]
).map((name) => field<PrepaidCommit>(COMMIT_KINDS[name] ?? "number")(name));

// ---------- contracts (CONTRACTS) ----------

const contractField = field<Contract>;
export const CONTRACT_COLUMNS: readonly Column<Contract>[] = [
  contractField("number")("id"),
  contractField("text")("deal_name"),
  contractField("text")("deal_id"),
  contractField("number")("client"),
  contractField("text")("client_name"),
  contractField("number")("entity"),
  contractField("text")("entity_name"),
  contractField("text")("currency"),
  contractField("text")("status"),
  contractField("date")("contract_start_date"),
  contractField("date")("contract_end_date"),
  contractField("number")("total_contract_value"),
  contractField("datetime")("last_modified_at"),
];

// ---------- contract items (ITEMS) ----------

export interface ItemRow {
  itemType: ItemType;
  item: Subscription | Usage | Milestone;
}

const itemText = (row: ItemRow): unknown =>
  "milestone_name" in row.item ? row.item.milestone_name : "description" in row.item ? row.item.description : null;
const itemStart = (row: ItemRow): unknown =>
  "milestone_date" in row.item ? row.item.milestone_date : "start_date" in row.item ? row.item.start_date : null;
const itemEnd = (row: ItemRow): unknown => ("end_date" in row.item ? row.item.end_date : null);

export const ITEM_COLUMNS: readonly Column<ItemRow>[] = [
  { name: "item_type", kind: "text", get: (r) => r.itemType },
  { name: "item_id", kind: "number", get: (r) => r.item.id },
  { name: "product_id", kind: "number", get: (r) => r.item.product },
  { name: "product_name", kind: "text", get: (r) => r.item.product_name },
  { name: "description", kind: "text", get: itemText },
  { name: "start_date", kind: "date", get: itemStart },
  { name: "end_date", kind: "date", get: itemEnd },
  { name: "bundle_id", kind: "number", get: (r) => r.item.contract_product_bundle?.id },
  { name: "bundle_name", kind: "text", get: (r) => r.item.product_bundle_name ?? r.item.contract_product_bundle?.source_bundle_name },
  { name: "bundle_total", kind: "number", get: (r) => r.item.contract_product_bundle?.total_amount },
  { name: "bundle_currency", kind: "text", get: (r) => r.item.contract_product_bundle?.currency },
];
