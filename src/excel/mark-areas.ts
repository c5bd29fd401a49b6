/**
 * Marks → as few rectangles as possible: runs of consecutive rows in one column, then runs side by side with
 * the same rows merged into one wider block. Fewer areas mean fewer, shorter conditional-format rules.
 */
import type { CellMark, MarkKind } from "../app/ports";
import { formatLocalAddress, type Rect } from "../domain/a1";

/**
 * @param sheetColumn maps a mark's column key to its 0-based sheet column (null when the column is gone)
 * @param firstDataRow 0-based sheet row of the table's first data row
 */
export function markAreas(
  marks: readonly CellMark[],
  sheetColumn: (key: string) => number | null,
  firstDataRow: number,
  rowCount: number,
): Map<MarkKind, Rect[]> {
  const cells = new Map<MarkKind, Map<number, Set<number>>>();
  for (const mark of marks) {
    const column = sheetColumn(mark.column);
    if (column === null || mark.row < 0 || mark.row >= rowCount) continue;
    const byColumn = cells.get(mark.kind) ?? new Map<number, Set<number>>();
    cells.set(mark.kind, byColumn);
    const rows = byColumn.get(column) ?? new Set<number>();
    byColumn.set(column, rows);
    rows.add(firstDataRow + mark.row);
  }
  const out = new Map<MarkKind, Rect[]>();
  for (const [kind, byColumn] of cells) {
    const runs: Rect[] = [];
    for (const [column, rowSet] of [...byColumn].sort((a, b) => a[0] - b[0])) {
      const rows = [...rowSet].sort((a, b) => a - b);
      let start = rows[0] as number;
      let prev = start;
      for (const row of rows.slice(1)) {
        if (row !== prev + 1) {
          runs.push({ row: start, column, rowCount: prev - start + 1, columnCount: 1 });
          start = row;
        }
        prev = row;
      }
      runs.push({ row: start, column, rowCount: prev - start + 1, columnCount: 1 });
    }
    out.set(kind, mergeSideBySide(runs));
  }
  return out;
}

function mergeSideBySide(runs: Rect[]): Rect[] {
  const byRows = new Map<string, Rect[]>();
  for (const run of runs) {
    const k = `${run.row}:${run.rowCount}`;
    byRows.set(k, [...(byRows.get(k) ?? []), run]);
  }
  const merged: Rect[] = [];
  for (const group of byRows.values()) {
    group.sort((a, b) => a.column - b.column);
    let current = group[0] as Rect;
    for (const next of group.slice(1)) {
      if (next.column === current.column + current.columnCount) current = { ...current, columnCount: current.columnCount + 1 };
      else {
        merged.push(current);
        current = next;
      }
    }
    merged.push(current);
  }
  return merged.sort((a, b) => a.row - b.row || a.column - b.column);
}

/** Groups areas into comma-separated addresses of at most `maxChars` each (one conditional format per group). */
export function addressGroups(areas: readonly Rect[], maxChars = 2000): string[] {
  const groups: string[] = [];
  let current = "";
  for (const area of areas) {
    const address = formatLocalAddress(area);
    if (current && current.length + 1 + address.length > maxChars) {
      groups.push(current);
      current = "";
    }
    current = current ? `${current},${address}` : address;
  }
  if (current) groups.push(current);
  return groups;
}
