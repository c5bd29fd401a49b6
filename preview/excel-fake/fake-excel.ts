/**
 * A fake of the part of Excel's JavaScript API that the add-in uses, with Excel's request model:
 *
 * - Proxy objects: nothing is read or written when you call a method or set a property. Commands queue up
 *   and run, in order, at `context.sync()`.
 * - Reading a property that was neither loaded (`load()` + `sync()`) nor set throws PropertyNotLoaded.
 * - `range.values = matrix` must match the range's shape exactly, or the sync rejects with InvalidArgument.
 *   Strings are treated like typed input: "=..." becomes a formula, "12" a number, "2024-01-31" a date serial,
 *   a leading apostrophe keeps the rest as text (and is not part of the value) — except in cells formatted as
 *   Text ("@"), which keep every string exactly as it is, a leading apostrophe included.
 * - `*OrNullObject` methods and `isNullObject`; ItemNotFound at sync for a missing item.
 * - Each sync's request and response size is measured; over 5 MB (Excel on the web's limit) the sync rejects
 *   with RequestPayloadSizeLimitExceeded (ResponsePayloadSizeLimitExceeded for what comes back).
 * - A batch is not a transaction: when a command fails, the ones before it in the same sync have taken effect
 *   and the ones after it never run.
 * - `worksheet.onChanged` fires after writes by the add-in (triggerSource "ThisLocalAddin") and after
 *   `fake.edit(...)`, which simulates a person typing into the grid.
 *
 * Runs in jest (node) and in the browser preview: no Node APIs.
 */
import { formatAddress, formatLocalAddress, intersect, MAX_COLUMNS, MAX_ROWS, parseAddress, type Rect } from "../../src/domain/a1";
import {
  FakeRichApiError,
  formatValue,
  WorkbookModel,
  type CellModel,
  type ConditionalFormatModel,
  type ListRule,
  type SheetModel,
  type TableModel,
  type Value,
} from "./model";

export { FakeRichApiError } from "./model";

/** Excel on the web rejects a request or a response larger than this. */
export const EXCEL_WEB_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
/** What one queued command costs in the request besides its arguments (object path, method name, ids). */
const COMMAND_OVERHEAD_BYTES = 60;

// The standard encoder, not the adapter's own counter: the fake must measure independently of the code it checks.
const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : utf8Length(JSON.stringify(value) ?? "");
}

interface Command {
  bytes: number;
  /** Returns what the command sends back (a loaded value), for the response size. */
  run(): unknown;
}

interface RangeTarget {
  sheet: SheetModel;
  rect: Rect;
}

type Resolver<T> = () => T | null;

function notFound(what: string): FakeRichApiError {
  return new FakeRichApiError("ItemNotFound", `The requested resource doesn't exist (${what}).`);
}

export interface SyncRecord {
  requestBytes: number;
  responseBytes: number;
  commands: number;
}

export interface ChangedEventArgs {
  type: "WorksheetChanged";
  changeType: "RangeEdited" | "RowInserted";
  source: "Local";
  triggerSource: "ThisLocalAddin" | "Unknown";
  worksheetId: string;
  address: string;
  details: undefined;
}

/** One cell as the preview grid shows it. */
export interface GridCell {
  text: string;
  fill: string | null;
  color: string | null;
  bold: boolean;
  italic: boolean;
  numeric: boolean;
  /** Dropdown values when the cell has a list validation. */
  list: string[] | null;
  /** The table the cell belongs to and whether it is that table's header. */
  table: string | null;
  header: boolean;
  /** What the formula bar would show. */
  formula: string;
}

export interface SheetInfo {
  name: string;
  visibility: "Visible" | "Hidden" | "VeryHidden";
  used: Rect | null;
  frozenRows: number;
  tables: { name: string; address: string }[];
}

export interface ConditionalFormatInfo {
  id: string;
  type: string;
  address: string;
  formula: string;
  fill: string | null;
  fontColor: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Request context and proxy base

export class FakeRequestContext {
  readonly workbook: WorkbookProxy;
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };
  private queue: Command[] = [];

  constructor(readonly excel: FakeExcel) {
    this.workbook = new WorkbookProxy(this);
  }

  enqueue(command: Command): void {
    this.queue.push(command);
  }

  get pending(): number {
    return this.queue.length;
  }

  sync(): Promise<void> {
    const commands = this.queue;
    this.queue = [];
    return this.excel.runBatch(commands);
  }
}

function propertyNotLoaded(type: string, prop: string): FakeRichApiError {
  return new FakeRichApiError(
    "PropertyNotLoaded",
    `The property '${prop}' of ${type} is not available. Before reading the property's value, call the load method ` +
      `on the containing object and call "context.sync()" on the associated request context.`,
  );
}

function parseLoadArg(arg: unknown): string[] {
  if (arg === undefined || arg === null) return [];
  if (typeof arg === "string")
    return arg
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(arg)) return arg.flatMap((a) => parseLoadArg(a));
  if (typeof arg === "object" && "select" in arg) return parseLoadArg((arg as { select?: unknown }).select);
  return [];
}

abstract class ProxyBase {
  protected readonly cache = new Map<string, unknown>();
  protected abstract readonly typeName: string;
  /** Scalar properties loaded by a bare `load()`. */
  protected abstract readonly scalarProps: readonly string[];

  constructor(readonly context: FakeRequestContext) {}

  protected get model(): WorkbookModel {
    return this.context.excel.model;
  }

  /** Reads a property as it was loaded or last set through this proxy. */
  protected got<T>(prop: string): T {
    if (!this.cache.has(prop)) throw propertyNotLoaded(this.typeName, prop);
    return this.cache.get(prop) as T;
  }

  /** Queues a property write; like office.js, the proxy remembers the value it was given. */
  protected queueSet(prop: string, value: unknown, apply: () => void): void {
    this.cache.set(prop, value);
    this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES + jsonBytes(value), run: () => void apply() });
  }

  protected queueCall(run: () => void, args: unknown = undefined): void {
    this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES + jsonBytes(args), run: () => void run() });
  }

  /** The value of a property from the workbook, at sync time; undefined for a property this type lacks. */
  protected abstract readProp(prop: string): unknown;

  protected child(_name: string): ProxyBase | null {
    return null;
  }

  load(arg?: unknown): this {
    const paths = parseLoadArg(arg);
    const props = paths.length ? paths : [...this.scalarProps];
    for (const path of props) {
      const slash = path.indexOf("/");
      if (slash !== -1) {
        const child = this.child(path.slice(0, slash));
        if (!child) throw new FakeRichApiError("InvalidArgument", `${this.typeName} has no navigation property "${path.slice(0, slash)}".`);
        child.load(path.slice(slash + 1));
        continue;
      }
      const child = this.child(path);
      if (child) {
        child.load();
        continue;
      }
      this.context.enqueue({
        bytes: COMMAND_OVERHEAD_BYTES,
        run: () => {
          const value = this.readProp(path);
          if (value === undefined) throw new FakeRichApiError("InvalidArgument", `${this.typeName} has no property "${path}".`);
          this.cache.set(path, value);
          return value;
        },
      });
    }
    return this;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.cache);
  }
}

/** A proxy for something that may not exist: reads give null on a null object, commands fail with ItemNotFound. */
abstract class ItemProxy<M> extends ProxyBase {
  constructor(
    context: FakeRequestContext,
    protected readonly resolver: Resolver<M>,
    nullable: boolean,
  ) {
    super(context);
    if (nullable) {
      this.context.enqueue({
        bytes: COMMAND_OVERHEAD_BYTES,
        run: () => {
          this.cache.set("isNullObject", this.resolver() === null);
          return false;
        },
      });
    } else {
      this.cache.set("isNullObject", false);
    }
  }

  get isNullObject(): boolean {
    return this.got<boolean>("isNullObject");
  }

  protected target(): M {
    const m = this.resolver();
    if (m === null) throw notFound(this.typeName);
    return m;
  }

  protected override readProp(prop: string): unknown {
    const m = this.resolver();
    if (m === null) return null;
    return this.readFrom(m, prop);
  }

  protected abstract readFrom(m: M, prop: string): unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Workbook, worksheets

class WorkbookProxy extends ProxyBase {
  protected readonly typeName = "Workbook";
  protected readonly scalarProps = ["name"];
  readonly worksheets: WorksheetCollectionProxy;
  readonly tables: TableCollectionProxy;

  constructor(context: FakeRequestContext) {
    super(context);
    this.worksheets = new WorksheetCollectionProxy(context);
    this.tables = new TableCollectionProxy(context, null);
  }

  protected readProp(prop: string): unknown {
    return prop === "name" ? "Book1.xlsx" : undefined;
  }

  /** Formulas are computed whenever they are read, so a recalculation has nothing left to do. */
  readonly application = {
    calculate: (calculationType: string) => this.queueCall(() => this.context.excel.onCalculate?.(), calculationType),
  };

  getSelectedRange(): RangeProxy {
    return new RangeProxy(
      this.context,
      () => {
        const sel = this.model.selection;
        if (sel) return sel;
        const sheet = this.model.activeSheet;
        return sheet ? { sheet, rect: { row: 0, column: 0, rowCount: 1, columnCount: 1 } } : null;
      },
      false,
    );
  }
}

class WorksheetCollectionProxy extends ProxyBase {
  protected readonly typeName = "WorksheetCollection";
  protected readonly scalarProps = ["items"];

  protected readProp(): unknown {
    return undefined;
  }

  get items(): WorksheetProxy[] {
    return this.got("items");
  }

  override load(arg?: unknown): this {
    const props = parseLoadArg(arg)
      .map((p) => p.replace(/^items\/?/, ""))
      .filter(Boolean);
    this.context.enqueue({
      bytes: COMMAND_OVERHEAD_BYTES,
      run: () => {
        const items = this.model.sheets.map((s) => new WorksheetProxy(this.context, () => s, false, true));
        const out = items.map((item) => item.loadNow(props.length ? props : ["name", "id", "visibility", "position"]));
        this.cache.set("items", items);
        return out;
      },
    });
    return this;
  }

  add(name?: string): WorksheetProxy {
    let created: SheetModel | null = null;
    this.queueCall(() => {
      let sheetName = name;
      if (sheetName === undefined) for (let n = 1; !sheetName || this.model.sheetByName(sheetName); n++) sheetName = `Sheet${n}`;
      created = this.model.addSheet(sheetName);
    }, name);
    return new WorksheetProxy(this.context, () => created, false);
  }

  getItem(name: string): WorksheetProxy {
    this.queueCall(() => {
      if (!this.model.sheetByName(name)) throw notFound(`worksheet "${name}"`);
    }, name);
    return new WorksheetProxy(this.context, () => this.model.sheetByName(name), false);
  }

  getItemOrNullObject(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, () => this.model.sheetByName(name), true);
  }

  getActiveWorksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, () => this.model.activeSheet, false);
  }

  /** Excel fires it when any sheet becomes the active one (a tab clicked, or activate() from code). */
  get onActivated(): { add(handler: (args: unknown) => unknown): EventHandlerResult } {
    const handlers = this.context.excel.activatedHandlers;
    return {
      add: (handler) => {
        this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES, run: () => void handlers.add(handler) });
        return new EventHandlerResult(this.context, () => handlers.delete(handler));
      },
    };
  }
}

class EventHandlerResult {
  constructor(
    readonly context: FakeRequestContext,
    private readonly onRemove: () => void,
  ) {}

  remove(): void {
    this.context.enqueue({ bytes: COMMAND_OVERHEAD_BYTES, run: () => this.onRemove() });
  }
}

class WorksheetEvents {
  constructor(
    private readonly context: FakeRequestContext,
    private readonly sheet: () => SheetModel,
  ) {}

  add(handler: (args: ChangedEventArgs) => unknown): EventHandlerResult {
    let registeredOn: SheetModel | null = null;
    this.context.enqueue({
      bytes: COMMAND_OVERHEAD_BYTES,
      run: () => {
        registeredOn = this.sheet();
        registeredOn.onChanged.add(handler as (args: unknown) => unknown);
      },
    });
    return new EventHandlerResult(this.context, () => registeredOn?.onChanged.delete(handler as (args: unknown) => unknown));
  }
}

class WorksheetProxy extends ItemProxy<SheetModel> {
  protected readonly typeName = "Worksheet";
  protected readonly scalarProps = ["name", "id", "visibility", "position"];
  readonly tables: TableCollectionProxy;
  readonly onChanged: WorksheetEvents;
  readonly freezePanes: { freezeRows: (count?: number) => void };

  constructor(context: FakeRequestContext, resolver: Resolver<SheetModel>, nullable: boolean, preloaded = false) {
    super(context, resolver, nullable);
    if (preloaded) this.cache.set("isNullObject", false);
    this.tables = new TableCollectionProxy(context, this);
    this.onChanged = new WorksheetEvents(context, () => this.target());
    this.freezePanes = {
      freezeRows: (count = 1) => this.queueCall(() => void (this.target().frozenRows = count), count),
    };
  }

  /** @internal Loads properties right now (used while a collection load runs inside a sync). */
  loadNow(props: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of props) {
      const v = this.readProp(p);
      this.cache.set(p, v);
      out[p] = v;
    }
    return out;
  }

  protected readFrom(s: SheetModel, prop: string): unknown {
    switch (prop) {
      case "name":
        return s.name;
      case "id":
        return s.id;
      case "visibility":
        return s.visibility;
      case "position":
        return this.model.sheets.indexOf(s);
      default:
        return undefined;
    }
  }

  get name(): string {
    return this.got("name");
  }
  set name(value: string) {
    this.queueSet("name", value, () => {
      const s = this.target();
      const other = this.model.sheetByName(value);
      if (other && other !== s) throw new FakeRichApiError("ItemAlreadyExists", `A sheet named "${value}" already exists.`);
      if (value.trim() === "" || value.length > 31 || /[[\]:*?/\\]/.test(value)) {
        throw new FakeRichApiError("InvalidArgument", `The sheet name "${value}" is not valid.`);
      }
      s.name = value;
    });
  }
  get id(): string {
    return this.got("id");
  }
  get position(): number {
    return this.got("position");
  }
  get visibility(): string {
    return this.got("visibility");
  }
  set visibility(value: string) {
    this.queueSet("visibility", value, () => {
      if (value !== "Visible" && value !== "Hidden" && value !== "VeryHidden") {
        throw new FakeRichApiError("InvalidArgument", `"${value}" is not a sheet visibility.`);
      }
      const s = this.target();
      if (value !== "Visible" && !this.model.sheets.some((o) => o !== s && o.visibility === "Visible")) {
        throw new FakeRichApiError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
      }
      s.visibility = value;
      if (value !== "Visible" && this.model.activeSheet === s) {
        this.model.activeSheet = this.model.sheets.find((o) => o.visibility === "Visible") ?? null;
      }
    });
  }

  private range(rect: () => Rect): RangeProxy {
    return new RangeProxy(this.context, () => ({ sheet: this.target(), rect: rect() }), false);
  }

  getRange(address?: string): RangeProxy {
    if (address === undefined || address === "")
      return this.range(() => ({ row: 0, column: 0, rowCount: MAX_ROWS, columnCount: MAX_COLUMNS }));
    const parsed = parseAddress(address);
    return this.range(() => parsed.rect);
  }

  getRangeByIndexes(row: number, column: number, rowCount: number, columnCount: number): RangeProxy {
    return this.range(() => checkedRect({ row, column, rowCount, columnCount }));
  }

  getCell(row: number, column: number): RangeProxy {
    return this.getRangeByIndexes(row, column, 1, 1);
  }

  getRanges(address: string): RangeAreasProxy {
    if (address.length > 8192) throw new FakeRichApiError("InvalidArgument", "The address is too long.");
    const rects = address.split(",").map((a) => parseAddress(a.trim()).rect);
    return new RangeAreasProxy(this.context, () => ({ sheet: this.target(), rects }));
  }

  getUsedRange(valuesOnly = false): RangeProxy {
    return this.range(() => this.model.usedRect(this.target(), valuesOnly) ?? { row: 0, column: 0, rowCount: 1, columnCount: 1 });
  }

  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(
      this.context,
      () => {
        const sheet = this.resolver();
        const rect = sheet ? this.model.usedRect(sheet, valuesOnly) : null;
        return sheet && rect ? { sheet, rect } : null;
      },
      true,
    );
  }

  activate(): void {
    this.queueCall(() => {
      const s = this.target();
      if (s.visibility !== "Visible") throw new FakeRichApiError("InvalidOperation", "A hidden sheet can't be activated.");
      const was = this.model.activeSheet;
      this.model.activeSheet = s;
      this.context.excel.touch();
      if (was !== s) this.context.excel.sheetActivated(s);
    });
  }

  delete(): void {
    this.queueCall(() => {
      const s = this.target();
      if (!this.model.sheets.some((o) => o !== s && o.visibility === "Visible")) {
        throw new FakeRichApiError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
      }
      this.model.sheets = this.model.sheets.filter((o) => o !== s);
      this.model.tables = this.model.tables.filter((t) => t.sheet !== s);
      if (this.model.activeSheet === s) this.model.activeSheet = this.model.sheets.find((o) => o.visibility === "Visible") ?? null;
      if (this.model.selection?.sheet === s) this.model.selection = null;
    });
  }
}

function checkedRect(rect: Rect): Rect {
  const ok =
    Number.isInteger(rect.row) &&
    Number.isInteger(rect.column) &&
    Number.isInteger(rect.rowCount) &&
    Number.isInteger(rect.columnCount) &&
    rect.row >= 0 &&
    rect.column >= 0 &&
    rect.rowCount >= 1 &&
    rect.columnCount >= 1 &&
    rect.row + rect.rowCount <= MAX_ROWS &&
    rect.column + rect.columnCount <= MAX_COLUMNS;
  if (!ok) throw new FakeRichApiError("InvalidArgument", "The range is outside the sheet or has no cells.");
  return rect;
}

// ---------------------------------------------------------------------------------------------------------------
// Ranges and their formatting

/**
 * Expands a `values`/`formulas`/`numberFormat` input to one entry per cell, checking the shape as Excel does.
 * A 1x1 number format applies to every cell (Microsoft's own tutorial formats a table column that way);
 * values and formulas must match the range exactly.
 */
function perCell(input: unknown, rect: Rect, prop: string): (r: number, c: number) => unknown {
  const broadcast =
    prop === "numberFormat" && Array.isArray(input) && input.length === 1 && Array.isArray(input[0]) && input[0].length === 1;
  if (broadcast) return () => (input as unknown[][])[0]?.[0];
  const shapeOk =
    Array.isArray(input) && input.length === rect.rowCount && input.every((row) => Array.isArray(row) && row.length === rect.columnCount);
  if (!shapeOk) {
    const rows = Array.isArray(input) ? input.length : 0;
    const cols = Array.isArray(input) && Array.isArray(input[0]) ? (input[0] as unknown[]).length : 0;
    throw new FakeRichApiError(
      "InvalidArgument",
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range ` +
        `(${prop}: ${rows}x${cols} given for ${rect.rowCount}x${rect.columnCount}).`,
    );
  }
  return (r, c) => ((input as unknown[][])[r] as unknown[])[c];
}

function uniform<T>(rect: Rect, read: (r: number, c: number) => T): T | null {
  let first: T | undefined;
  for (let r = 0; r < rect.rowCount; r++) {
    for (let c = 0; c < rect.columnCount; c++) {
      const v = read(rect.row + r, rect.column + c);
      if (first === undefined) first = v;
      else if (v !== first) return null;
    }
  }
  return first ?? null;
}

function matrix<T>(rect: Rect, read: (r: number, c: number) => T): T[][] {
  if (rect.rowCount * rect.columnCount > 5_000_000) throw new FakeRichApiError("InvalidArgument", "The range is too large to read.");
  const out: T[][] = [];
  for (let r = 0; r < rect.rowCount; r++) {
    const row: T[] = [];
    for (let c = 0; c < rect.columnCount; c++) row.push(read(rect.row + r, rect.column + c));
    out.push(row);
  }
  return out;
}

/** Applies `fn` to every existing-or-new cell of a rectangle (rectangles here are table-sized, not sheet-sized). */
function eachCell(model: WorkbookModel, t: RangeTarget, fn: (cell: CellModel) => void): void {
  if (t.rect.rowCount * t.rect.columnCount > 5_000_000) throw new FakeRichApiError("InvalidArgument", "The range is too large.");
  for (let r = 0; r < t.rect.rowCount; r++) {
    for (let c = 0; c < t.rect.columnCount; c++) fn(model.cellForWrite(t.sheet, t.rect.row + r, t.rect.column + c));
  }
}

/** Where a Range-or-address argument points; an address without a sheet name means the active sheet. */
function rangeArgument(model: WorkbookModel, arg: string | RangeProxy): RangeTarget {
  if (typeof arg !== "string") return (arg as unknown as { target(): RangeTarget }).target();
  const parsed = parseAddress(arg);
  const sheet = parsed.sheet === null ? model.activeSheet : model.sheetByName(parsed.sheet);
  if (!sheet) throw notFound(`worksheet of "${arg}"`);
  return { sheet, rect: parsed.rect };
}

function normalizeColor(color: string): string {
  const named: Record<string, string> = { red: "#FF0000", yellow: "#FFFF00", white: "#FFFFFF", black: "#000000", green: "#008000" };
  const c = named[color.toLowerCase()] ?? color;
  if (!/^#[0-9a-fA-F]{6}$/.test(c)) throw new FakeRichApiError("InvalidArgument", `"${color}" is not a color.`);
  return c.toUpperCase();
}

class RangeFillProxy extends ProxyBase {
  protected readonly typeName = "RangeFill";
  protected readonly scalarProps = ["color"];
  constructor(
    context: FakeRequestContext,
    private readonly range: () => RangeTarget,
  ) {
    super(context);
  }
  protected readProp(prop: string): unknown {
    if (prop !== "color") return undefined;
    const t = this.range();
    return uniform(t.rect, (r, c) => this.model.cell(t.sheet, r, c)?.fill ?? "#FFFFFF");
  }
  get color(): string {
    return this.got("color");
  }
  set color(value: string) {
    this.queueSet("color", value, () => {
      const color = normalizeColor(value);
      eachCell(this.model, this.range(), (cell) => void (cell.fill = color));
    });
  }
  clear(): void {
    this.queueCall(() => eachCell(this.model, this.range(), (cell) => void delete cell.fill));
  }
}

class RangeFontProxy extends ProxyBase {
  protected readonly typeName = "RangeFont";
  protected readonly scalarProps = ["bold", "color", "italic"];
  constructor(
    context: FakeRequestContext,
    private readonly range: () => RangeTarget,
  ) {
    super(context);
  }
  protected readProp(prop: string): unknown {
    const t = this.range();
    const read = (f: (cell: CellModel | undefined) => unknown) => uniform(t.rect, (r, c) => f(this.model.cell(t.sheet, r, c)));
    if (prop === "bold") return read((cell) => cell?.bold ?? false);
    if (prop === "italic") return read((cell) => cell?.italic ?? false);
    if (prop === "color") return read((cell) => cell?.fontColor ?? "#000000");
    return undefined;
  }
  get bold(): boolean {
    return this.got("bold");
  }
  set bold(value: boolean) {
    this.queueSet("bold", value, () => eachCell(this.model, this.range(), (cell) => void (cell.bold = value)));
  }
  get italic(): boolean {
    return this.got("italic");
  }
  set italic(value: boolean) {
    this.queueSet("italic", value, () => eachCell(this.model, this.range(), (cell) => void (cell.italic = value)));
  }
  get color(): string {
    return this.got("color");
  }
  set color(value: string) {
    this.queueSet("color", value, () => {
      const color = normalizeColor(value);
      eachCell(this.model, this.range(), (cell) => void (cell.fontColor = color));
    });
  }
}

class RangeFormatProxy extends ProxyBase {
  protected readonly typeName = "RangeFormat";
  protected readonly scalarProps = ["columnWidth"];
  readonly fill: RangeFillProxy;
  readonly font: RangeFontProxy;
  constructor(
    context: FakeRequestContext,
    private readonly range: () => RangeTarget,
  ) {
    super(context);
    this.fill = new RangeFillProxy(context, range);
    this.font = new RangeFontProxy(context, range);
  }
  protected override child(name: string): ProxyBase | null {
    return name === "fill" ? this.fill : name === "font" ? this.font : null;
  }
  protected readProp(prop: string): unknown {
    if (prop !== "columnWidth") return undefined;
    const t = this.range();
    return t.sheet.columnWidths.get(t.rect.column) ?? 64;
  }
  get columnWidth(): number {
    return this.got("columnWidth");
  }
  set columnWidth(value: number) {
    this.queueSet("columnWidth", value, () => {
      const t = this.range();
      for (let c = 0; c < t.rect.columnCount; c++) t.sheet.columnWidths.set(t.rect.column + c, value);
    });
  }
  autofitColumns(): void {
    this.queueCall(() => {
      const t = this.range();
      const used = this.model.usedRect(t.sheet, true);
      for (let c = 0; c < Math.min(t.rect.columnCount, 200); c++) {
        const column = t.rect.column + c;
        let longest = 4;
        const rows = used ? Math.min(used.row + used.rowCount, 500) : 0;
        for (let r = 0; r < rows; r++) {
          const cell = this.model.cell(t.sheet, r, column);
          if (!cell) continue;
          const text = formatValue(this.model.valueOf(t.sheet, r, column), cell.numberFormat ?? "General").text;
          longest = Math.max(longest, Math.min(text.length, 60));
        }
        t.sheet.columnWidths.set(column, Math.round(longest * 7 + 12));
      }
    });
  }
}

class DataValidationProxy extends ProxyBase {
  protected readonly typeName = "DataValidation";
  protected readonly scalarProps = ["rule", "type"];
  constructor(
    context: FakeRequestContext,
    private readonly range: () => RangeTarget,
  ) {
    super(context);
  }
  protected readProp(prop: string): unknown {
    const t = this.range();
    const rule = uniform(t.rect, (r, c) => this.model.cell(t.sheet, r, c)?.validation ?? null);
    if (prop === "rule") return rule ?? {};
    if (prop === "type")
      return rule ? "List" : uniform(t.rect, (r, c) => this.model.cell(t.sheet, r, c)?.validation) === undefined ? "None" : "Inconsistent";
    return undefined;
  }
  get rule(): unknown {
    return this.got("rule");
  }
  set rule(value: unknown) {
    this.queueSet("rule", value, () => {
      const list = (value as Partial<ListRule> | null)?.list;
      if (!list || typeof list.source !== "string" || list.source === "") {
        throw new FakeRichApiError("InvalidArgument", "The fake supports list validation rules only.");
      }
      if (!list.source.startsWith("=") && list.source.length > 255) {
        throw new FakeRichApiError("InvalidArgument", "A list's source can't be longer than 255 characters.");
      }
      const rule: ListRule = { list: { inCellDropDown: list.inCellDropDown ?? true, source: list.source } };
      const t = this.range();
      // Excel on the web refuses a rule over a range whose cells already differ in validation (office-js#2594);
      // the fake refuses it everywhere, so an add-in that forgets to clear first fails here and not only online.
      const existing = uniform(t.rect, (r, c) => JSON.stringify(this.model.cell(t.sheet, r, c)?.validation ?? null));
      if (existing === null)
        throw new FakeRichApiError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
      eachCell(this.model, t, (cell) => void (cell.validation = rule));
    });
  }
  clear(): void {
    this.queueCall(() => eachCell(this.model, this.range(), (cell) => void delete cell.validation));
  }
}

class RangeProxy extends ItemProxy<RangeTarget> {
  protected readonly typeName = "Range";
  protected readonly scalarProps = [
    "address",
    "addressLocal",
    "values",
    "formulas",
    "numberFormat",
    "text",
    "rowIndex",
    "columnIndex",
    "rowCount",
    "columnCount",
    "cellCount",
  ];
  private formatProxy: RangeFormatProxy | null = null;
  private validationProxy: DataValidationProxy | null = null;
  private cfProxy: ConditionalFormatCollectionProxy | null = null;

  protected readFrom(t: RangeTarget, prop: string): unknown {
    const m = this.model;
    switch (prop) {
      case "address":
      case "addressLocal":
        return formatAddress(t.sheet.name, t.rect);
      case "values":
        return matrix(t.rect, (r, c) => m.valueOf(t.sheet, r, c));
      case "formulas":
        return matrix(t.rect, (r, c) => m.formulaOf(t.sheet, r, c));
      case "numberFormat":
        return matrix(t.rect, (r, c) => m.numberFormatOf(t.sheet, r, c));
      case "text":
        return matrix(t.rect, (r, c) => formatValue(m.valueOf(t.sheet, r, c), m.numberFormatOf(t.sheet, r, c)).text);
      case "rowIndex":
        return t.rect.row;
      case "columnIndex":
        return t.rect.column;
      case "rowCount":
        return t.rect.rowCount;
      case "columnCount":
        return t.rect.columnCount;
      case "cellCount":
        return t.rect.rowCount * t.rect.columnCount;
      default:
        return undefined;
    }
  }

  protected override child(name: string): ProxyBase | null {
    if (name === "format") return this.format;
    if (name === "dataValidation") return this.dataValidation;
    if (name === "conditionalFormats") return this.conditionalFormats;
    if (name === "worksheet") return this.worksheet;
    return null;
  }

  get address(): string {
    return this.got("address");
  }
  get rowIndex(): number {
    return this.got("rowIndex");
  }
  get columnIndex(): number {
    return this.got("columnIndex");
  }
  get rowCount(): number {
    return this.got("rowCount");
  }
  get columnCount(): number {
    return this.got("columnCount");
  }
  get cellCount(): number {
    return this.got("cellCount");
  }
  get text(): string[][] {
    return this.got("text");
  }

  get values(): Value[][] {
    return this.got("values");
  }
  set values(input: unknown) {
    this.queueSet("values", input, () => this.write(input, "values"));
  }
  get formulas(): Value[][] {
    return this.got("formulas");
  }
  set formulas(input: unknown) {
    this.queueSet("formulas", input, () => this.write(input, "formulas"));
  }
  get numberFormat(): string[][] {
    return this.got("numberFormat");
  }
  set numberFormat(input: unknown) {
    this.queueSet("numberFormat", input, () => {
      const t = this.target();
      const at = perCell(input, t.rect, "numberFormat");
      for (let r = 0; r < t.rect.rowCount; r++) {
        for (let c = 0; c < t.rect.columnCount; c++) {
          const fmt = at(r, c);
          if (fmt === null || fmt === undefined) continue;
          if (typeof fmt !== "string") throw new FakeRichApiError("InvalidArgument", "A number format must be text.");
          this.model.cellForWrite(t.sheet, t.rect.row + r, t.rect.column + c).numberFormat = fmt;
        }
      }
    });
  }

  private write(input: unknown, prop: string): void {
    const t = this.target();
    const at = perCell(input, t.rect, prop);
    for (let r = 0; r < t.rect.rowCount; r++) {
      for (let c = 0; c < t.rect.columnCount; c++) this.model.put(t.sheet, t.rect.row + r, t.rect.column + c, at(r, c));
    }
    this.context.excel.changed(t.sheet, t.rect, "ThisLocalAddin");
  }

  get format(): RangeFormatProxy {
    this.formatProxy ??= new RangeFormatProxy(this.context, () => this.target());
    return this.formatProxy;
  }
  get dataValidation(): DataValidationProxy {
    this.validationProxy ??= new DataValidationProxy(this.context, () => this.target());
    return this.validationProxy;
  }
  get conditionalFormats(): ConditionalFormatCollectionProxy {
    this.cfProxy ??= new ConditionalFormatCollectionProxy(this.context, () => {
      const t = this.target();
      return { sheet: t.sheet, rects: [t.rect] };
    });
    return this.cfProxy;
  }
  get worksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, () => this.target().sheet, false);
  }

  private derived(fn: (rect: Rect) => Rect): RangeProxy {
    return new RangeProxy(
      this.context,
      () => {
        const t = this.target();
        return { sheet: t.sheet, rect: checkedRect(fn(t.rect)) };
      },
      false,
    );
  }

  getCell(row: number, column: number): RangeProxy {
    return this.derived((r) => ({ row: r.row + row, column: r.column + column, rowCount: 1, columnCount: 1 }));
  }
  getRow(row: number): RangeProxy {
    return this.derived((r) => ({ ...r, row: r.row + row, rowCount: 1 }));
  }
  getColumn(column: number): RangeProxy {
    return this.derived((r) => ({ ...r, column: r.column + column, columnCount: 1 }));
  }
  getLastRow(): RangeProxy {
    return this.derived((r) => ({ ...r, row: r.row + r.rowCount - 1, rowCount: 1 }));
  }
  getResizedRange(deltaRows: number, deltaColumns: number): RangeProxy {
    return this.derived((r) => ({ ...r, rowCount: r.rowCount + deltaRows, columnCount: r.columnCount + deltaColumns }));
  }
  getOffsetRange(rowOffset: number, columnOffset: number): RangeProxy {
    return this.derived((r) => ({ ...r, row: r.row + rowOffset, column: r.column + columnOffset }));
  }
  getAbsoluteResizedRange(rowCount: number, columnCount: number): RangeProxy {
    return this.derived((r) => ({ ...r, rowCount, columnCount }));
  }

  /** The part of this range that holds values (or, unless valuesOnly, formatting); a null object when none does. */
  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return new RangeProxy(
      this.context,
      () => {
        const t = this.resolver();
        const rect = t ? this.model.usedRect(t.sheet, valuesOnly, t.rect) : null;
        return t && rect ? { sheet: t.sheet, rect } : null;
      },
      true,
    );
  }

  clear(applyTo: "All" | "Contents" | "Formats" = "All"): void {
    this.queueCall(() => {
      const t = this.target();
      this.model.clear(t.sheet, t.rect, applyTo);
      if (applyTo !== "Formats") this.context.excel.changed(t.sheet, t.rect, "ThisLocalAddin");
    }, applyTo);
  }

  select(): void {
    this.queueCall(() => {
      const t = this.target();
      if (t.sheet.visibility !== "Visible") throw new FakeRichApiError("InvalidOperation", "A range on a hidden sheet can't be selected.");
      this.model.activeSheet = t.sheet;
      this.model.selection = { sheet: t.sheet, rect: t.rect };
      this.context.excel.touch();
    });
  }
}

class RangeAreasProxy extends ItemProxy<{ sheet: SheetModel; rects: Rect[] }> {
  protected readonly typeName = "RangeAreas";
  protected readonly scalarProps = ["address", "areaCount"];
  private cfProxy: ConditionalFormatCollectionProxy | null = null;

  constructor(context: FakeRequestContext, resolver: Resolver<{ sheet: SheetModel; rects: Rect[] }>) {
    super(context, resolver, false);
  }

  protected readFrom(t: { sheet: SheetModel; rects: Rect[] }, prop: string): unknown {
    if (prop === "address") return t.rects.map((r) => formatAddress(t.sheet.name, r)).join(",");
    if (prop === "areaCount") return t.rects.length;
    return undefined;
  }
  get address(): string {
    return this.got("address");
  }
  get areaCount(): number {
    return this.got("areaCount");
  }
  get conditionalFormats(): ConditionalFormatCollectionProxy {
    this.cfProxy ??= new ConditionalFormatCollectionProxy(this.context, () => this.target());
    return this.cfProxy;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Conditional formats

/** Cells of `a` not in `b`, as up to four rectangles. */
function subtract(a: Rect, b: Rect): Rect[] {
  const i = intersect(a, b);
  if (!i) return [a];
  const out: Rect[] = [];
  if (i.row > a.row) out.push({ ...a, rowCount: i.row - a.row });
  const bottom = i.row + i.rowCount;
  if (bottom < a.row + a.rowCount) out.push({ ...a, row: bottom, rowCount: a.row + a.rowCount - bottom });
  if (i.column > a.column) out.push({ row: i.row, rowCount: i.rowCount, column: a.column, columnCount: i.column - a.column });
  const right = i.column + i.columnCount;
  if (right < a.column + a.columnCount)
    out.push({ row: i.row, rowCount: i.rowCount, column: right, columnCount: a.column + a.columnCount - right });
  return out;
}

class CustomFormatProxy extends ProxyBase {
  protected readonly typeName = "CustomConditionalFormat";
  protected readonly scalarProps = [];
  readonly rule: ProxyBase & { formula: string };
  readonly format: { fill: ProxyBase & { color: string }; font: ProxyBase & { color: string; bold: boolean } };

  constructor(
    context: FakeRequestContext,
    private readonly cf: () => ConditionalFormatModel,
  ) {
    super(context);
    this.rule = makeField(
      context,
      "ConditionalFormatRule",
      "formula",
      () => this.cf().formula,
      (v: string) => {
        if (typeof v !== "string" || !v.startsWith("="))
          throw new FakeRichApiError("InvalidArgument", 'A rule formula must start with "=".');
        this.cf().formula = v;
      },
    ) as ProxyBase & { formula: string };
    const fill = makeField(
      context,
      "ConditionalRangeFill",
      "color",
      () => this.cf().fill ?? null,
      (v: string) => {
        this.cf().fill = normalizeColor(v);
      },
    ) as ProxyBase & { color: string };
    const font = makeFont(context, this.cf);
    this.format = { fill, font };
  }

  protected readProp(): unknown {
    return undefined;
  }
}

/** A proxy with one read/write property backed by the model (the fake's many tiny rule/format objects). */
function makeField<T>(context: FakeRequestContext, typeName: string, prop: string, read: () => unknown, write: (v: T) => void): ProxyBase {
  class Field extends ProxyBase {
    protected readonly typeName = typeName;
    protected readonly scalarProps = [prop];
    protected readProp(p: string): unknown {
      return p === prop ? read() : undefined;
    }
  }
  const field = new Field(context);
  Object.defineProperty(field, prop, {
    get: () => (field as unknown as { got(p: string): unknown }).got(prop),
    set: (v: T) => (field as unknown as { queueSet(p: string, v: unknown, apply: () => void): void }).queueSet(prop, v, () => write(v)),
  });
  return field;
}

function makeFont(context: FakeRequestContext, cf: () => ConditionalFormatModel): ProxyBase & { color: string; bold: boolean } {
  const font = makeField(
    context,
    "ConditionalRangeFont",
    "color",
    () => cf().fontColor ?? null,
    (v: string) => {
      cf().fontColor = normalizeColor(v);
    },
  );
  Object.defineProperty(font, "bold", {
    get: () => cf().bold ?? false,
    set: (v: boolean) => (font as unknown as { queueCall(run: () => void, a: unknown): void }).queueCall(() => void (cf().bold = v), v),
  });
  return font as ProxyBase & { color: string; bold: boolean };
}

class ConditionalFormatProxy extends ItemProxy<{ sheet: SheetModel; cf: ConditionalFormatModel }> {
  protected readonly typeName = "ConditionalFormat";
  protected readonly scalarProps = ["id", "type", "priority", "stopIfTrue"];
  private customProxy: CustomFormatProxy | null = null;

  protected readFrom(t: { sheet: SheetModel; cf: ConditionalFormatModel }, prop: string): unknown {
    switch (prop) {
      case "id":
        return t.cf.id;
      case "type":
        return t.cf.type;
      case "priority":
        return t.sheet.conditionalFormats.indexOf(t.cf);
      case "stopIfTrue":
        return false;
      default:
        return undefined;
    }
  }

  protected override child(name: string): ProxyBase | null {
    return name === "custom" ? this.custom : null;
  }

  get id(): string {
    return this.got("id");
  }
  get type(): string {
    return this.got("type");
  }
  get priority(): number {
    return this.got("priority");
  }

  get custom(): CustomFormatProxy {
    this.customProxy ??= new CustomFormatProxy(this.context, () => {
      const t = this.target();
      if (t.cf.type !== "Custom") throw new FakeRichApiError("InvalidOperation", "This conditional format is not a custom one.");
      return t.cf;
    });
    return this.customProxy;
  }

  getRange(): RangeProxy {
    return new RangeProxy(
      this.context,
      () => {
        const t = this.target();
        if (t.cf.areas.length !== 1)
          throw new FakeRichApiError("InvalidOperation", "The conditional format applies to several areas; use getRanges().");
        return { sheet: t.sheet, rect: t.cf.areas[0] as Rect };
      },
      false,
    );
  }

  getRanges(): RangeAreasProxy {
    return new RangeAreasProxy(this.context, () => {
      const t = this.target();
      return { sheet: t.sheet, rects: t.cf.areas };
    });
  }

  delete(): void {
    this.queueCall(() => {
      const t = this.target();
      t.sheet.conditionalFormats = t.sheet.conditionalFormats.filter((cf) => cf !== t.cf);
    });
  }
}

class ConditionalFormatCollectionProxy extends ProxyBase {
  protected readonly typeName = "ConditionalFormatCollection";
  protected readonly scalarProps = ["items"];

  constructor(
    context: FakeRequestContext,
    private readonly scope: () => { sheet: SheetModel; rects: Rect[] },
  ) {
    super(context);
  }

  private inScope(): { sheet: SheetModel; cfs: ConditionalFormatModel[] } {
    const { sheet, rects } = this.scope();
    return { sheet, cfs: sheet.conditionalFormats.filter((cf) => cf.areas.some((a) => rects.some((r) => intersect(a, r)))) };
  }

  protected readProp(prop: string): unknown {
    return prop === "count" ? this.inScope().cfs.length : undefined;
  }

  get items(): ConditionalFormatProxy[] {
    return this.got("items");
  }

  override load(arg?: unknown): this {
    const props = parseLoadArg(arg)
      .map((p) => p.replace(/^items\/?/, ""))
      .filter(Boolean);
    this.context.enqueue({
      bytes: COMMAND_OVERHEAD_BYTES,
      run: () => {
        const { sheet, cfs } = this.inScope();
        const items = cfs.map(
          (cf) => new ConditionalFormatProxy(this.context, () => (sheet.conditionalFormats.includes(cf) ? { sheet, cf } : null), false),
        );
        const out = items.map((item) => {
          const row: Record<string, unknown> = {};
          for (const p of props.length ? props : ["id", "type", "priority"]) {
            if (p.includes("/"))
              throw new FakeRichApiError("InvalidArgument", "The fake loads scalar properties of conditional formats only.");
            const v = (item as unknown as { readFrom(t: unknown, p: string): unknown }).readFrom(
              { sheet, cf: cfs[items.indexOf(item)] },
              p,
            );
            (item as unknown as { cache: Map<string, unknown> }).cache.set(p, v);
            row[p] = v;
          }
          return row;
        });
        this.cache.set("items", items);
        return out;
      },
    });
    return this;
  }

  add(type: string): ConditionalFormatProxy {
    let created: { sheet: SheetModel; cf: ConditionalFormatModel } | null = null;
    this.queueCall(() => {
      const { sheet, rects } = this.scope();
      const cf: ConditionalFormatModel = { id: this.model.newId("cf"), type, areas: rects.map((r) => ({ ...r })), formula: "=FALSE" };
      sheet.conditionalFormats.unshift(cf); // a new rule gets the top priority, as in Excel
      created = { sheet, cf };
    }, type);
    return new ConditionalFormatProxy(this.context, () => created, false);
  }

  getItem(id: string): ConditionalFormatProxy {
    return new ConditionalFormatProxy(this.context, () => this.find(id), false);
  }

  getItemOrNullObject(id: string): ConditionalFormatProxy {
    return new ConditionalFormatProxy(this.context, () => this.find(id), true);
  }

  private find(id: string): { sheet: SheetModel; cf: ConditionalFormatModel } | null {
    const { sheet } = this.scope();
    const cf = sheet.conditionalFormats.find((c) => c.id === id);
    return cf ? { sheet, cf } : null;
  }

  /** Removes the rules from the scope's cells; a rule that also covers other cells keeps those. */
  clearAll(): void {
    this.queueCall(() => {
      const { sheet, rects } = this.scope();
      for (const cf of sheet.conditionalFormats) {
        cf.areas = cf.areas.flatMap((a) => rects.reduce<Rect[]>((left, r) => left.flatMap((x) => subtract(x, r)), [a]));
      }
      sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => cf.areas.length > 0);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

class TableRowCollectionProxy extends ProxyBase {
  protected readonly typeName = "TableRowCollection";
  protected readonly scalarProps = ["count"];
  constructor(
    context: FakeRequestContext,
    private readonly table: () => TableModel,
  ) {
    super(context);
  }
  protected readProp(prop: string): unknown {
    return prop === "count" ? this.table().rect.rowCount - 1 : undefined;
  }
  get count(): number {
    return this.got("count");
  }
  /** Inserts rows (at the end unless `index` is given), shifting the table's cells below down. */
  add(index?: number | null, values?: unknown[][]): void {
    this.queueCall(() => {
      const t = this.table();
      const n = values?.length ?? 1;
      const bodyRows = t.rect.rowCount - 1;
      const at = index === undefined || index === null ? bodyRows : index;
      if (at < 0 || at > bodyRows) throw new FakeRichApiError("InvalidArgument", "The row index is outside the table.");
      const firstRow = t.rect.row + 1 + at;
      const moved: [number, CellModel][] = [];
      for (const [k, cell] of t.sheet.cells) {
        const row = Math.floor(k / MAX_COLUMNS);
        const column = k % MAX_COLUMNS;
        if (row >= firstRow && column >= t.rect.column && column < t.rect.column + t.rect.columnCount) moved.push([k, cell]);
      }
      for (const [k] of moved) t.sheet.cells.delete(k);
      for (const [k, cell] of moved) t.sheet.cells.set(k + n * MAX_COLUMNS, cell);
      t.rect = { ...t.rect, rowCount: t.rect.rowCount + n };
      if (values) {
        const rect = { row: firstRow, column: t.rect.column, rowCount: n, columnCount: t.rect.columnCount };
        const at2 = perCell(values, rect, "values");
        for (let r = 0; r < n; r++)
          for (let c = 0; c < rect.columnCount; c++) this.model.put(t.sheet, firstRow + r, t.rect.column + c, at2(r, c));
      }
      this.context.excel.changed(
        t.sheet,
        { row: firstRow, column: t.rect.column, rowCount: n, columnCount: t.rect.columnCount },
        "ThisLocalAddin",
      );
    }, values);
  }
  /** The data row at `index` (0-based), as resolved when the batch runs: rows deleted before it in the batch count. */
  getItemAt(index: number): TableRowProxy {
    return new TableRowProxy(this.context, this.table, index);
  }
}

/**
 * One data row of a table. `delete()` removes it as Excel does: the table's cells below move up a row (only within
 * the table's columns), and the table shrinks by one row; the only data row of a table is emptied instead, as Excel
 * keeps one body row in every table.
 */
class TableRowProxy extends ProxyBase {
  protected readonly typeName = "TableRow";
  protected readonly scalarProps = ["index"];
  constructor(
    context: FakeRequestContext,
    private readonly table: () => TableModel,
    private readonly index: number,
  ) {
    super(context);
  }
  protected readProp(prop: string): unknown {
    return prop === "index" ? this.index : undefined;
  }
  delete(): void {
    this.queueCall(() => {
      const t = this.table();
      const bodyRows = t.rect.rowCount - 1;
      if (this.index < 0 || this.index >= bodyRows) throw new FakeRichApiError("InvalidArgument", "The row index is outside the table.");
      const row = t.rect.row + 1 + this.index;
      const inColumns = (column: number) => column >= t.rect.column && column < t.rect.column + t.rect.columnCount;
      if (bodyRows === 1) {
        this.model.clear(t.sheet, { row, column: t.rect.column, rowCount: 1, columnCount: t.rect.columnCount }, "Contents");
      } else {
        const moved: [number, CellModel][] = [];
        for (const [k, cell] of t.sheet.cells) {
          const r = Math.floor(k / MAX_COLUMNS);
          if (r >= row && inColumns(k % MAX_COLUMNS)) moved.push([k, cell]);
        }
        for (const [k] of moved) t.sheet.cells.delete(k);
        for (const [k, cell] of moved) if (Math.floor(k / MAX_COLUMNS) > row) t.sheet.cells.set(k - MAX_COLUMNS, cell);
        t.rect = { ...t.rect, rowCount: t.rect.rowCount - 1 };
      }
      this.context.excel.changed(t.sheet, { row, column: t.rect.column, rowCount: 1, columnCount: t.rect.columnCount }, "ThisLocalAddin");
    }, this.index);
  }
}

class TableProxy extends ItemProxy<TableModel> {
  protected readonly typeName = "Table";
  protected readonly scalarProps = ["name", "id", "style", "showHeaders"];
  readonly rows: TableRowCollectionProxy;

  constructor(context: FakeRequestContext, resolver: Resolver<TableModel>, nullable: boolean) {
    super(context, resolver, nullable);
    this.rows = new TableRowCollectionProxy(context, () => this.target());
  }

  protected readFrom(t: TableModel, prop: string): unknown {
    switch (prop) {
      case "name":
        return t.name;
      case "id":
        return t.id;
      case "style":
        return t.style;
      case "showHeaders":
        return true;
      default:
        return undefined;
    }
  }

  protected override child(name: string): ProxyBase | null {
    if (name === "worksheet") return this.worksheet;
    if (name === "rows") return this.rows;
    return null;
  }

  get name(): string {
    return this.got("name");
  }
  set name(value: string) {
    this.queueSet("name", value, () => this.model.renameTable(this.target(), value));
  }
  get id(): string {
    return this.got("id");
  }
  get style(): string {
    return this.got("style");
  }
  set style(value: string) {
    this.queueSet("style", value, () => void (this.target().style = value));
  }

  get worksheet(): WorksheetProxy {
    return new WorksheetProxy(this.context, () => this.target().sheet, false);
  }

  private part(fn: (t: TableModel) => Rect): RangeProxy {
    return new RangeProxy(
      this.context,
      () => {
        const t = this.target();
        return { sheet: t.sheet, rect: fn(t) };
      },
      false,
    );
  }

  getRange(): RangeProxy {
    return this.part((t) => t.rect);
  }
  getHeaderRowRange(): RangeProxy {
    return this.part((t) => ({ ...t.rect, rowCount: 1 }));
  }
  getDataBodyRange(): RangeProxy {
    return this.part((t) => ({ ...t.rect, row: t.rect.row + 1, rowCount: t.rect.rowCount - 1 }));
  }

  /** Excel keeps the header row where it is; the new range must start on it. */
  resize(newRange: string | RangeProxy): void {
    this.queueCall(
      () => {
        const t = this.target();
        const { sheet, rect } = rangeArgument(this.model, newRange);
        if (sheet !== t.sheet) throw new FakeRichApiError("InvalidArgument", "A table can't move to another sheet.");
        if (rect.row !== t.rect.row || !intersect(rect, t.rect) || rect.rowCount < 2) {
          throw new FakeRichApiError("InvalidArgument", "The new table range must keep the header row and overlap the table.");
        }
        if (this.model.tables.some((o) => o !== t && o.sheet === t.sheet && intersect(o.rect, rect))) {
          throw new FakeRichApiError("InvalidOperation", "A table can't overlap another table.");
        }
        const old = t.rect;
        t.rect = rect;
        const seen = new Set(
          this.model
            .headersOf(t)
            .slice(0, Math.max(0, old.column + old.columnCount - rect.column))
            .map((h) => h.toLowerCase()),
        );
        for (let c = 0; c < rect.columnCount; c++) {
          const column = rect.column + c;
          if (column >= old.column && column < old.column + old.columnCount) continue;
          let text = String(this.model.valueOf(t.sheet, rect.row, column));
          if (text === "") text = `Column${c + 1}`;
          let unique = text;
          for (let n = 2; seen.has(unique.toLowerCase()); n++) unique = `${text}${n}`;
          seen.add(unique.toLowerCase());
          const cell = this.model.cellForWrite(t.sheet, rect.row, column);
          delete cell.formula;
          cell.value = unique;
        }
      },
      typeof newRange === "string" ? newRange : "{range}",
    );
  }

  delete(): void {
    this.queueCall(() => {
      const t = this.target();
      this.model.clear(t.sheet, t.rect, "All");
      this.model.tables = this.model.tables.filter((o) => o !== t);
    });
  }

  convertToRange(): RangeProxy {
    const range = this.getRange();
    this.queueCall(() => {
      const t = this.target();
      this.model.tables = this.model.tables.filter((o) => o !== t);
    });
    return range;
  }
}

class TableCollectionProxy extends ProxyBase {
  protected readonly typeName = "TableCollection";
  protected readonly scalarProps = ["items"];

  constructor(
    context: FakeRequestContext,
    private readonly sheetScope: WorksheetProxy | null,
  ) {
    super(context);
  }

  private scoped(): TableModel[] {
    const sheet = this.sheetScope ? (this.sheetScope as unknown as { target(): SheetModel }).target() : null;
    return this.model.tables.filter((t) => sheet === null || t.sheet === sheet);
  }

  protected readProp(prop: string): unknown {
    return prop === "count" ? this.scoped().length : undefined;
  }

  get items(): TableProxy[] {
    return this.got("items");
  }
  get count(): number {
    return this.got("count");
  }

  override load(arg?: unknown): this {
    const props = parseLoadArg(arg)
      .map((p) => p.replace(/^items\/?/, ""))
      .filter(Boolean);
    if (props.length === 1 && props[0] === "count") return super.load("count");
    this.context.enqueue({
      bytes: COMMAND_OVERHEAD_BYTES,
      run: () => {
        const items = this.scoped().map((t) => new TableProxy(this.context, () => (this.model.tables.includes(t) ? t : null), false));
        const out = items.map((item, i) => {
          const row: Record<string, unknown> = {};
          for (const p of props.length ? props : ["name", "id", "style"]) {
            const v = (item as unknown as { readFrom(t: TableModel, p: string): unknown }).readFrom(this.scoped()[i] as TableModel, p);
            (item as unknown as { cache: Map<string, unknown> }).cache.set(p, v);
            row[p] = v;
          }
          return row;
        });
        this.cache.set("items", items);
        return out;
      },
    });
    return this;
  }

  /**
   * As documented for Excel: an address without a sheet name means the ACTIVE sheet, even through
   * `worksheet.tables` of another sheet; a sheet-qualified address or a Range says where.
   */
  add(address: string | RangeProxy, hasHeaders: boolean): TableProxy {
    let created: TableModel | null = null;
    this.queueCall(
      () => {
        const { sheet, rect } = rangeArgument(this.model, address);
        const scope = this.sheetScope ? (this.sheetScope as unknown as { target(): SheetModel }).target() : null;
        if (scope && typeof address !== "string" && sheet !== scope) {
          throw new FakeRichApiError("InvalidArgument", "The range is on another sheet.");
        }
        created = this.model.addTable(sheet, rect, hasHeaders);
      },
      typeof address === "string" ? address : "{range}",
    );
    return new TableProxy(this.context, () => created, false);
  }

  getItem(name: string): TableProxy {
    this.queueCall(() => {
      if (!this.find(name)) throw notFound(`table "${name}"`);
    }, name);
    return new TableProxy(this.context, () => this.find(name), false);
  }

  getItemOrNullObject(name: string): TableProxy {
    return new TableProxy(this.context, () => this.find(name), true);
  }

  private find(name: string): TableModel | null {
    const t = this.model.tableByName(name);
    return t && this.scoped().includes(t) ? t : null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The fake host

/** The names and values of the Excel enums the add-in uses (office.js defines them as string constants). */
const ENUMS = {
  SheetVisibility: { visible: "Visible", hidden: "Hidden", veryHidden: "VeryHidden" },
  ConditionalFormatType: { custom: "Custom", cellValue: "CellValue", containsText: "ContainsText" },
  ClearApplyTo: { all: "All", formats: "Formats", contents: "Contents" },
  DataValidationType: { list: "List", none: "None" },
  CalculationType: { recalculate: "Recalculate", full: "Full", fullRebuild: "FullRebuild" },
  EventSource: { local: "Local", remote: "Remote" },
  DataChangeType: { rangeEdited: "RangeEdited", rowInserted: "RowInserted" },
  ErrorCodes: {
    itemNotFound: "ItemNotFound",
    invalidArgument: "InvalidArgument",
    invalidOperation: "InvalidOperation",
    propertyNotLoaded: "PropertyNotLoaded",
    requestPayloadSizeLimitExceeded: "RequestPayloadSizeLimitExceeded",
    responsePayloadSizeLimitExceeded: "ResponsePayloadSizeLimitExceeded",
  },
} as const;

export class FakeValidationError extends Error {
  override name = "FakeValidationError";
}

export class FakeExcel {
  readonly model = new WorkbookModel();
  /** Every `context.sync()` (including the one `Excel.run` makes for leftover commands). */
  syncCount = 0;
  readonly syncs: SyncRecord[] = [];
  payloadLimitBytes = EXCEL_WEB_PAYLOAD_LIMIT_BYTES;
  private readonly pendingEvents: { sheet: SheetModel; rect: Rect; trigger: ChangedEventArgs["triggerSource"] }[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.model.addSheet("Sheet1");
  }

  /** The object to install as the global `Excel`. */
  get api(): Record<string, unknown> {
    return { ...ENUMS, run: (...args: unknown[]) => this.run(...args), RequestContext: FakeRequestContext };
  }

  get maxRequestBytes(): number {
    return this.syncs.reduce((m, s) => Math.max(m, s.requestBytes), 0);
  }

  resetCounters(): void {
    this.syncCount = 0;
    this.syncs.length = 0;
  }

  async run(...args: unknown[]): Promise<unknown> {
    const batch = args[args.length - 1] as (ctx: FakeRequestContext) => Promise<unknown>;
    if (typeof batch !== "function") throw new FakeRichApiError("InvalidArgument", "Excel.run needs a batch function.");
    const given = args.length > 1 ? (args[0] as { context?: FakeRequestContext } | FakeRequestContext) : null;
    const context = given instanceof FakeRequestContext ? given : (given?.context ?? new FakeRequestContext(this));
    const result = await batch(context);
    if (context.pending > 0) await context.sync();
    return result;
  }

  /** @internal Runs one batch of queued commands, as `context.sync()` does. */
  async runBatch(commands: Command[]): Promise<void> {
    this.syncCount++;
    const requestBytes = 200 + commands.reduce((sum, c) => sum + c.bytes, 0);
    const record: SyncRecord = { requestBytes, responseBytes: 0, commands: commands.length };
    this.syncs.push(record);
    await Promise.resolve();
    if (requestBytes > this.payloadLimitBytes) {
      throw new FakeRichApiError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size (${requestBytes} bytes) has exceeded the limit (${this.payloadLimitBytes} bytes).`,
      );
    }
    try {
      for (const command of commands) {
        const out = command.run();
        if (out !== undefined) record.responseBytes += jsonBytes(out);
      }
    } finally {
      this.flushEvents();
      this.touch();
    }
    if (record.responseBytes > this.payloadLimitBytes) {
      throw new FakeRichApiError(
        "ResponsePayloadSizeLimitExceeded",
        `The response payload size (${record.responseBytes} bytes) has exceeded the limit (${this.payloadLimitBytes} bytes).`,
      );
    }
  }

  /** @internal A batch wrote values: the sheet's onChanged handlers hear about it after the sync. */
  changed(sheet: SheetModel, rect: Rect, trigger: ChangedEventArgs["triggerSource"]): void {
    if (sheet.onChanged.size > 0) this.pendingEvents.push({ sheet, rect, trigger });
  }

  private flushEvents(): void {
    const events = this.pendingEvents.splice(0);
    for (const e of events) {
      setTimeout(() => void this.dispatch(e.sheet, e.rect, e.trigger), 0);
    }
  }

  private dispatch(
    sheet: SheetModel,
    rect: Rect,
    trigger: ChangedEventArgs["triggerSource"],
    changeType: ChangedEventArgs["changeType"] = "RangeEdited",
  ): Promise<void> {
    const args: ChangedEventArgs = {
      type: "WorksheetChanged",
      changeType,
      source: "Local",
      triggerSource: trigger,
      worksheetId: sheet.id,
      address: formatLocalAddress(rect),
      details: undefined,
    };
    const all = [...sheet.onChanged].map((handler) => {
      const p = Promise.resolve()
        .then(() => handler(args))
        .catch(() => undefined); // Excel swallows handler failures too
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
      return p;
    });
    return Promise.all(all).then(() => undefined);
  }

  /** Resolves when every event handler started so far (and the timers that start them) has finished. */
  async settled(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.running.size === 0) return;
      await Promise.all([...this.running]);
    }
  }

  /** @internal Something visible changed (values, selection, active sheet): the preview redraws. */
  touch(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls back after every change to the workbook; returns an unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private sheet(name: string): SheetModel {
    const sheet = this.model.sheetByName(name);
    if (!sheet) throw new FakeRichApiError("ItemNotFound", `No sheet named "${name}".`);
    return sheet;
  }

  /**
   * A person types `input` into the cell(s) at `address` and presses Enter: parsed as typed input, checked against
   * the cell's dropdown list, a row typed right below a table joins the table, and onChanged fires. Resolves once
   * the event handlers have run.
   */
  async edit(sheetName: string, address: string, input: string | number | boolean): Promise<void> {
    const sheet = this.sheet(sheetName);
    const { rect } = parseAddress(address);
    for (let r = 0; r < rect.rowCount; r++) {
      for (let c = 0; c < rect.columnCount; c++) {
        const rule = this.model.cell(sheet, rect.row + r, rect.column + c)?.validation;
        if (rule && input !== "" && !listValues(rule).some((v) => v.toLowerCase() === String(input).toLowerCase())) {
          throw new FakeValidationError(
            `This value doesn't match the data validation restrictions defined for this cell (allowed: ${listValues(rule).join(", ")}).`,
          );
        }
      }
    }
    for (const table of this.model.tables) {
      const below = table.rect.row + table.rect.rowCount;
      if (
        table.sheet === sheet &&
        rect.row === below &&
        rect.column >= table.rect.column &&
        rect.column + rect.columnCount <= table.rect.column + table.rect.columnCount
      ) {
        table.rect = { ...table.rect, rowCount: table.rect.rowCount + rect.rowCount };
      }
    }
    for (let r = 0; r < rect.rowCount; r++) {
      for (let c = 0; c < rect.columnCount; c++) this.model.put(sheet, rect.row + r, rect.column + c, input, true);
    }
    this.touch();
    await this.dispatch(sheet, rect, "Unknown");
  }

  /** A person applies a fill colour (their own formatting; formatting fires no onChanged). */
  userFill(sheetName: string, address: string, color: string): void {
    const sheet = this.sheet(sheetName);
    const { rect } = parseAddress(address);
    for (let r = 0; r < rect.rowCount; r++) {
      for (let c = 0; c < rect.columnCount; c++) this.model.cellForWrite(sheet, rect.row + r, rect.column + c).fill = normalizeColor(color);
    }
    this.touch();
  }

  /** A person selects cells. */
  userSelect(sheetName: string, address: string): void {
    const sheet = this.sheet(sheetName);
    const was = this.model.activeSheet;
    this.model.activeSheet = sheet;
    this.model.selection = { sheet, rect: parseAddress(address).rect };
    this.touch();
    if (was !== sheet) this.sheetActivated(sheet);
  }

  /** A person clicks a sheet tab. */
  activate(sheetName: string): void {
    const was = this.model.activeSheet;
    this.model.activeSheet = this.sheet(sheetName);
    this.touch();
    if (was !== this.model.activeSheet) this.sheetActivated(this.model.activeSheet);
  }

  /** Called by `application.calculate()`: the preview re-runs add-in functions then, as Excel does. */
  onCalculate: (() => void) | null = null;

  /** Handlers of `worksheets.onActivated`. */
  readonly activatedHandlers = new Set<(args: unknown) => unknown>();

  /** @internal A sheet became the active one: onActivated handlers hear about it after the current call. */
  sheetActivated(sheet: SheetModel): void {
    const args = { type: "WorksheetActivated", worksheetId: sheet.id };
    for (const handler of [...this.activatedHandlers]) {
      const p = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => handler(args)).catch(() => undefined);
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
    }
  }

  // --- inspection, for tests and the preview grid -----------------------------------------------------------

  sheets(): SheetInfo[] {
    return this.model.sheets.map((s) => ({
      name: s.name,
      visibility: s.visibility,
      used: this.model.usedRect(s, false),
      frozenRows: s.frozenRows,
      tables: this.model.tables.filter((t) => t.sheet === s).map((t) => ({ name: t.name, address: formatLocalAddress(t.rect) })),
    }));
  }

  activeSheetName(): string | null {
    return this.model.activeSheet?.name ?? null;
  }

  selection(): { sheet: string; address: string } | null {
    const sel = this.model.selection;
    return sel ? { sheet: sel.sheet.name, address: formatLocalAddress(sel.rect) } : null;
  }

  values(sheetName: string, address: string): Value[][] {
    const sheet = this.sheet(sheetName);
    return matrix(parseAddress(address).rect, (r, c) => this.model.valueOf(sheet, r, c));
  }

  formulas(sheetName: string, address: string): Value[][] {
    const sheet = this.sheet(sheetName);
    return matrix(parseAddress(address).rect, (r, c) => this.model.formulaOf(sheet, r, c));
  }

  numberFormats(sheetName: string, address: string): string[][] {
    const sheet = this.sheet(sheetName);
    return matrix(parseAddress(address).rect, (r, c) => this.model.numberFormatOf(sheet, r, c));
  }

  /** The cell's own fill (null when none), without conditional formats. */
  fill(sheetName: string, address: string): string | null {
    const sheet = this.sheet(sheetName);
    const { rect } = parseAddress(address);
    return this.model.cell(sheet, rect.row, rect.column)?.fill ?? null;
  }

  validation(sheetName: string, address: string): string[] | null {
    const sheet = this.sheet(sheetName);
    const { rect } = parseAddress(address);
    const rule = this.model.cell(sheet, rect.row, rect.column)?.validation;
    return rule ? listValues(rule) : null;
  }

  conditionalFormats(sheetName: string): ConditionalFormatInfo[] {
    return this.sheet(sheetName).conditionalFormats.map((cf) => ({
      id: cf.id,
      type: cf.type,
      address: cf.areas.map((a) => formatLocalAddress(a)).join(","),
      formula: cf.formula,
      fill: cf.fill ?? null,
      fontColor: cf.fontColor ?? null,
    }));
  }

  table(name: string): { sheet: string; address: string; headers: string[] } | null {
    const t = this.model.tableByName(name);
    return t ? { sheet: t.sheet.name, address: formatLocalAddress(t.rect), headers: this.model.headersOf(t) } : null;
  }

  columnWidth(sheetName: string, column: number): number {
    return this.sheet(sheetName).columnWidths.get(column) ?? 64;
  }

  /** One cell as displayed: number format applied, conditional formats over the cell's own fill. */
  gridCell(sheetName: string, row: number, column: number): GridCell {
    const sheet = this.sheet(sheetName);
    const cell = this.model.cell(sheet, row, column);
    const value = this.model.valueOf(sheet, row, column);
    const shown = formatValue(value, cell?.numberFormat ?? "General");
    const cf = cell || sheet.conditionalFormats.length ? this.model.formatsOn(sheet, row, column)[0] : undefined;
    const table = this.model.tableAt(sheet, row, column);
    return {
      text: shown.text,
      fill: cf?.fill ?? cell?.fill ?? null,
      color: cf?.fontColor ?? (shown.red ? "#FF0000" : (cell?.fontColor ?? null)),
      bold: cf?.bold ?? cell?.bold ?? false,
      italic: cell?.italic ?? false,
      numeric: typeof value === "number",
      list: cell?.validation ? listValues(cell.validation) : null,
      table: table?.name ?? null,
      header: table !== null && table.rect.row === row,
      formula: String(this.model.formulaOf(sheet, row, column)),
    };
  }
}

function listValues(rule: ListRule): string[] {
  return rule.list.source.split(",").map((s) => s.trim());
}

/**
 * Installs a fresh fake as `globalObj.Excel` (and `OfficeExtension.Error` if absent) and returns its handle.
 * Call again to start over with an empty workbook.
 */
export function installExcelFake(globalObj: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): FakeExcel {
  const fake = new FakeExcel();
  globalObj.Excel = fake.api;
  const existing = globalObj.OfficeExtension as { Error?: unknown } | undefined;
  if (!existing?.Error) globalObj.OfficeExtension = { ...(existing ?? {}), Error: FakeRichApiError };
  return fake;
}
