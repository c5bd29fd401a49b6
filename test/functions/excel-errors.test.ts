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
import { excelError, loggedSession, memoryStore, signedInFunctions } from "./helpers";
import { createCampfireFunctions } from "../../src/functions/campfire-functions";
import { FunctionsRuntime } from "../../src/functions/functions-runtime";

const ctx = { method: "GET", path: "/rr/api/v1/contracts/1" };

describe("error kinds → Excel errors", () => {
  test.each<[string, unknown, string, string]>([
    ["bad argument", new FunctionArgumentError("contract_id is empty."), "#VALUE!", "contract_id is empty."],
    ["client-side argument check", new ArgumentError("contractId must be a positive integer"), "#VALUE!", "Bad argument: contractId must be a positive integer"],
    ["drawdown input", new DrawdownInputError("Usage row 2: gross usage must be a number ≥ 0"), "#VALUE!", "Usage row 2: gross usage must be a number ≥ 0"],
    ["no bundle", new NotAvailableError("Usage item 7 has no product bundle."), "#N/A", "Usage item 7 has no product bundle."],
    ["not signed in", new NotSignedInError(), "#N/A", "Not signed in to Campfire. Open the Campfire pane, connect, then click Refresh."],
    ["unknown record", new NotFoundError(ctx), "#N/A", "Not found in Campfire. Check the contract and item ids."],
    ["token refused", new AuthError({ ...ctx, status: 401 }), "#N/A", "Campfire refused the API token. Reconnect in the Campfire pane."],
    ["role refused", new AuthError({ ...ctx, status: 403 }), "#N/A", "Your Campfire API user may not read this. Ask a Campfire admin for access."],
    ["rate limited", new RateLimitedError(ctx, 42), "#N/A", "Campfire is rate limiting requests. Wait 42 s, then click Refresh."],
    ["rate limited, no Retry-After", new RateLimitedError(ctx), "#N/A", "Campfire is rate limiting requests. Wait a minute, then click Refresh."],
    ["network down", new NetworkError(ctx, "ECONNREFUSED"), "#N/A", "Cannot reach Campfire. Check the network, then click Refresh."],
    ["timeout", new TimeoutError(ctx, 30000), "#N/A", "Campfire did not answer in time. Click Refresh to try again."],
    ["server error", new ServerError({ ...ctx, status: 503 }), "#N/A", "Campfire failed (503). Click Refresh later; if it persists, contact Campfire."],
    ["unexpected answer", new ResponseShapeError([{ path: "id", message: "expected number" }], ctx), "#N/A", "Campfire sent an answer this add-in does not understand. Update the add-in."],
    ["refused request", new ValidationError([{ path: "non_field_errors", message: "No bundle." }], ctx), "#N/A", "Campfire refused the request: No bundle."],
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

describe("errors produced for real", () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await useSandbox();
  });
  afterAll(() => backend.close());
  beforeEach(() => backend.sandbox?.reset());

  test.each<[string, (f: Awaited<ReturnType<typeof signedInFunctions>>["fns"]) => Promise<unknown>, string]>([
    ["an unknown contract", (f) => f.allocations(999, 1001, "subscription"), "Contract 999 not found in Campfire."],
    ["an unknown item", (f) => f.allocations(1, 4242, "subscription"), "Contract 1 has no subscription item 4242. =CAMPFIRE.ITEMS(1) lists its items."],
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
    ["an unknown item_type", (f) => f.allocations(1, 1001, "subscriptions"), 'item_type "subscriptions" is not usage, subscription or milestone.'],
    ["an unknown field", (f) => f.prepaidCommit(3, 9001, "balance"), 'Unknown field "balance". Use a column name such as id, contract, entity, entity_name.'],
    ["an unknown bundle field", (f) => f.bundle(1, 1001, "subscription", "lines"), 'Unknown field "lines". Use a column name such as bundle_id, source_bundle, source_bundle_name, total_amount.'],
    ["a non-boolean show_header", (f) => f.contracts("yes please"), 'show_header must be TRUE or FALSE (got "yes please").'],
    ["an unknown balance_from", (f) => f.drawdown([[3]], [["2026-01-01", 1]], "opening"), 'balance_from "opening" is not "total" or "remaining".'],
  ])("%s is #VALUE!", async (_case, call, message) => {
    const { fns, requests } = await signedInFunctions(backend);
    expect(await excelError(call(fns))).toEqual({ code: "#VALUE!", message });
    expect(requests).toEqual([]);
  });

  test("rate limited after the retries: #N/A with the wait Campfire asked for", async () => {
    const sandbox = backend.sandbox;
    if (!sandbox) return;
    const { fns } = await signedInFunctions(backend);
    sandbox.injectFaults([{ status: 429, retryAfter: 7 }, { status: 429, retryAfter: 7 }], { pathIncludes: "/contracts" });
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Campfire is rate limiting requests. Wait 7 s, then click Refresh.",
    });
  });

  test("a server failure after the retries: #N/A", async () => {
    const sandbox = backend.sandbox;
    if (!sandbox) return;
    const { fns } = await signedInFunctions(backend);
    sandbox.injectFaults([{ status: 503 }, { status: 503 }], { pathIncludes: "/contracts" });
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Campfire failed (503). Click Refresh later; if it persists, contact Campfire.",
    });
  });

  test("a revoked token: #N/A, and the token never appears in the message", async () => {
    const { session } = loggedSession(memoryStore({ baseUrl: backend.baseUrl, token: "revoked-token-123", kind: "sandbox" }));
    const fns = createCampfireFunctions(new FunctionsRuntime(session));
    const error = await excelError(fns.contracts());
    expect(error).toEqual({ code: "#N/A", message: "Campfire refused the API token. Reconnect in the Campfire pane." });
    expect(error.message).not.toContain("revoked-token-123");
  });

  test("Campfire unreachable (nothing listens on the port): #N/A", async () => {
    const closed = await useSandbox();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const { session } = loggedSession(memoryStore({ baseUrl, token: "t", kind: "sandbox" }));
    const fns = createCampfireFunctions(new FunctionsRuntime(session));
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Cannot reach Campfire. Check the network, then click Refresh.",
    });
  });
});
