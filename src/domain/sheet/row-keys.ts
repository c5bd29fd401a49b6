/**
 * Which record (and line) each row of a table holds, independent of where the row is: results of a push, marks
 * and balanced amounts find their row again by it after the user sorted, inserted or deleted rows meanwhile.
 */
import type { SheetCell } from "./layout";

/**
 * Each row's identity (the cells of its identity columns, `at`) and which copy of it the row is ("…#0" for the
 * first row with those cells, "…#1" for a second); null for a row with an identity cell blank or missing.
 */
export function rowIdentities(rows: readonly (readonly SheetCell[])[], at: readonly (number | undefined)[]): (string | null)[] {
  const seen = new Map<string, number>();
  return rows.map((cells) => {
    const parts = at.map((i) => (i === undefined ? undefined : cells[i]));
    if (parts.some((p) => p === undefined || p === "")) return null;
    const id = JSON.stringify(parts);
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    return `${id}#${n}`;
  });
}

/** The row that holds each identity (see rowIdentities). */
export function rowsByIdentity(identities: readonly (string | null)[]): Map<string, number> {
  const rows = new Map<string, number>();
  identities.forEach((id, row) => {
    if (id !== null) rows.set(id, row);
  });
  return rows;
}
