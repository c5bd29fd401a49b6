/**
 * Excel round trips of the use-cases through the real adapter over the Excel fake (which counts every
 * context.sync): a live check of one edit, a check, a review and a one-record push take as many at 2,000 lines as
 * at 100 — nothing that grows with the rows, as long as the bytes fit one request.
 */
import { Session } from "../../src/app/session";
import { createCampfireClient } from "../../src/api/client";
import type { CheckReport } from "../../src/app/workbench-interface";
import { createWorkbench } from "../../src/app/workbench";
import { allocationOps } from "../../src/app/table-kinds";
import type { TableSpec } from "../../src/app/ports";
import { formatLocalAddress } from "../../src/domain/a1";
import { ExcelWorkbook } from "../../src/excel/workbook";
import { installExcelFake } from "../../preview/excel-fake/fake-excel";
import { makeLargeData } from "../../src/sandbox/seed";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";

const SPEC = allocationOps.layout as TableSpec;
let sandbox: RunningSandbox | null = null;

afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

async function counts(lines: number): Promise<{ live: number[]; check: number; plan: number; push: number }> {
  sandbox = await startSandbox({ port: 0, data: makeLargeData(lines / 10, 10) });
  const store = { saved: null as never, load: async () => null, save: async () => {}, clear: async () => {} };
  const session = new Session(store, (o) => createCampfireClient({ ...o, retries: 0 }));
  await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
  const fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  const excel = new ExcelWorkbook();
  const workbench = createWorkbench({
    session,
    workbook: excel,
    utcOffset: () => 0,
    debounceMs: 0,
    now: () => new Date("2026-11-21T13:03:00Z"),
  });
  await workbench.pull("allocations", "all");
  const table = (await excel.readTable(SPEC))!;
  const amountAt = table.headers.indexOf("Amount");
  const at = (row: number) =>
    formatLocalAddress({ row: table.headerRow + row, column: table.firstColumn + amountAt, rowCount: 1, columnCount: 1 });
  const amount = (row: number) => table.rows[row]![amountAt] as number;

  // As the pane does: a check, then the watch; each edit is one person typing into one cell.
  await workbench.check("allocations");
  let waiting: ((r: CheckReport) => void) | null = null;
  const stop = await workbench.watch("allocations", (r) => waiting?.(r));
  const live: number[] = [];
  const reports: boolean[] = [];
  for (const [row, value] of [
    [0, amount(0) + 1],
    [1, amount(1) - 1],
    [0, amount(0)],
    [1, amount(1)],
  ] as const) {
    const reported = new Promise<CheckReport>((resolve) => (waiting = resolve));
    fake.resetCounters();
    await fake.edit(table.sheetName, at(row), value);
    reports.push((await reported).bundles[0]!.balanced);
    live.push(fake.syncCount);
  }
  await stop();
  await fake.settled();
  expect(reports).toEqual([false, true, false, true]);

  await fake.edit(table.sheetName, at(0), amount(0) + 1);
  await fake.edit(table.sheetName, at(1), amount(1) - 1);
  fake.resetCounters();
  expect((await workbench.check("allocations")).changedRecords).toBe(1);
  const check = fake.syncCount;
  fake.resetCounters();
  const plan = await workbench.planPush("allocations");
  const planned = fake.syncCount;
  fake.resetCounters();
  expect((await workbench.push(plan)).succeeded).toBe(1);
  return { live, check, plan: planned, push: fake.syncCount };
}

test("round trips of a live check, a check, a review and a one-record push do not grow with the rows", async () => {
  const small = await counts(100);
  await sandbox?.close();
  const large = await counts(2_000);
  // Live: the changed rows (1), the rows and the snapshots' stamps (1), cells and marks (2 while the sheet has no
  // mark yet, 3 once it has: their rules' formulas are read first). Check: the table and snapshots (2), cells and
  // marks (2: the last live check left no marks). Review: the table, the snapshot and the last push (2). Push, with
  // no watch to tell whether the rest of the table was edited since the review: read (2), save (2), read again (2),
  // cells, marks and log (3).
  expect(small).toEqual({ live: [4, 5, 5, 5], check: 4, plan: 2, push: 9 });
  expect(large).toEqual(small);
}, 60_000);

/**
 * A one-record push with the table watched, as the pane watches it: the review's read is used again when the sheet
 * is unchanged (one round trip for the reviewed rows), and the save writes only the pieces that changed. Small read
 * budgets make every whole read of the larger table take several round trips, so a push that read the table or the
 * pulled data whole would show it.
 */
async function watchedPush(lines: number): Promise<{ plan: number; push: number; sent: number }> {
  sandbox = await startSandbox({ port: 0, data: makeLargeData(lines / 10, 10) });
  const store = { saved: null as never, load: async () => null, save: async () => {}, clear: async () => {} };
  const session = new Session(store, (o) => createCampfireClient({ ...o, retries: 0 }));
  await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
  const fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  const excel = new ExcelWorkbook({ readCells: 4_000, readBytes: 60_000 });
  const workbench = createWorkbench({
    session,
    workbook: excel,
    utcOffset: () => 0,
    debounceMs: 0,
    now: () => new Date("2026-11-21T13:03:00Z"),
  });
  await workbench.pull("allocations", "all");
  const table = (await excel.readTable(SPEC))!;
  const amountAt = table.headers.indexOf("Amount");
  const at = (row: number) =>
    formatLocalAddress({ row: table.headerRow + row, column: table.firstColumn + amountAt, rowCount: 1, columnCount: 1 });
  await workbench.check("allocations");
  const reports: CheckReport[] = [];
  const stop = await workbench.watch("allocations", (r) => reports.push(r));
  await fake.edit(table.sheetName, at(0), (table.rows[0]![amountAt] as number) + 1);
  await fake.edit(table.sheetName, at(1), (table.rows[1]![amountAt] as number) - 1);
  const start = Date.now();
  while (!reports.some((r) => r.changedRecords === 1 && r.bundles.every((b) => b.balanced))) {
    if (Date.now() - start > 10_000) throw new Error("no live check after the edits");
    await new Promise((r) => setTimeout(r, 10));
  }
  await fake.settled();
  fake.resetCounters();
  const plan = await workbench.planPush("allocations");
  const planned = fake.syncCount;
  fake.resetCounters();
  const report = await workbench.push(plan);
  const push = fake.syncCount;
  await stop();
  expect((await excel.readTable(SPEC))!.rows[0]![amountAt]).toBe((table.rows[0]![amountAt] as number) + 1);
  return { plan: planned, push, sent: report.succeeded };
}

test("a one-record push of a watched table takes as many round trips at 2,000 lines as at 100, and at most 10", async () => {
  const small = await watchedPush(100);
  await sandbox?.close();
  const large = await watchedPush(2_000);
  // Push: the reviewed rows and the snapshots' stamps (1), save (2: the directory, then the changed pieces and the
  // new directory), the reviewed rows again (1), cells, marks and log (3).
  expect(small).toEqual({ plan: expect.any(Number) as number, push: 7, sent: 1 });
  expect(large.push).toBe(small.push);
  expect(large.sent).toBe(1);
  // The review still reads the whole table, so its round trips grow with the rows under these small budgets.
  expect(large.plan).toBeGreaterThan(small.plan);
}, 60_000);
