/** The server's own allocation rules: what it refuses (exact DRF-shaped bodies) and what it stores. */
import { BundleSchema } from "../../src/model/records";
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

// Bundle 5001: USD 100000.00 = 101: 33333.33 + 105: 33333.33 + 109: 33333.34
const USD = "/rr/api/v1/contracts/1/subscriptions/1001/allocations";
// Bundle 5012: JPY 1000000 = 103: 333333 + 104: 333333 + 110: 333334
const JPY = "/rr/api/v1/contracts/4/usage/2003/allocations";
// Bundle 5021: GBP 15000.00 = 107: 10000.00 + 108: 5000.00
const GBP = "/rr/api/v1/contracts/5/milestones/3001/allocations";

const line = (product: number, amount: unknown) => ({ product, amount });
const usdLines = (a = 33333.33, b = 33333.33, c = 33333.34) => [line(101, a), line(105, b), line(109, c)];

describe("refused writes", () => {
  test.each<[string, "PUT" | "PATCH", string, unknown, unknown]>([
    ["no lines on PUT", "PUT", USD, {}, { lines: ["This field is required."] }],
    ["lines null", "PATCH", USD, { lines: null }, { lines: ["This field may not be null."] }],
    ["lines an object", "PUT", USD, { lines: { product: 101 } }, { lines: ['Expected a list of items but got type "dict".'] }],
    ["body a list", "PUT", USD, [], { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }],
    [
      "a line that is not an object",
      "PATCH",
      USD,
      { lines: [line(101, 33333.33), 5] },
      { lines: [{}, { non_field_errors: ["Invalid data. Expected a dictionary, but got int."] }] },
    ],
    [
      "amount as a string",
      "PUT",
      USD,
      { lines: [line(101, 33333.33), line(105, "33333.33"), line(109, 33333.34)] },
      { lines: [{}, { amount: ["A valid number is required."] }, {}] },
    ],
    ["amount missing", "PATCH", USD, { lines: [{ product: 101 }] }, { lines: [{ amount: ["This field is required."] }] }],
    ["amount null", "PATCH", USD, { lines: [line(101, null)] }, { lines: [{ amount: ["This field may not be null."] }] }],
    ["amount boolean", "PATCH", USD, { lines: [line(101, true)] }, { lines: [{ amount: ["A valid number is required."] }] }],
    [
      "amount at the upper bound",
      "PATCH",
      USD,
      { lines: [line(101, 1e18)] },
      { lines: [{ amount: ["Ensure this value is less than 1000000000000000000."] }] },
    ],
    [
      "amount at the lower bound",
      "PATCH",
      USD,
      { lines: [line(101, -1e18)] },
      { lines: [{ amount: ["Ensure this value is greater than -1000000000000000000."] }] },
    ],
    [
      "three decimals in USD",
      "PATCH",
      USD,
      { lines: [line(101, 33333.333)] },
      { lines: [{ amount: ["Ensure that there are no more than 2 decimal places."] }] },
    ],
    [
      "float noise (0.1 + 0.2)",
      "PATCH",
      USD,
      { lines: [line(101, 0.1 + 0.2)] },
      { lines: [{ amount: ["Ensure that there are no more than 2 decimal places."] }] },
    ],
    [
      "decimals in JPY",
      "PATCH",
      JPY,
      { lines: [line(103, 333332.5), line(104, 333333.5)] },
      {
        lines: [
          { amount: ["Ensure that there are no more than 0 decimal places."] },
          { amount: ["Ensure that there are no more than 0 decimal places."] },
        ],
      },
    ],
    ["product missing", "PATCH", USD, { lines: [{ amount: 1 }] }, { lines: [{ product: ["This field is required."] }] }],
    [
      "product as a string",
      "PATCH",
      USD,
      { lines: [line("101" as never, 1)] },
      { lines: [{ product: ["Incorrect type. Expected pk value, received str."] }] },
    ],
    [
      "product that does not exist",
      "PATCH",
      USD,
      { lines: [line(999, 1)] },
      { lines: [{ product: ['Invalid pk "999" - object does not exist.'] }] },
    ],
    [
      "product outside the bundle",
      "PATCH",
      USD,
      { lines: [line(106, 0)] },
      { lines: [{ product: ["Product 106 (SUP-STD) is not a line of this bundle."] }] },
    ],
    [
      "product repeated",
      "PUT",
      USD,
      { lines: [...usdLines(), line(105, 0)] },
      { lines: [{}, {}, {}, { product: ["Product 105 (SUP-PREM) appears more than once in lines."] }] },
    ],
    [
      "two errors on one line",
      "PATCH",
      USD,
      { lines: [line(999, "x")] },
      { lines: [{ product: ['Invalid pk "999" - object does not exist.'], amount: ["A valid number is required."] }] },
    ],
    [
      "PUT without every line",
      "PUT",
      USD,
      { lines: [line(101, 66666.66), line(105, 33333.34)] },
      { lines: ["PUT must send every line of the bundle; missing product 109 (SSO-ADDON)."] },
    ],
    [
      "PUT with no lines at all",
      "PUT",
      GBP,
      { lines: [] },
      { lines: ["PUT must send every line of the bundle; missing products 107 (IMPL-SVC), 108 (TRAIN-ONS)."] },
    ],
    [
      "sum a cent over",
      "PUT",
      USD,
      { lines: usdLines(33333.33, 33333.33, 33333.35) },
      { non_field_errors: ["Line amounts sum to 100000.01 but the bundle total is 100000.00 (difference 0.01)."] },
    ],
    [
      "sum a cent under",
      "PUT",
      USD,
      { lines: usdLines(33333.33, 33333.33, 33333.33) },
      { non_field_errors: ["Line amounts sum to 99999.99 but the bundle total is 100000.00 (difference -0.01)."] },
    ],
    [
      "PATCH of one line breaks the sum",
      "PATCH",
      GBP,
      { lines: [line(107, 10000.01)] },
      { non_field_errors: ["Line amounts sum to 15000.01 but the bundle total is 15000.00 (difference 0.01)."] },
    ],
    [
      "JPY off by one yen",
      "PUT",
      JPY,
      { lines: [line(103, 333333), line(104, 333333), line(110, 333333)] },
      { non_field_errors: ["Line amounts sum to 999999 but the bundle total is 1000000 (difference -1)."] },
    ],
  ])("%s (%s)", async (_case, method, path, body, errors) => {
    const before = (await call("GET", path)).json;
    const r = await call(method, path, body);
    expect([r.status, r.json]).toEqual([400, errors]);
    expect((await call("GET", path)).json).toEqual(before);
  });
});

describe("accepted writes", () => {
  test("PUT stores every amount, recomputes percentages and advances last_modified_at", async () => {
    const before = BundleSchema.parse((await call("GET", USD)).json);
    const r = await call("PUT", USD, { lines: [line(109, 50000), line(101, 30000.5), line(105, 19999.5)] });
    expect(r.status).toBe(200);
    const after = BundleSchema.parse(r.json);
    expect(after.lines.map((l) => [l.product, l.amount, l.percentage, l.original_percentage])).toEqual([
      [101, 30000.5, "30.00", 33.333],
      [105, 19999.5, "20.00", 33.333],
      [109, 50000, "50.00", 33.333],
    ]);
    expect(after.last_modified_at > before.last_modified_at).toBe(true);
    expect(after.created_at).toBe(before.created_at);
    expect((await call("GET", USD)).json).toEqual(r.json);
    // The compact bundle on the item row shows the same amounts.
    const row = (await call("GET", "/rr/api/v1/contracts/1/subscriptions/1001")).json;
    expect(row.contract_product_bundle.lines.map((l: { amount: number }) => l.amount)).toEqual([30000.5, 19999.5, 50000]);
  });

  test("PATCH replaces the named amounts and keeps the others", async () => {
    const r = await call("PATCH", USD, { lines: [line(101, 33333.34), line(109, 33333.33)] });
    expect(r.status).toBe(200);
    expect(r.json.lines.map((l: { amount: number }) => l.amount)).toEqual([33333.34, 33333.33, 33333.33]);
  });

  test("PATCH without lines changes no amount", async () => {
    const r = await call("PATCH", USD, {});
    expect(r.status).toBe(200);
    expect(r.json.lines.map((l: { amount: number }) => l.amount)).toEqual([33333.33, 33333.33, 33333.34]);
  });

  test("JPY whole-yen amounts and negative credit lines are accepted", async () => {
    const suite = "/rr/api/v1/contracts/4/subscriptions/1005/allocations";
    const current = BundleSchema.parse((await call("GET", suite)).json);
    const lines = current.lines.map((l) => line(l.product, l.amount));
    lines[0]!.amount = 4700000;
    lines[7]!.amount = -100000;
    const r = await call("PUT", suite, { lines });
    expect(r.status).toBe(200);
    expect(r.json.lines.map((l: { amount: number }) => l.amount)).toEqual([
      4700000, 1800000, 1200000, 900000, 1100000, 1500000, 900000, -100000,
    ]);
  });

  test("amounts written with trailing zeros or exponents are read as the numbers they are", async () => {
    const r = await call("PUT", GBP, '{"lines":[{"product":107,"amount":1.00000e4},{"product":108,"amount":5000.000}]}');
    expect(r.status).toBe(200);
  });

  test("a KWD bundle takes amounts to the fils (3 places) and no further", async () => {
    sandbox.store.bundleOf("milestone", 5, 3001).currency = "KWD";
    expect((await call("PUT", GBP, { lines: [line(107, 10000.005), line(108, 4999.995)] })).status).toBe(200);
    const r = await call("PATCH", GBP, { lines: [line(107, 10000.0051)] });
    expect([r.status, r.json]).toEqual([400, { lines: [{ amount: ["Ensure that there are no more than 3 decimal places."] }] }]);
    const off = await call("PATCH", GBP, { lines: [line(107, 10000.006)] });
    expect(off.json).toEqual({ non_field_errors: ["Line amounts sum to 15000.001 but the bundle total is 15000.000 (difference 0.001)."] });
  });

  test("last_modified_at strictly increases across writes in quick succession", async () => {
    const stamps: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call("PATCH", GBP, { lines: [line(107, 10000 - i), line(108, 5000 + i)] });
      stamps.push(r.json.last_modified_at);
    }
    expect(stamps.every((s, i) => i === 0 || s > stamps[i - 1]!)).toBe(true);
    expect(stamps.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(s))).toBe(true);
  });
});
