import { createCampfireClient } from "../../src/api";
import { nextInput } from "../../src/api/client";
import { ArgumentError } from "../../src/api/errors";
import { DEFAULT_RETRY_POLICY, parseRetryAfterMs, resolveBaseUrl, retryDelayMs, type Method, type Outcome } from "../../src/api/http";
import { useSandbox } from "../helpers/sandbox";

describe("retryDelayMs", () => {
  const now = Date.parse("2026-05-01T12:00:00Z");
  test.each([
    // attempt, backoffMs, maxDelayMs, retryAfter, random, expected
    [1, 300, 30_000, null, 0, 150],
    [1, 300, 30_000, null, 1, 300],
    [2, 300, 30_000, null, 0.5, 450],
    [3, 300, 30_000, null, 1, 1200],
    [10, 300, 30_000, null, 1, 30_000],
    [1, 300, 30_000, "5", 0.9, 5000],
    [1, 300, 30_000, "0", 0.9, 0],
    [1, 300, 30_000, "1.5", 0.9, 1500],
    [1, 300, 2_000, "120", 0.9, 2000],
    [1, 300, 30_000, "Fri, 01 May 2026 12:00:10 GMT", 0.9, 10_000],
    [1, 300, 30_000, "Fri, 01 May 2026 11:59:00 GMT", 0.9, 0],
    [2, 300, 30_000, "soon", 1, 600],
  ])(
    "attempt %i, backoff %i, cap %i, Retry-After %p, random %p → %i ms",
    (attempt, backoffMs, maxDelayMs, retryAfter, random, expected) => {
      expect(retryDelayMs({ attempt, backoffMs, maxDelayMs, retryAfter, now, random })).toBe(expected);
    },
  );

  test.each([
    [null, undefined],
    ["", undefined],
    ["  7 ", 7000],
    ["-3", undefined],
    ["Fri, 01 May 2026 12:01:00 GMT", 60_000],
  ])("parseRetryAfterMs(%p) → %p", (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });
});

describe("DEFAULT_RETRY_POLICY", () => {
  const answer = (status: number): Outcome => ({ kind: "answer", status, text: "", retryAfter: null });
  const methods: Method[] = ["GET", "PUT", "PATCH", "DELETE", "POST"];
  test.each([
    // outcome, retried for GET PUT PATCH DELETE POST
    ["429", answer(429), [true, true, true, true, true]],
    ["502", answer(502), [true, true, true, true, false]],
    ["503", answer(503), [true, true, true, true, false]],
    ["504", answer(504), [true, true, true, true, false]],
    ["500", answer(500), [true, false, false, false, false]],
    ["501", answer(501), [false, false, false, false, false]],
    ["400", answer(400), [false, false, false, false, false]],
    ["401", answer(401), [false, false, false, false, false]],
    ["timeout", { kind: "timeout" } as Outcome, [true, true, true, true, false]],
    ["network", { kind: "network", code: "ECONNRESET" } as Outcome, [true, true, true, true, false]],
  ])("%s", (_, outcome, expected) => {
    expect(methods.map((method) => DEFAULT_RETRY_POLICY(method, outcome))).toEqual(expected);
  });
});

describe("resolveBaseUrl", () => {
  test.each([
    ["https://api.meetcampfire.com", undefined, "https://api.meetcampfire.com/"],
    ["http://127.0.0.1:4010/", undefined, "http://127.0.0.1:4010/"],
    ["https://host/proxy/campfire", undefined, "https://host/proxy/campfire/"],
    ["/campfire", "https://localhost:3000/taskpane.html", "https://localhost:3000/campfire/"],
    ["/campfire/", "https://localhost:3000/a/b/taskpane.html?x=1", "https://localhost:3000/campfire/"],
  ])("%s on page %p → %s", (base, page, expected) => {
    expect(resolveBaseUrl(base, page).href).toBe(expected);
  });

  test("a relative base outside a page is refused with the reason", () => {
    expect(() => resolveBaseUrl("/campfire", undefined)).toThrow(
      new ArgumentError(
        'baseUrl "/campfire" is relative; outside a browser page it must be an absolute http(s) URL such as http://127.0.0.1:4010',
      ),
    );
    expect(() => createCampfireClient({ baseUrl: "/campfire", token: "t" })).toThrow(ArgumentError);
  });
});

describe("nextInput", () => {
  test.each([
    ["http://127.0.0.1:4010/", "http://127.0.0.1:4010/rr/api/v1/product?limit=2&offset=2", "rr/api/v1/product?limit=2&offset=2"],
    // Behind the add-in host's proxy the server names its own host: keep the query, use our path.
    [
      "https://localhost:3000/campfire/",
      "https://api.meetcampfire.com/rr/api/v1/product?limit=2&offset=2",
      "rr/api/v1/product?limit=2&offset=2",
    ],
    ["https://localhost:3000/campfire/", "https://localhost:3000/campfire/rr/api/v1/product?offset=4", "rr/api/v1/product?offset=4"],
    // Same host, outside our prefix: not followed as-is.
    ["https://localhost:3000/campfire/", "https://localhost:3000/other/rr/api/v1/product?offset=4", "rr/api/v1/product?offset=4"],
    ["http://127.0.0.1:4010/", "https://evil.example/steal?limit=2&offset=2", "rr/api/v1/product?limit=2&offset=2"],
    ["http://127.0.0.1:4010/", "/rr/api/v1/product?offset=9", "rr/api/v1/product?offset=9"],
  ])("base %s, next %s → %s", (base, next, expected) => {
    expect(nextInput({ baseUrl: new URL(base) }, "/rr/api/v1/product", next)).toBe(expected);
  });
});

describe("a relative base URL in a browser page", () => {
  let env: Awaited<ReturnType<typeof useSandbox>>;
  beforeAll(async () => {
    env = await useSandbox();
  });
  afterAll(() => env.close());
  afterEach(() => {
    delete (globalThis as { location?: unknown }).location;
  });

  test("resolves against the page the task pane runs in", async () => {
    const base = new URL(env.baseUrl.endsWith("/") ? env.baseUrl : `${env.baseUrl}/`);
    (globalThis as { location?: unknown }).location = { href: new URL("taskpane.html", base).href };
    const urls: string[] = [];
    const api = createCampfireClient({ baseUrl: base.pathname, token: env.token, onRequest: (_, url) => urls.push(url) });
    const entities = await api.listEntities();
    expect(entities.length).toBeGreaterThan(0);
    expect(urls).toEqual([new URL("coa/api/entity", base).href]);
  });
});
