/**
 * Tables and their collections (the workbook's and each sheet's): adding, finding, resizing and deleting tables,
 * their header and body ranges, and their rows (added and deleted as Excel moves the cells below).
 */
import { intersect, MAX_COLUMNS, type Rect } from "../../src/domain/a1";
import { FakeRichApiError, type CellModel, type SheetModel, type TableModel } from "./model";
import { COMMAND_OVERHEAD_BYTES, ItemProxy, notFound, parseLoadArg, ProxyBase, type Resolver } from "./proxy";
import { RangeProxy } from "./range";
import { perCell, rangeArgument } from "./range-shape";
import type { FakeRequestContext } from "./request-context";
import { WorksheetProxy } from "./worksheet";

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

export class TableCollectionProxy extends ProxyBase {
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
