/**
 * The state behind the Excel fake: sheets of sparse cells, tables, conditional formats, validation and
 * event handlers, plus the rules Excel applies when a value arrives (typed input is parsed, a leading "="
 * makes a formula, a leading apostrophe keeps text, the Text format "@" keeps everything as typed — a leading
 * apostrophe included, as real Excel may do in a cell that is already Text).
 * No proxies and no batching here; the other files of this folder put Excel's request model on top (proxy.ts).
 */
import { intersect, MAX_COLUMNS, MAX_ROWS, type Rect } from "../../src/domain/a1";
import { evaluateFormula, type FormulaValue } from "./formulas";

export type Value = string | number | boolean;

export interface ListRule {
  list: { inCellDropDown?: boolean; source: string };
}

export interface CellModel {
  /** A constant, or undefined when the cell is empty or holds a formula. */
  value?: Value;
  formula?: string;
  numberFormat?: string;
  fill?: string;
  fontColor?: string;
  bold?: boolean;
  italic?: boolean;
  validation?: ListRule;
}

export interface ConditionalFormatModel {
  id: string;
  type: string;
  areas: Rect[];
  formula: string;
  fill?: string;
  fontColor?: string;
  bold?: boolean;
}

export type ChangeHandler = (args: unknown) => unknown;

export interface SheetModel {
  id: string;
  name: string;
  visibility: "Visible" | "Hidden" | "VeryHidden";
  cells: Map<number, CellModel>;
  conditionalFormats: ConditionalFormatModel[];
  onChanged: Set<ChangeHandler>;
  columnWidths: Map<number, number>;
  frozenRows: number;
}

export interface TableModel {
  id: string;
  name: string;
  sheet: SheetModel;
  /** Header row included. */
  rect: Rect;
  style: string;
}

export class FakeRichApiError extends Error {
  /** office.js names every batch failure "RichApi.Error"; callers branch on `code`. */
  override name = "RichApi.Error";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const key = (row: number, column: number) => row * MAX_COLUMNS + column;

const DATE_EPOCH = Date.UTC(1899, 11, 30);

/** Excel's 1900 date system (valid from 1900-03-01, which is all a finance sheet needs). */
export function dateToSerial(year: number, month: number, day: number, minutes = 0): number | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return (d.getTime() - DATE_EPOCH) / 86_400_000 + minutes / 1440;
}

function serialToParts(serial: number): { y: number; m: number; d: number; hh: number; mm: number } {
  const whole = Math.floor(serial);
  const d = new Date(DATE_EPOCH + whole * 86_400_000);
  const minutes = Math.round((serial - whole) * 1440);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: Math.floor(minutes / 60), mm: minutes % 60 };
}

/** Excel keeps 15 significant digits of a number (Microsoft, "Excel specifications and limits": number precision). */
export const EXCEL_DIGITS = 15;

/**
 * A number as a cell stores it when it arrives as a number (`range.values`): the double nearest to its value
 * rounded to 15 significant digits, so 0.1 + 0.2 is stored as 0.3 and 99999999999999.98 as 1E+14.
 */
export function storedNumber(n: number): number {
  return Number(n.toPrecision(EXCEL_DIGITS));
}

/**
 * Typed digits as a cell stores them: digits after the fifteenth significant one become zeros (Microsoft KB
 * 269370, "Last digits are changed to zeros when you type long numbers in cells of Excel": 1111222233334444
 * is stored as 1111222233334440). `digits` is plain decimal text without grouping; `shift` moves the decimal
 * point (−2 for a typed percent) on the text, so 33.33% is 0.3333 with no binary multiplication in between.
 */
function typedNumber(digits: string, shift = 0): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(digits);
  if (!m) return Number.NaN;
  const all = `${m[2] ?? ""}${m[3] ?? ""}`;
  const exponent = Number(m[4] ?? "0") - (m[3] ?? "").length + shift;
  const lead = all.length - all.replace(/^0+/, "").length;
  const significant = all.slice(lead);
  const kept =
    significant.length > EXCEL_DIGITS ? significant.slice(0, EXCEL_DIGITS) + "0".repeat(significant.length - EXCEL_DIGITS) : significant;
  return Number(`${m[1] === "-" ? "-" : ""}${kept || "0"}e${exponent}`);
}

const NUMBER_TEXT = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?([eE][+-]?\d+)?$|^[+-]?\.\d+([eE][+-]?\d+)?$/;

/** What Excel makes of a string typed into (or written via `values` to) a cell that is not formatted as Text. */
export function parseTyped(text: string): { value: Value; numberFormat?: string } {
  const t = text.trim();
  if (NUMBER_TEXT.test(t)) return { value: typedNumber(t.replace(/,/g, "")) };
  // A number ending in % is stored as the fraction, with a percent format (Microsoft, "Format numbers as percentages":
  // typing 10% gives 0.1 shown as 10%).
  let m = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*%$/.exec(t);
  if (m) {
    const digits = (m[1] ?? "").replace(/,/g, "");
    return { value: typedNumber(digits, -2), numberFormat: digits.includes(".") ? "0.00%" : "0%" };
  }
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === "true" };
  m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2}):(\d{2}))?$/.exec(t);
  if (m) {
    const minutes = m[4] === undefined ? 0 : Number(m[4]) * 60 + Number(m[5]);
    const serial = dateToSerial(Number(m[1]), Number(m[2]), Number(m[3]), minutes);
    if (serial !== null && Number(m[4] ?? 0) < 24 && Number(m[5] ?? 0) < 60) {
      return { value: serial, numberFormat: m[4] === undefined ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm" };
    }
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) {
    const serial = dateToSerial(Number(m[3]), Number(m[1]), Number(m[2]));
    if (serial !== null) return { value: serial, numberFormat: "m/d/yyyy" };
  }
  return { value: text };
}

/**
 * A number typed into a cell already formatted as a percent (Microsoft, "Format numbers as percentages", formatting
 * empty cells): 1 and more, or −1 and less, is taken as the percent (10 → 0.1); a smaller number is already the
 * fraction (0.1 stays 0.1). Both show as 10%.
 */
function percentEntry(n: number): number {
  return Math.abs(n) >= 1 ? typedNumber(String(n), -2) : n;
}

function group(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The text Excel shows for a value under a number format (the subset of formats the add-in uses). */
export function formatValue(value: Value, numberFormat: string): { text: string; red: boolean } {
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE", red: false };
  if (typeof value === "string") return { text: value, red: false };
  const sections = numberFormat.split(";");
  const negative = value < 0;
  // A negative number shown through the second section loses its sign; the section writes its own ("-", parentheses).
  const ownSection = negative && sections[1] !== undefined;
  const section = (ownSection ? sections[1] : sections[0]) ?? "General";
  const red = /\[Red\]/i.test(section);
  const fmt = section.replace(/\[[^\]]*\]/g, "");
  const magnitude = ownSection ? Math.abs(value) : value;
  if (fmt === "General" || fmt === "") {
    const text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(11)));
    return { text, red };
  }
  if (fmt === "@") return { text: String(value), red };
  if (/[ymd]/.test(fmt) && !fmt.includes("0")) {
    const p = serialToParts(value);
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    const date = fmt.startsWith("m/d") ? `${p.m}/${p.d}/${p.y}` : `${p.y}-${pad(p.m)}-${pad(p.d)}`;
    return { text: fmt.includes("hh") ? `${date} ${pad(p.hh)}:${pad(p.mm)}` : date, red };
  }
  const prefix = /^[^0#?,.]*/.exec(fmt)?.[0] ?? "";
  const suffix = /[^0#?,.%]*$/.exec(fmt)?.[0] ?? "";
  const core = fmt.slice(prefix.length, fmt.length - suffix.length);
  const percent = core.endsWith("%");
  const digits = core.replace("%", "");
  const decimals = (digits.split(".")[1] ?? "").replace(/[^0#]/g, "").length;
  const n = (percent ? Math.abs(magnitude) * 100 : Math.abs(magnitude)).toFixed(decimals);
  const [whole = "0", frac] = n.split(".");
  const shownWhole = digits.includes(",") ? group(whole) : whole;
  const body = frac === undefined ? shownWhole : `${shownWhole}.${frac}`;
  const minus = magnitude < 0 ? "-" : "";
  return { text: `${prefix}${minus}${body}${percent ? "%" : ""}${suffix}`, red };
}

export class WorkbookModel {
  sheets: SheetModel[] = [];
  tables: TableModel[] = [];
  activeSheet: SheetModel | null = null;
  selection: { sheet: SheetModel; rect: Rect } | null = null;
  private nextId = 1;

  newId(prefix: string): string {
    return `{${prefix}-${this.nextId++}}`;
  }

  sheetByName(name: string): SheetModel | null {
    const wanted = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === wanted) ?? null;
  }

  tableByName(name: string): TableModel | null {
    const wanted = name.toLowerCase();
    return this.tables.find((t) => t.name.toLowerCase() === wanted) ?? null;
  }

  addSheet(name: string): SheetModel {
    if (name.trim() === "" || name.length > 31 || /[[\]:*?/\\]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new FakeRichApiError("InvalidArgument", `The sheet name "${name}" is not valid.`);
    }
    if (this.sheetByName(name)) {
      throw new FakeRichApiError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
    }
    const sheet: SheetModel = {
      id: this.newId("sheet"),
      name,
      visibility: "Visible",
      cells: new Map(),
      conditionalFormats: [],
      onChanged: new Set(),
      columnWidths: new Map(),
      frozenRows: 0,
    };
    this.sheets.push(sheet);
    this.activeSheet ??= sheet;
    return sheet;
  }

  cell(sheet: SheetModel, row: number, column: number): CellModel | undefined {
    return sheet.cells.get(key(row, column));
  }

  cellForWrite(sheet: SheetModel, row: number, column: number): CellModel {
    if (row < 0 || column < 0 || row >= MAX_ROWS || column >= MAX_COLUMNS) {
      throw new FakeRichApiError("InvalidArgument", "The cell is outside the sheet.");
    }
    let cell = sheet.cells.get(key(row, column));
    if (!cell) {
      cell = {};
      sheet.cells.set(key(row, column), cell);
    }
    return cell;
  }

  /** The value `range.values` reports: formulas computed, "" for empty. */
  valueOf(sheet: SheetModel, row: number, column: number, depth = 0): Value {
    const cell = this.cell(sheet, row, column);
    if (!cell) return "";
    if (cell.formula !== undefined) {
      if (depth > 64) return 0; // a circular reference: Excel shows 0 and warns
      return evaluateFormula(cell.formula, (sheetName, r, c): FormulaValue => {
        const target = sheetName === null ? sheet : this.sheetByName(sheetName);
        if (!target) return "#REF!";
        return this.valueOf(target, r, c, depth + 1);
      });
    }
    return cell.value ?? "";
  }

  formulaOf(sheet: SheetModel, row: number, column: number): Value {
    const cell = this.cell(sheet, row, column);
    if (!cell) return "";
    return cell.formula ?? cell.value ?? "";
  }

  numberFormatOf(sheet: SheetModel, row: number, column: number): string {
    return this.cell(sheet, row, column)?.numberFormat ?? "General";
  }

  /**
   * Puts one incoming value into a cell. `typed` is a user typing (or a `values`/`formulas` write, which Excel
   * treats the same way): strings are parsed unless the cell is formatted as Text.
   */
  put(sheet: SheetModel, row: number, column: number, input: unknown, typing = false): void {
    if (input === null || input === undefined) return; // null in a values matrix leaves the cell alone
    const cell = this.cellForWrite(sheet, row, column);
    delete cell.formula;
    const percentCell = cell.numberFormat !== undefined && cell.numberFormat !== "@" && /%/.test(cell.numberFormat.replace(/"[^"]*"/g, ""));
    if (typeof input === "number") {
      if (!Number.isFinite(input)) throw new FakeRichApiError("InvalidArgument", "A cell value must be a finite number.");
      cell.value = storedNumber(typing && percentCell ? percentEntry(input) : input);
      return;
    }
    if (typeof input === "boolean") {
      cell.value = input;
      return;
    }
    if (typeof input !== "string") throw new FakeRichApiError("InvalidArgument", "A cell value must be text, a number or a boolean.");
    if (input === "") {
      delete cell.value;
      return;
    }
    // In a cell already formatted as Text the string is kept exactly, a leading apostrophe too: the conservative
    // model of real Excel, so an add-in that still prefixes text shows the apostrophe in its values.
    if (cell.numberFormat === "@") {
      cell.value = input;
      return;
    }
    // Elsewhere the apostrophe is Excel's quote prefix (a style flag, not part of the value).
    if (input.startsWith("'")) {
      cell.value = input.slice(1);
      return;
    }
    if (input.startsWith("=") && input.length > 1) {
      delete cell.value;
      cell.formula = input;
      return;
    }
    const parsed = parseTyped(input);
    // A plain number typed into a percent-formatted cell is a percent (automatic percent entry, Excel's default).
    cell.value =
      typing && percentCell && typeof parsed.value === "number" && parsed.numberFormat === undefined
        ? percentEntry(parsed.value)
        : parsed.value;
    if (parsed.numberFormat && (cell.numberFormat ?? "General") === "General") cell.numberFormat = parsed.numberFormat;
  }

  clear(sheet: SheetModel, rect: Rect, applyTo: "All" | "Contents" | "Formats"): void {
    for (const [k, cell] of sheet.cells) {
      const row = Math.floor(k / MAX_COLUMNS);
      const column = k % MAX_COLUMNS;
      if (row < rect.row || row >= rect.row + rect.rowCount || column < rect.column || column >= rect.column + rect.columnCount) continue;
      if (applyTo !== "Formats") {
        delete cell.value;
        delete cell.formula;
      }
      if (applyTo !== "Contents") {
        delete cell.numberFormat;
        delete cell.fill;
        delete cell.fontColor;
        delete cell.bold;
        delete cell.italic;
      }
      if (Object.keys(cell).length === 0) sheet.cells.delete(k);
    }
  }

  /** Bounding box of the cells holding a value (or, unless valuesOnly, any formatting), within `within` if given. */
  usedRect(sheet: SheetModel, valuesOnly: boolean, within?: Rect): Rect | null {
    let r1 = Infinity;
    let c1 = Infinity;
    let r2 = -1;
    let c2 = -1;
    for (const [k, cell] of sheet.cells) {
      const hasValue = cell.value !== undefined || cell.formula !== undefined;
      if (valuesOnly ? !hasValue : Object.keys(cell).length === 0) continue;
      const row = Math.floor(k / MAX_COLUMNS);
      const column = k % MAX_COLUMNS;
      if (within && !intersect(within, { row, column, rowCount: 1, columnCount: 1 })) continue;
      r1 = Math.min(r1, row);
      c1 = Math.min(c1, column);
      r2 = Math.max(r2, row);
      c2 = Math.max(c2, column);
    }
    if (r2 < 0) return null;
    return { row: r1, column: c1, rowCount: r2 - r1 + 1, columnCount: c2 - c1 + 1 };
  }

  tableAt(sheet: SheetModel, row: number, column: number): TableModel | null {
    return (
      this.tables.find(
        (t) =>
          t.sheet === sheet &&
          row >= t.rect.row &&
          row < t.rect.row + t.rect.rowCount &&
          column >= t.rect.column &&
          column < t.rect.column + t.rect.columnCount,
      ) ?? null
    );
  }

  addTable(sheet: SheetModel, rect: Rect, hasHeaders: boolean): TableModel {
    if (this.tables.some((t) => t.sheet === sheet && intersect(t.rect, rect))) {
      throw new FakeRichApiError("InvalidOperation", "A table can't overlap another table.");
    }
    let full = rect;
    if (!hasHeaders) {
      // Excel inserts a header row above the data and names the columns Column1, Column2, ...
      full = { ...rect, row: rect.row - 1, rowCount: rect.rowCount + 1 };
      if (full.row < 0) throw new FakeRichApiError("InvalidArgument", "There is no room for a header row.");
    }
    if (full.rowCount < 2) full = { ...full, rowCount: 2 };
    const seen = new Set<string>();
    for (let c = 0; c < full.columnCount; c++) {
      let text = hasHeaders ? String(this.valueOf(sheet, full.row, full.column + c)) : "";
      if (text === "") text = `Column${c + 1}`;
      let unique = text;
      for (let n = 2; seen.has(unique.toLowerCase()); n++) unique = `${text}${n}`;
      seen.add(unique.toLowerCase());
      const cell = this.cellForWrite(sheet, full.row, full.column + c);
      delete cell.formula;
      cell.value = unique; // header cells are always text
    }
    const table: TableModel = { id: this.newId("table"), name: this.nextTableName(), sheet, rect: full, style: "TableStyleMedium2" };
    this.tables.push(table);
    return table;
  }

  private nextTableName(): string {
    for (let n = 1; ; n++) if (!this.tableByName(`Table${n}`)) return `Table${n}`;
  }

  renameTable(table: TableModel, name: string): void {
    if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]{0,254}$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^[rRcC]$/.test(name)) {
      throw new FakeRichApiError("InvalidArgument", `"${name}" is not a valid table name.`);
    }
    const other = this.tableByName(name);
    if (other && other !== table) throw new FakeRichApiError("InvalidArgument", `A table named "${name}" already exists.`);
    table.name = name;
  }

  /** Header texts of a table, in sheet order. */
  headersOf(table: TableModel): string[] {
    const out: string[] = [];
    for (let c = 0; c < table.rect.columnCount; c++) out.push(String(this.valueOf(table.sheet, table.rect.row, table.rect.column + c)));
    return out;
  }

  /** The conditional formats whose rule holds on a cell, highest priority first. */
  formatsOn(sheet: SheetModel, row: number, column: number): ConditionalFormatModel[] {
    return sheet.conditionalFormats.filter(
      (cf) =>
        cf.areas.some((a) => row >= a.row && row < a.row + a.rowCount && column >= a.column && column < a.column + a.columnCount) &&
        evaluateFormula(cf.formula, (s, r, c) => {
          const target = s === null ? sheet : this.sheetByName(s);
          return target ? this.valueOf(target, r, c) : "#REF!";
        }) === true,
    );
  }
}
