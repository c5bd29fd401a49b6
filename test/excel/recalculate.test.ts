import { recalculateWorkbook } from "../../src/excel/recalculate";

test("recalculateWorkbook asks Excel for a full recalculation (custom functions re-run only then)", async () => {
  const calls: string[] = [];
  (globalThis as { Excel?: unknown }).Excel = {
    CalculationType: { full: "Full", recalculate: "Recalculate", fullRebuild: "FullRebuild" },
    run: async <T>(batch: (context: unknown) => Promise<T>): Promise<T> =>
      batch({
        workbook: { application: { calculate: (type: string) => calls.push(`calculate ${type}`) } },
        sync: async () => void calls.push("sync"),
      }),
  };
  try {
    await recalculateWorkbook();
  } finally {
    delete (globalThis as { Excel?: unknown }).Excel;
  }
  expect(calls).toEqual(["calculate Full", "sync"]);
});
