/**
 * An in-memory WorkbookPort that behaves like Excel where the use-cases depend on it:
 * - a string written through the port is kept exactly as it is, a leading apostrophe included: the Excel
 *   adapter puts every string it writes into a Text ("@") cell, where Excel does not re-type it;
 * - what a user types is parsed as Excel parses typed input (a leading apostrophe makes it text and is not part
 *   of the value, numeric text becomes a number, TRUE/FALSE become booleans), except in text and dropdown
 *   columns, which are formatted as Text and keep it as typed;
 * - every row written must have exactly one value per column (Range.values throws otherwise);
 * - tables live at a sheet position, so A1 addresses can be checked; columns and rows can be moved,
 *   inserted and deleted the way a user would;
 * - programmatic writes fire the table's change listeners, as Excel's onChanged does.
 * Every port call is recorded in `calls` so tests can check the number of round trips.
 */
import type {
  CellMark,
  CellUpdate,
  CellValue,
  RowEdit,
  RowsRead,
  TableAndSnapshots,
  TableData,
  TableResults,
  TableSpec,
  WorkbookPort,
} from "../../src/app/ports";

export class FormulaWrittenError extends Error {
  override name = "FormulaWrittenError";
}

export class ShapeError extends Error {
  override name = "ShapeError";
}

interface MemoryTable {
  spec: TableSpec;
  sheetName: string;
  headerRow: number;
  firstColumn: number;
  headers: string[];
  rows: CellValue[][];
  marks: CellMark[];
}

/** Excel's parsing of what `range.values` is given (en-US). */
export function typed(value: CellValue): CellValue {
  if (typeof value !== "string") return value;
  if (value.startsWith("'")) return value.slice(1);
  if (/^\s*=/.test(value) && value.trim().length > 1) throw new FormulaWrittenError(`a formula was written: ${value}`);
  const t = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  return value;
}

type Listener = (rows: number[] | "all") => void;

export class MemoryWorkbook implements WorkbookPort {
  readonly tables = new Map<string, MemoryTable>();
  readonly snapshots = new Map<string, string>();
  readonly log: { header: readonly string[]; rows: CellValue[][] } = { header: [], rows: [] };
  readonly calls: { method: string; table?: string; size?: number }[] = [];
  readonly selections: { table: string; row: number; column: string }[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Which save of each snapshot is kept (for the stamps `readRows` reports). */
  private readonly stamps = new Map<string, number>();
  private saves = 0;

  /** Where new tables go: row of the header (1-based) and first column (0-based). */
  constructor(private readonly origin: { headerRow: number; firstColumn: number } = { headerRow: 1, firstColumn: 0 }) {}

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  async writeTable(spec: TableSpec, rows: CellValue[][]): Promise<void> {
    this.calls.push({ method: "writeTable", table: spec.tableName, size: rows.length });
    rows.forEach((row, i) => {
      if (row.length !== spec.columns.length) {
        throw new ShapeError(`row ${i} has ${row.length} values for ${spec.columns.length} columns`);
      }
    });
    const existing = this.tables.get(spec.tableName);
    this.tables.set(spec.tableName, {
      spec,
      sheetName: spec.sheetName,
      headerRow: existing?.headerRow ?? this.origin.headerRow,
      firstColumn: existing?.firstColumn ?? this.origin.firstColumn,
      headers: spec.columns.map((c) => c.header),
      rows: rows.map((row) => [...row]),
      marks: [],
    });
    this.fire(spec.tableName, "all");
  }

  async editRows(spec: TableSpec, edits: readonly RowEdit[]): Promise<void> {
    this.calls.push({ method: "editRows", table: spec.tableName, size: edits.length });
    const t = this.table(spec.tableName);
    // Like Excel: the spec's columns are found by header wherever the user moved them; the user's own columns keep
    // what they hold in written rows and are empty in inserted ones.
    const at = spec.columns.map((c) => {
      const i = t.headers.indexOf(c.header);
      if (i < 0) throw new ShapeError(`the table ${spec.tableName} has no column "${c.header}" any more`);
      return i;
    });
    const shaped = (rows: CellValue[][]) =>
      rows.forEach((row, i) => {
        if (row.length !== spec.columns.length)
          throw new ShapeError(`row ${i} has ${row.length} values for ${spec.columns.length} columns`);
      });
    for (const edit of edits) {
      if (edit.kind === "delete") {
        if (edit.row < 0 || edit.count < 1 || edit.row + edit.count > t.rows.length)
          throw new ShapeError(`cannot delete rows ${edit.row}+${edit.count} of ${t.rows.length}`);
        if (edit.count === t.rows.length) throw new ShapeError("a table keeps at least one data row");
        t.rows.splice(edit.row, edit.count);
        continue;
      }
      shaped(edit.rows);
      if (edit.kind === "insert") {
        if (edit.row < 0 || edit.row > t.rows.length) throw new ShapeError(`cannot insert before row ${edit.row} of ${t.rows.length}`);
        const fresh = edit.rows.map((values) => {
          const row: CellValue[] = t.headers.map(() => "");
          values.forEach((v, j) => (row[at[j] as number] = v));
          return row;
        });
        t.rows.splice(edit.row, 0, ...fresh);
      } else {
        edit.rows.forEach((values, i) => {
          const row = t.rows[edit.row + i];
          if (!row) throw new ShapeError(`row ${edit.row + i} is outside the table's ${t.rows.length} rows`);
          values.forEach((v, j) => (row[at[j] as number] = v));
        });
      }
    }
    this.fire(spec.tableName, "all");
  }

  async readTable(spec: TableSpec): Promise<TableData | null> {
    this.calls.push({ method: "readTable", table: spec.tableName });
    const t = this.tables.get(spec.tableName);
    if (!t) return null;
    return {
      sheetName: t.sheetName,
      headerRow: t.headerRow,
      firstColumn: t.firstColumn,
      headers: [...t.headers],
      rows: t.rows.map((r) => [...r]),
    };
  }

  async writeCells(spec: TableSpec, updates: CellUpdate[]): Promise<void> {
    this.calls.push({ method: "writeCells", table: spec.tableName, size: updates.length });
    this.putCells(spec, updates);
  }

  private putCells(spec: TableSpec, updates: readonly CellUpdate[]): void {
    const t = this.table(spec.tableName);
    const rows = new Set<number>();
    for (const u of updates) {
      const at = this.columnIndex(t, u.column);
      const row = t.rows[u.row];
      if (!row) throw new ShapeError(`row ${u.row} is outside the table's ${t.rows.length} rows`);
      row[at] = u.value;
      rows.add(u.row);
    }
    if (rows.size)
      this.fire(
        spec.tableName,
        [...rows].sort((a, b) => a - b),
      );
  }

  async setMarks(spec: TableSpec, marks: CellMark[]): Promise<void> {
    this.calls.push({ method: "setMarks", table: spec.tableName, size: marks.length });
    this.putMarks(spec, marks);
  }

  private putMarks(spec: TableSpec, marks: readonly CellMark[]): void {
    const t = this.table(spec.tableName);
    for (const m of marks) {
      this.columnIndex(t, m.column);
      if (!t.rows[m.row]) throw new ShapeError(`mark on row ${m.row}, outside the table's ${t.rows.length} rows`);
    }
    t.marks = marks.map((m) => ({ ...m }));
  }

  async select(spec: TableSpec, row: number, column: string): Promise<void> {
    this.calls.push({ method: "select", table: spec.tableName });
    const t = this.table(spec.tableName);
    this.columnIndex(t, column);
    this.selections.push({ table: spec.tableName, row, column });
  }

  async saveSnapshot(key: string, json: string): Promise<void> {
    this.calls.push({ method: "saveSnapshot", size: json.length });
    this.putSnapshot(key, json);
  }

  async loadSnapshot(key: string): Promise<string | null> {
    this.calls.push({ method: "loadSnapshot" });
    return this.snapshots.get(key) ?? null;
  }

  async readTableAndSnapshots(spec: TableSpec, keys: readonly string[]): Promise<TableAndSnapshots> {
    this.calls.push({ method: "readTableAndSnapshots", table: spec.tableName });
    const t = this.tables.get(spec.tableName);
    const table = t
      ? {
          sheetName: t.sheetName,
          headerRow: t.headerRow,
          firstColumn: t.firstColumn,
          headers: [...t.headers],
          rows: t.rows.map((r) => [...r]),
          bodyRows: t.rows.length,
        }
      : null;
    return { table, snapshots: Object.fromEntries(keys.map((k) => [k, this.snapshots.get(k) ?? null])), stamps: this.stampsOf(keys) };
  }

  async readRows(spec: TableSpec, rows: readonly number[], keys: readonly string[]): Promise<RowsRead | null> {
    this.calls.push({ method: "readRows", table: spec.tableName, size: rows.length });
    const t = this.tables.get(spec.tableName);
    if (!t) return null;
    return {
      sheetName: t.sheetName,
      headerRow: t.headerRow,
      firstColumn: t.firstColumn,
      headers: [...t.headers],
      bodyRows: t.rows.length,
      rows: rows.map((r) => [...(t.rows[r] ?? t.headers.map(() => ""))]),
      stamps: this.stampsOf(keys),
    };
  }

  async saveSnapshots(entries: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push({ method: "saveSnapshots", size: Object.keys(entries).length });
    for (const [key, json] of Object.entries(entries)) this.putSnapshot(key, json);
  }

  async writeResults(spec: TableSpec, results: TableResults): Promise<void> {
    this.calls.push({ method: "writeResults", table: spec.tableName, size: results.updates?.length ?? 0 });
    if (results.updates?.length) this.putCells(spec, results.updates);
    if (results.marks) this.putMarks(spec, results.marks);
    if (results.log?.rows.length) this.putLog(results.log.header, results.log.rows);
  }

  private stampsOf(keys: readonly string[]): Record<string, string | null> {
    return Object.fromEntries(keys.map((k) => [k, this.snapshots.has(k) ? String(this.stamps.get(k) ?? 0) : null]));
  }

  private putSnapshot(key: string, json: string): void {
    this.snapshots.set(key, json);
    this.stamps.set(key, ++this.saves);
  }

  async appendLog(header: readonly string[], rows: CellValue[][]): Promise<void> {
    this.calls.push({ method: "appendLog", size: rows.length });
    this.putLog(header, rows);
  }

  private putLog(header: readonly string[], rows: CellValue[][]): void {
    rows.forEach((row, i) => {
      if (row.length !== header.length) throw new ShapeError(`log row ${i} has ${row.length} values for ${header.length} columns`);
    });
    if (this.log.header.length === 0) this.log.header = [...header];
    this.log.rows.push(...rows.map((r) => [...r]));
  }

  async onTableChanged(spec: TableSpec, listener: Listener): Promise<() => Promise<void>> {
    this.calls.push({ method: "onTableChanged", table: spec.tableName });
    let set = this.listeners.get(spec.tableName);
    if (!set) this.listeners.set(spec.tableName, (set = new Set()));
    set.add(listener);
    return async () => {
      set.delete(listener);
    };
  }

  // ---------- what a user does (not port calls) ----------

  /** Types into a cell by header text, as a user would (the value is parsed like typed input). */
  type(tableName: string, row: number, header: string, value: CellValue): void {
    const t = this.table(tableName);
    const at = t.headers.indexOf(header);
    if (at < 0) throw new ShapeError(`no column "${header}"`);
    const r = t.rows[row];
    if (!r) throw new ShapeError(`no row ${row}`);
    r[at] = this.typedInto(t, at, value);
    this.fire(tableName, [row]);
  }

  /** The value of a cell by header text. */
  cell(tableName: string, row: number, header: string): CellValue {
    const t = this.table(tableName);
    const at = t.headers.indexOf(header);
    if (at < 0) throw new ShapeError(`no column "${header}"`);
    return t.rows[row]?.[at] as CellValue;
  }

  column(tableName: string, header: string): CellValue[] {
    const t = this.table(tableName);
    const at = t.headers.indexOf(header);
    if (at < 0) throw new ShapeError(`no column "${header}"`);
    return t.rows.map((r) => r[at] as CellValue);
  }

  /** Index of the first row whose cells under the given headers equal the given values. */
  findRow(tableName: string, match: Record<string, CellValue>): number {
    const t = this.table(tableName);
    const entries = Object.entries(match).map(([h, v]) => [t.headers.indexOf(h), v] as const);
    return t.rows.findIndex((r) => entries.every(([at, v]) => at >= 0 && r[at] === v));
  }

  moveColumn(tableName: string, header: string, to: number): void {
    const t = this.table(tableName);
    const from = t.headers.indexOf(header);
    if (from < 0) throw new ShapeError(`no column "${header}"`);
    const move = <T>(list: T[]) => list.splice(to, 0, list.splice(from, 1)[0] as T);
    move(t.headers);
    t.rows.forEach(move);
    this.fire(tableName, "all");
  }

  deleteColumn(tableName: string, header: string): void {
    const t = this.table(tableName);
    const at = t.headers.indexOf(header);
    if (at < 0) throw new ShapeError(`no column "${header}"`);
    t.headers.splice(at, 1);
    t.rows.forEach((r) => r.splice(at, 1));
    t.marks = t.marks.filter((m) => m.column !== t.spec.columns.find((c) => c.header === header)?.key);
    this.fire(tableName, "all");
  }

  deleteRow(tableName: string, row: number): void {
    const t = this.table(tableName);
    t.rows.splice(row, 1);
    this.fire(tableName, "all");
  }

  /** Inserts a row (values by header; others empty) at `at` (default: the end). */
  insertRow(tableName: string, values: Record<string, CellValue>, at?: number): number {
    const t = this.table(tableName);
    const row = t.headers.map((h, i) => (h in values ? this.typedInto(t, i, values[h] as CellValue) : ""));
    const index = at ?? t.rows.length;
    t.rows.splice(index, 0, row);
    this.fire(tableName, "all");
    return index;
  }

  /** Sorts the rows by a column, descending when asked, as the user's sort button does. */
  sortBy(tableName: string, header: string, descending = false): void {
    const t = this.table(tableName);
    const at = t.headers.indexOf(header);
    const sign = descending ? -1 : 1;
    t.rows.sort((a, b) => {
      const x = a[at] as CellValue;
      const y = b[at] as CellValue;
      return sign * (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)));
    });
    this.fire(tableName, "all");
  }

  marks(tableName: string): CellMark[] {
    return this.table(tableName).marks;
  }

  table(tableName: string): MemoryTable {
    const t = this.tables.get(tableName);
    if (!t) throw new ShapeError(`no table ${tableName}`);
    return t;
  }

  /** A text or dropdown column is formatted as Text: what is typed there stays as typed. */
  private typedInto(t: MemoryTable, at: number, value: CellValue): CellValue {
    const format = t.spec.columns.find((c) => c.header === t.headers[at])?.format;
    return typeof value === "string" && (format === "text" || format === "enum") ? value : typed(value);
  }

  private columnIndex(t: MemoryTable, key: string): number {
    const column = t.spec.columns.find((c) => c.key === key);
    if (!column) throw new ShapeError(`the spec of ${t.spec.tableName} has no column key "${key}"`);
    const at = t.headers.indexOf(column.header);
    if (at < 0) throw new ShapeError(`the table ${t.spec.tableName} has no column "${column.header}" any more`);
    return at;
  }

  private fire(tableName: string, rows: number[] | "all"): void {
    for (const listener of this.listeners.get(tableName) ?? []) listener(rows);
  }
}
