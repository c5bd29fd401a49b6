/**
 * Amount formats follow each row's currency (JPY no decimals, KWD three), on pull and after a push that changed the
 * currency — the amounts themselves unchanged — through the real adapter on the Excel fake.
 */
import type { Session } from "../../src/app/session";
import { createWorkbench } from "../../src/app/workbench";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { excelSheet, signedIn, fakeCell } from "../property/workbooks";
import { sandboxData, type CommitFields } from "../property/campfire-arbitraries";

let sandbox: RunningSandbox;
let session: Session;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  session = await signedIn(sandbox);
});
afterAll(() => sandbox.close());
const BASE = {
  name: "Pool",
  description: null,
  total_value: 1000,
  currency: "USD",
  start_date: "2026-01-01",
  expiration_date: null,
  discount_percentage: 10,
  rate: 2,
  priority: 0,
  entity: null,
  product: null,
  department: null,
  subledger: null,
  exchange_rate: 1.5,
  exchange_rate_book: null,
  overage_invoice_cadence: "monthly",
  auto_send_overage_invoices: false,
  overage_invoice_start_month: null,
  tags: null,
  is_invoiced: false,
  invoice: null,
  consumed_value: 0,
  created_at: "2026-01-15T09:30:00.123456Z",
  last_modified_at: "2026-02-02T12:00:00.654321Z",
} as unknown as CommitFields;
const T = "CampfirePrepaidCommits";
test("commit formats per currency, and after the currency is edited and pushed", async () => {
  const sheet = excelSheet();
  sandbox.store.load(
    sandboxData([], [{ ...BASE, currency: "JPY", total_value: 4800000 }, { ...BASE, currency: "KWD", total_value: 1.25 }, BASE]),
  );
  const wb = createWorkbench({ session, workbook: sheet.port, now: () => new Date(2026, 10, 21), utcOffset: () => 0 });
  await wb.pull("commits", "all", undefined, { discardEdits: true });
  const f = sheet.fake!;
  const fmt = (id: number, h: string) => {
    const at = fakeCell(f, T, "Commit ID", id, h);
    return f.numberFormats(at.sheet, at.address)[0]![0];
  };
  expect([9000, 9001, 9002].map((id) => [fmt(id, "Total value"), fmt(id, "Remaining value")])).toEqual([
    ["#,##0;[Red]-#,##0", "#,##0;[Red]-#,##0"],
    ["#,##0.000;[Red]-#,##0.000", "#,##0.000;[Red]-#,##0.000"],
    ["#,##0.00;[Red]-#,##0.00", "#,##0.00;[Red]-#,##0.00"],
  ]);
  // USD row becomes JPY with a whole total
  await sheet.type(T, "Commit ID", 9002, "Currency", "JPY");
  const p = await wb.planPush("commits");
  expect(p.blocked).toEqual([]);
  const r = await wb.push(p);
  expect(r.results.map((x) => x.outcome)).toEqual(["done"]);
  expect([fmt(9002, "Total value"), fmt(9002, "Remaining value")]).toEqual(["#,##0;[Red]-#,##0", "#,##0;[Red]-#,##0"]);
});
