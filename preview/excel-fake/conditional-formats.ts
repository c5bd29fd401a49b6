/** Conditional formats: custom (formula) rules with a fill and font, their ranges, priority, and clearing by area. */
import { intersect, type Rect } from "../../src/domain/a1";
import { FakeRichApiError, type ConditionalFormatModel, type SheetModel } from "./model";
import { COMMAND_OVERHEAD_BYTES, ItemProxy, parseLoadArg, ProxyBase } from "./proxy";
import { RangeAreasProxy, RangeProxy } from "./range";
import { normalizeColor } from "./range-format";
import type { FakeRequestContext } from "./request-context";

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

export class ConditionalFormatCollectionProxy extends ProxyBase {
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
