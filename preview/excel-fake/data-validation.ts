/** A range's data validation: dropdown lists only, refused as Excel on the web refuses them over mixed cells. */
import { FakeRichApiError, type ListRule } from "./model";
import { ProxyBase } from "./proxy";
import { eachCell, uniform, type RangeTarget } from "./range-shape";
import type { FakeRequestContext } from "./request-context";

export class DataValidationProxy extends ProxyBase {
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

export function listValues(rule: ListRule): string[] {
  return rule.list.source.split(",").map((s) => s.trim());
}
