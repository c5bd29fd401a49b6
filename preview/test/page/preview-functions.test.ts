/**
 * Add-in functions in the preview's formula evaluator: the real functions are called with Excel's argument
 * shapes, a cell is #BUSY! until the answer arrives, answers spill, errors keep their words, and a
 * recalculation asks again.
 */
import { evaluateFormula, evaluateSpill, setExternalFunctions, type FormulaValue } from "../../excel-fake/formulas";
import { matrixParameters, PreviewFunctions } from "../../page/preview-functions";

const values: Record<string, FormulaValue> = { "0:0": 46023, "0:1": 1000, "1:0": 46054, "1:1": "" };
const lookup = (_: string | null, r: number, c: number): FormulaValue => values[`${r}:${c}`] ?? "";
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let changes = 0;
let functions: PreviewFunctions;
let runtime: {
  associate(id: string, fn: (...args: unknown[]) => unknown): void;
  Error: new (code: string, message?: string) => Error;
  ErrorCode: Record<string, string>;
};
const calls: unknown[][] = [];

beforeEach(() => {
  changes = 0;
  calls.length = 0;
  functions = new PreviewFunctions(() => changes++);
  runtime = functions.runtimeGlobal() as typeof runtime;
  runtime.associate("BUNDLE", async (...args: unknown[]) => {
    calls.push(args);
    return [[5001, "Enterprise", 100000, null]];
  });
  runtime.associate("DRAWDOWN", async (...args: unknown[]) => {
    calls.push(args);
    return [
      ["period", "overage"],
      [46023, 0],
    ];
  });
  runtime.associate("ITEMS", async () => {
    throw new runtime.Error(runtime.ErrorCode.notAvailable ?? "", "Contract 9 has no items.");
  });
  setExternalFunctions((name, args) => functions.evaluate(name, args));
  functions.setMatrixParameters(
    matrixParameters({
      functions: [
        { id: "DRAWDOWN", parameters: [{ dimensionality: "matrix" }, { dimensionality: "matrix" }, {}, {}] },
        { id: "BUNDLE", parameters: [{}, {}, {}, {}] },
      ],
    }),
  );
});

afterEach(() => setExternalFunctions(null));

test("#BUSY! first, then the answer's first cell, and the whole answer spills", async () => {
  expect(evaluateFormula('=CAMPFIRE.BUNDLE(1, 1001, "subscription")', lookup)).toBe("#BUSY!");
  await settle();
  expect(changes).toBeGreaterThan(1);
  expect(evaluateFormula('=CAMPFIRE.BUNDLE(1, 1001, "subscription")', lookup)).toBe(5001);
  expect(evaluateSpill('=CAMPFIRE.BUNDLE(1, 1001, "subscription")', lookup)).toEqual([[5001, "Enterprise", 100000, ""]]);
  // Cells asking the same thing share one call.
  expect(calls).toEqual([[1, 1001, "subscription"]]);
  // Inside arithmetic it is one value, and it does not spill.
  expect(evaluateFormula('=CAMPFIRE.BUNDLE(1, 1001, "subscription") * 2', lookup)).toBe(10002);
  expect(evaluateSpill('=CAMPFIRE.BUNDLE(1, 1001, "subscription") * 2', lookup)).toBeNull();
});

test("ranges reach matrix parameters as rows, a single value there as [[value]], an omitted argument as null", async () => {
  evaluateFormula("=CAMPFIRE.DRAWDOWN(3, A1:B2, , TRUE)", lookup);
  evaluateFormula("=CAMPFIRE.BUNDLE(A1:B2, 7)", lookup);
  await settle();
  expect(calls).toEqual([
    [
      [[3]],
      [
        [46023, 1000],
        [46054, ""],
      ],
      null,
      true,
    ],
    [46023, 7], // a range where one value is expected: its first cell
  ]);
});

test("an error shows its code, and its message is kept for the grid", async () => {
  expect(evaluateFormula("=CAMPFIRE.ITEMS(9)", lookup)).toBe("#BUSY!");
  await settle();
  expect(evaluateFormula("=CAMPFIRE.ITEMS(9)", lookup)).toBe("#N/A");
  expect(functions.messageFor("CAMPFIRE.ITEMS", [9])).toBe("#N/A Contract 9 has no items.");
  const seen: string[] = [];
  evaluateSpill("=CAMPFIRE.ITEMS(9)", lookup, (name) => seen.push(name));
  expect(seen).toEqual(["CAMPFIRE.ITEMS"]);
});

test.each(["=CAMPFIRE.NOPE(1)", "=OTHER.BUNDLE(1, 2)"])("%s is #NAME?, as Excel shows an unknown function", (formula) => {
  expect(evaluateFormula(formula, lookup)).toBe("#NAME?");
});

test("a recalculation asks again; an answer to the older one is dropped", async () => {
  evaluateFormula("=CAMPFIRE.BUNDLE(1, 2)", lookup);
  functions.recalculate(); // before the first answer lands
  await settle();
  expect(evaluateFormula("=CAMPFIRE.BUNDLE(1, 2)", lookup)).toBe("#BUSY!");
  await settle();
  expect(evaluateFormula("=CAMPFIRE.BUNDLE(1, 2)", lookup)).toBe(5001);
  expect(calls).toEqual([
    [1, 2],
    [1, 2],
  ]);
});

test("until functions.json is read, every CAMPFIRE cell waits, so no range goes in the wrong shape", () => {
  const waiting = new PreviewFunctions(() => undefined);
  (waiting.runtimeGlobal() as typeof runtime).associate("DRAWDOWN", () => [[1]]);
  setExternalFunctions((name, args) => waiting.evaluate(name, args));
  expect(evaluateFormula("=CAMPFIRE.DRAWDOWN(3, A1:B2)", lookup)).toBe("#BUSY!");
});
