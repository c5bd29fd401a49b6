/**
 * The composition root: the one place where the add-in's parts are built and wired together, for every entry of
 * the shared runtime page (the task pane and ribbon commands in taskpane/taskpane.ts, the custom functions in
 * functions/functions.ts). Nothing else creates a Session, a FunctionsService or a Workbench for the add-in.
 *
 * The entries ship as separate bundles on one page. They share one Addin through globalThis, not through
 * module instances: a sign-in in the task pane and a Refresh on the ribbon must reach the functions' session and
 * cache however webpack splits the bundles (test/composition-root.test.ts loads the module twice, as two bundles
 * would, and checks both get the same parts).
 */
import { createCampfireClient } from "./api/client";
import type { SheetActivationPort, WorkbookPort } from "./app/ports";
import { Session } from "./app/session";
import { createWorkbench } from "./app/workbench";
import type { Workbench } from "./app/workbench-interface";
import { OfficeStorageConnectionStore } from "./excel/connection-store";
import { recalculateWorkbook } from "./excel/recalculate";
import { ExcelSheetActivation } from "./excel/sheet-activation";
import { ExcelWorkbook } from "./excel/workbook";
import { FunctionsService } from "./functions/functions-service";

/** What the add-in is built from; the real ones come from excelAddinDeps(). */
export interface AddinDeps {
  session: Session;
  workbook: WorkbookPort;
  /** Asks Excel to run every formula again. */
  recalculate: () => Promise<void>;
  /** Which sheet is active (the pane's table tabs follow it); absent where there is no Excel. */
  sheets?: SheetActivationPort;
}

/** The add-in's long-lived parts, one of each per runtime. */
export interface Addin {
  /** The one signed-in Campfire client: the pane signs in, the functions and ribbon commands use it. */
  readonly session: Session;
  /** The custom functions' request cache and restore of a saved connection. */
  readonly functions: FunctionsService;
  /** Pull, check, push and undo over the workbook. */
  readonly workbench: Workbench;
  /** The Refresh action (ribbon button, task pane): drop every cached answer and recalculate the workbook. */
  refreshAll(): Promise<void>;
  readonly sheets?: SheetActivationPort;
}

export function createAddin(deps: AddinDeps): Addin {
  const { session } = deps;
  const functions = new FunctionsService(session, { recalculate: deps.recalculate });
  const workbench = createWorkbench({ session, workbook: deps.workbook });
  return { session, functions, workbench, refreshAll: () => functions.refresh(), ...(deps.sheets ? { sheets: deps.sheets } : {}) };
}

/** The real thing: Office's storage, the HTTP client, the Excel adapter and Excel's recalculation. */
export function excelAddinDeps(): AddinDeps {
  return {
    session: new Session(new OfficeStorageConnectionStore(), createCampfireClient),
    workbook: new ExcelWorkbook(),
    recalculate: recalculateWorkbook,
    sheets: new ExcelSheetActivation(),
  };
}

const KEY = Symbol.for("campfire-for-excel.addin");
type Holder = { [KEY]?: Addin };

/**
 * The runtime's Addin, created on first use by whichever entry runs first. `create` is used only then (tests pass
 * one to wire their own session or workbook before any entry asks).
 */
export function addin(create: () => Addin = () => createAddin(excelAddinDeps())): Addin {
  const holder = globalThis as Holder;
  holder[KEY] ??= create();
  return holder[KEY];
}
