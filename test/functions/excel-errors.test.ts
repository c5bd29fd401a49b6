/**
 * Every failure a cell can show: the table of error kinds → Excel code + message, then the same errors produced
 * for real (sandbox faults, a closed port, a wrong token, bad arguments).
 */
import "./custom-functions-stub";
import {
  ArgumentError,
  AuthError,
  CampfireError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
  ValidationError,
} from "../../src/api/errors";
import { NotSignedInError } from "../../src/app/session";
import { DrawdownInputError } from "../../src/domain/drawdown";
import { FunctionArgumentError, NotAvailableError, toExcelError } from "../../src/functions/excel-errors";
import { useSandbox, type TestBackend } from "../helpers/sandbox";
import { excelError, localSandbox, loggedSession, memoryStore, resettingServer, signedInFunctions } from "./helpers";
import { createCampfireFunctions } from "../../src/functions/campfire-functions";
import { FunctionsService } from "../../src/functions/functions-service";

const ctx = { method: "GET", path: "/rr/api/v1/contracts/1" };

describe("error kinds → Excel errors", () => {
  test.each<[string, unknown, string, string]>([
    ["bad argument", new FunctionArgumentError("contract_id is empty."), "#VALUE!", "contract_id is empty."],
    [
      "client-side argument check",
      new ArgumentError("contractId must be a positive integer"),
      "#VALUE!",
      "Bad argument: contractId must be a positive integer",
    ],
    [
      "drawdown input",
      new DrawdownInputError("Usage row 2: gross usage must be a number ≥ 0"),
      "#VALUE!",
      "Usage row 2: gross usage must be a number ≥ 0",
    ],
    ["no bundle", new NotAvailableError("Usage item 7 has no product bundle."), "#N/A", "Usage item 7 has no product bundle."],
    ["not signed in", new NotSignedInError(), "#N/A", "Not signed in to Campfire. Open the Campfire pane, connect, then click Refresh."],
    ["token refused", new AuthError({ ...ctx, status: 401 }), "#N/A", "Campfire refused the API token. Reconnect in the Campfire pane."],
    [
      "role refused",
      new AuthError({ ...ctx, status: 403 }),
      "#N/A",
      "Your Campfire API user may not read this. Ask a Campfire admin for access.",
    ],
    [
      "rate limited",
      new RateLimitedError(ctx, 42),
      "#N/A",
      "Campfire is rate limiting requests. Wait about 42 seconds, then click Refresh.",
    ],
    [
      "rate limited for a day",
      new RateLimitedError(ctx, 86400),
      "#N/A",
      "Campfire is rate limiting requests. Wait about 24 hours, then click Refresh.",
    ],
    [
      "rate limited, no Retry-After",
      new RateLimitedError(ctx),
      "#N/A",
      "Campfire is rate limiting requests. Wait a minute, then click Refresh.",
    ],
    ["network down", new NetworkError(ctx, "ECONNREFUSED"), "#N/A", "Cannot reach Campfire. Check the network, then click Refresh."],
    ["timeout", new TimeoutError(ctx, 30000), "#N/A", "Campfire did not answer in time. Click Refresh to try again."],
    [
      "server error",
      new ServerError({ ...ctx, status: 503 }),
      "#N/A",
      "Campfire failed (503). Click Refresh later; if it persists, contact Campfire.",
    ],
    [
      "refused request",
      new ValidationError([{ path: "non_field_errors", message: "No bundle." }], ctx),
      "#N/A",
      "Campfire refused the request: No bundle.",
    ],
    ["other status", new UnexpectedStatusError({ ...ctx, status: 409 }), "#N/A", "Campfire answered 409. Click Refresh to try again."],
    ["other Campfire error", new CampfireError("Something odd"), "#N/A", "Something odd"],
    ["foreign error", new TypeError("x is not a function"), "#N/A", "Unexpected error: x is not a function"],
    ["thrown non-error", "boom", "#N/A", "Unexpected error: boom"],
  ])("%s", (_kind, error, code, message) => {
    const excel = toExcelError(error);
    expect(excel).toBeInstanceOf(CustomFunctions.Error);
    expect(excel.code).toBe(code);
    expect(excel.message).toBe(message);
  });

  test("a CustomFunctions.Error passes through unchanged", () => {
    const original = new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidNumber);
    expect(toExcelError(original)).toBe(original);
  });

  test("messages are cut to fit the tooltip", () => {
    const excel = toExcelError(new NotAvailableError("x".repeat(500)));
    expect([...excel.message!]).toHaveLength(160);
    expect(excel.message!.endsWith("…")).toBe(true);
  });
});

const get = (path: string) => ({ method: "GET", path });

describe("not found: the message names the record from the request's path", () => {
  test.each<[string, ConstructorParameters<typeof NotFoundError>[0], string]>([
    ["a contract", get("/rr/api/v1/contracts/1"), "Campfire has no contract 1. =CAMPFIRE.CONTRACTS() lists the contracts."],
    [
      "a contract's list",
      get("/rr/api/v1/contracts/999/prepaid-commits"),
      "Campfire has no contract 999. =CAMPFIRE.CONTRACTS() lists the contracts.",
    ],
    [
      "a usage bundle",
      get("/rr/api/v1/contracts/42/usage/7/allocations"),
      "Campfire has no allocations for contract 42, usage item 7. =CAMPFIRE.ITEMS(42) lists the items.",
    ],
    [
      "a subscription bundle",
      get("/rr/api/v1/contracts/1/subscriptions/1001/allocations"),
      "Campfire has no allocations for contract 1, subscription item 1001. =CAMPFIRE.ITEMS(1) lists the items.",
    ],
    [
      "a milestone",
      get("/rr/api/v1/contracts/5/milestones/3002"),
      "Campfire has no milestone item 3002 on contract 5. =CAMPFIRE.ITEMS(5) lists the items.",
    ],
    [
      "a prepaid commit",
      { method: "PUT", path: "/rr/api/v1/contracts/3/prepaid-commits/9001" },
      "Campfire has no prepaid commit 9001 on contract 3. =CAMPFIRE.PREPAIDCOMMITS(3) lists them.",
    ],
    ["a product", get("/rr/api/v1/product/12"), "Campfire has no product 12. Check the product id."],
    [
      "a bundle through the add-in host's proxy",
      get("/campfire/rr/api/v1/contracts/42/usage/7/allocations"),
      "Campfire has no allocations for contract 42, usage item 7. =CAMPFIRE.ITEMS(42) lists the items.",
    ],
    ["another endpoint", get("/coa/api/entity"), "Campfire found nothing at GET /coa/api/entity. Check the ids in the formula."],
    [
      "another endpoint through the proxy",
      get("/campfire/coa/api/entity"),
      "Campfire found nothing at GET /coa/api/entity. Check the ids in the formula.",
    ],
    ["no request known", {}, "Not found in Campfire. Check the ids in the formula."],
  ])("%s", (_what, context, message) => {
    expect(toExcelError(new NotFoundError(context))).toMatchObject({ code: "#N/A", message });
  });
});

describe("an answer the add-in cannot read: the message names the endpoint and the first field", () => {
  const bundle = get("/rr/api/v1/contracts/42/usage/7/allocations");
  test.each<[string, ResponseShapeError, string]>([
    [
      "a bundle line",
      new ResponseShapeError(
        [
          { path: "lines[2].amount", message: "expected number, received string" },
          { path: "id", message: "expected number" },
        ],
        bundle,
      ),
      "The add-in cannot read Campfire's answer to GET /rr/api/v1/contracts/42/usage/7/allocations (lines[2].amount: expected number, received string).",
    ],
    [
      "through the add-in host's proxy",
      new ResponseShapeError([{ path: "results[0].id", message: "expected number" }], get("/campfire/rr/api/v1/contracts")),
      "The add-in cannot read Campfire's answer to GET /rr/api/v1/contracts (results[0].id: expected number).",
    ],
    [
      "no field named",
      new ResponseShapeError([], bundle),
      "The add-in cannot read Campfire's answer to GET /rr/api/v1/contracts/42/usage/7/allocations.",
    ],
    [
      "no request known",
      new ResponseShapeError([{ path: "(body)", message: "expected object" }], {}),
      "The add-in cannot read Campfire's answer ((body): expected object).",
    ],
    [
      "a long field problem is cut, the endpoint is not",
      new ResponseShapeError(
        [{ path: "lines[12].product_name", message: "expected string, received number; or expected null, received number" }],
        get("/rr/api/v1/contracts/2147483647/subscriptions/2147483647/allocations"),
      ),
      "The add-in cannot read Campfire's answer to GET /rr/api/v1/contracts/2147483647/subscriptions/2147483647/allocations (lines[12].product_name: expected string…).",
    ],
  ])("%s", (_what, error, message) => {
    const excel = toExcelError(error);
    expect([excel.code, excel.message]).toEqual(["#N/A", message]);
    expect([...message].length).toBeLessThanOrEqual(160);
  });
});

describe("errors produced for real", () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await useSandbox();
  });
  afterAll(() => backend.close());
  beforeEach(() => backend.sandbox?.reset());

  test.each<[string, (f: Awaited<ReturnType<typeof signedInFunctions>>["fns"]) => Promise<unknown>, string]>([
    ["an unknown contract", (f) => f.allocations(999, 1001, "subscription"), "Contract 999 not found in Campfire."],
    [
      "an unknown item",
      (f) => f.allocations(1, 4242, "subscription"),
      "Contract 1 has no subscription item 4242. =CAMPFIRE.ITEMS(1) lists its items.",
    ],
    ["an item of another type", (f) => f.allocations(1, 1001), "Contract 1 has no usage item 1001. =CAMPFIRE.ITEMS(1) lists its items."],
    ["an item without a bundle", (f) => f.allocations(3, 2002), "Usage item 2002 has no product bundle."],
    ["BUNDLE on an item without a bundle", (f) => f.bundle(5, 3002, "milestone"), "Milestone item 3002 has no product bundle."],
    ["commits of an unknown contract", (f) => f.prepaidCommits(999), "Contract 999 not found in Campfire."],
    ["a contract without commits", (f) => f.prepaidCommits(7), "Contract 7 has no prepaid commits."],
    ["an unknown commit", (f) => f.prepaidCommit(1, 9001), "Contract 1 has no prepaid commit 9001."],
    ["items of an unknown contract", (f) => f.items(999), "Contract 999 not found in Campfire."],
  ])("%s is #N/A", async (_case, call, message) => {
    const { fns } = await signedInFunctions(backend);
    expect(await excelError(call(fns))).toEqual({ code: "#N/A", message });
  });

  test.each<[string, (f: Awaited<ReturnType<typeof signedInFunctions>>["fns"]) => Promise<unknown>, string]>([
    ["a fractional id", (f) => f.allocations(1.5, 1001), "contract_id must be a whole number from 1 (got 1.5)."],
    ["a zero id (an empty cell on desktop)", (f) => f.allocations(1, 0), "item_id must be a whole number from 1 (got 0)."],
    ["a missing id", (f) => f.prepaidCommits(null), "contract_id is empty. Give a Campfire id such as 1042."],
    ["an id beyond int32", (f) => f.prepaidCommits(2 ** 31), "contract_id must be a whole number from 1 (got 2147483648)."],
    [
      "an unknown item_type",
      (f) => f.allocations(1, 1001, "subscriptions"),
      'item_type "subscriptions" is not usage, subscription or milestone.',
    ],
    [
      "an unknown field",
      (f) => f.prepaidCommit(3, 9001, "balance"),
      'Unknown field "balance". Use a column name such as id, contract, entity, entity_name.',
    ],
    [
      "an unknown bundle field",
      (f) => f.bundle(1, 1001, "subscription", "lines"),
      'Unknown field "lines". Use a column name such as bundle_id, source_bundle, source_bundle_name, total_amount.',
    ],
    ["a non-boolean show_header", (f) => f.contracts("yes please"), 'show_header must be TRUE or FALSE (got "yes please").'],
    [
      "an unknown balance_from",
      (f) => f.drawdown([[3]], [["2026-01-01", 1]], "opening"),
      'balance_from "opening" is not "total" or "remaining".',
    ],
  ])("%s is #VALUE!", async (_case, call, message) => {
    const { fns, requests } = await signedInFunctions(backend);
    expect(await excelError(call(fns))).toEqual({ code: "#VALUE!", message });
    expect(requests).toEqual([]);
  });

  test("a revoked token: #N/A, and the token never appears in the message", async () => {
    const { session } = loggedSession(memoryStore({ baseUrl: backend.baseUrl, token: "revoked-token-123", kind: "sandbox" }));
    const fns = createCampfireFunctions(new FunctionsService(session));
    const error = await excelError(fns.contracts());
    expect(error).toEqual({ code: "#N/A", message: "Campfire refused the API token. Reconnect in the Campfire pane." });
    expect(error.message).not.toContain("revoked-token-123");
  });
});

describe("errors produced for real, with faults injected into a local sandbox", () => {
  // Always the in-process sandbox, whatever CAMPFIRE_BASE_URL says: the faults are injected into it.
  let local: Awaited<ReturnType<typeof localSandbox>>;
  beforeAll(async () => {
    local = await localSandbox();
  });
  afterAll(() => local.close());
  beforeEach(() => local.sandbox.reset());

  test("rate limited after the retries: #N/A with the wait Campfire asked for", async () => {
    const { sandbox } = local;
    const { fns } = await signedInFunctions(local);
    sandbox.injectFaults(
      [
        { status: 429, retryAfter: 7 },
        { status: 429, retryAfter: 7 },
      ],
      { pathIncludes: "/contracts" },
    );
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Campfire is rate limiting requests. Wait about 7 seconds, then click Refresh.",
    });
  });

  test("a server failure after the retries: #N/A", async () => {
    const { sandbox } = local;
    const { fns } = await signedInFunctions(local);
    sandbox.injectFaults([{ status: 503 }, { status: 503 }], { pathIncludes: "/contracts" });
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Campfire failed (503). Click Refresh later; if it persists, contact Campfire.",
    });
  });

  test("a bundle Campfire cannot find although the item lists it: #N/A naming the contract and item", async () => {
    const { fns, requests } = await signedInFunctions(local);
    local.sandbox.injectFaults([{ status: 404 }], { pathIncludes: "/contracts/1/subscriptions/1001/allocations" });
    expect(await excelError(fns.allocations(1, 1001, "subscription"))).toEqual({
      code: "#N/A",
      message: "Campfire has no allocations for contract 1, subscription item 1001. =CAMPFIRE.ITEMS(1) lists the items.",
    });
    // The item list was read to tell a missing item from a missing bundle: the item is there, so Campfire's 404 stands.
    expect(requests).toEqual(["GET /rr/api/v1/contracts/1/subscriptions/1001/allocations", "GET /rr/api/v1/contracts/1/subscriptions"]);
  });

  test("a bundle line Campfire sends in another shape: #N/A naming the endpoint and the field, never the token", async () => {
    const path = "/rr/api/v1/contracts/1/subscriptions/1001/allocations";
    const served = await fetch(`${local.baseUrl}${path}`, { headers: { Authorization: `Token ${local.token}` } });
    const bundle = (await served.json()) as { lines: Record<string, unknown>[] };
    bundle.lines[2]!.amount = "lots";
    local.sandbox.injectFaults([{ status: 200, body: bundle }], { pathIncludes: path });
    const { fns } = await signedInFunctions(local);
    const error = await excelError(fns.allocations(1, 1001, "subscription"));
    expect(error).toEqual({
      code: "#N/A",
      message:
        "The add-in cannot read Campfire's answer to GET /rr/api/v1/contracts/1/subscriptions/1001/allocations (lines[2].amount: expected number, received string; or …).",
    });
    expect([...error.message!]).toHaveLength(160);
    expect(error.message).not.toContain(local.token);
  });
});

describe("errors produced for real, without a Campfire", () => {
  test("Campfire unreachable (every connection reset): #N/A", async () => {
    const down = await resettingServer();
    try {
      const { session, requests } = loggedSession(memoryStore({ baseUrl: down.url, token: "t", kind: "sandbox" }));
      const fns = createCampfireFunctions(new FunctionsService(session));
      expect(await excelError(fns.contracts())).toEqual({
        code: "#N/A",
        message: "Cannot reach Campfire. Check the network, then click Refresh.",
      });
      // The first attempt and its one retry both failed on the network.
      expect(requests).toEqual(["GET /rr/api/v1/contracts?limit=500", "GET /rr/api/v1/contracts?limit=500"]);
    } finally {
      await down.close();
    }
  });
});
