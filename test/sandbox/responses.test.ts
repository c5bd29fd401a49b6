/**
 * Every endpoint's answer parses with the add-in's own record schemas (src/model/records.ts), and the
 * paginated ones follow DRF's LimitOffsetPagination.
 */
import { request } from "node:http";
import { z } from "zod/mini";
import {
  BundleSchema,
  CompactBundleSchema,
  ContractSchema,
  EntitySchema,
  MilestoneSchema,
  PrepaidCommitSchema,
  ProductSchema,
  SubscriptionSchema,
  UsageSchema,
  pageOf,
} from "../../src/model/records";
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

const array = <T extends z.ZodMiniType>(s: T) => z.array(s);
const C = "/rr/api/v1/contracts";

/** [method, path, body, expected status, schema] for every endpoint, writes included. */
const ENDPOINTS: [string, string, unknown, number, { parse(v: unknown): unknown }][] = [
  ["GET", C, undefined, 200, pageOf(ContractSchema)],
  ["GET", `${C}/1`, undefined, 200, ContractSchema],
  ["GET", `${C}/1/subscriptions`, undefined, 200, array(SubscriptionSchema)],
  ["GET", `${C}/1/subscriptions/1001`, undefined, 200, SubscriptionSchema],
  ["GET", `${C}/3/usage`, undefined, 200, pageOf(UsageSchema)],
  ["GET", `${C}/3/usage/2001`, undefined, 200, UsageSchema],
  ["GET", `${C}/5/milestones`, undefined, 200, pageOf(MilestoneSchema)],
  ["GET", `${C}/5/milestones/3001`, undefined, 200, MilestoneSchema],
  ["GET", `${C}/1/subscriptions/1001/allocations`, undefined, 200, BundleSchema],
  ["GET", `${C}/3/usage/2001/allocations`, undefined, 200, BundleSchema],
  ["GET", `${C}/7/milestones/3003/allocations`, undefined, 200, BundleSchema],
  [
    "PUT",
    `${C}/3/usage/2001/allocations`,
    {
      lines: [
        { product: 103, amount: 20000 },
        { product: 104, amount: 5000 },
      ],
    },
    200,
    BundleSchema,
  ],
  [
    "PATCH",
    `${C}/5/milestones/3001/allocations`,
    {
      lines: [
        { product: 107, amount: 9000 },
        { product: 108, amount: 6000 },
      ],
    },
    200,
    BundleSchema,
  ],
  ["GET", `${C}/3/prepaid-commits`, undefined, 200, pageOf(PrepaidCommitSchema)],
  ["GET", `${C}/3/prepaid-commits/9001`, undefined, 200, PrepaidCommitSchema],
  ["POST", `${C}/3/prepaid-commits`, { name: "New", total_value: 10, start_date: "2026-01-01" }, 201, PrepaidCommitSchema],
  ["PUT", `${C}/3/prepaid-commits/9002`, { name: "Renamed", total_value: 10, start_date: "2026-01-01" }, 200, PrepaidCommitSchema],
  ["PATCH", `${C}/3/prepaid-commits/9002`, { tags: "x" }, 200, PrepaidCommitSchema],
  ["GET", "/rr/api/v1/product", undefined, 200, pageOf(ProductSchema)],
  ["GET", "/rr/api/v1/product/101", undefined, 200, ProductSchema],
  ["GET", "/coa/api/entity", undefined, 200, array(EntitySchema)],
];

describe("every endpoint answers in the shape the add-in's schemas expect", () => {
  test.each(ENDPOINTS)("%s %s", async (method, path, body, status, schema) => {
    const r = await call(method, path, body);
    expect(r.status).toBe(status);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(() => schema.parse(r.json)).not.toThrow();
  });

  test("DELETE answers 204 with no body", async () => {
    const r = await call("DELETE", `${C}/3/prepaid-commits/9002`);
    expect([r.status, r.text]).toEqual([204, ""]);
  });

  test("item rows embed the compact bundle, or null when the item has none", async () => {
    const subs = (await call("GET", `${C}/1/subscriptions`)).json as { id: number; contract_product_bundle: unknown }[];
    expect(subs.map((s) => [s.id, s.contract_product_bundle === null])).toEqual([
      [1001, false],
      [1002, false],
      [1003, true],
    ]);
    const compact = CompactBundleSchema.parse(subs[0]!.contract_product_bundle);
    expect(compact).toEqual({
      id: 5001,
      source_bundle: 301,
      source_bundle_name: "Enterprise Platform Bundle",
      total_amount: 100000,
      currency: "USD",
      lines: [
        {
          id: 7001,
          product: 101,
          product_name: "Platform — Enterprise",
          amount: 33333.33,
          percentage: "33.33",
          original_percentage: 33.333,
        },
        { id: 7002, product: 105, product_name: "Premium Support", amount: 33333.33, percentage: "33.33", original_percentage: 33.333 },
        { id: 7003, product: 109, product_name: "SSO & SCIM Add-on", amount: 33333.34, percentage: "33.33", original_percentage: 33.333 },
      ],
    });
    const full = BundleSchema.parse((await call("GET", `${C}/1/subscriptions/1001/allocations`)).json);
    expect(full.lines.map((l) => [l.product_id_str, l.component_type])).toEqual([
      ["PLAT-ENT", "SUBSCRIPTION"],
      ["SUP-PREM", "SUBSCRIPTION"],
      ["SSO-ADDON", "SUBSCRIPTION"],
    ]);
  });

  test("a JPY bundle's amounts are whole yen and its percentages still have two places", async () => {
    const b = BundleSchema.parse((await call("GET", `${C}/4/subscriptions/1005/allocations`)).json);
    expect(b.currency).toBe("JPY");
    expect(b.total_amount).toBe(12000000);
    expect(b.lines.map((l) => l.percentage)).toEqual(["40.00", "15.00", "10.00", "7.50", "9.17", "12.50", "7.50", "-1.67"]);
  });
});

describe("pagination", () => {
  test("walking next with limit=2 visits every contract once; previous links lead back", async () => {
    const all = pageOf(ContractSchema).parse((await call("GET", C)).json);
    expect(all.count).toBe(7);
    expect([all.next, all.previous]).toEqual([null, null]);
    const seen: number[] = [];
    const pages: { next?: string | null | undefined; previous?: string | null | undefined }[] = [];
    let url: string | null | undefined = `${sandbox.url}${C}?limit=2`;
    while (url) {
      const page = pageOf(ContractSchema).parse((await call("GET", url.slice(sandbox.url.length))).json);
      expect(page.count).toBe(7);
      seen.push(...page.results.map((c) => c.id));
      pages.push(page);
      url = page.next;
    }
    expect(seen).toEqual(all.results.map((c) => c.id));
    expect(pages.map((p) => [p.next, p.previous])).toEqual([
      [`${sandbox.url}${C}?limit=2&offset=2`, null],
      [`${sandbox.url}${C}?limit=2&offset=4`, `${sandbox.url}${C}?limit=2`],
      [`${sandbox.url}${C}?limit=2&offset=6`, `${sandbox.url}${C}?limit=2&offset=2`],
      [null, `${sandbox.url}${C}?limit=2&offset=4`],
    ]);
  });

  test.each([
    ["limit=0", 7],
    ["limit=abc", 7],
    ["limit=-1", 7],
    ["limit=3&offset=x", 3],
    ["limit=3&offset=6", 1],
    ["offset=100", 0],
  ])("?%s gives %s results", async (query, n) => {
    const page = (await call("GET", `${C}?${query}`)).json as { count: number; results: unknown[] };
    expect([page.count, page.results.length]).toEqual([7, n]);
  });

  test("other query parameters are kept in next links", async () => {
    const page = (await call("GET", `/rr/api/v1/product?include_deleted=false&limit=5`)).json as { next: string };
    expect(page.next).toBe(`${sandbox.url}/rr/api/v1/product?include_deleted=false&limit=5&offset=5`);
  });

  test("the default page size is an option; limit is capped at 1000", async () => {
    const small = await startSandbox({ port: 0, pageSize: 3 });
    try {
      const c = caller(small.url, small.token);
      const page = (await c("GET", "/rr/api/v1/product")).json as { count: number; results: unknown[]; next: string };
      expect([page.count, page.results.length, page.next]).toEqual([15, 3, `${small.url}/rr/api/v1/product?limit=3&offset=3`]);
      const capped = (await c("GET", "/rr/api/v1/product?limit=5000&offset=1")).json as { next: string | null; previous: string };
      expect([capped.next, capped.previous]).toEqual([null, `${small.url}/rr/api/v1/product?limit=1000`]);
    } finally {
      await small.close();
    }
  });

  test("next and previous are built from the Host header the client used", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: sandbox.port,
          path: `${C}?limit=2&offset=2`,
          headers: { Host: "campfire.example:8443", Authorization: `Token ${sandbox.token}` },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    const page = JSON.parse(body) as { next: string; previous: string };
    expect([page.next, page.previous]).toEqual([
      `http://campfire.example:8443${C}?limit=2&offset=4`,
      `http://campfire.example:8443${C}?limit=2`,
    ]);
  });
});
