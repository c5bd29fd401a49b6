/**
 * CAMPFIRE.* formulas in the preview, so people without Excel can try them: the functions bundle registers the
 * real implementations through `CustomFunctions.associate` (stubbed here, before that bundle loads), and the
 * fake's formula evaluator calls them. They are asynchronous, as in Excel: a cell shows #BUSY! until its answer
 * arrives, then the answer (spilling when it has several cells); a failure shows its code (#VALUE!, #N/A) and
 * keeps its message for the grid. Answers are kept until the workbook recalculates (Refresh, a sign-in, a push),
 * like Excel keeps a custom function's last value.
 */
import type { ExternalArg } from "../excel-fake/formulas";

type CellResult = string | number | boolean;
type CustomFunction = (...args: unknown[]) => unknown;

/** The namespace in manifest.xml (and the README): =CAMPFIRE.ALLOCATIONS(…). */
const NAMESPACE = "CAMPFIRE";

/** CustomFunctions.Error as Excel's runtime has it: a code, and a message Excel shows in the cell's tooltip. */
class CustomFunctionError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? "");
  }
}

const ERROR_CODES = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
};

/** Which parameters take a range (dimensionality "matrix" in functions.json): Excel passes those as rows. */
export type MatrixParameters = ReadonlyMap<string, readonly boolean[]>;

type Entry = { state: "busy" } | { state: "done"; value: CellResult | CellResult[][] } | { state: "failed"; code: string; message: string };

export class PreviewFunctions {
  private readonly functions = new Map<string, CustomFunction>();
  private readonly answers = new Map<string, Entry>();
  /** Null until functions.json is read: until then a cell is #BUSY!, so no range is passed in the wrong shape. */
  private matrix: MatrixParameters | null = null;
  /** Bumped by each recalculation: an answer to an older one is dropped. */
  private generation = 0;

  /** `changed` redraws the grid when an answer arrives. */
  constructor(private readonly changed: () => void) {}

  /** The global the functions bundle registers with (CustomFunctions.associate, .Error, .ErrorCode). */
  runtimeGlobal(): Record<string, unknown> {
    return {
      associate: (id: string, fn: CustomFunction) => void this.functions.set(id.toUpperCase(), fn),
      Error: CustomFunctionError,
      ErrorCode: ERROR_CODES,
    };
  }

  setMatrixParameters(matrix: MatrixParameters): void {
    this.matrix = matrix;
    this.changed();
  }

  /** Forgets every answer, as a full recalculation does; the next draw asks again. */
  recalculate(): void {
    this.generation++;
    this.answers.clear();
    this.changed();
  }

  /** The message behind an error a formula shows, for the grid's tooltip. */
  messageFor(name: string, args: ExternalArg[]): string | null {
    const entry = this.answers.get(this.key(name, args));
    return entry?.state === "failed" ? `${entry.code} ${entry.message}`.trim() : null;
  }

  /** What the evaluator shows for NAMESPACE.NAME(args): undefined for a name that is not registered (#NAME?). */
  evaluate(name: string, args: ExternalArg[]): CellResult | CellResult[][] | undefined {
    const [namespace, id = ""] = name.split(".");
    const fn = namespace === NAMESPACE ? this.functions.get(id) : undefined;
    if (!fn) return undefined;
    if (this.matrix === null) return "#BUSY!";
    const key = this.key(name, args);
    const entry = this.answers.get(key);
    if (entry?.state === "done") return entry.value;
    if (entry?.state === "failed") return entry.code;
    if (entry?.state === "busy") return "#BUSY!";
    this.answers.set(key, { state: "busy" });
    const generation = this.generation;
    const shaped = this.shape(id, args);
    void Promise.resolve()
      .then(() => fn(...shaped))
      .then(
        (value) => this.settle(generation, key, { state: "done", value: cells(value) }),
        (error: unknown) =>
          this.settle(
            generation,
            key,
            error instanceof CustomFunctionError
              ? { state: "failed", code: error.code, message: error.message }
              : { state: "failed", code: "#VALUE!", message: error instanceof Error ? error.message : String(error) },
          ),
      );
    return "#BUSY!";
  }

  private settle(generation: number, key: string, entry: Entry): void {
    if (generation !== this.generation) return;
    this.answers.set(key, entry);
    this.changed();
  }

  /** A range for a matrix parameter stays rows; a single value there becomes [[value]], as Excel passes it. */
  private shape(id: string, args: ExternalArg[]): unknown[] {
    const matrix = this.matrix?.get(id) ?? [];
    return args.map((arg, i) => {
      if (matrix[i]) return arg === null || Array.isArray(arg) ? arg : [[arg]];
      // A range given where one value is expected: its first cell.
      return Array.isArray(arg) ? (arg[0]?.[0] ?? null) : arg;
    });
  }

  private key(name: string, args: ExternalArg[]): string {
    return JSON.stringify([name, args]);
  }
}

/** A function's answer as cells: rows of values, null (an empty cell) as "". */
function cells(value: unknown): CellResult | CellResult[][] {
  const one = (v: unknown): CellResult =>
    v === null || v === undefined ? "" : typeof v === "number" || typeof v === "boolean" ? v : String(v);
  if (!Array.isArray(value)) return one(value);
  return value.map((row) => (Array.isArray(row) ? row.map(one) : [one(row)]));
}

/** functions.json's "dimensionality": which parameters of each function take a range. */
export function matrixParameters(metadata: unknown): MatrixParameters {
  const out = new Map<string, boolean[]>();
  const functions = (metadata as { functions?: { id?: string; parameters?: { dimensionality?: string }[] }[] })?.functions ?? [];
  for (const f of functions) {
    if (f.id)
      out.set(
        f.id.toUpperCase(),
        (f.parameters ?? []).map((p) => p.dimensionality === "matrix"),
      );
  }
  return out;
}
