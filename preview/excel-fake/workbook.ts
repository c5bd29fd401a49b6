/** The workbook and its worksheets collection (adding, finding and listing sheets; the sheet-activated event). */
import { EventHandlerResult } from "./events";
import type { SheetModel } from "./model";
import { COMMAND_OVERHEAD_BYTES, notFound, parseLoadArg, ProxyBase } from "./proxy";
import { RangeProxy } from "./range";
import type { FakeRequestContext } from "./request-context";
import { TableCollectionProxy } from "./tables";
import { WorksheetProxy } from "./worksheet";

export class WorkbookProxy extends ProxyBase {
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
