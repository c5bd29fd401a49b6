/** The server's own prepaid-commit rules, and DRF's PUT semantics (omitted fields are reset). */
import { PrepaidCommitSchema } from "../../src/model/records";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { caller, type Call } from "./http";

let sandbox: RunningSandbox;
let call: Call;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  call = caller(sandbox.url, sandbox.token);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const LIST = "/rr/api/v1/contracts/3/prepaid-commits";
const FULL = `${LIST}/9001`; // every field populated
const REQUIRED = { name: "Pool", total_value: 1000, start_date: "2026-01-01" };

describe("refused writes", () => {
  const name251 = "n".repeat(251);
  test.each<[string, "POST" | "PUT" | "PATCH", unknown, unknown]>([
    [
      "POST without required fields",
      "POST",
      {},
      { name: ["This field is required."], total_value: ["This field is required."], start_date: ["This field is required."] },
    ],
    ["PUT without name", "PUT", { total_value: 1, start_date: "2026-01-01" }, { name: ["This field is required."] }],
    ["body a list", "PATCH", [1], { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }],
    ["251-character name", "PATCH", { name: name251 }, { name: ["Ensure this field has no more than 250 characters."] }],
    ["blank name", "PATCH", { name: "   " }, { name: ["This field may not be blank."] }],
    ["null name", "PATCH", { name: null }, { name: ["This field may not be null."] }],
    ["numeric name", "PATCH", { name: 5 }, { name: ["Not a valid string."] }],
    ["total_value as text", "PATCH", { total_value: "1000" }, { total_value: ["A valid number is required."] }],
    ["total_value at 1e18", "PATCH", { total_value: 1e18 }, { total_value: ["Ensure this value is less than 1000000000000000000."] }],
    ["total_value at -1e18", "PATCH", { total_value: -1e18 }, { total_value: ["Ensure this value is greater than -1000000000000000000."] }],
    [
      "impossible date",
      "PATCH",
      { start_date: "2026-02-30" },
      { start_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "29 Feb of a common year",
      "PATCH",
      { expiration_date: "2027-02-29" },
      { expiration_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "date with a time",
      "PATCH",
      { start_date: "2026-01-01T00:00:00Z" },
      { start_date: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "date as a serial number",
      "PATCH",
      { overage_invoice_start_month: 46023 },
      { overage_invoice_start_month: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."] },
    ],
    [
      "expiration before start",
      "PATCH",
      { expiration_date: "2025-12-31" },
      { expiration_date: ["Expiration date 2025-12-31 is before the start date 2026-01-01; it must be on or after it."] },
    ],
    [
      "start after the stored expiration",
      "PATCH",
      { start_date: "2031-01-01" },
      { expiration_date: ["Expiration date 2030-12-31 is before the start date 2031-01-01; it must be on or after it."] },
    ],
    ["four-letter currency", "PATCH", { currency: "EURO" }, { currency: ["Ensure this field has no more than 3 characters."] }],
    ["null currency", "PATCH", { currency: null }, { currency: ["This field may not be null."] }],
    ["exchange rate at 1e14", "PATCH", { exchange_rate: 1e14 }, { exchange_rate: ["Ensure this value is less than 100000000000000."] }],
    [
      "book rate at -1e14",
      "PATCH",
      { exchange_rate_book: -1e14 },
      { exchange_rate_book: ["Ensure this value is greater than -100000000000000."] },
    ],
    [
      "discount over 100",
      "PATCH",
      { discount_percentage: 100.01 },
      { discount_percentage: ["Ensure this value is less than or equal to 100."] },
    ],
    [
      "negative discount",
      "PATCH",
      { discount_percentage: -1 },
      { discount_percentage: ["Ensure this value is greater than or equal to 0."] },
    ],
    ["null discount", "PATCH", { discount_percentage: null }, { discount_percentage: ["This field may not be null."] }],
    ["negative rate", "PATCH", { rate: -0.01 }, { rate: ["Ensure this value is greater than or equal to 0."] }],
    ["rate at 1e14", "PATCH", { rate: 1e14 }, { rate: ["Ensure this value is less than 100000000000000."] }],
    ["fractional priority", "PATCH", { priority: 1.5 }, { priority: ["A valid integer is required."] }],
    ["priority above int32", "PATCH", { priority: 2147483648 }, { priority: ["Ensure this value is less than or equal to 2147483647."] }],
    [
      "priority below int32",
      "PATCH",
      { priority: -2147483649 },
      { priority: ["Ensure this value is greater than or equal to -2147483648."] },
    ],
    ["unknown cadence", "PATCH", { overage_invoice_cadence: "weekly" }, { overage_invoice_cadence: ['"weekly" is not a valid choice.'] }],
    [
      "cadence in capitals",
      "PATCH",
      { overage_invoice_cadence: "Monthly" },
      { overage_invoice_cadence: ['"Monthly" is not a valid choice.'] },
    ],
    ["boolean as text", "PATCH", { auto_send_overage_invoices: "true" }, { auto_send_overage_invoices: ["Must be a valid boolean."] }],
    ["entity as text", "PATCH", { entity: "1" }, { entity: ["Incorrect type. Expected pk value, received str."] }],
    ["unknown entity", "PATCH", { entity: 99 }, { entity: ['Invalid pk "99" - object does not exist.'] }],
    ["unknown product", "PATCH", { product: 99 }, { product: ['Invalid pk "99" - object does not exist.'] }],
    ["unknown department", "PATCH", { department: 99 }, { department: ['Invalid pk "99" - object does not exist.'] }],
    ["fractional subledger", "PATCH", { subledger: 4.2 }, { subledger: ["Incorrect type. Expected pk value, received float."] }],
    // Ids start at 1 (Campfire's facts): a subledger has no endpoint to look it up, but none has id 0.
    ["subledger 0", "PATCH", { subledger: 0 }, { subledger: ['Invalid pk "0" - object does not exist.'] }],
    ["tags as a list", "PATCH", { tags: [1, 2] }, { tags: ["Not a valid string."] }],
    [
      "several fields at once",
      "PATCH",
      { name: "", rate: "x", priority: null },
      { name: ["This field may not be blank."], rate: ["A valid number is required."], priority: ["This field may not be null."] },
    ],
  ])("%s (%s)", async (_case, method, body, errors) => {
    const before = (await call("GET", FULL)).json;
    const r = await call(method, method === "POST" ? LIST : FULL, body);
    expect([r.status, r.json]).toEqual([400, errors]);
    expect((await call("GET", FULL)).json).toEqual(before);
    expect((await call("GET", LIST)).json.count).toBe(4);
  });
});

describe("accepted writes", () => {
  test("PUT resets every writable field it leaves out, as DRF's full update does", async () => {
    const r = await call("PUT", FULL, { name: "Initech Usage Commit 2026–2030", total_value: 120000, start_date: "2026-01-01" });
    expect(r.status).toBe(200);
    const c = PrepaidCommitSchema.parse(r.json);
    expect(c).toMatchObject({
      description: null,
      currency: "USD",
      expiration_date: null,
      discount_percentage: 0,
      rate: null,
      priority: 1,
      entity: null,
      entity_name: null,
      product: null,
      product_name: null,
      department: null,
      department_name: null,
      subledger: null,
      exchange_rate: null,
      exchange_rate_book: null,
      overage_invoice_cadence: "monthly",
      auto_send_overage_invoices: false,
      overage_invoice_start_month: null,
      tags: null,
      // Read-only facts survive.
      id: 9001,
      contract: 3,
      is_invoiced: true,
      invoice: 880001,
      remaining_value: 74749.25,
      status: "ACTIVE",
      created_at: "2026-01-15T09:30:00.000000Z",
    });
  });

  test("a PUT that sends every field changes only what differs", async () => {
    const current = (await call("GET", FULL)).json;
    const r = await call("PUT", FULL, { ...current, tags: "usage" });
    expect(r.status).toBe(200);
    const { last_modified_at: a, ...after } = r.json;
    const { last_modified_at: b, ...before } = current;
    expect(after).toEqual({ ...before, tags: "usage" });
    expect(a > b).toBe(true);
  });

  test("PATCH changes only what it sends; read-only and unknown fields are ignored", async () => {
    const current = (await call("GET", FULL)).json;
    const r = await call("PATCH", FULL, {
      description: "New text",
      id: 1,
      contract: 1,
      status: "EXPIRED",
      remaining_value: 0,
      bogus: true,
    });
    expect(r.status).toBe(200);
    const { last_modified_at: _a, ...after } = r.json;
    const { last_modified_at: _b, ...before } = current;
    expect(after).toEqual({ ...before, description: "New text" });
  });

  test("text is trimmed as DRF's CharField does; a 250-character name is fine", async () => {
    expect((await call("PATCH", FULL, { name: "  Padded  " })).json.name).toBe("Padded");
    const long = "é".repeat(250);
    expect((await call("PATCH", FULL, { name: long })).json.name).toBe(long);
  });

  test("nullable fields can be cleared with an explicit null", async () => {
    const r = await call("PATCH", FULL, { rate: null, expiration_date: null, entity: null, tags: null });
    expect(r.json).toMatchObject({ rate: null, expiration_date: null, entity: null, entity_name: null, tags: null });
  });

  test("status and remaining_value are derived from the stored values", async () => {
    const exhausted = await call("PATCH", FULL, { total_value: 45250.75 });
    expect(exhausted.json).toMatchObject({ remaining_value: 0, status: "EXHAUSTED" });
    const expired = await call("PATCH", FULL, { start_date: "2020-01-01", expiration_date: "2020-12-31" });
    expect(expired.json).toMatchObject({ status: "EXPIRED" });
    const active = await call("PATCH", FULL, { total_value: 100000.1, expiration_date: null });
    expect(active.json).toMatchObject({ remaining_value: 54749.35, status: "ACTIVE" });
  });

  test("POST creates with defaults, answers 201, and the commit is listed and readable", async () => {
    const r = await call("POST", LIST, { ...REQUIRED, entity: 1, product: 103, department: 203, priority: -5 });
    expect(r.status).toBe(201);
    const created = PrepaidCommitSchema.parse(r.json);
    expect(created).toMatchObject({
      id: 9009,
      contract: 3,
      name: "Pool",
      entity_name: "Northwind Analytics, Inc.",
      product_name: "API Calls (per 1,000)",
      department_name: "Professional Services",
      remaining_value: 1000,
      status: "ACTIVE",
      priority: -5,
      is_invoiced: false,
      invoice: null,
      currency: "USD",
    });
    expect(created.created_at).toBe(created.last_modified_at);
    expect((await call("GET", `${LIST}/9009`)).json).toEqual(r.json);
    expect((await call("GET", LIST)).json.count).toBe(5);
  });

  test("POST to an unknown contract → 404", async () => {
    const r = await call("POST", "/rr/api/v1/contracts/999/prepaid-commits", REQUIRED);
    expect([r.status, r.json]).toEqual([404, { detail: "Not found." }]);
  });

  test("DELETE removes the commit", async () => {
    expect((await call("DELETE", FULL)).status).toBe(204);
    expect((await call("GET", FULL)).status).toBe(404);
    expect((await call("DELETE", FULL)).status).toBe(404);
    expect((await call("GET", LIST)).json.results.map((c: { id: number }) => c.id)).toEqual([9002, 9003, 9004]);
  });

  test("text that looks like a formula or is not ASCII comes back exactly as stored", async () => {
    const globex = (await call("GET", "/rr/api/v1/contracts/2/prepaid-commits")).json.results[0];
    expect(globex.name).toBe("=SUM(A1:A9) Analytics Credits");
    const umbrella = (await call("GET", "/rr/api/v1/contracts/4/prepaid-commits")).json.results[0];
    expect(umbrella.name).toBe("年間コミット — Umbrella 東京 ✓");
  });

  test("last_modified_at strictly increases with every write", async () => {
    const stamps = [(await call("GET", FULL)).json.last_modified_at as string];
    for (const tags of ["a", "b", "c"]) stamps.push((await call("PATCH", FULL, { tags })).json.last_modified_at);
    expect(stamps.every((s, i) => i === 0 || s > stamps[i - 1]!)).toBe(true);
  });
});
