/**
 * A small formula evaluator for the Excel fake: enough for what people type into a finance sheet
 * (=1200.5+300, =B2*0.2, =SUM(C2:C9), =ROUND(C2/3,2), =IF(...)) and for the conditional-format rules the
 * add-in writes. Anything else evaluates to an Excel error value, as Excel would show for an unknown name.
 */
import { parseLocalAddress, type Rect } from "../../src/domain/a1";

export type FormulaValue = string | number | boolean;

/** Reads one cell's computed value; `sheet` null means the formula's own sheet. */
export type CellLookup = (sheet: string | null, row: number, column: number) => FormulaValue;

/** A value handed to an add-in function: a cell value, a range as rows of values, or null for an omitted argument. */
export type ExternalArg = FormulaValue | FormulaValue[][] | null;

/**
 * Functions the workbook's add-in registered (CAMPFIRE.ALLOCATIONS, …). Answers a value or rows of values (which
 * spill, as in Excel), or undefined for a name it does not know (#NAME?, as in Excel).
 */
export type ExternalFunctions = (name: string, args: ExternalArg[]) => FormulaValue | FormulaValue[][] | undefined;

let external: ExternalFunctions | null = null;

/** The preview installs the add-in's custom functions here; tests leave it unset. */
export function setExternalFunctions(functions: ExternalFunctions | null): void {
  external = functions;
}

class FormulaError {
  constructor(readonly code: string) {}
}

type Operand = FormulaValue | { range: Rect; sheet: string | null };

const ERRORS = new Set(["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#BUSY!", "#CALC!", "#SPILL!"]);

interface Token {
  kind: "num" | "str" | "ref" | "name" | "op" | "(" | ")" | "," | "err";
  text: string;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest))) {
      tokens.push({ kind: "num", text: m[0] });
    } else if (ch === '"') {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= src.length) throw new FormulaError("#VALUE!");
        if (src[j] === '"') {
          if (src[j + 1] === '"') {
            text += '"';
            j += 2;
            continue;
          }
          break;
        }
        text += src[j];
        j++;
      }
      tokens.push({ kind: "str", text });
      i = j + 1;
      continue;
    } else if (
      (m = /^((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?(?![A-Za-z0-9_(])/.exec(rest))
    ) {
      tokens.push({ kind: "ref", text: m[0] });
    } else if ((m = /^#[A-Z/0!?]+[!?A]?/.exec(rest)) && ERRORS.has(m[0])) {
      tokens.push({ kind: "err", text: m[0] });
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest))) {
      tokens.push({ kind: "name", text: m[0].toUpperCase() });
    } else if ((m = /^(<>|<=|>=|[-+*/^&=<>%])/.exec(rest))) {
      tokens.push({ kind: "op", text: m[0] });
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch, text: ch });
    } else {
      throw new FormulaError("#NAME?");
    }
    i += m ? m[0].length : 1;
  }
  return tokens;
}

function toNumber(v: FormulaValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (ERRORS.has(v)) throw new FormulaError(v);
  if (v.trim() === "") return 0;
  const n = Number(v);
  if (Number.isNaN(n)) throw new FormulaError("#VALUE!");
  return n;
}

function toText(v: FormulaValue): string {
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "string" && ERRORS.has(v)) throw new FormulaError(v);
  return String(v);
}

function compare(a: FormulaValue, b: FormulaValue): number {
  const rank = (v: FormulaValue) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase().localeCompare(b.toLowerCase());
  return Number(a) - Number(b);
}

class Parser {
  private pos = 0;
  /** Rows an add-in function answered when it is the whole formula: they spill from the formula's cell. */
  spill: FormulaValue[][] | null = null;
  /** Every add-in function called, with its arguments. */
  readonly calls: { name: string; args: ExternalArg[] }[] = [];
  constructor(
    private readonly tokens: Token[],
    private readonly lookup: CellLookup,
  ) {}

  parse(): FormulaValue {
    const v = this.scalar(this.comparison());
    if (this.pos !== this.tokens.length) throw new FormulaError("#NAME?");
    return v;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(...ops: string[]): string | null {
    const t = this.peek();
    return t && t.kind === "op" && ops.includes(t.text) ? t.text : null;
  }

  private scalar(v: Operand): FormulaValue {
    if (typeof v === "object") {
      if (v.range.rowCount === 1 && v.range.columnCount === 1) return this.lookup(v.sheet, v.range.row, v.range.column);
      throw new FormulaError("#VALUE!");
    }
    return v;
  }

  private comparison(): Operand {
    let left = this.concat();
    let op: string | null;
    while ((op = this.isOp("=", "<>", "<", ">", "<=", ">="))) {
      this.pos++;
      const c = compare(this.scalar(left), this.scalar(this.concat()));
      left = { "=": c === 0, "<>": c !== 0, "<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0 }[op] ?? false;
    }
    return left;
  }

  private concat(): Operand {
    let left = this.additive();
    while (this.isOp("&")) {
      this.pos++;
      left = toText(this.scalar(left)) + toText(this.scalar(this.additive()));
    }
    return left;
  }

  private additive(): Operand {
    let left = this.term();
    let op: string | null;
    while ((op = this.isOp("+", "-"))) {
      this.pos++;
      const a = toNumber(this.scalar(left));
      const b = toNumber(this.scalar(this.term()));
      left = op === "+" ? a + b : a - b;
    }
    return left;
  }

  private term(): Operand {
    let left = this.power();
    let op: string | null;
    while ((op = this.isOp("*", "/"))) {
      this.pos++;
      const a = toNumber(this.scalar(left));
      const b = toNumber(this.scalar(this.power()));
      if (op === "/" && b === 0) throw new FormulaError("#DIV/0!");
      left = op === "*" ? a * b : a / b;
    }
    return left;
  }

  private power(): Operand {
    let left = this.unary();
    while (this.isOp("^")) {
      this.pos++;
      left = Math.pow(toNumber(this.scalar(left)), toNumber(this.scalar(this.unary())));
    }
    return left;
  }

  private unary(): Operand {
    const op = this.isOp("-", "+");
    if (op) {
      this.pos++;
      const v = toNumber(this.scalar(this.unary()));
      return op === "-" ? -v : v;
    }
    let v = this.primary();
    while (this.isOp("%")) {
      this.pos++;
      v = toNumber(this.scalar(v)) / 100;
    }
    return v;
  }

  private primary(): Operand {
    const t = this.peek();
    if (!t) throw new FormulaError("#NAME?");
    this.pos++;
    switch (t.kind) {
      case "num":
        return Number(t.text);
      case "str":
        return t.text;
      case "err":
        throw new FormulaError(t.text);
      case "ref": {
        const bang = t.text.lastIndexOf("!");
        let sheet: string | null = null;
        if (bang !== -1) {
          sheet = t.text.slice(0, bang);
          if (sheet.startsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
        }
        return { sheet, range: parseLocalAddress(t.text.slice(bang + 1)) };
      }
      case "(": {
        const v = this.comparison();
        if (this.peek()?.kind !== ")") throw new FormulaError("#NAME?");
        this.pos++;
        return v;
      }
      case "name": {
        if (this.peek()?.kind !== "(") {
          if (t.text === "TRUE") return true;
          if (t.text === "FALSE") return false;
          throw new FormulaError("#NAME?");
        }
        if (t.text.includes(".")) return this.externalCall(t.text, this.pos - 1);
        this.pos++;
        const args: Operand[] = [];
        if (this.peek()?.kind !== ")") {
          for (;;) {
            args.push(this.comparison());
            if (this.peek()?.kind === ",") {
              this.pos++;
              continue;
            }
            break;
          }
        }
        if (this.peek()?.kind !== ")") throw new FormulaError("#NAME?");
        this.pos++;
        return this.call(t.text, args);
      }
      default:
        throw new FormulaError("#NAME?");
    }
  }

  /** NAMESPACE.NAME(…): an add-in's function. Arguments may be omitted ("=F(1, , TRUE)"), as Excel allows. */
  private externalCall(name: string, startedAt: number): Operand {
    this.pos++; // "("
    const args: ExternalArg[] = [];
    if (this.peek()?.kind !== ")") {
      for (;;) {
        const next = this.peek()?.kind;
        args.push(next === "," || next === ")" ? null : this.externalArg(this.comparison()));
        if (this.peek()?.kind === ",") {
          this.pos++;
          continue;
        }
        break;
      }
    }
    if (this.peek()?.kind !== ")") throw new FormulaError("#NAME?");
    this.pos++;
    this.calls.push({ name, args });
    const result = external?.(name, args);
    if (result === undefined) throw new FormulaError("#NAME?");
    if (!Array.isArray(result)) return result;
    const first = result[0]?.[0];
    if (first === undefined) throw new FormulaError("#CALC!");
    if (startedAt === 0 && this.pos === this.tokens.length) this.spill = result;
    return first;
  }

  private externalArg(a: Operand): ExternalArg {
    if (typeof a !== "object") return a;
    const rows: FormulaValue[][] = [];
    for (let r = 0; r < a.range.rowCount; r++) {
      const row: FormulaValue[] = [];
      for (let c = 0; c < a.range.columnCount; c++) row.push(this.lookup(a.sheet, a.range.row + r, a.range.column + c));
      rows.push(row);
    }
    return rows;
  }

  /** Every value an argument stands for; ranges contribute their numbers only, as in SUM. */
  private numbersOf(args: Operand[]): number[] {
    const out: number[] = [];
    for (const a of args) {
      if (typeof a === "object") {
        for (let r = 0; r < a.range.rowCount; r++) {
          for (let c = 0; c < a.range.columnCount; c++) {
            const v = this.lookup(a.sheet, a.range.row + r, a.range.column + c);
            if (typeof v === "string" && ERRORS.has(v)) throw new FormulaError(v);
            if (typeof v === "number") out.push(v);
          }
        }
      } else out.push(toNumber(a));
    }
    return out;
  }

  private call(name: string, args: Operand[]): FormulaValue {
    const arg = (i: number) => {
      const a = args[i];
      if (a === undefined) throw new FormulaError("#VALUE!");
      return this.scalar(a);
    };
    switch (name) {
      case "SUM":
        return this.numbersOf(args).reduce((s, n) => s + n, 0);
      case "MIN":
        return Math.min(...this.numbersOf(args), ...(this.numbersOf(args).length ? [] : [0]));
      case "MAX":
        return Math.max(...this.numbersOf(args), ...(this.numbersOf(args).length ? [] : [0]));
      case "ABS":
        return Math.abs(toNumber(arg(0)));
      case "ROUND": {
        const digits = args.length > 1 ? toNumber(arg(1)) : 0;
        const f = Math.pow(10, digits);
        const n = toNumber(arg(0));
        return (Math.sign(n) * Math.round(Math.abs(n) * f)) / f;
      }
      case "IF":
        return toNumber(arg(0)) !== 0 ? arg(1) : args.length > 2 ? arg(2) : false;
      case "ISTEXT": {
        const v = arg(0);
        return typeof v === "string" && !ERRORS.has(v) && v !== "";
      }
      case "N": {
        const v = arg(0);
        return typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : 0;
      }
      case "AND":
        return args.every((_, i) => toNumber(arg(i)) !== 0);
      case "OR":
        return args.some((_, i) => toNumber(arg(i)) !== 0);
      case "NOT":
        return toNumber(arg(0)) === 0;
      default:
        throw new FormulaError("#NAME?");
    }
  }
}

/**
 * The rows a formula spills: an add-in function that is the whole formula and answered more than one cell.
 * Null for anything else (the cell then shows evaluateFormula's value alone).
 */
export function evaluateSpill(
  formula: string,
  lookup: CellLookup,
  onCall?: (name: string, args: ExternalArg[]) => void,
): FormulaValue[][] | null {
  let parser: Parser | null = null;
  try {
    const body = formula.startsWith("=") ? formula.slice(1) : formula;
    parser = new Parser(tokenize(body), lookup);
    parser.parse();
    const spill = parser.spill;
    return spill && (spill.length > 1 || (spill[0]?.length ?? 0) > 1) ? spill : null;
  } catch (err) {
    if (err instanceof FormulaError) return null;
    throw err;
  } finally {
    for (const call of parser?.calls ?? []) onCall?.(call.name, call.args);
  }
}

/** Evaluates "=..." to a value; errors come back as Excel's error text ("#DIV/0!", "#NAME?", ...). */
export function evaluateFormula(formula: string, lookup: CellLookup): FormulaValue {
  try {
    const body = formula.startsWith("=") ? formula.slice(1) : formula;
    const v = new Parser(tokenize(body), lookup).parse();
    if (typeof v === "number" && !Number.isFinite(v)) return "#NUM!";
    return v;
  } catch (err) {
    if (err instanceof FormulaError) return err.code;
    throw err;
  }
}
