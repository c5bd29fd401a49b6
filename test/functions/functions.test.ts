/**
 * Each CAMPFIRE function as Excel calls it (the wrappers in functions.ts), against the sandbox, through the
 * runtime's shared session — the one the task pane signs in.
 */
import "./custom-functions-stub";
import { addin, createAddin } from "../../src/composition-root";
import { allocations, bundle, contracts, drawdownModel, items, prepaidCommit, prepaidCommits } from "../../src/functions/functions";
import { isoDateTimeToSerial, isoDateToSerial } from "../../src/domain/cell-readers";
import { MemoryWorkbook } from "../helpers/memory-workbook";
import { useSandbox, type TestBackend } from "../helpers/sandbox";
import { connectionOf, excelError, loggedSession } from "./helpers";

let backend: TestBackend;

beforeAll(async () => {
  backend = await useSandbox();
  const logged = loggedSession();
  // Wire the runtime's one Addin around the test's session before any function asks (as the first entry would).
  addin(() => createAddin({ session: logged.session, workbook: new MemoryWorkbook(), recalculate: async () => {} }));
  await addin().session.signIn(connectionOf(backend));
});
afterAll(() => backend.close());

const date = isoDateToSerial;
const T0 = isoDateTimeToSerial("2026-01-15T09:30:00Z");
const T1 = isoDateTimeToSerial("2026-02-02T14:05:11.25Z");

describe("CAMPFIRE.ALLOCATIONS", () => {
  test("spills one row per bundle line, numbers as numbers, with a header when asked", async () => {
    expect(await allocations(1, 1001, "subscription", true)).toEqual([
      ["line_id", "product_id", "product_code", "product_name", "amount", "percentage", "original_percentage"],
      [7001, 101, "PLAT-ENT", "Platform — Enterprise", 33333.33, 33.33, 33.333],
      [7002, 105, "SUP-PREM", "Premium Support", 33333.33, 33.33, 33.333],
      [7003, 109, "SSO-ADDON", "SSO & SCIM Add-on", 33333.34, 33.33, 33.333],
    ]);
  });

  test("item_type defaults to usage and show_header to FALSE (Excel passes omitted arguments as null)", async () => {
    const expected = [
      [7101, 103, "API-CALLS", "API Calls (per 1,000)", 18750, 75, 75],
      [7102, 104, "STOR-TB", "Storage (per TB-month)", 6250, 25, 25],
    ];
    expect(await allocations(3, 2001)).toEqual(expected);
    expect(await allocations(3, 2001, null as unknown as string, null as unknown as boolean)).toEqual(expected);
    expect(await allocations(3, 2001, " Usage ")).toEqual(expected);
  });

  test("a negative credit line stays negative", async () => {
    const rows = await allocations(1, 1002, "subscription");
    expect(rows.map((r) => [r[1], r[4]])).toEqual([
      [102, 30000],
      [103, 10000.5],
      [104, 5999.5],
      [110, 4000],
      [111, -2000],
    ]);
  });
});

describe("CAMPFIRE.BUNDLE", () => {
  test("the bundle's row: dates as date serials, times as UTC serials", async () => {
    expect(await bundle(7, 3003, "milestone")).toEqual([
      [5022, 322, "Stark Platform Program", 250000, "USD", 8, date("2026-04-01"), T0, isoDateTimeToSerial("2026-03-10T08:00:00Z")],
    ]);
  });

  test("one field; an empty one is an empty cell, not 0", async () => {
    expect(await bundle(1, 1001, "subscription", "total_amount")).toEqual([[100000]]);
    expect(await bundle(1, 1001, "subscription", "CURRENCY")).toEqual([["USD"]]);
    expect(await bundle(7, 1006, "subscription", "source_bundle")).toEqual([[""]]);
  });
});

describe("CAMPFIRE.PREPAIDCOMMITS and CAMPFIRE.PREPAIDCOMMIT", () => {
  const HEADER = [
    "id",
    "contract",
    "entity",
    "entity_name",
    "product",
    "product_name",
    "name",
    "description",
    "currency",
    "exchange_rate",
    "exchange_rate_book",
    "total_value",
    "remaining_value",
    "discount_percentage",
    "rate",
    "start_date",
    "expiration_date",
    "status",
    "priority",
    "is_invoiced",
    "invoice",
    "subledger",
    "overage_invoice_cadence",
    "auto_send_overage_invoices",
    "overage_invoice_start_month",
    "department",
    "department_name",
    "tags",
    "created_at",
    "last_modified_at",
  ];

  test("every field of every commit of the contract", async () => {
    const rows = await prepaidCommits(3, true);
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1).map((r) => r[0])).toEqual([9001, 9002, 9003, 9004]);
    expect(rows[1]).toEqual([
      9001,
      3,
      1,
      "Northwind Analytics, Inc.",
      103,
      "API Calls (per 1,000)",
      "Initech Usage Commit 2026–2030",
      "Prepaid API usage, drawn down at list rate less 20%.",
      "USD",
      1,
      1,
      120000,
      74749.25,
      20,
      0.25,
      date("2026-01-01"),
      date("2030-12-31"),
      "ACTIVE",
      1,
      true,
      880001,
      42,
      "quarterly",
      true,
      date("2026-04-01"),
      202,
      "Customer Success",
      "usage,api",
      T0,
      T1,
    ]);
  });

  test("null fields are empty cells; text that looks like a formula comes back as the same text", async () => {
    const [row] = await prepaidCommit(2, 9005);
    const at = (field: string) => row![HEADER.indexOf(field)];
    expect(at("name")).toBe("=SUM(A1:A9) Analytics Credits");
    expect(at("description")).toBe('=HYPERLINK("http://example.invalid") must stay text');
    expect(at("rate")).toBe("");
    expect(at("invoice")).toBe("");
    expect(at("overage_invoice_start_month")).toBe("");
    expect(at("exchange_rate")).toBe(1.0842);
    expect(at("is_invoiced")).toBe(false);
    expect(row).toHaveLength(HEADER.length);
  });

  test("one field of one commit", async () => {
    expect(await prepaidCommit(3, 9001, "remaining_value")).toEqual([[74749.25]]);
    expect(await prepaidCommit(3, 9001, "start_date")).toEqual([[date("2026-01-01")]]);
    expect(await prepaidCommit(4, 9006, "name")).toEqual([["年間コミット — Umbrella 東京 ✓"]]);
  });

  test("an unknown commit on a known contract is #N/A", async () => {
    expect(await excelError(prepaidCommit(3, 9005))).toEqual({ code: "#N/A", message: "Contract 3 has no prepaid commit 9005." });
  });
});

describe("CAMPFIRE.CONTRACTS and CAMPFIRE.ITEMS", () => {
  test("contracts, one row each", async () => {
    const rows = await contracts(true);
    expect(rows[0]).toEqual([
      "id",
      "deal_name",
      "deal_id",
      "client",
      "client_name",
      "entity",
      "entity_name",
      "currency",
      "status",
      "contract_start_date",
      "contract_end_date",
      "total_contract_value",
      "last_modified_at",
    ]);
    expect(rows[1]).toEqual([
      1,
      "Acme Corp — 2026 Platform Renewal",
      "D-2026-0001",
      501,
      "Acme Corp",
      1,
      "Northwind Analytics, Inc.",
      "USD",
      "ACTIVE",
      date("2026-01-01"),
      date("2026-12-31"),
      160000,
      T1,
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test("items of every type, with their bundle when they have one", async () => {
    expect(await items(5, undefined, true)).toEqual([
      [
        "item_type",
        "item_id",
        "product_id",
        "product_name",
        "description",
        "start_date",
        "end_date",
        "bundle_id",
        "bundle_name",
        "bundle_total",
        "bundle_currency",
      ],
      ["milestone", 3001, "", "Implementation Package", "Go-live", date("2026-05-15"), "", 5021, "Implementation Package", 15000, "GBP"],
      ["milestone", 3002, 107, "Implementation Services", "Hypercare sign-off", date("2026-07-01"), "", "", "", "", ""],
    ]);
    expect((await items(1, "subscription")).map((r) => [r[1], r[7]])).toEqual([
      [1001, 5001],
      [1002, 5002],
      [1003, ""],
    ]);
  });

  test("a contract without items of the type asked: #N/A without header, only the header with it", async () => {
    expect(await excelError(items(6, "usage"))).toEqual({ code: "#N/A", message: "Contract 6 has no usage items." });
    expect(await items(6, "usage", true)).toHaveLength(1);
  });
});

describe("CAMPFIRE.DRAWDOWN", () => {
  test("from a contract id: the contract's commits, each from its remaining balance", async () => {
    const rows = await drawdownModel([[3]], [["2026-02-01", 200000]], "remaining");
    // 9003 (priority 0) expired; 9001 and 9002 tie on priority and start: lower id first; 9004 is exhausted.
    // 9001: 74,749.25 at 20% off covers 93,436.5625 → 93,436.56 gross. 9002: 30,000 at 10% off covers 33,333.33.
    // Overage: 200,000 − 93,436.56 − 33,333.33 = 73,230.11.
    expect(rows).toEqual([
      [date("2026-02-01"), 9003, "Initech Usage Commit 2025", "expired", 0, 0, 0, 18799.6, 18799.6, 0],
      [date("2026-02-01"), 9001, "Initech Usage Commit 2026–2030", "active", 93436.56, 18687.31, 74749.25, 74749.25, 0, 0],
      [date("2026-02-01"), 9002, "Burst Capacity Pool", "active", 33333.33, 3333.33, 30000, 30000, 0, 0],
      [date("2026-02-01"), 9004, "Q1 Overage Credit", "active", 0, 0, 0, 0, 0, 73230.11],
    ]);
  });

  test("from the PREPAIDCOMMITS output on the sheet, header included, periods as date cells", async () => {
    const range = await prepaidCommits(1, true);
    const rows = await drawdownModel(
      range,
      [
        ["period", "gross"],
        [date("2026-03-01"), 4000],
      ],
      undefined,
      true,
    );
    expect(rows).toEqual([
      ["period", "commit_id", "commit_name", "status", "gross", "discount", "net_drawn", "balance_before", "balance_after", "overage"],
      [date("2026-03-01"), 9007, "Acme Support Credits", "active", 4000, 0, 4000, 10000, 6000, 0],
    ]);
  });
});
