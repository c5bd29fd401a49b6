/**
 * The Refresh action (ribbon button, task pane): clears the functions' cache and recalculates the workbook.
 * Also the composition root of the functions' runtime, so every bundle that imports it shares one cache.
 */
import { runtimeSession } from "../runtime";
import { FunctionsRuntime, sharedFunctionsRuntime } from "./functions-runtime";

export function functionsRuntime(): FunctionsRuntime {
  return sharedFunctionsRuntime(() => new FunctionsRuntime(runtimeSession(), { recalculate: recalculateWorkbook }));
}

/** Fetch every CAMPFIRE formula's data again. */
export async function refreshAll(): Promise<void> {
  await functionsRuntime().refresh();
}

/** The only Excel call here: a full recalculation, which re-runs custom functions even when their arguments are unchanged. */
export async function recalculateWorkbook(): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.calculate(Excel.CalculationType.full);
    await context.sync();
  });
}
