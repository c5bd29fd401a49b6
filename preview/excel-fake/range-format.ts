/** A range's format: fill colour, font (bold, italic, colour) and column width, with Excel's colour names. */
import { FakeRichApiError, formatValue, type CellModel } from "./model";
import { ProxyBase } from "./proxy";
import { eachCell, uniform, type RangeTarget } from "./range-shape";
import type { FakeRequestContext } from "./request-context";

export function normalizeColor(color: string): string {
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

export class RangeFormatProxy extends ProxyBase {
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
