/** Authentication, unknown paths and ids, wrong methods, unreadable bodies. */
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { caller, type Call } from "./http";

let sandbox: RunningSandbox;
let call: Call;
const C = "/rr/api/v1/contracts";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, token: "s3cret-test-token" });
  call = caller(sandbox.url, sandbox.token);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe("authentication", () => {
  test.each([
    ["no header", undefined, "Authentication credentials were not provided."],
    ["Bearer scheme", "Bearer s3cret-test-token", "Authentication credentials were not provided."],
    ["keyword only", "Token", "Invalid token header. No credentials provided."],
    ["token with a space", "Token s3cret test", "Invalid token header. Token string should not contain spaces."],
    ["wrong token", "Token s3cret-test-tokeN", "Invalid token."],
    ["prefix of the token", "Token s3cret", "Invalid token."],
  ])("%s → 401", async (_case, header, detail) => {
    const anon = caller(sandbox.url, null);
    const r = await anon("GET", `${C}/1`, undefined, header ? { Authorization: header } : {});
    expect([r.status, r.json]).toEqual([401, { detail }]);
    expect(r.headers.get("www-authenticate")).toBe('Token realm="api"');
    expect(r.text).not.toContain("s3cret");
  });

  test("the keyword is case-insensitive, as in DRF", async () => {
    const anon = caller(sandbox.url, null);
    expect((await anon("GET", `${C}/1`, undefined, { Authorization: "token s3cret-test-token" })).status).toBe(200);
  });

  test("writes without a valid token change nothing", async () => {
    const anon = caller(sandbox.url, null);
    const r = await anon("PATCH", `${C}/3/prepaid-commits/9001`, { name: "Hacked" }, { Authorization: "Token nope" });
    expect(r.status).toBe(401);
    expect(sandbox.store.commit(3, 9001).name).toBe("Initech Usage Commit 2026–2030");
  });

  test("control endpoints need the token too", async () => {
    const anon = caller(sandbox.url, null);
    expect((await anon("GET", "/__sandbox/requests")).status).toBe(401);
    expect((await anon("POST", "/__sandbox/reset")).status).toBe(401);
  });
});

describe("not found", () => {
  test.each([
    ["unknown path", "/rr/api/v1/nothing"],
    ["root", "/"],
    ["non-integer id", `${C}/abc`],
    ["negative id", `${C}/-1`],
    ["unknown contract", `${C}/999`],
    ["unknown contract's commits", `${C}/999/prepaid-commits`],
    ["unknown commit", `${C}/3/prepaid-commits/1`],
    ["commit of another contract", `${C}/1/prepaid-commits/9001`],
    ["unknown subscription", `${C}/1/subscriptions/9`],
    ["subscription id under usage", `${C}/1/usage/1001/allocations`],
    ["item of another contract", `${C}/2/subscriptions/1001/allocations`],
    ["unknown product", "/rr/api/v1/product/1"],
    ["unknown control endpoint", "/__sandbox/nothing"],
  ])("%s → 404", async (_case, path) => {
    const r = await call("GET", path);
    expect([r.status, r.json]).toEqual([404, { detail: "Not found." }]);
  });

  test.each([
    ["subscription", `${C}/1/subscriptions/1003/allocations`],
    ["usage", `${C}/3/usage/2002/allocations`],
    ["milestone", `${C}/5/milestones/3002/allocations`],
  ])("a %s without a bundle has no allocations", async (_type, path) => {
    for (const method of ["GET", "PUT", "PATCH"]) {
      const r = await call(method, path, method === "GET" ? undefined : { lines: [] });
      expect([method, r.status, r.json]).toEqual([method, 404, { detail: "This item has no product bundle." }]);
    }
  });

  test("unknown paths answer 404 even without a token (the URL is resolved before authentication)", async () => {
    const r = await caller(sandbox.url, null)("GET", "/rr/api/v1/nothing");
    expect(r.status).toBe(404);
  });

  test("a trailing slash is accepted", async () => {
    expect((await call("GET", `${C}/1/`)).status).toBe(200);
  });
});

describe("methods", () => {
  test.each([
    ["DELETE", `${C}/1`, "GET, OPTIONS"],
    ["POST", `${C}/1/subscriptions/1001/allocations`, "GET, PUT, PATCH, OPTIONS"],
    ["DELETE", `${C}/1/subscriptions/1001/allocations`, "GET, PUT, PATCH, OPTIONS"],
    ["PUT", `${C}/3/prepaid-commits`, "GET, POST, OPTIONS"],
    ["POST", `${C}/3/prepaid-commits/9001`, "GET, PUT, PATCH, DELETE, OPTIONS"],
    ["POST", "/coa/api/entity", "GET, OPTIONS"],
  ])("%s %s → 405", async (method, path, allow) => {
    const r = await call(method, path, {});
    expect([r.status, r.json, r.headers.get("allow")]).toEqual([405, { detail: `Method "${method}" not allowed.` }, allow]);
  });

  test("control endpoints answer 405 with Allow too", async () => {
    const r = await call("GET", "/__sandbox/reset");
    expect([r.status, r.headers.get("allow")]).toEqual([405, "POST"]);
  });

  test("HEAD answers like GET, without a body", async () => {
    const r = await call("HEAD", `${C}/1`);
    expect([r.status, r.text, r.headers.get("content-type")]).toEqual([200, "", "application/json"]);
  });
});

describe("unreadable bodies", () => {
  const commit = `${C}/3/prepaid-commits/9001`;

  test("malformed JSON → 400 with DRF's parse-error detail, and no write", async () => {
    const r = await call("PATCH", commit, '{"name": "x",}');
    expect(r.status).toBe(400);
    expect(r.json.detail).toMatch(/^JSON parse error - /);
    expect(r.json.detail).not.toContain('"name"');
    expect(sandbox.store.commit(3, 9001).name).toBe("Initech Usage Commit 2026–2030");
  });

  test("a body that is not JSON by its content type → 415", async () => {
    const r = await call("PATCH", commit, "name=x", { "Content-Type": "application/x-www-form-urlencoded" });
    expect([r.status, r.json]).toEqual([415, { detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.' }]);
  });

  test("JSON with a charset parameter is fine", async () => {
    const r = await call("PATCH", commit, { tags: "a" }, { "Content-Type": "application/json; charset=utf-8" });
    expect(r.status).toBe(200);
  });

  test("a body over 1 MB → 413", async () => {
    const big = { lines: [{ product: 101, amount: 1 }], padding: "x".repeat(1024 * 1024) };
    const r = await call("PUT", `${C}/1/subscriptions/1001/allocations`, big);
    expect([r.status, r.json]).toEqual([413, { detail: "Request body is larger than 1048576 bytes." }]);
  });

  test("the request log records method, path with query and status", async () => {
    await call("GET", `${C}?limit=1`);
    await call("GET", `${C}/999`);
    expect(sandbox.requests).toEqual([
      { method: "GET", path: `${C}?limit=1`, status: 200 },
      { method: "GET", path: `${C}/999`, status: 404 },
    ]);
  });
});
