/**
 * The Prepaid commits table: one row per commit, every writable field editable, the read-only ones shown
 * beside them. Field codecs come from COMMIT_FIELD_RULES, so the sheet and the rules never disagree on a
 * field's kind.
 */
import { AMOUNT_LIMIT, COMMIT_WRITABLE_FIELDS, type CommitWritableField, type CommitWrite, type PrepaidCommit } from "../../model/records";
import { readAmount, readBoolean, readDate, readEnum, readInteger, readNumber, readText, type CellResult } from "../cell-readers";
import type { RecordRef } from "../issues";
import { formatMinorGrouped, minorUnitsOf, toMinor, toPlainDecimal } from "../money";
import { COMMIT_FIELD_RULES, describeCommitRule, type CommitFieldRule } from "../rules/prepaid-commits";
import { booleanCell, dateCell, dateTimeCell, numberCell, textCell, type UtcOffset } from "./cell-writers";
import type { SheetCell, SheetColumn, SheetFormat, SheetLayout } from "./layout";

const FIELD_HEADERS: Record<CommitWritableField, string> = {
  name: "Name",
  description: "Description",
  total_value: "Total value",
  currency: "Currency",
  start_date: "Start date",
  expiration_date: "Expiration date",
  discount_percentage: "Discount %",
  rate: "Rate",
  priority: "Priority",
  entity: "Entity ID",
  product: "Product ID",
  department: "Department ID",
  subledger: "Subledger ID",
  exchange_rate: "Exchange rate",
  exchange_rate_book: "Book exchange rate",
  overage_invoice_cadence: "Overage invoice cadence",
  auto_send_overage_invoices: "Auto-send overage invoices",
  overage_invoice_start_month: "Overage invoice start month",
  tags: "Tags",
};

function formatOf(rule: CommitFieldRule): SheetFormat {
  switch (rule.kind) {
    case "text":
    case "currency":
      return "text";
    case "amount":
      return "amount";
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "date":
      return "date";
    case "enum":
      return "enum";
    case "boolean":
      return "boolean";
  }
}

/** The name Campfire gives each id a commit refers to, shown right after the id (read-only). */
const NAME_COLUMNS = [
  { key: "entity_name", header: "Entity", format: "text", editable: false },
  { key: "product_name", header: "Product", format: "text", editable: false },
  { key: "department_name", header: "Department", format: "text", editable: false },
] as const;

const NAME_AFTER: Partial<Record<CommitWritableField, (typeof NAME_COLUMNS)[number]>> = {
  entity: NAME_COLUMNS[0],
  product: NAME_COLUMNS[1],
  department: NAME_COLUMNS[2],
};

const READ_ONLY_COLUMNS = [
  { key: "commit_status", header: "Commit status", format: "text", editable: false },
  { key: "remaining_value", header: "Remaining value", format: "amount", editable: false, currencyColumn: "currency" },
  { key: "is_invoiced", header: "Invoiced", format: "boolean", editable: false },
  { key: "invoice", header: "Invoice ID", format: "integer", editable: false },
  { key: "created_at", header: "Created", format: "datetime", editable: false },
  { key: "last_modified_at", header: "Last modified", format: "datetime", editable: false },
] as const;

export type CommitColumnKey =
  | "contract_id"
  | "commit_id"
  | CommitWritableField
  | (typeof READ_ONLY_COLUMNS)[number]["key"]
  | (typeof NAME_COLUMNS)[number]["key"]
  | "status"
  | "check";

export const COMMIT_COLUMNS: readonly SheetColumn<CommitColumnKey>[] = [
  { key: "contract_id", header: "Contract ID", format: "integer", editable: false, required: true },
  { key: "commit_id", header: "Commit ID", format: "integer", editable: false, required: true },
  // Every writable field right after the identity, each id followed by its name.
  ...COMMIT_WRITABLE_FIELDS.flatMap((field): SheetColumn<CommitColumnKey>[] => {
    const rule: CommitFieldRule = COMMIT_FIELD_RULES[field];
    const column: SheetColumn<CommitColumnKey> = { key: field, header: FIELD_HEADERS[field], format: formatOf(rule), editable: true };
    if (rule.kind === "enum") column.enumValues = rule.values;
    if (rule.kind === "number" && rule.percent) column.unit = "percent";
    if (rule.kind === "amount") column.currencyColumn = "currency";
    const name = NAME_AFTER[field];
    return name ? [column, name] : [column];
  }),
  ...READ_ONLY_COLUMNS,
  { key: "status", header: "Status", format: "text", editable: false, owned: true },
  { key: "check", header: "Check", format: "text", editable: false, owned: true },
];

export const COMMITS_LAYOUT: SheetLayout<CommitColumnKey> = {
  sheetName: "Prepaid commits",
  tableName: "CampfirePrepaidCommits",
  columns: COMMIT_COLUMNS,
};

export const COMMIT_IDENTITY: readonly CommitColumnKey[] = ["contract_id", "commit_id"];

export function commitKey(contractId: number, commitId: number): string {
  return `${contractId}:${commitId}`;
}

export function commitRef(contractId: number, commitId: number | null, name?: string | null): RecordRef & { kind: "commit" } {
  const ref: RecordRef & { kind: "commit" } = { kind: "commit", contractId, commitId };
  if (name) ref.label = name;
  return ref;
}

export function fieldHeader(field: CommitWritableField): string {
  return FIELD_HEADERS[field];
}

/** The decimals of a commit's amounts. */
export function commitScale(currency: string | null | undefined): number {
  return minorUnitsOf(currency ?? "");
}

/** A writable field's value as its cell. */
export function commitFieldCell(field: CommitWritableField, value: unknown): SheetCell {
  const rule: CommitFieldRule = COMMIT_FIELD_RULES[field];
  if (value === null || value === undefined) return "";
  switch (rule.kind) {
    case "text":
    case "currency":
    case "enum":
      return textCell(String(value));
    case "amount":
    case "number":
    case "integer":
      return typeof value === "number" ? value : numberCell(Number(value));
    case "date":
      return dateCell(String(value));
    case "boolean":
      return booleanCell(Boolean(value));
  }
}

export function commitCells(commit: PrepaidCommit, offset?: UtcOffset): Record<CommitColumnKey, SheetCell> {
  const fields = {} as Record<CommitWritableField, SheetCell>;
  for (const field of COMMIT_WRITABLE_FIELDS) fields[field] = commitFieldCell(field, commit[field]);
  return {
    contract_id: commit.contract,
    commit_id: commit.id,
    ...fields,
    commit_status: textCell(commit.status),
    remaining_value: commit.remaining_value,
    entity_name: textCell(commit.entity_name),
    product_name: textCell(commit.product_name),
    department_name: textCell(commit.department_name),
    is_invoiced: commit.is_invoiced,
    invoice: numberCell(commit.invoice),
    created_at: dateTimeCell(commit.created_at, offset),
    last_modified_at: dateTimeCell(commit.last_modified_at, offset),
    status: "",
    check: "",
  };
}

export function commitRows(commits: readonly PrepaidCommit[], offset?: UtcOffset): SheetCell[][] {
  return commits.map((commit) => {
    const cells = commitCells(commit, offset);
    return COMMIT_COLUMNS.map((c) => cells[c.key]);
  });
}

/**
 * A cell as the API value of a writable field. Range and format rules (name length, dates in order, ...) are
 * left to checkCommitDraft; this only says whether the cell holds the right kind of value at all.
 */
/** The largest whole number every digit of which a number cell keeps (15 significant digits). */
const LONGEST_EXACT_INTEGER = 999_999_999_999_999;

/** Keeps the readers' "(without a % sign)" when a field's own "allowed" text replaces theirs. */
function percentHint(allowed: string): string {
  return allowed.endsWith("(without a % sign)") ? " (without a % sign)" : "";
}

export function readCommitField(field: CommitWritableField, cell: SheetCell | undefined, currency: string): CellResult<unknown> {
  const rule: CommitFieldRule = COMMIT_FIELD_RULES[field];
  switch (rule.kind) {
    case "text":
      return rule.nullable ? readText(cell, { nullable: true }) : readText(cell);
    case "currency": {
      const text = readText(cell);
      return text.ok ? { ok: true, value: text.value.trim() } : text;
    }
    case "amount": {
      const amount = readAmount(cell, commitScale(currency), { limit: AMOUNT_LIMIT, currency: currency || undefined });
      return amount.ok ? { ok: true, value: amount.value } : amount;
    }
    case "number": {
      // Range checks are checkCommitDraft's (on the value as sent); a cell that is no number at all says what the
      // field allows, from Campfire's facts (and, for a typed "5%", how to type it).
      const read = readNumber(cell, { nullable: rule.nullable, percent: rule.percent ?? false });
      return read.ok ? read : { ...read, allowed: describeCommitRule(rule) + percentHint(read.allowed) };
    }
    case "integer": {
      const read = readInteger(cell, { nullable: rule.nullable, min: rule.min, max: rule.max });
      if (!read.ok) return { ...read, allowed: describeCommitRule(rule) + percentHint(read.allowed) };
      // Read only for a cell the user changed: a number cell keeps 15 significant digits, so an id typed with more
      // has had its last digits turned into 0 by Excel — not the id that was typed. As text it keeps every digit.
      if (typeof cell === "number" && read.value !== null && Math.abs(read.value) > LONGEST_EXACT_INTEGER) {
        return {
          ok: false,
          message: `${read.value} has more than 15 digits, so Excel changed the digits after the 15th to 0`,
          allowed: `${describeCommitRule(rule)}; type a longer id as text, with an apostrophe first ('${read.value})`,
        };
      }
      return read;
    }
    case "date":
      return rule.nullable ? readDate(cell, { nullable: true }) : readDate(cell);
    case "enum":
      return readEnum(cell, rule.values);
    case "boolean":
      return readBoolean(cell);
  }
}

/** Whether two values of a field are the same for Campfire (money to the minor unit, empty text = null). */
export function sameFieldValue(field: CommitWritableField, a: unknown, b: unknown, currency: string): boolean {
  const rule: CommitFieldRule = COMMIT_FIELD_RULES[field];
  const blank = (v: unknown) => v === null || v === undefined || v === "";
  if (blank(a) || blank(b)) return blank(a) && blank(b);
  switch (rule.kind) {
    case "amount":
      try {
        return toMinor(a as number, commitScale(currency)) === toMinor(b as number, commitScale(currency));
      } catch {
        return plainNumber(a) === plainNumber(b);
      }
    case "number":
    case "integer":
      return plainNumber(a) === plainNumber(b);
    default:
      return a === b;
  }
}

function plainNumber(v: unknown): string {
  try {
    return toPlainDecimal(v as number);
  } catch {
    return String(v);
  }
}

/** A field's value in words for the push plan and the log: "1,200.00", "2026-03-01", "TRUE", "(empty)". */
export function showFieldValue(field: CommitWritableField, value: unknown, currency: string): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  const rule: CommitFieldRule = COMMIT_FIELD_RULES[field];
  if (rule.kind === "amount" && typeof value === "number") {
    try {
      return formatMinorGrouped(toMinor(value, commitScale(currency)), commitScale(currency));
    } catch {
      return plainNumber(value);
    }
  }
  if (typeof value === "number") return plainNumber(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

/** PUT body: the commit's writable fields as Campfire holds them now, with the user's edits on top. */
export function commitPutBody(current: PrepaidCommit, edits: Partial<Record<CommitWritableField, unknown>>): CommitWrite {
  const body: Record<string, unknown> = {};
  for (const field of COMMIT_WRITABLE_FIELDS) {
    const value = field in edits ? edits[field] : current[field];
    // An optional field Campfire did not send is left out, so the PUT does not invent a value for it.
    if (value !== undefined) body[field] = value;
  }
  return body as CommitWrite;
}
