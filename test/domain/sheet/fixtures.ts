/** Records and tables for the sheet tests: small, with the awkward values (formula-like text, nulls, credits). */
import type { PrepaidCommit } from "../../../src/model/records";
import type { PulledBundle } from "../../../src/domain/sheet/allocation-table";
import type { SheetCell, SheetLayout } from "../../../src/domain/sheet/layout";
import type { TableRead } from "../../../src/domain/sheet/sheet-view";
import { typed } from "../../helpers/memory-workbook";

/** Server times shown in UTC, so expected serials do not depend on the machine's time zone. */
export const utc = () => 0;

export function bundle(overrides: Partial<PulledBundle> = {}): PulledBundle {
  return {
    contractId: 3,
    dealName: "=SUM(1) Initech",
    itemType: "usage",
    itemId: 2001,
    bundle: {
      id: 5011,
      source_bundle: 311,
      source_bundle_name: "Usage Bundle",
      total_amount: 100,
      currency: "USD",
      lines: [
        {
          id: 7101,
          product: 103,
          product_name: "API Calls",
          product_id_str: "API-1000",
          amount: 60.5,
          percentage: "60.50",
          original_percentage: 60.5,
        },
        {
          id: 7102,
          product: 104,
          product_name: "Storage",
          product_id_str: "STOR",
          amount: 49.5,
          percentage: "49.50",
          original_percentage: null,
        },
        {
          id: 7103,
          product: 111,
          product_name: "Credit",
          product_id_str: "CREDIT",
          amount: -10,
          percentage: "-10.00",
          original_percentage: -10,
        },
      ],
      created_at: "2026-01-15T09:30:00Z",
      last_modified_at: "2026-02-02T12:00:00Z",
    },
    ...overrides,
  };
}

export function commit(overrides: Partial<PrepaidCommit> = {}): PrepaidCommit {
  return {
    id: 9001,
    contract: 3,
    entity: 1,
    entity_name: "Northwind",
    product: 103,
    product_name: "API Calls",
    name: "=SUM(1)",
    description: null,
    currency: "USD",
    exchange_rate: 1.0842,
    exchange_rate_book: null,
    total_value: 120000.5,
    remaining_value: 74749.25,
    discount_percentage: 20,
    rate: 0.25,
    start_date: "2026-01-01",
    expiration_date: "2030-12-31",
    status: "ACTIVE",
    priority: 1,
    is_invoiced: true,
    invoice: 880001,
    subledger: null,
    overage_invoice_cadence: "quarterly",
    auto_send_overage_invoices: true,
    overage_invoice_start_month: null,
    department: null,
    department_name: null,
    tags: "usage,api",
    created_at: "2026-01-15T09:30:00Z",
    last_modified_at: "2026-02-02T12:00:00Z",
    ...overrides,
  };
}

/**
 * Rows as Excel holds them after the adapter writes them, placed at A1 unless told otherwise: strings land in
 * Text cells and stay exactly as written.
 */
export function asTable(layout: SheetLayout, rows: SheetCell[][], placement: { headerRow?: number; firstColumn?: number } = {}): TableRead {
  return {
    sheetName: layout.sheetName,
    headerRow: placement.headerRow ?? 1,
    firstColumn: placement.firstColumn ?? 0,
    headers: layout.columns.map((c) => c.header),
    rows: rows.map((r) => [...r]),
  };
}

/** Sets a cell by header text, as typed by a user. */
export function setCell(table: TableRead, row: number, header: string, value: SheetCell): void {
  const at = table.headers.indexOf(header);
  if (at < 0) throw new Error(`no column ${header}`);
  const r = table.rows[row];
  if (!r) throw new Error(`no row ${row}`);
  r[at] = typed(value) as SheetCell;
}

export function getCell(table: TableRead, row: number, header: string): SheetCell | undefined {
  return table.rows[row]?.[table.headers.indexOf(header)];
}

export function moveColumn(table: TableRead, header: string, to: number): void {
  const from = table.headers.indexOf(header);
  const move = <T>(list: T[]) => list.splice(to, 0, list.splice(from, 1)[0] as T);
  move(table.headers);
  table.rows.forEach(move);
}
