/** Injected faults, random failures, the request log, reset, and the /__sandbox control endpoints. */
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { caller, type Call } from "./http";

let sandbox: RunningSandbox;
let call: Call;
const C1 = "/rr/api/v1/contracts/1";
const GBP = "/rr/api/v1/contracts/5/milestones/3001/allocations";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  call = caller(sandbox.url, sandbox.token);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe("injected faults", () => {
  test("429 carries Retry-After and DRF's throttle message, then the next request succeeds", async () => {
    sandbox.injectFaults([{ status: 429, retryAfter: 7 }]);
    const r = await call("GET", C1);
    expect([r.status, r.headers.get("retry-after"), r.json]).toEqual([
      429,
      "7",
      { detail: "Request was throttled. Expected available in 7 seconds." },
    ]);
    expect((await call("GET", C1)).status).toBe(200);
  });

  test.each([
    [500, { detail: "A server error occurred." }],
    [502, { detail: "Bad gateway." }],
    [503, { detail: "Service temporarily unavailable, try again later." }],
    [504, { detail: "Gateway timeout." }],
  ])("%s with a default body", async (status, body) => {
    sandbox.injectFaults([{ status }]);
    const r = await call("GET", C1);
    expect([r.status, r.json, r.headers.get("retry-after")]).toEqual([status, body, null]);
  });

  test("a custom JSON body, and a raw HTML body like a proxy's error page", async () => {
    sandbox.injectFaults([
      { status: 502, body: { error: "upstream" } },
      { status: 502, rawBody: "<html>Bad Gateway</html>" },
    ]);
    const a = await call("GET", C1);
    expect([a.status, a.json]).toEqual([502, { error: "upstream" }]);
    const b = await call("GET", C1);
    expect([b.status, b.text, b.headers.get("content-type")]).toEqual([502, "<html>Bad Gateway</html>", "text/html; charset=utf-8"]);
  });

  test("faults are used once each, in order, by the requests they match", async () => {
    sandbox.injectFaults([{ status: 503 }, { status: 500 }], { method: "PATCH", pathIncludes: "/allocations" });
    expect((await call("GET", GBP)).status).toBe(200);
    expect((await call("GET", C1)).status).toBe(200);
    const body = { lines: [{ product: 107, amount: 10000 }] };
    expect((await call("PATCH", GBP, body)).status).toBe(503);
    expect((await call("PATCH", GBP, body)).status).toBe(500);
    expect((await call("PATCH", GBP, body)).status).toBe(200);
  });

  test("a faulted write changes nothing", async () => {
    sandbox.injectFaults([{ status: 503 }]);
    await call("PATCH", "/rr/api/v1/contracts/3/prepaid-commits/9001", { name: "Lost" });
    expect(sandbox.store.commit(3, 9001).name).toBe("Initech Usage Commit 2026–2030");
  });

  test("a dropped connection fails the request and is logged with status 0", async () => {
    sandbox.injectFaults([{ drop: true }]);
    await expect(call("GET", C1)).rejects.toThrow("fetch failed");
    expect((await call("GET", C1)).status).toBe(200);
    expect(sandbox.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  test("drop after handling: the write lands but the client never hears back", async () => {
    sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "PATCH" });
    await expect(call("PATCH", "/rr/api/v1/contracts/3/prepaid-commits/9001", { name: "Landed" })).rejects.toThrow();
    expect((await call("GET", "/rr/api/v1/contracts/3/prepaid-commits/9001")).json.name).toBe("Landed");
  });

  test("a delay still answers normally, after requests sent later", async () => {
    // 3 s: ample for the quick request on a busy 2-core machine (only the delayed request matches the fault).
    sandbox.injectFaults([{ delayMs: 3000 }], { pathIncludes: "/contracts/1" });
    const order: string[] = [];
    const slow = call("GET", C1).then((r) => order.push(`slow ${r.status}`));
    await call("GET", "/coa/api/entity").then((r) => order.push(`quick ${r.status}`));
    await slow;
    expect(order).toEqual(["quick 200", "slow 200"]);
    expect(sandbox.requests).toEqual([
      { method: "GET", path: "/coa/api/entity", status: 200 },
      { method: "GET", path: C1, status: 200 },
    ]);
  });

  test("reset clears queued faults, the request log and the data", async () => {
    await call("PATCH", "/rr/api/v1/contracts/3/prepaid-commits/9001", { name: "Changed" });
    sandbox.injectFaults([{ status: 500 }]);
    sandbox.reset();
    expect(sandbox.requests).toEqual([]);
    const r = await call("GET", "/rr/api/v1/contracts/3/prepaid-commits/9001");
    expect([r.status, r.json.name]).toEqual([200, "Initech Usage Commit 2026–2030"]);
  });
});

describe("random failures and latency options", () => {
  test("failRate 1 answers every API request with 503 (control endpoints still work)", async () => {
    const flaky = await startSandbox({ port: 0, failRate: 1, latencyMs: 5 });
    try {
      const c = caller(flaky.url, flaky.token);
      const r = await c("GET", C1);
      expect([r.status, r.json]).toEqual([503, { detail: "Service temporarily unavailable, try again later." }]);
      expect((await c("GET", "/__sandbox/requests")).json).toEqual([{ method: "GET", path: C1, status: 503 }]);
    } finally {
      await flaky.close();
    }
  });

  test("failStatus 429 sends Retry-After: 1; dropRate 1 drops every API connection", async () => {
    const limited = await startSandbox({ port: 0, failRate: 1, failStatus: 429 });
    const dropping = await startSandbox({ port: 0, dropRate: 1 });
    try {
      const r = await fetch(`${limited.url}${C1}`, { headers: { Authorization: `Token ${limited.token}` } });
      expect([r.status, r.headers.get("retry-after"), await r.json()]).toEqual([429, "1", { detail: "Request was throttled." }]);
      await expect(fetch(`${dropping.url}${C1}`, { headers: { Authorization: `Token ${dropping.token}` } })).rejects.toThrow(
        "fetch failed",
      );
      expect(dropping.requests).toEqual([{ method: "GET", path: C1, status: 0 }]);
    } finally {
      await limited.close();
      await dropping.close();
    }
  });

  test.each([
    [{ failRate: 1.5 }, "failRate must be between 0 and 1, got 1.5"],
    [{ dropRate: 2 }, "dropRate must be between 0 and 1, got 2"],
    [{ failStatus: 418 }, "failStatus must be 429, 500, 502, 503 or 504, got 418"],
    [{ latencyMs: -1 }, "latencyMs must be 0 or more, got -1"],
    [{ pageSize: 0 }, "pageSize must be a positive integer, got 0"],
  ])("bad option %j is refused", async (opts, message) => {
    await expect(startSandbox({ port: 0, ...opts })).rejects.toThrow(message);
  });
});

describe("control endpoints", () => {
  test("faults and requests over HTTP", async () => {
    const r = await call("POST", "/__sandbox/faults", { faults: [{ status: 429, retryAfter: 1 }], match: { method: "GET" } });
    expect(r.status).toBe(204);
    expect((await call("GET", C1)).status).toBe(429);
    expect((await call("GET", "/__sandbox/requests")).json).toEqual([{ method: "GET", path: C1, status: 429 }]);
  });

  test("a malformed fault list → 400 naming the problem", async () => {
    const r = await call("POST", "/__sandbox/faults", { faults: [{ status: "x" }] });
    expect(r.status).toBe(400);
    expect(r.json.detail).toContain("faults[0]");
  });

  test("reset over HTTP", async () => {
    await call("PATCH", "/rr/api/v1/contracts/3/prepaid-commits/9001", { name: "Changed" });
    expect((await call("POST", "/__sandbox/reset")).status).toBe(204);
    expect(sandbox.store.commit(3, 9001).name).toBe("Initech Usage Commit 2026–2030");
    expect(sandbox.requests).toEqual([]);
  });

  test("touch a bundle as another user: amounts change, last_modified_at advances, no rule applies", async () => {
    const before = (await call("GET", GBP)).json;
    const r = await call("POST", "/__sandbox/touch", {
      kind: "bundle",
      contractId: 5,
      itemType: "milestone",
      itemId: 3001,
      patch: { lines: [{ product: 108, amount: 4999.99 }] },
    });
    expect(r.status).toBe(200);
    expect(r.json.lines.map((l: { amount: number }) => l.amount)).toEqual([10000, 4999.99]);
    expect(r.json.last_modified_at > before.last_modified_at).toBe(true);
    expect((await call("GET", GBP)).json).toEqual(r.json);
  });

  test("touch without a patch only advances last_modified_at", async () => {
    const before = (await call("GET", GBP)).json;
    const r = await call("POST", "/__sandbox/touch", { kind: "bundle", contractId: 5, itemType: "milestone", itemId: 3001 });
    const { last_modified_at: a, ...after } = r.json;
    const { last_modified_at: b, ...rest } = before;
    expect(after).toEqual(rest);
    expect(a > b).toBe(true);
  });

  test("touch a commit, including its consumption", async () => {
    const r = await call("POST", "/__sandbox/touch", {
      kind: "commit",
      contractId: 3,
      commitId: 9001,
      patch: { name: "Renamed elsewhere", consumed_value: 120000 },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: "Renamed elsewhere", remaining_value: 0, status: "EXHAUSTED" });
  });

  test.each([
    [{ kind: "bundle", contractId: 1, itemType: "subscription", itemId: 1003 }, 404, "subscription 1003 has no product bundle."],
    [{ kind: "commit", contractId: 1, commitId: 9001 }, 404, "No prepaid commit 9001 on contract 1."],
    [
      { kind: "bundle", contractId: 5, itemType: "milestone", itemId: 3001, patch: { lines: [{ product: 101, amount: 1 }] } },
      400,
      "Product 101 is not a line of bundle 5021.",
    ],
    [{ kind: "commit", contractId: 3, commitId: 9001, patch: { id: 1 } }, 400, '"id" is not a field a touch may change.'],
  ])("touch %j → %s", async (body, status, detail) => {
    const r = await call("POST", "/__sandbox/touch", body);
    expect([r.status, r.json]).toEqual([status, { detail }]);
  });

  test("touch with a malformed body → 400", async () => {
    const r = await call("POST", "/__sandbox/touch", { kind: "bundle", contractId: 5 });
    expect(r.status).toBe(400);
    expect(r.json.detail).toContain("itemType");
  });

  test("a touch cannot reach the record's prototype", () => {
    expect(() => sandbox.store.touchCommit(3, 9001, JSON.parse('{"__proto__": {"polluted": true}}'))).toThrow(
      '"__proto__" is not a field a touch may change.',
    );
    expect((sandbox.store.commit(3, 9001) as unknown as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test("the store API does the same for tests in this process", async () => {
    const before = sandbox.store.commitView(sandbox.store.commit(3, 9002)).last_modified_at!;
    const after = sandbox.store.touchCommit(3, 9002, { tags: "edited" });
    expect(after.tags).toBe("edited");
    expect(after.last_modified_at! > before).toBe(true);
    expect((await call("GET", "/rr/api/v1/contracts/3/prepaid-commits/9002")).json.tags).toBe("edited");
  });
});
