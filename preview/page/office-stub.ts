/**
 * What the preview page needs of the Office host besides Excel: Office.onReady resolving, ribbon actions
 * recorded (the preview's ribbon buttons call them), a task pane that is always open, and a CustomFunctions
 * global so the functions bundle loads. Works over the real office.js (loaded offline) or without it.
 */
export type CommandHandler = (event: { completed(): void; source?: { id: string } }) => unknown;

export interface OfficeStub {
  actions: Map<string, CommandHandler>;
  /** Called when a ribbon command asks for the task pane. */
  onShowTaskpane: (() => void) | null;
  /** How many times the add-in asked for the task pane (the preview's pane is always open). */
  taskpaneRequests: number;
}

export function installOfficeStub(globalObj: Record<string, unknown>): OfficeStub {
  const stub: OfficeStub = { actions: new Map(), onShowTaskpane: null, taskpaneRequests: 0 };
  const office = (globalObj.Office ?? {}) as Record<string, unknown>;
  globalObj.Office = office;
  const info = { host: "Excel", platform: "OfficeOnline" };
  office.HostType = office.HostType ?? { Excel: "Excel" };
  office.onReady = (callback?: (i: typeof info) => unknown) =>
    Promise.resolve(info).then(async (i) => {
      await callback?.(i);
      return i;
    });
  office.actions = { associate: (id: string, handler: CommandHandler) => void stub.actions.set(id, handler) };
  office.addin = {
    showAsTaskpane: async () => {
      stub.taskpaneRequests++;
      stub.onShowTaskpane?.();
    },
    hide: async () => undefined,
  };
  // Outside an Office host office.js's OfficeRuntime.storage cannot store anything; localStorage can.
  const runtime = globalObj.OfficeRuntime as { storage?: unknown } | undefined;
  if (runtime && "storage" in runtime) globalObj.OfficeRuntime = { ...runtime, storage: undefined };
  if (!globalObj.CustomFunctions) globalObj.CustomFunctions = { associate: () => undefined };
  return stub;
}
