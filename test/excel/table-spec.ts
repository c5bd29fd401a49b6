/** A table spec shaped like the add-in's, kept here so the adapter tests do not move when the domain layouts do. */
import type { CellValue, TableSpec } from "../../src/app/ports";

export const SPEC: TableSpec = {
  sheetName: "Allocations",
  tableName: "CampfireAllocations",
  columns: [
    { key: "contract", header: "Contract", format: "integer", editable: false },
    { key: "product", header: "Product", format: "text", editable: false },
    { key: "amount", header: "Amount", format: "amount", editable: true },
    { key: "share", header: "Share", format: "percent", editable: false },
    { key: "start", header: "Start date", format: "date", editable: false },
    { key: "cadence", header: "Cadence", format: "enum", editable: true, enumValues: ["monthly", "quarterly", "annual"] },
    { key: "auto", header: "Auto send", format: "boolean", editable: true },
    { key: "status", header: "Status", format: "text", editable: false, owned: true },
  ],
};

/** Row i of a deterministic data set: amounts with cents, a text column that looks like other things now and then. */
export function row(i: number): CellValue[] {
  return [
    1000 + Math.floor(i / 4),
    `Product ${i} — licence`,
    (((i * 123457) % 10_000_000) + 1) / 100,
    0.25,
    45292 + (i % 365),
    ["monthly", "quarterly", "annual"][i % 3] as string,
    i % 2 === 0,
    "",
  ];
}

export function rows(n: number): CellValue[][] {
  return Array.from({ length: n }, (_, i) => row(i));
}
