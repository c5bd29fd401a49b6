/**
 * Attacks on a watched push that reads only the reviewed rows, through the real adapter on the Excel fake and the
 * sandbox over HTTP. Excel does not report every change (a value written by another add-in or a second window of
 * this one, a deleted row, a renamed table): whatever it did not report, a push sends only what was reviewed,
 * refuses a review the sheet no longer holds, and writes its results on the rows that hold the record.
 */
import type { CheckReport, Workbench } from "../../src/app/workbench-interface";
import { StalePlanError } from "../../src/app/workbench-interface";
import { TableMissingError } from "../../src/domain/sheet/layout";
import { createWorkbench } from "../../src/app/workbench";
import { ExcelWorkbook } from "../../src/excel/workbook";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import type { Session } from "../../src/app/session";
import { fakeCell, signedIn } from "../property/workbooks";
import { parseAddress } from "../../src/domain/a1";

const ALLOCATIONS = "CampfireAllocations";
const STAMP = "2026-11-21 14:03";
let sandbox: RunningSandbox;
let session: Session;
let fake: FakeExcel;
let workbench: Workbench;
let stop: () => Promise<void>;
let reports: CheckReport[];

const make = () =>
  createWorkbench({
    session,
    workbook: new ExcelWorkbook(),
    now: () => new Date(2026, 10, 21, 14, 3, 27),
    utcOffset: () => 0,
    debounceMs: 0,
  });

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0 });
  session = await signedIn(sandbox);
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  workbench = make();
  await workbench.pull("allocations", [1]);
  await workbench.check("allocations");
  reports = [];
  stop = await workbench.watch("allocations", (r) => reports.push(r));
});
afterEach(async () => {
  await stop();
  await fake.settled();
  await sandbox.close();
});

const cell = (line: number, header: string) => fakeCell(fake, ALLOCATIONS, "Line ID", line, header);
const value = (line: number, header: string) => {
  const at = cell(line, header);
  return fake.values(at.sheet, at.address)[0]![0];
};
const writes = () => sandbox.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path} ${r.status}`);
const amounts = (itemId: number) => sandbox.store.bundleOf("subscription", 1, itemId).lines.map((l) => l.amount);

/** Every row's line id and Status, top to bottom. */
function statusByLine(): unknown[][] {
  const t = fake.table(ALLOCATIONS)!;
  const [, ...rows] = fake.values(t.sheet, t.address);
  return rows.map((r) => [r[t.headers.indexOf("Line ID")], r[t.headers.indexOf("Status")]]);
}

/** A person types (Excel reports it), and the live checks it starts are done. */
async function type(line: number, header: string, input: number): Promise<void> {
  const at = cell(line, header);
  await fake.edit(at.sheet, at.address, input);
  await fake.settled();
}

/** A value written where Excel tells this add-in nothing (another add-in, a second window of this one). */
async function unreported(line: number, header: string, input: number): Promise<void> {
  const at = cell(line, header);
  await Excel.run(async (ctx) => {
    ctx.workbook.worksheets.getItem(at.sheet).getRange(at.address).values = [[input]];
    await ctx.sync();
  });
  await fake.settled();
}

/** Moves 0.03 from line 7001 to 7002 (bundle 1001 still adds up). */
async function editBundle1001(): Promise<void> {
  await type(7001, "Amount", 33333.3);
  await type(7002, "Amount", 33333.36);
}

test("a reviewed row changed where Excel does not report it: the review is refused and nothing is sent", async () => {
  await editBundle1001();
  const plan = await workbench.planPush("allocations");
  await unreported(7003, "Amount", 33333.35);
  sandbox.requests.length = 0;
  await expect(workbench.push(plan)).rejects.toThrow(StalePlanError);
  expect(writes()).toEqual([]);
  expect(value(7003, "Status")).toBe("");
});

test("another record changed where Excel does not report it: only the reviewed record goes; the other keeps its value and Status", async () => {
  await editBundle1001();
  const plan = await workbench.planPush("allocations");
  const other = value(7011, "Amount") as number;
  await unreported(7011, "Amount", other + 5);
  sandbox.requests.length = 0;
  fake.resetCounters();
  const report = await workbench.push(plan);
  // The review's read was used again (the table is watched and Excel reported nothing): 7 round trips, not 9.
  expect(fake.syncCount).toBe(7);
  expect(report.results.map((r) => [r.key, r.outcome])).toEqual([["1:subscription:1001", "done"]]);
  expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
  expect([7001, 7002, 7003].map((l) => value(l, "Status"))).toEqual([`Pushed ${STAMP}`, `Pushed ${STAMP}`, `Pushed ${STAMP}`]);
  expect([value(7011, "Amount"), value(7011, "Status")]).toEqual([other + 5, ""]);
  // Still an edit, for the next review.
  expect((await workbench.check("allocations")).changedRecords).toBe(1);
});

test("the table renamed after the review: nothing is sent, and the error says the table is missing", async () => {
  await editBundle1001();
  const plan = await workbench.planPush("allocations");
  await Excel.run(async (ctx) => {
    ctx.workbook.tables.getItem(ALLOCATIONS).name = "Renamed";
    await ctx.sync();
  });
  sandbox.requests.length = 0;
  await expect(workbench.push(plan)).rejects.toThrow(TableMissingError);
  expect(writes()).toEqual([]);
});

test("a row above the reviewed rows deleted where Excel does not report it: the whole table is read and the results land on the record's rows", async () => {
  // Bundle 1002's lines are below bundle 1001's; 1001's first line goes.
  await type(7011, "Amount", (value(7011, "Amount") as number) + 1);
  await type(7012, "Amount", (value(7012, "Amount") as number) - 1);
  const plan = await workbench.planPush("allocations");
  expect(plan.recordKeys).toEqual(["1:subscription:1002"]);
  const rowOf7001 = fake.values(fake.table(ALLOCATIONS)!.sheet, fake.table(ALLOCATIONS)!.address).findIndex((r) => r.includes(7001)) - 1;
  await Excel.run(async (ctx) => {
    ctx.workbook.tables.getItem(ALLOCATIONS).rows.getItemAt(rowOf7001).delete();
    await ctx.sync();
  });
  await fake.settled();
  sandbox.requests.length = 0;
  const report = await workbench.push(plan);
  // A deleted line is not an edit of its bundle (a check reports it as missing), so the review still covers every change.
  expect(report.results.map((r) => [r.key, r.outcome])).toEqual([["1:subscription:1002", "done"]]);
  expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1002/allocations 200"]);
  // Every row moved up one: the results follow the record, and the rows now where 1002's lines were get nothing.
  expect(statusByLine()).toEqual(
    statusByLine().map(([line]) => [line, (line as number) >= 7011 && (line as number) <= 7015 ? `Pushed ${STAMP}` : ""]),
  );
  expect(statusByLine().map(([line]) => line)).not.toContain(7001);
});

test("a second window of the add-in pushes the reviewed record between review and confirm: the first is refused, the record goes once", async () => {
  await editBundle1001();
  const plan = await workbench.planPush("allocations");
  const second = make();
  const report = await second.push(await second.planPush("allocations"));
  expect(report.succeeded).toBe(1);
  await fake.settled();
  sandbox.requests.length = 0;
  await expect(workbench.push(plan)).rejects.toThrow(StalePlanError);
  expect(writes()).toEqual([]);
  expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
  expect((await workbench.check("allocations")).changedRecords).toBe(0);
});

test("push again and undo with the table watched: each sends only its records and writes Status on their rows", async () => {
  await editBundle1001();
  // Someone changes bundle 1001 in Campfire: the push skips it as a conflict, so push again covers it.
  sandbox.store.touchBundle(1, "subscription", 1001, {});
  const first = await workbench.push(await workbench.planPush("allocations"));
  expect(first.results.map((r) => r.outcome)).toEqual(["conflict-skipped"]);
  await fake.settled();
  // Another record edited meanwhile: not a push-again record, so not sent, and its edit stays.
  await type(7011, "Amount", (value(7011, "Amount") as number) + 1);
  await type(7012, "Amount", (value(7012, "Amount") as number) - 1);
  const again = await workbench.planPushAgain("allocations");
  expect(again.recordKeys).toEqual(["1:subscription:1001"]);
  sandbox.requests.length = 0;
  const pushed = await workbench.push(again, { overwrite: again.conflicts.map((c) => ({ key: c.key, serverAt: c.serverAt })) });
  expect(pushed.results.map((r) => [r.key, r.outcome])).toEqual([["1:subscription:1001", "done"]]);
  expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  expect([7001, 7011].map((l) => value(l, "Status"))).toEqual([`Pushed ${STAMP}`, ""]);
  await fake.settled();
  const undoPlan = await workbench.planUndo("allocations");
  expect(undoPlan.recordKeys).toEqual(["1:subscription:1001"]);
  sandbox.requests.length = 0;
  const undone = await workbench.push(undoPlan, { overwrite: undoPlan.conflicts.map((c) => ({ key: c.key, serverAt: c.serverAt })) });
  expect(undone.results.map((r) => r.outcome)).toEqual(["done"]);
  expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  expect([7001, 7011].map((l) => value(l, "Status"))).toEqual([`Undone ${STAMP}`, ""]);
  expect((await workbench.check("allocations")).changedRecords).toBe(1);
});

/**
 * Types into a cell the moment the push's `n`-th Excel round trip starts (after the send when n is 2: the save);
 * Excel reports it then, or never.
 */
function typeDuringSync(n: number, line: number, header: string, input: number, reported: boolean): { typed: () => boolean } {
  const runBatch = fake.runBatch.bind(fake);
  let syncs = 0;
  let typed = false;
  fake.runBatch = async (commands) => {
    if (++syncs === n && !typed) {
      typed = true;
      const at = cell(line, header);
      if (reported) void fake.edit(at.sheet, at.address, input);
      else {
        const { rect } = parseAddress(at.address);
        fake.model.put(fake.model.sheetByName(at.sheet)!, rect.row, rect.column, input, true);
      }
    }
    return runBatch(commands);
  };
  return { typed: () => typed };
}

test.each([
  ["a reviewed row", "reports it then", 7001, 33333.25, true],
  ["another record", "reports it then", 7011, 3000001, true],
  ["a reviewed row", "never reports it", 7001, 33333.25, false],
  ["another record", "never reports it", 7011, 3000001, false],
])(
  "%s typed over while the push is sending (Excel %s): the reviewed body goes, and the newer edit stays on the sheet",
  async (_what, _how, line, input, reported) => {
    await editBundle1001();
    const plan = await workbench.planPush("allocations");
    sandbox.requests.length = 0;
    const during = typeDuringSync(2, line, "Amount", input, reported);
    const report = await workbench.push(plan);
    expect(during.typed()).toBe(true);
    expect(report.results.map((r) => [r.key, r.outcome])).toEqual([["1:subscription:1001", "done"]]);
    expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
    expect(amounts(1001)).toEqual([33333.3, 33333.36, 33333.34]);
    // A result never overwrites a newer edit: the cell keeps what was typed, and it is a change for the next review.
    expect(value(line, "Amount")).toBe(input);
    expect(value(7001, "Status")).toBe(`Pushed ${STAMP}`);
    await fake.settled();
    const check = await workbench.check("allocations");
    expect(check.changedRecords).toBe(1);
  },
);

test("a second window refreshes the table between review and confirm (new pulled data, other rows rewritten): the push reads it all and goes as reviewed", async () => {
  await editBundle1001();
  const plan = await workbench.planPush("allocations");
  // Campfire changes bundle 1002 (nobody edited it here); the second window's refresh takes it into its rows and
  // saves the pulled data again — writes this window's watch does not hear (they are the add-in's own).
  sandbox.store.touchBundle(1, "subscription", 1002, {
    lines: [
      { product: 102, amount: 29000 },
      { product: 103, amount: 11000.5 },
    ],
  });
  await make().refresh("allocations");
  await fake.settled();
  expect(value(7011, "Amount")).toBe(29000);
  sandbox.requests.length = 0;
  fake.resetCounters();
  const report = await workbench.push(plan);
  expect(report.results.map((r) => [r.key, r.outcome])).toEqual([["1:subscription:1001", "done"]]);
  expect(writes()).toEqual(["PATCH /rr/api/v1/contracts/1/subscriptions/1001/allocations 200"]);
  // The pulled data's stamp moved: the whole table and the pulled data were read again (9 round trips, not 7).
  expect(fake.syncCount).toBe(9);
  expect([value(7011, "Amount"), value(7011, "Status")]).toEqual([29000, ""]);
  expect((await workbench.check("allocations")).changedRecords).toBe(0);
});
