/**
 * A table as read from the sheet, seen through its layout: cells by column key wherever the user moved the
 * column, A1 addresses, and the shared vocabulary of what a check finds (placed issues, marks, changes).
 */
import type { Issue, RecordRef } from "../issues";
import { asRead, isBlankCell, sameCell, showCell } from "./cell-writers";
import {
  cellAddress,
  locateColumns,
  MissingColumnsError,
  type SheetCell,
  type SheetColumn,
  type SheetLayout,
  type TablePlacement,
} from "./layout";

export interface TableRead extends TablePlacement {
  headers: string[];
  rows: SheetCell[][];
}

/**
 * An issue on a cell: the record it belongs to (its key; "row:<n>" for a row that names no record), data row
 * (0-based), column key, and the A1 address the user can click.
 */
export type PlacedIssue = Issue & { key: string; row: number; column: string; address: string };

export interface SheetMark {
  row: number;
  column: string;
  kind: "error" | "edited" | "conflict";
  message?: string;
}

export interface FieldChange {
  key: string;
  label: string;
  field: string;
  old: string;
  new: string;
}

export interface MissingRecord {
  key: string;
  label: string;
}

/** A record whose editable cells differ from what was pulled. `send` is null while its cells are invalid. */
export interface ChangedRecord<Send> {
  key: string;
  label: string;
  ref: RecordRef;
  rows: number[];
  changes: FieldChange[];
  /** Cells (row, column key) the change consists of. */
  cells: { row: number; column: string }[];
  send: Send | null;
}

export interface SheetAnalysis<Send> {
  issues: PlacedIssue[];
  /** Error and edited marks (what the workbook shows after a check). */
  marks: SheetMark[];
  /** Text for each row's Check column ("" when the row is fine). */
  checkText: string[];
  changed: Map<string, ChangedRecord<Send>>;
  /** Keys of records with at least one issue. */
  keysWithIssues: Set<string>;
  editedCells: number;
  /** Records pulled but no longer on the sheet: never deleted in Campfire, only reported. */
  missing: MissingRecord[];
  /** Rows of each pulled record on the sheet. */
  rowsByKey: Map<string, number[]>;
}

/** What readOnlyEdits answers for a row that holds what was pulled (most rows): one array for all of them. */
const NOTHING_EDITED: readonly never[] = [];

export class SheetView<K extends string> {
  readonly index: ReadonlyMap<K, number>;

  constructor(
    readonly layout: SheetLayout<K>,
    readonly table: TableRead,
  ) {
    const { index, missing } = locateColumns(layout, table.headers);
    if (missing.length)
      throw new MissingColumnsError(
        layout.tableName,
        missing.map((c) => c.header),
      );
    this.index = index;
    // Every layout key is an own property (-1 where the user removed the column): a check reads a cell by key for
    // every cell it looks at, and a property read is cheaper there than a Map lookup.
    const position = {} as Record<K, number>;
    for (const column of layout.columns) position[column.key] = index.get(column.key) ?? -1;
    this.position = position;
  }

  private readonly position: Record<K, number>;

  get rowCount(): number {
    return this.table.rows.length;
  }

  has(key: K): boolean {
    return this.position[key] >= 0;
  }

  cell(row: number, key: K): SheetCell | undefined {
    const at = this.position[key];
    return at >= 0 ? this.table.rows[row]?.[at] : undefined;
  }

  address(row: number, key: K): string {
    const at = this.index.get(key);
    return cellAddress(this.table, row, at ?? 0);
  }

  header(key: K): string {
    return this.layout.columns.find((c) => c.key === key)?.header ?? key;
  }

  /**
   * Read-only cells of a row that no longer hold what was pulled (`pulled`: the row's cells as written at pull
   * time). Such a change is reported on its cell and never sent.
   */
  readOnlyEdits(
    row: number,
    columns: readonly SheetColumn<K>[],
    pulled: Partial<Record<K, SheetCell>>,
    record: RecordRef,
    allowedTail: string,
    line?: number,
  ): readonly { column: K; issue: Issue }[] {
    let found: { column: K; issue: Issue }[] | null = null;
    const cells = this.table.rows[row];
    for (const column of columns) {
      const at = this.position[column.key];
      if (!(at >= 0)) continue;
      const actual = cells?.[at] ?? "";
      const expected = pulled[column.key] ?? "";
      // sameCell rounds both sides as Excel does, so the pulled value needs no asRead for the comparison. (A cell
      // as pulled, the common case, is the very value: that sameCell answers without a call.)
      if (actual === expected || sameCell(actual, expected)) continue;
      found ??= [];
      const was = asRead(pulled[column.key] ?? "");
      found.push({
        column: column.key,
        issue: {
          record,
          field: column.header,
          ...(line === undefined ? {} : { line }),
          message: `${column.header} is read-only here: it was ${showCell(was)} when pulled and is now ${showCell(actual)}; the change is not sent`,
          allowed: `the pulled value ${showCell(was)}${allowedTail}`,
          value: actual,
        },
      });
    }
    // Most rows hold what was pulled: no array for them.
    return found ?? NOTHING_EDITED;
  }

  /** A row with nothing in any layout column: Excel tables often end with one; it is not an added record. */
  isBlankRow(row: number): boolean {
    const cells = this.table.rows[row] ?? [];
    for (const at of this.unowned) if (!isBlankCell(cells[at])) return false;
    return true;
  }

  /** Where the columns the user's data is in are (all but the add-in's own). */
  private get unowned(): number[] {
    if (!this.unownedAt) {
      const owned = new Set(this.layout.columns.filter((c) => c.owned).map((c) => c.key));
      this.unownedAt = [...this.index].filter(([key]) => !owned.has(key)).map(([, at]) => at);
    }
    return this.unownedAt;
  }

  private unownedAt: number[] | null = null;
}

/** Collects issues and marks for one analysis; a cell gets one error mark whatever the number of issues on it. */
export class Findings<K extends string> {
  readonly issues: PlacedIssue[] = [];
  readonly keysWithIssues = new Set<string>();
  /** Texts for the Check column by row; only rows with something to say are here. */
  private readonly rowTexts = new Map<number, string[]>();
  private readonly errorCells = new Map<string, SheetMark>();
  private readonly editedCells = new Map<string, SheetMark>();

  constructor(private readonly view: SheetView<K>) {}

  /**
   * Places an issue on a cell; falls back to `fallback` when the user removed the issue's column. The placed
   * issue names its column by the header the user sees ("Discount %", not discount_percentage), as the Check
   * column does; `column` keeps the key.
   */
  add(key: string, issue: Issue, row: number, column: K, fallback: K, alsoOnRows: readonly number[] = []): void {
    const placed = this.view.has(column) ? column : fallback;
    const header = this.view.header(column);
    this.issues.push({ ...issue, field: header, key, row, column: placed, address: this.view.address(row, placed) });
    this.keysWithIssues.add(key);
    const text = `${header}: ${trimEnd(issue.message)}; allowed: ${trimEnd(issue.allowed)}`;
    for (const r of [row, ...alsoOnRows]) this.say(r, text);
    const cellId = `${row}\u0000${placed}`;
    const existing = this.errorCells.get(cellId);
    if (existing) existing.message = `${existing.message}\n${trimEnd(issue.message)}`;
    else this.errorCells.set(cellId, { row, column: placed, kind: "error", message: trimEnd(issue.message) });
  }

  /**
   * What every table's analysis ends with: the findings, the records that changed, and the pulled records no
   * longer on the sheet (reported, never deleted in Campfire).
   */
  analysis<Send>(
    changed: Map<string, ChangedRecord<Send>>,
    pulled: Record<string, unknown>,
    rowsByKey: Map<string, number[]>,
    labelOf: (key: string) => string,
  ): SheetAnalysis<Send> {
    const missing = Object.keys(pulled)
      .filter((key) => !rowsByKey.has(key))
      .map((key) => ({ key, label: labelOf(key) }));
    return {
      issues: this.sortIssues(),
      marks: this.marks(),
      checkText: this.checkText(),
      changed,
      keysWithIssues: this.keysWithIssues,
      editedCells: this.editedCount,
      missing,
      rowsByKey,
    };
  }

  /** A line for the row's Check column that is no problem (a value kept as Campfire has it): no issue, no mark. */
  note(row: number, text: string): void {
    this.say(row, text);
  }

  edited(row: number, column: K): void {
    this.editedCells.set(`${row}\u0000${column}`, { row, column, kind: "edited" });
  }

  get editedCount(): number {
    return this.editedCells.size;
  }

  marks(): SheetMark[] {
    // An invalid edited cell shows as an error: that is what the user must act on.
    const marks = [...this.errorCells.values()];
    for (const [id, mark] of this.editedCells) if (!this.errorCells.has(id)) marks.push(mark);
    return marks.sort((a, b) => a.row - b.row || this.order(a.column) - this.order(b.column));
  }

  checkText(): string[] {
    const out = new Array<string>(this.view.rowCount).fill("");
    for (const [row, texts] of this.rowTexts) out[row] = [...new Set(texts)].join("\n");
    return out;
  }

  /** One row's Check text (what `checkText()` has at that row). */
  checkTextOf(row: number): string {
    const texts = this.rowTexts.get(row);
    return texts ? [...new Set(texts)].join("\n") : "";
  }

  private say(row: number, text: string): void {
    if (!(row >= 0 && row < this.view.rowCount)) return;
    const texts = this.rowTexts.get(row);
    if (texts) texts.push(text);
    else this.rowTexts.set(row, [text]);
  }

  sortIssues(): PlacedIssue[] {
    return this.issues.sort((a, b) => a.row - b.row || this.order(a.column) - this.order(b.column));
  }

  private order(column: string): number {
    return this.view.index.get(column as K) ?? -1;
  }
}

function trimEnd(text: string): string {
  return text.replace(/[.\s]+$/, "");
}
