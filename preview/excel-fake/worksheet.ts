/** One worksheet: its name, visibility and position (with Excel's rules for each), its ranges, tables and events. */
import { MAX_COLUMNS, MAX_ROWS, parseAddress, type Rect } from "../../src/domain/a1";
import { WorksheetEvents } from "./events";
import { FakeRichApiError, type SheetModel } from "./model";
import { ItemProxy, type Resolver } from "./proxy";
import { RangeAreasProxy, RangeProxy } from "./range";
import { checkedRect } from "./range-shape";
import type { FakeRequestContext } from "./request-context";
import { TableCollectionProxy } from "./tables";

export class WorksheetProxy extends ItemProxy<SheetModel> {
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
