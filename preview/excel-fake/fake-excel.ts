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
 *
 * One file per object family: proxy.ts (the request model every object shares), request-context.ts, workbook.ts
 * (the workbook and its worksheets), worksheet.ts, range.ts with range-shape.ts, range-format.ts and
 * data-validation.ts, conditional-formats.ts, tables.ts, events.ts; the workbook's state is model.ts, formulas are
 * formulas.ts. This file is the fake host itself: `Excel.run` and sync, events, a person's edits, and inspection.
 */
import { formatLocalAddress, parseAddress, type Rect } from "../../src/domain/a1";
import { listValues } from "./data-validation";
import type { ChangedEventArgs } from "./events";
import { FakeRichApiError, formatValue, WorkbookModel, type SheetModel, type Value } from "./model";
import { jsonBytes, type Command } from "./proxy";
import { normalizeColor } from "./range-format";
import { matrix } from "./range-shape";
import { FakeRequestContext } from "./request-context";

export { FakeRichApiError } from "./model";
export type { ChangedEventArgs } from "./events";
export { FakeRequestContext } from "./request-context";

/** Excel on the web rejects a request or a response larger than this. */
export const EXCEL_WEB_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

export interface SyncRecord {
  requestBytes: number;
  responseBytes: number;
  commands: number;
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
