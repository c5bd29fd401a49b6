/**
 * Entry of the shared runtime page: the task pane and the ribbon commands (custom functions are a sibling
 * bundle on the same page). The workbench is created once here; Excel is reached only through ExcelWorkbook.
 */
import { createWorkbench } from "../app/workbench";
import { ExcelSheetActivation } from "../excel/sheet-activation";
import { ExcelWorkbook } from "../excel/workbook";
import { refreshAll } from "../functions/refresh";
import { runtimeSession } from "../runtime";
import { DEFAULT_SANDBOX_TOKEN_FOR_UI } from "./defaults";
import { TaskPane } from "./pane";
import { ribbonCommands, type RibbonAction } from "./ribbon";
import { installStyles } from "./styles";

const session = runtimeSession();
const workbench = createWorkbench({ session, workbook: new ExcelWorkbook() });

let resolvePane: (pane: TaskPane) => void = () => undefined;
const paneReady = new Promise<TaskPane>((resolve) => (resolvePane = resolve));

async function openPane(): Promise<void> {
  // SharedRuntime 1.1: shows the pane when a ribbon command needs the user.
  await Office.addin?.showAsTaskpane?.();
}

function associateCommands(): void {
  const commands = ribbonCommands({ session, workbench, pane: () => paneReady, openPane, refreshAll });
  for (const [action, handler] of Object.entries(commands) as [RibbonAction, (event: Office.AddinCommands.Event) => Promise<void>][]) {
    Office.actions.associate(action, handler);
  }
}

async function mount(): Promise<void> {
  const root = document.getElementById("campfire-pane");
  if (!root) return;
  installStyles();
  const pane = new TaskPane(root, {
    session,
    workbench,
    defaults: {
      campfireUrl: `${location.origin}/campfire`,
      sandboxUrl: `${location.origin}/sandbox`,
      sandboxToken: DEFAULT_SANDBOX_TOKEN_FOR_UI,
    },
    refreshFormulas: refreshAll,
    sheets: new ExcelSheetActivation(),
  });
  resolvePane(pane);
  await session.restore();
  await pane.start();
}

associateCommands();
void Office.onReady(() => mount());
