/**
 * The composition root as the shared runtime page uses it, with Excel faked (the only thing faked): a stand-in
 * for Excel.run that records what the add-in asks of the workbook.
 */
import "./functions/custom-functions-stub";
import { addin, type Addin } from "../src/composition-root";
import { ExcelWorkbook } from "../src/excel/workbook";

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

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));
let parts: Addin;

beforeAll(() => {
  (globalThis as { Excel?: unknown }).Excel = fakeExcel;
  // What an entry bundle does first: the real wiring (Office storage, HTTP client, Excel adapter).
  parts = addin();
});
afterAll(() => {
  delete (globalThis as { Excel?: unknown }).Excel;
});
beforeEach(() => {
  calls.length = 0;
});

test("one Addin per runtime: the functions and the workbench use the session the pane signs in with", () => {
  expect(addin()).toBe(parts);
  expect(parts.functions.session).toBe(parts.session);
  expect(parts.session.signedIn).toBe(false);
});

test("refreshAll clears the functions' cache and asks Excel for a full recalculation", async () => {
  await parts.functions.cache.get("contracts", async () => ["cached"]);
  expect(parts.functions.cache.size).toBe(1);
  await parts.refreshAll();
  expect(parts.functions.cache.size).toBe(0);
  expect(calls).toEqual(["calculate Full", "sync"]);
});

test("a push announced on the shared session clears the cache and recalculates the workbook once", async () => {
  await parts.functions.cache.get("contracts", async () => ["cached"]);
  parts.session.dataChanged();
  parts.session.dataChanged();
  expect(parts.functions.cache.size).toBe(0);
  await nextTurn();
  await nextTurn();
  expect(calls).toEqual(["calculate Full", "sync"]);
});

test("each entry is its own bundle with its own module instances, and still gets the same Addin", async () => {
  await parts.functions.cache.get("k", async () => 1);
  let otherBundle: typeof import("../src/composition-root") | undefined;
  let otherWorkbook: typeof ExcelWorkbook | undefined;
  jest.isolateModules(() => {
    otherBundle = jest.requireActual<typeof import("../src/composition-root")>("../src/composition-root");
    otherWorkbook = jest.requireActual<typeof import("../src/excel/workbook")>("../src/excel/workbook").ExcelWorkbook;
  });
  // Really another copy of the modules (what two webpack bundles without a shared runtime would have) ...
  expect(otherWorkbook).not.toBe(ExcelWorkbook);
  // ... and yet one session and one cache: the ribbon's Refresh clears what the functions read.
  const other = otherBundle!.addin();
  expect(other).toBe(parts);
  await other.refreshAll();
  expect(parts.functions.cache.size).toBe(0);
});
