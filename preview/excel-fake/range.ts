/**
 * Ranges: reading and writing values, formulas and number formats (writes fire onChanged), the ranges derived from
 * one (cells, rows, offsets, resizes), clearing and selecting; and multi-area ranges, for conditional formats.
 */
import { formatAddress, type Rect } from "../../src/domain/a1";
import { ConditionalFormatCollectionProxy } from "./conditional-formats";
import { DataValidationProxy } from "./data-validation";
import { FakeRichApiError, formatValue, type SheetModel, type Value } from "./model";
import { ItemProxy, type ProxyBase, type Resolver } from "./proxy";
import { RangeFormatProxy } from "./range-format";
import { checkedRect, matrix, perCell, type RangeTarget } from "./range-shape";
import type { FakeRequestContext } from "./request-context";
import { WorksheetProxy } from "./worksheet";

export class RangeProxy extends ItemProxy<RangeTarget> {
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

export class RangeAreasProxy extends ItemProxy<{ sheet: SheetModel; rects: Rect[] }> {
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
