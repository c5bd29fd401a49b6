/**
 * Entry of the shared runtime page: the task pane and the ribbon commands (custom functions are a sibling
 * bundle on the same page). Everything it uses comes from the composition root; Excel is reached only through it.
 */
import { addin } from "../composition-root";
import { DEFAULT_SANDBOX_TOKEN_FOR_UI } from "./defaults";
import { TaskPane } from "./pane";
import { ribbonCommands, type RibbonAction } from "./ribbon";
import { installStyles } from "./styles";

const { session, workbench, refreshAll, sheets } = addin();

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
    sheets,
  });
  resolvePane(pane);
  await session.restore();
  await pane.start();
}

associateCommands();
void Office.onReady(() => mount());
