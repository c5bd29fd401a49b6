/**
 * The fake workbook drawn as a spreadsheet: sheet tabs, column letters, row numbers, a formula bar.
 * Clicking a cell selects it; typing into the formula bar (or double-clicking the cell) and pressing Enter
 * is a person typing into Excel: the fake parses it and fires onChanged, so the add-in reacts as in Excel.
 */
import { columnName, formatLocalAddress } from "../../src/domain/a1";
import type { FakeExcel } from "../excel-fake/fake-excel";
import { evaluateSpill, type FormulaValue } from "../excel-fake/formulas";
import { formatValue, type SheetModel } from "../excel-fake/model";
import type { PreviewFunctions } from "./preview-functions";

/** A formula that is an add-in function call: it may spill. */
const ADDIN_FORMULA = /^=\s*[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_]/;

/** Rows and columns drawn at most; a preview does not need to show a 10,000-row pull in full. */
const MAX_ROWS = 400;
const MAX_COLUMNS = 40;

export class PreviewGrid {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly tabs: HTMLElement;
  private readonly nameBox: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly message: HTMLElement;
  private selected: { row: number; column: number } = { row: 0, column: 0 };
  private scheduled = false;
  private lastSelection = "";
  private drawnSpills = new Map<string, { text: string; numeric?: boolean; tip?: string }>();
  /** The error message shown under the formula bar for the selected cell, so it is said once, not every redraw. */
  private shownTip: string | null = null;

  constructor(
    private readonly fake: FakeExcel,
    private readonly functions: PreviewFunctions | null = null,
  ) {
    this.nameBox = el("span", { id: "name-box", "aria-live": "polite" });
    this.input = el("input", {
      id: "formula-input",
      type: "text",
      "aria-label": "Cell contents (formula bar)",
      autocomplete: "off",
    }) as HTMLInputElement;
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.commit(this.input.value);
      } else if (e.key === "Escape") {
        this.showSelection();
      }
    });
    this.message = el("p", { id: "grid-message", role: "alert" });
    this.table = el("table", { id: "grid", role: "grid", "aria-label": "Worksheet" }) as HTMLTableElement;
    this.table.addEventListener("click", (e) => this.clicked(e));
    this.table.addEventListener("dblclick", (e) => {
      if (this.clicked(e)) this.input.focus();
    });
    this.tabs = el("div", { id: "sheet-tabs", role: "tablist", "aria-label": "Sheets" });
    const bar = el("div", { id: "formula-bar" });
    bar.append(this.nameBox, el("span", { className: "fx" }, "fx"), this.input);
    const wrap = el("div", { id: "grid-wrap" });
    wrap.append(this.table);
    this.element = el("div", { id: "excel" });
    this.element.append(bar, this.message, wrap, this.tabs);
    fake.subscribe(() => this.schedule());
    this.render();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  private sheetName(): string {
    return this.fake.activeSheetName() ?? this.fake.sheets().find((s) => s.visibility === "Visible")?.name ?? "Sheet1";
  }

  render(): void {
    const name = this.sheetName();
    const sheet = this.fake.sheets().find((s) => s.name === name);
    const selection = this.fake.selection();
    if (selection && selection.sheet === name) {
      const key = `${selection.sheet}!${selection.address}`;
      if (key !== this.lastSelection) {
        this.lastSelection = key;
        const m = /^([A-Z]+)(\d+)/.exec(selection.address);
        if (m) this.selected = { row: Number(m[2]) - 1, column: columnIndexOf(m[1] ?? "A") };
      }
    }
    const used = sheet?.used;
    const rows = Math.min(Math.max((used ? used.row + used.rowCount : 0) + 3, 25, this.selected.row + 2), MAX_ROWS);
    const columns = Math.min(Math.max((used ? used.column + used.columnCount : 0) + 1, 10), MAX_COLUMNS);

    const head = document.createElement("thead");
    const headRow = document.createElement("tr");
    headRow.append(el("th", { className: "corner" }));
    for (let c = 0; c < columns; c++) {
      const th = el("th", { scope: "col", style: `min-width:${Math.min(this.fake.columnWidth(name, c), 320)}px` }, columnName(c));
      headRow.append(th);
    }
    head.append(headRow);
    const spills = this.spills(name, rows, columns);
    this.drawnSpills = spills;
    const body = document.createElement("tbody");
    for (let r = 0; r < rows; r++) {
      const tr = document.createElement("tr");
      tr.append(el("th", { scope: "row" }, String(r + 1)));
      for (let c = 0; c < columns; c++) {
        const cell = { ...this.fake.gridCell(name, r, c), ...spills.get(`${r}:${c}`) };
        const address = formatLocalAddress({ row: r, column: c, rowCount: 1, columnCount: 1 });
        const td = el(
          "td",
          { "data-cell": address, role: "gridcell", title: cell.tip ?? (cell.formula !== cell.text ? cell.formula : "") },
          cell.text,
        );
        const style: string[] = [];
        if (cell.fill) style.push(`background:${cell.fill}`);
        if (cell.color) style.push(`color:${cell.color}`);
        if (cell.bold) style.push("font-weight:600");
        if (cell.italic) style.push("font-style:italic");
        if (cell.numeric) style.push("text-align:right");
        td.setAttribute("style", style.join(";"));
        if (cell.header) td.classList.add("table-header");
        else if (cell.table) td.classList.add("table-cell");
        if (r === this.selected.row && c === this.selected.column) {
          td.classList.add("selected");
          td.setAttribute("aria-selected", "true");
        }
        tr.append(td);
      }
      body.append(tr);
    }
    this.table.replaceChildren(head, body);
    this.table.querySelector("td.selected")?.scrollIntoView({ block: "nearest", inline: "nearest" });

    this.tabs.replaceChildren(
      ...this.fake
        .sheets()
        .filter((s) => s.visibility === "Visible")
        .map((s) => {
          const tab = el("button", { type: "button", role: "tab", "aria-selected": String(s.name === name), "data-sheet": s.name }, s.name);
          tab.addEventListener("click", () => this.fake.activate(s.name));
          return tab;
        }),
    );
    this.showSelection(false);
  }

  /**
   * What add-in formulas (=CAMPFIRE.…) spill, as Excel draws it: the answer's rows from the formula's cell on,
   * or #SPILL! in the formula's cell when one of those cells is not empty. Drawn only: the fake's range values
   * of spilled cells stay empty, which no add-in code reads.
   */
  private spills(name: string, rows: number, columns: number): Map<string, { text: string; numeric?: boolean; tip?: string }> {
    const out = new Map<string, { text: string; numeric?: boolean; tip?: string }>();
    const model = this.fake.model;
    const sheet = model.sheetByName(name);
    if (!sheet || !this.functions) return out;
    const lookup = (s: string | null, r: number, c: number): FormulaValue => {
      const target: SheetModel | null = s === null ? sheet : model.sheetByName(s);
      return target ? model.valueOf(target, r, c) : "#REF!";
    };
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const formula = String(model.formulaOf(sheet, r, c));
        if (!ADDIN_FORMULA.test(formula)) continue;
        const value = model.valueOf(sheet, r, c);
        if (typeof value === "string" && value.startsWith("#")) {
          // The function's own words for its error (Excel shows them in the cell's tooltip).
          const message = this.errorMessage(formula, lookup);
          if (message) out.set(`${r}:${c}`, { text: value, tip: message });
        }
        const spill = evaluateSpill(formula, lookup);
        if (!spill) continue;
        const blocked = spill.some((line, i) => line.some((_, j) => (i || j) && model.formulaOf(sheet, r + i, c + j) !== ""));
        if (blocked) {
          out.set(`${r}:${c}`, { text: "#SPILL!", tip: "#SPILL! The answer needs empty cells below and to the right of the formula." });
          continue;
        }
        spill.forEach((line, i) =>
          line.forEach((v, j) => {
            if (i || j) out.set(`${r + i}:${c + j}`, { text: formatValue(v, "General").text, numeric: typeof v === "number" });
          }),
        );
      }
    }
    return out;
  }

  /** The message of an add-in function's error, found by evaluating the formula's call again (answers are kept). */
  private errorMessage(formula: string, lookup: (s: string | null, r: number, c: number) => FormulaValue): string | null {
    let message: string | null = null;
    const functions = this.functions;
    if (!functions) return null;
    evaluateSpill(formula, lookup, (name, args) => (message ??= functions.messageFor(name, args)));
    return message;
  }

  private clicked(e: Event): boolean {
    const td = (e.target as HTMLElement).closest("td[data-cell]");
    if (!td) return false;
    const address = td.getAttribute("data-cell") ?? "A1";
    const m = /^([A-Z]+)(\d+)$/.exec(address);
    if (!m) return false;
    this.selected = { row: Number(m[2]) - 1, column: columnIndexOf(m[1] ?? "A") };
    this.lastSelection = `${this.sheetName()}!${address}`;
    this.fake.userSelect(this.sheetName(), address);
    this.showSelection();
    return true;
  }

  private address(): string {
    return formatLocalAddress({ row: this.selected.row, column: this.selected.column, rowCount: 1, columnCount: 1 });
  }

  private showSelection(resetInput = true): void {
    const address = this.address();
    this.nameBox.textContent = address;
    // A function's error says why in words, as Excel's error tooltip does for the selected cell.
    const tip = this.drawnSpills.get(`${this.selected.row}:${this.selected.column}`)?.tip ?? null;
    if (tip !== this.shownTip) {
      if (tip !== null || this.message.textContent === this.shownTip) this.message.textContent = tip ?? "";
      this.shownTip = tip;
    }
    if (resetInput || document.activeElement !== this.input) {
      this.input.value = this.fake.gridCell(this.sheetName(), this.selected.row, this.selected.column).formula;
    }
  }

  private async commit(text: string): Promise<void> {
    this.message.textContent = "";
    try {
      await this.fake.edit(this.sheetName(), this.address(), text);
      this.selected = { ...this.selected, row: this.selected.row + 1 };
      this.fake.userSelect(this.sheetName(), this.address());
      this.showSelection();
    } catch (error) {
      this.message.textContent = error instanceof Error ? error.message : String(error);
    }
  }
}

function columnIndexOf(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "className") node.className = v;
    else node.setAttribute(k, v);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}
