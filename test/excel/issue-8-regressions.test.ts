/**
 * The defects issue 8 found, each as it was seen: records with legal but awkward values, pulled through the real
 * Excel adapter on the Excel fake from a sandbox over HTTP, looked at and pushed through the public workbench.
 */
import type { Session } from "../../src/app/session";
import { createWorkbench } from "../../src/app/workbench";
import type { Workbench } from "../../src/app/workbench-interface";
import type { FakeExcel } from "../../preview/excel-fake/fake-excel";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { excelSheet, fakeCell, signedIn, type Sheet } from "../property/workbooks";

const COMMITS = "CampfirePrepaidCommits";
const ALLOCATIONS = "CampfireAllocations";

let sandbox: RunningSandbox;
let session: Session;
let sheet: Sheet;
let fake: FakeExcel;
let workbench: Workbench;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  session = await signedIn(sandbox);
});
afterAll(() => sandbox.close());

beforeEach(() => {
  sandbox.reset();
  sheet = excelSheet();
  fake = sheet.fake as FakeExcel;
  workbench = createWorkbench({ session, workbook: sheet.port, utcOffset: () => 0 });
});

const commit = (id: number) => {
  const c = sandbox.store.data.prepaidCommits.find((x) => x.id === id);
  if (!c) throw new Error(`no commit ${id}`);
  return c;
};
const bundleOfLine = (lineId: number) => {
  for (const item of [...sandbox.store.data.subscriptions, ...sandbox.store.data.usage, ...sandbox.store.data.milestones]) {
    if (item.bundle?.lines.some((l) => l.id === lineId)) return item.bundle;
  }
  throw new Error(`no line ${lineId}`);
};
const writes = () => sandbox.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
const cellOf = (table: string, idHeader: string, id: number, header: string) => fakeCell(fake, table, idHeader, id, header);
const value = (table: string, idHeader: string, id: number, header: string) => {
  const at = cellOf(table, idHeader, id, header);
  return fake.values(at.sheet, at.address)[0]?.[0];
};
const format = (table: string, idHeader: string, id: number, header: string) => {
  const at = cellOf(table, idHeader, id, header);
  return fake.numberFormats(at.sheet, at.address)[0]?.[0];
};
const shown = (table: string, idHeader: string, id: number, header: string) => {
  const at = cellOf(table, idHeader, id, header);
  const t = fake.table(table)!;
  const col = t.headers.indexOf(header);
  const row = Number(/\d+$/.exec(at.address)![0]) - 1;
  return fake.gridCell(at.sheet, row, col).text;
};

describe("phantom edits: 16–17 significant digits pulled, nothing changed", () => {
  test("commit numbers Excel shows to 15 digits are not changes, and a push sends nothing", async () => {
    Object.assign(commit(9001), { rate: 0.1 + 0.2, exchange_rate: 1 / 0.92, discount_percentage: 100 / 3 });
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    expect(value(COMMITS, "Commit ID", 9001, "Exchange rate")).toBe(1.08695652173913);
    const plan = await workbench.planPush("commits");
    expect([plan.changes, plan.recordKeys, plan.blocked]).toEqual([[], [], []]);
    await workbench.push(plan);
    expect(writes()).toEqual([]);
  });

  test("allocation amounts Excel shows to 15 digits are not changes", async () => {
    const bundle = bundleOfLine(7001);
    bundle.lines[0]!.amount = 12345678901234.56; // 16 significant digits; the cell shows 12345678901234.6
    bundle.total_amount = 12345678901234.56 + 66666.67;
    await workbench.pull("allocations", "all", undefined, { discardEdits: true });
    expect(value(ALLOCATIONS, "Line ID", 7001, "Amount")).toBe(12345678901234.6);
    const plan = await workbench.planPush("allocations");
    expect([plan.changes, plan.recordKeys, plan.blocked]).toEqual([[], [], []]);
  });
});

describe("a valid value a cell cannot hold blocks nothing, and is kept as Campfire has it", () => {
  test("a rate of 99,999,999,999,999.98 (shown as 1E+14) does not block another commit's push, and is never sent", async () => {
    commit(9002).rate = 99999999999999.98;
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    expect(value(COMMITS, "Commit ID", 9002, "Rate")).toBe(1e14);
    await workbench.check("commits");
    expect(value(COMMITS, "Commit ID", 9002, "Check")).toBe(
      "Rate: kept as Campfire has it: 99,999,999,999,999.98 (a cell holds 15 significant digits and shows 100000000000000); it is sent only if you type a new value",
    );
    const at = cellOf(COMMITS, "Commit ID", 9001, "Name");
    await fake.edit(at.sheet, at.address, "Renamed");
    const plan = await workbench.planPush("commits");
    expect([plan.recordKeys, plan.blocked]).toEqual([["3:9001"], []]);
    const report = await workbench.push(plan);
    expect(report.succeeded).toBe(1);
    expect(writes()).toEqual(["PUT /rr/api/v1/contracts/3/prepaid-commits/9001"]);
    expect(commit(9002).rate).toBe(99999999999999.98);
  });

  test("the same commit's other field edited: the held rate goes back exactly as Campfire has it", async () => {
    commit(9002).rate = 99999999999999.98;
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    const at = cellOf(COMMITS, "Commit ID", 9002, "Priority");
    await fake.edit(at.sheet, at.address, "7");
    const plan = await workbench.planPush("commits");
    expect(plan.changes.map((c) => [c.field, c.old, c.new])).toEqual([["Priority", "1", "7"]]);
    expect(plan.blocked).toEqual([]);
    await workbench.push(plan);
    expect([commit(9002).rate, commit(9002).priority]).toEqual([99999999999999.98, 7]);
  });

  test("a 16-digit BHD line amount does not block another bundle's push", async () => {
    const bhd = bundleOfLine(7051);
    bhd.currency = "BHD";
    bhd.lines[0]!.amount = 1234567890123.456; // 16 significant digits, exact in fils
    bhd.total_amount = 1234567890123.456 + 333.33 + 333.34;
    await workbench.pull("allocations", "all", undefined, { discardEdits: true });
    // Moves 1.00 from one line of bundle 5001 to another: balanced.
    for (const [line, amount] of [
      [7001, 33334.33],
      [7002, 33332.33],
    ] as const) {
      const at = cellOf(ALLOCATIONS, "Line ID", line, "Amount");
      await fake.edit(at.sheet, at.address, String(amount));
    }
    const plan = await workbench.planPush("allocations");
    expect([plan.recordKeys, plan.blocked]).toEqual([["1:subscription:1001"], []]);
    expect((await workbench.push(plan)).succeeded).toBe(1);
    expect(bundleOfLine(7051).lines[0]!.amount).toBe(1234567890123.456);
  });
});

describe("20% typed into Discount % means 20", () => {
  test("Excel stores 0.2 with a percent format; the plan says 20 and the PUT sends 20; the cell shows 20 again", async () => {
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    const at = cellOf(COMMITS, "Commit ID", 9002, "Discount %");
    await fake.edit(at.sheet, at.address, "20%");
    expect([value(COMMITS, "Commit ID", 9002, "Discount %"), format(COMMITS, "Commit ID", 9002, "Discount %")]).toEqual([0.2, "0%"]);
    const plan = await workbench.planPush("commits");
    expect(plan.changes.map((c) => [c.field, c.old, c.new])).toEqual([["Discount %", "10", "20"]]);
    await workbench.push(plan);
    expect(commit(9002).discount_percentage).toBe(20);
    expect([value(COMMITS, "Commit ID", 9002, "Discount %"), format(COMMITS, "Commit ID", 9002, "Discount %")]).toEqual([20, "General"]);
  });

  test("12.5% is 12.5, and 20% in a cell already showing a percent reads the same", async () => {
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    const at = cellOf(COMMITS, "Commit ID", 9001, "Discount %");
    await fake.edit(at.sheet, at.address, "12.5%");
    // Typed into the now percent-formatted cell, 20 is a percent too (Excel's automatic percent entry).
    const other = cellOf(COMMITS, "Commit ID", 9002, "Discount %");
    await fake.edit(other.sheet, other.address, "20%");
    await fake.edit(other.sheet, other.address, "25");
    const plan = await workbench.planPush("commits");
    expect(plan.changes.map((c) => [c.key, c.new])).toEqual([
      ["3:9001", "12.5"],
      ["3:9002", "25"],
    ]);
  });
});

describe("amounts show their currency's decimals", () => {
  test("yen with none, dinars with three, dollars with two", async () => {
    bundleOfLine(7051).currency = "KWD";
    await workbench.pull("allocations", "all", undefined, { discardEdits: true });
    expect(format(ALLOCATIONS, "Line ID", 7041, "Amount")).toBe("#,##0;[Red]-#,##0");
    expect(shown(ALLOCATIONS, "Line ID", 7041, "Amount")).toBe("4,800,000");
    expect(shown(ALLOCATIONS, "Line ID", 7041, "Bundle total")).toBe("12,000,000");
    expect(format(ALLOCATIONS, "Line ID", 7051, "Amount")).toBe("#,##0.000;[Red]-#,##0.000");
    expect(shown(ALLOCATIONS, "Line ID", 7051, "Amount")).toBe("333.330");
    expect(shown(ALLOCATIONS, "Line ID", 7001, "Amount")).toBe("33,333.33");
    const report = await workbench.check("allocations");
    const others = report.bundles.filter((b) => b.currency !== "USD").map((b) => [b.currency, b.total, b.sum, b.difference]);
    expect(others.sort()).toEqual([
      ["EUR", "60000.00", "60000.00", "0.00"],
      ["GBP", "15000.00", "15000.00", "0.00"],
      ["JPY", "1000000", "1000000", "0"],
      ["JPY", "12000000", "12000000", "0"],
      ["KWD", "1000.000", "1000.000", "0.000"],
    ]);
  });

  test("prepaid commits: the total and remaining value of a yen commit have no decimals", async () => {
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    expect(shown(COMMITS, "Commit ID", 9006, "Total value")).toBe("5,000,000");
    expect(shown(COMMITS, "Commit ID", 9006, "Remaining value")).toBe("3,750,000");
    expect(shown(COMMITS, "Commit ID", 9001, "Total value")).toBe("120,000.00");
  });
});

describe("every message's allowed range is the field's real one", () => {
  test.each([
    ["Priority", "3000000000", "3000000000 is too large", "a whole number from -2,147,483,648 to 2,147,483,647"],
    ["Entity ID", "0", "0 is too small", "an entity id: a positive whole number such as 12, or empty"],
    ["Product ID", "north", '"north" is text, not a number', "a product id: a positive whole number such as 12, or empty"],
    ["Department ID", "1.5", "1.5 is not a whole number", "a department id: a positive whole number such as 12, or empty"],
    ["Discount %", "150", "150 is too large", "a number from 0 to 100"],
  ])("%s ← %s: %s; allowed: %s", async (header, typed, message, allowed) => {
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    const at = cellOf(COMMITS, "Commit ID", 9002, header);
    await fake.edit(at.sheet, at.address, typed);
    const plan = await workbench.planPush("commits");
    expect(plan.blocked.map((i) => [i.field, i.message, i.allowed])).toEqual([[header, message, allowed]]);
  });
});

describe("an id typed over is reported on the row that was edited", () => {
  test("Commit ID of one row changed to another commit's: the edited row says so; the untouched row has nothing", async () => {
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    const edited = cellOf(COMMITS, "Commit ID", 9001, "Commit ID");
    const untouched = cellOf(COMMITS, "Commit ID", 9002, "Commit ID");
    await fake.edit(edited.sheet, edited.address, "9002");
    const report = await workbench.check("commits");
    expect(report.issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      [
        `'Prepaid commits'!${edited.address}`,
        `commit 9002 is already on row 'Prepaid commits'!${untouched.address}; this column identifies the record; it cannot be changed here`,
        "the Commit ID as pulled, 9001 (and Contract ID 3); pull again to restore it",
      ],
    ]);
    // The record the row held has an edit that cannot be sent: the review is blocked on the edited cell (the row's
    // other edits are not silently dropped), and a pull asks before it replaces the row.
    const plan = await workbench.planPush("commits");
    expect([plan.recordKeys, plan.blocked.map((i) => i.address), plan.sendCount]).toEqual([
      ["3:9001"],
      [`'Prepaid commits'!${edited.address}`],
      0,
    ]);
    await expect(workbench.pull("commits", "all")).rejects.toThrow(
      "Not pulled: the Prepaid commits table has 1 edited cell in 1 record that is not pushed",
    );
  });

  test("Line ID of one row changed to another line's: the edited row says so; the other line's row has nothing", async () => {
    await workbench.pull("allocations", "all", undefined, { discardEdits: true });
    const edited = cellOf(ALLOCATIONS, "Line ID", 7002, "Line ID");
    const untouched = cellOf(ALLOCATIONS, "Line ID", 7001, "Line ID");
    await fake.edit(edited.sheet, edited.address, "7001");
    const report = await workbench.check("allocations");
    expect(report.issues.map((i) => [i.address, i.message, i.allowed])).toEqual([
      [
        `Allocations!${edited.address}`,
        `line 7001 is already on row Allocations!${untouched.address}; this column identifies the record; it cannot be changed here`,
        "the Line ID as pulled, 7002; pull again to restore it",
      ],
    ]);
    // As for a commit: the bundle the row held has an edit that cannot be sent, so the review is blocked on the
    // edited cell and a pull asks before it replaces the row (its other edits are not silently dropped).
    const plan = await workbench.planPush("allocations");
    expect([plan.recordKeys, plan.blocked.map((i) => i.address), plan.sendCount]).toEqual([
      ["1:subscription:1001"],
      [`Allocations!${edited.address}`],
      0,
    ]);
    await expect(workbench.pull("allocations", "all")).rejects.toThrow(
      "Not pulled: the Allocations table has 1 edited cell in 1 record that is not pushed",
    );
  });
});

describe("found by review: ids longer than a number cell keeps", () => {
  test("a 16-digit id typed as a number is refused (Excel zeroed its last digit); typed as text it goes as typed", async () => {
    await workbench.pull("commits", "all", undefined, { discardEdits: true });
    const subledger = cellOf(COMMITS, "Commit ID", 9001, "Subledger ID");
    await fake.edit(subledger.sheet, subledger.address, "1111222233334444");
    const plan = await workbench.planPush("commits");
    expect(plan.blocked.map((i) => [i.address, i.message])).toEqual([
      [
        `'Prepaid commits'!${subledger.address}`,
        "1111222233334440 has more than 15 digits, so Excel changed the digits after the 15th to 0",
      ],
    ]);
    await fake.edit(subledger.sheet, subledger.address, "'1111222233334444");
    const again = await workbench.planPush("commits");
    expect([again.blocked, again.changes.map((c) => [c.field, c.new])]).toEqual([[], [["Subledger ID", "1111222233334444"]]]);
  });
});
