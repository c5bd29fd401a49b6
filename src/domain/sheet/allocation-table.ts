/**
 * The Allocations table: one row per bundle line. Only Amount is editable; everything else is what Campfire
 * holds, shown so the user can see what they are splitting. A row's identity is contract + item type + item id
 * + line id, never its position (users sort and filter).
 */
import { ID_MAX, ID_MIN } from "../../model/campfire-facts";
import { ITEM_TYPES, type Bundle, type BundleLine, type ItemType } from "../../model/records";
import { readEnum, readInteger, type CellFailure } from "../cell-readers";
import type { RecordRef } from "../issues";
import { dateTimeCell, decimalCell, numberCell, textCell, type UtcOffset } from "./cell-writers";
import type { SheetCell, SheetColumn, SheetLayout } from "./layout";

export const ALLOCATION_COLUMNS = [
  // The line's identity and its product, then the one editable column and what follows it live: the amount is
  // on screen without scrolling, and New % shows the share the amount will have.
  { key: "contract_id", header: "Contract ID", format: "integer", editable: false, required: true },
  { key: "item_type", header: "Item type", format: "text", editable: false, required: true },
  { key: "item_id", header: "Item ID", format: "integer", editable: false, required: true },
  { key: "line_id", header: "Line ID", format: "integer", editable: false, required: true },
  { key: "product_name", header: "Product name", format: "text", editable: false },
  { key: "amount", header: "Amount", format: "amount", editable: true, required: true, currencyColumn: "currency" },
  // amount ÷ bundle total, as Excel computes it while the user types; the add-in's own, never read as an edit or sent.
  {
    key: "new_percentage",
    header: "New %",
    format: "percent",
    editable: false,
    owned: true,
    formula: '=IF(N({bundle_total})=0,"",N({amount})/{bundle_total})',
  },
  { key: "percentage", header: "Percentage", format: "number", editable: false },
  { key: "bundle_total", header: "Bundle total", format: "amount", editable: false, currencyColumn: "currency" },
  { key: "currency", header: "Currency", format: "text", editable: false },
  { key: "original_percentage", header: "Original percentage", format: "number", editable: false },
  { key: "product_id", header: "Product ID", format: "integer", editable: false },
  { key: "product_code", header: "Product code", format: "text", editable: false },
  { key: "deal_name", header: "Deal name", format: "text", editable: false },
  { key: "last_modified", header: "Last modified", format: "datetime", editable: false },
  { key: "status", header: "Status", format: "text", editable: false, owned: true },
  { key: "check", header: "Check", format: "text", editable: false, owned: true },
] as const satisfies readonly SheetColumn[];

export type AllocationColumnKey = (typeof ALLOCATION_COLUMNS)[number]["key"];

export const ALLOCATIONS_LAYOUT: SheetLayout<AllocationColumnKey> = {
  sheetName: "Allocations",
  tableName: "CampfireAllocations",
  columns: ALLOCATION_COLUMNS,
};

/** Columns that name the row; a change there makes it a different (unknown) line rather than an edit. */
export const ALLOCATION_IDENTITY: readonly AllocationColumnKey[] = ["contract_id", "item_type", "item_id", "line_id"];

/** A bundle as pulled, with the contract context the sheet shows. */
export interface PulledBundle {
  contractId: number;
  dealName: string | null;
  itemType: ItemType;
  itemId: number;
  bundle: Bundle;
}

export function bundleKey(contractId: number, itemType: ItemType, itemId: number): string {
  return `${contractId}:${itemType}:${itemId}`;
}

export function pulledBundleKey(b: PulledBundle): string {
  return bundleKey(b.contractId, b.itemType, b.itemId);
}

export function bundleRef(b: Pick<PulledBundle, "contractId" | "itemType" | "itemId" | "dealName">): RecordRef & { kind: "bundle" } {
  const ref: RecordRef & { kind: "bundle" } = { kind: "bundle", contractId: b.contractId, itemType: b.itemType, itemId: b.itemId };
  if (b.dealName) ref.label = b.dealName;
  return ref;
}

/**
 * The cells every line of a bundle has alike, as written: with lineCells, what allocationCells gives, made once
 * per bundle for a check that looks at every line.
 */
export type BundleCells = Pick<
  Record<AllocationColumnKey, SheetCell>,
  "contract_id" | "deal_name" | "item_type" | "item_id" | "bundle_total" | "currency" | "last_modified"
>;

export function bundleCells(b: PulledBundle, offset?: UtcOffset): BundleCells {
  return {
    contract_id: b.contractId,
    deal_name: textCell(b.dealName),
    item_type: textCell(b.itemType),
    item_id: b.itemId,
    bundle_total: b.bundle.total_amount,
    currency: textCell(b.bundle.currency),
    last_modified: dateTimeCell(b.bundle.last_modified_at, offset),
  };
}

/**
 * Every column's cell for one line, from its bundle's cells (bundleCells, made once per bundle by a check that
 * looks at every line).
 */
export function lineCells(shared: BundleCells, line: BundleLine): Record<AllocationColumnKey, SheetCell> {
  return {
    contract_id: shared.contract_id,
    deal_name: shared.deal_name,
    item_type: shared.item_type,
    item_id: shared.item_id,
    line_id: line.id,
    product_id: line.product,
    product_code: textCell(line.product_id_str),
    product_name: textCell(line.product_name),
    amount: line.amount,
    new_percentage: "",
    percentage: decimalCell(line.percentage),
    original_percentage: numberCell(line.original_percentage),
    bundle_total: shared.bundle_total,
    currency: shared.currency,
    last_modified: shared.last_modified,
    status: "",
    check: "",
  };
}

/** Every column's cell for one line, as written. */
export function allocationCells(b: PulledBundle, line: BundleLine, offset?: UtcOffset): Record<AllocationColumnKey, SheetCell> {
  return lineCells(bundleCells(b, offset), line);
}

/** Rows in layout column order, one per line, bundles in the order given. */
export function allocationRows(bundles: readonly PulledBundle[], offset?: UtcOffset): SheetCell[][] {
  const rows: SheetCell[][] = [];
  for (const b of bundles) {
    for (const line of b.bundle.lines) {
      const cells = allocationCells(b, line, offset);
      rows.push(ALLOCATION_COLUMNS.map((c) => cells[c.key]));
    }
  }
  return rows;
}

export interface AllocationIdentity {
  contractId: number;
  itemType: ItemType;
  itemId: number;
  lineId: number;
}

export type IdentityRead<T> = { ok: true; value: T } | (CellFailure & { column: string });

const ID_RANGE = { min: ID_MIN, max: ID_MAX };

/**
 * Reads the key columns of a row; `cell(key)` gives the row's cell for a column. `previous`, an identity this
 * read gave (usually the row above's): when the row holds the very same Contract ID, Item type and Item ID cells,
 * they read as they did there, and only the Line ID is read (a test holds this to the full reading).
 */
export function readAllocationIdentity(
  cell: (key: AllocationColumnKey) => SheetCell | undefined,
  previous?: AllocationIdentity,
): IdentityRead<AllocationIdentity> {
  if (
    previous &&
    cell("contract_id") === previous.contractId &&
    cell("item_type") === previous.itemType &&
    cell("item_id") === previous.itemId
  ) {
    const line = readInteger(cell("line_id"), ID_RANGE);
    if (!line.ok) return { ...line, column: "line_id" };
    return {
      ok: true,
      value: { contractId: previous.contractId, itemType: previous.itemType, itemId: previous.itemId, lineId: line.value },
    };
  }
  const id = ID_RANGE;
  const contract = readInteger(cell("contract_id"), id);
  if (!contract.ok) return { ...contract, column: "contract_id" };
  const itemType = readEnum(cell("item_type"), ITEM_TYPES);
  if (!itemType.ok) return { ...itemType, column: "item_type" };
  const item = readInteger(cell("item_id"), id);
  if (!item.ok) return { ...item, column: "item_id" };
  const line = readInteger(cell("line_id"), id);
  if (!line.ok) return { ...line, column: "line_id" };
  return { ok: true, value: { contractId: contract.value, itemType: itemType.value, itemId: item.value, lineId: line.value } };
}
