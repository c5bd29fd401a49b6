/**
 * The Refresh action and the runtime wiring, with Excel faked (the only thing faked): a stand-in for Excel.run
 * that records what the add-in asks of the workbook.
 */
import "./custom-functions-stub";
import { Session, sharedSession } from "../../src/app/session";
import { createCampfireClient } from "../../src/api/client";
import { functionsRuntime, recalculateWorkbook, refreshAll } from "../../src/functions/refresh";
import { memoryStore } from "./helpers";

const calls: string[] = [];
const fakeExcel = {
  CalculationType: { full: "Full", recalculate: "Recalculate", fullRebuild: "FullRebuild" },
  run: async <T>(batch: (context: unknown) => Promise<T>): Promise<T> => {
    const context = {
      workbook: { application: { calculate: (type: string) => calls.push(`calculate ${type}`) } },
      sync: async () => {
        calls.push("sync");
      },
    };
    return batch(context);
  },
};

const session = new Session(memoryStore(), createCampfireClient);

beforeAll(() => {
  (globalThis as { Excel?: unknown }).Excel = fakeExcel;
  sharedSession(() => session);
});
afterAll(() => {
  delete (globalThis as { Excel?: unknown }).Excel;
});
beforeEach(() => {
  calls.length = 0;
});

test("recalculateWorkbook asks Excel for a full recalculation (custom functions re-run only then)", async () => {
  await recalculateWorkbook();
  expect(calls).toEqual(["calculate Full", "sync"]);
});

test("refreshAll clears the functions' shared cache and recalculates", async () => {
  const runtime = functionsRuntime();
  expect(functionsRuntime()).toBe(runtime);
  expect(runtime.session).toBe(session);
  await runtime.cache.get("contracts", async () => ["cached"]);
  expect(runtime.cache.size).toBe(1);
  await refreshAll();
  expect(runtime.cache.size).toBe(0);
  expect(calls).toEqual(["calculate Full", "sync"]);
});

test("a push announced on the shared session clears the cache and recalculates the workbook", async () => {
  const runtime = functionsRuntime();
  await runtime.cache.get("contracts", async () => ["cached"]);
  session.dataChanged();
  expect(runtime.cache.size).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(calls).toEqual(["calculate Full", "sync"]);
});

test("the cache is shared through globalThis, so another bundle's refreshAll clears the same one", async () => {
  const runtime = functionsRuntime();
  await runtime.cache.get("k", async () => 1);
  let otherBundle: typeof import("../../src/functions/refresh") | undefined;
  jest.isolateModules(() => {
    otherBundle = jest.requireActual<typeof import("../../src/functions/refresh")>("../../src/functions/refresh");
  });
  expect(otherBundle!.functionsRuntime()).toBe(runtime);
  await otherBundle!.refreshAll();
  expect(runtime.cache.size).toBe(0);
});
