/**
 * The attack corpus: what a hostile user would try against the running production host (built and started as the
 * image runs it), each with the exact refusal expected. Campfire behind it is a real sandbox; every refusal
 * is also checked not to have reached it.
 */
import fs from "node:fs";
import path from "node:path";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import {
  headerOf,
  jsonBody,
  layOutImage,
  rawExchange,
  readDockerfile,
  startBuiltHost,
  type BuiltHost,
  type ImageSpec,
  type RawAnswer,
} from "./built-host";

const PUBLIC_HOST = "addin.example.com";

/** Waits (polling, at most 3 s) until `ready` holds: the host writes its log line after the socket has closed. */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready() && waited < 3_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
}
const LIMIT = 1024;

let app: string;
let image: ImageSpec;
let sandbox: RunningSandbox;
let host: BuiltHost;
const others: BuiltHost[] = [];

beforeAll(async () => {
  image = readDockerfile();
  app = layOutImage();
  sandbox = await startSandbox({ port: 0 });
  host = await startBuiltHost(app, image, {
    CAMPFIRE_BASE_URL: sandbox.url,
    CAMPFIRE_ADDIN_URL: `https://${PUBLIC_HOST}/`,
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    HEADERS_TIMEOUT_MS: "1000",
    REQUEST_TIMEOUT_MS: "2000",
    MAX_BODY_BYTES: String(LIMIT),
  });
}, 120_000);

beforeEach(() => sandbox.reset());

afterAll(async () => {
  for (const h of [host, ...others]) await h?.stop();
  await sandbox.close();
  fs.rmSync(path.dirname(app), { recursive: true, force: true });
});

const AUTH = () => `Authorization: Token ${sandbox.token}\r\n`;

/** A complete request with the public Host, the sandbox token and Connection: close, plus any extra header lines. */
function request(method: string, target: string, extra = "", body = ""): string {
  const length = body === "" ? "" : `Content-Length: ${Buffer.byteLength(body)}\r\n`;
  return `${method} ${target} HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n${AUTH()}${extra}${length}Connection: close\r\n\r\n${body}`;
}

/** Node's own parser refusals, answered by the host's clientError handler with a fixed raw response and an id. */
function rawRefusal(status: number, reason: string, detail: string): string {
  const body = JSON.stringify({ detail });
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `x-content-type-options: nosniff\r\ncache-control: no-store\r\nx-request-id: <id>\r\nconnection: close\r\n\r\n${body}`
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The raw answer with its request id (a fresh UUID) shown as `<id>`, after checking it is one. */
function idShown<T extends { text: string }>(answer: T): T {
  const id = /\r\nx-request-id: ([^\r]*)\r\n/.exec(answer.text)?.[1] ?? "";
  expect(id).toMatch(UUID);
  return { ...answer, text: answer.text.replace(`x-request-id: ${id}\r\n`, "x-request-id: <id>\r\n") };
}

function expectRefused(answer: RawAnswer, status: number, detail: string): void {
  expect([answer.status, jsonBody(answer)]).toEqual([status, { detail }]);
  expect(headerOf(answer, "x-content-type-options")).toBe("nosniff");
  expect(headerOf(answer, "access-control-allow-origin")).toBeNull();
}

describe("path tricks", () => {
  const tricks: [string, number, string][] = [
    ["/campfire/rr/api/v1/..;/..;/admin/", 400, "Path parameters (;) are refused."],
    ["/campfire/rr/api/v1/contracts;jsessionid=1", 400, "Path parameters (;) are refused."],
    ["/..;/dist-host/host.js", 400, "Path parameters (;) are refused."],
    ["/campfire/rr/api/v1/%252e%252e/%252e%252e/admin", 400, "Double-encoded characters in the path are refused."],
    ["/%252e%252e/%252e%252e/etc/passwd", 400, "Double-encoded characters in the path are refused."],
    ["/campfire/rr/api/v1/%2e%2e/admin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/%2E%2E/admin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/contracts%2f..%2f..%2fadmin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/contracts\\..\\admin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/..%c0%af..%c0%afadmin", 400, "Encoded non-ASCII bytes in the path are refused."],
    ["/campfire/rr/api/v1/contracts%00.json", 400, "Encoded control characters are refused."],
    ["/campfire/rr/api/v1/contracts?x=%0d%0aInjected:%201", 400, "Encoded control characters are refused."],
    ["/../../etc/passwd", 400, "Dot segments in the path are refused."],
    ["/campfire/coa/api/../../admin", 400, "Dot segments in the path are refused."],
    ["/campfire//evil.example/rr/api/v1/contracts", 400, "Empty segments (//) in the path are refused."],
    ["//evil.example/taskpane.html", 400, "Empty segments (//) in the path are refused."],
    ["http://evil.example/campfire/rr/api/v1/contracts", 400, "Only origin-form request targets are accepted."],
    [`/campfire/rr/api/v1/contracts${"/1".repeat(2100)}`, 414, "Request target is too long."],
    ["/campfire/admin/", 404, "Not a Campfire API path."],
    ["/campfire/rr/api/v2/contracts", 404, "Not a Campfire API path."],
    ["/dist-host/host.js", 404, "Not found."],
    ["/.env", 404, "Not found."],
    ["/sandbox/rr/api/v1/contracts", 503, "The local Campfire sandbox is not running with this host; start it with npm start."],
  ];
  const titled = tricks.map(([target, status, detail]) => {
    const shown = target.length > 80 ? `${target.slice(0, 40)}… (${target.length} characters)` : target;
    return [`${shown} → ${status}`, target, status, detail] as const;
  });
  test.each(titled)("GET %s", async (_title, target, status, detail) => {
    expectRefused(await rawExchange(host.port, [request("GET", target)]), status, detail);
    expect(sandbox.requests).toEqual([]);
  });
});

describe("header games", () => {
  test.each([
    ["a foreign Host (DNS rebinding) → 421", "Host: evil.example\r\n", 421, "This add-in host does not serve that host name."],
    [
      "a Host that only starts with the public name → 421",
      `Host: ${PUBLIC_HOST}.evil.example\r\n`,
      421,
      "This add-in host does not serve that host name.",
    ],
    ["a rebinding service name for 127.0.0.1 → 421", "Host: 127.0.0.1.nip.io\r\n", 421, "This add-in host does not serve that host name."],
    [
      "X-Forwarded-Host when no proxy is trusted → 421",
      `Host: evil.example\r\nX-Forwarded-Host: ${PUBLIC_HOST}\r\n`,
      421,
      "This add-in host does not serve that host name.",
    ],
    ["two Host headers → 400", `Host: ${PUBLIC_HOST}\r\nHost: evil.example\r\n`, 400, "Exactly one Host header is required."],
  ])("%s", async (_name, hostLines, status, detail) => {
    const answer = await rawExchange(host.port, [
      `GET /campfire/rr/api/v1/contracts HTTP/1.1\r\n${hostLines}${AUTH()}Connection: close\r\n\r\n`,
    ]);
    expectRefused(answer, status, detail);
    expect(sandbox.requests).toEqual([]);
  });

  test("HTTP/1.0 without a Host → 400", async () => {
    expectRefused(await rawExchange(host.port, ["GET /taskpane.html HTTP/1.0\r\n\r\n"]), 400, "A Host header is required.");
  });

  test("the public name with any port is served, and its answer carries a fresh request id, not the client's", async () => {
    const answer = await rawExchange(host.port, [
      `GET /campfire/rr/api/v1/contracts?limit=1 HTTP/1.1\r\nHost: ${PUBLIC_HOST}:8443\r\n${AUTH()}X-Request-Id: <script>alert(1)</script>\r\nConnection: close\r\n\r\n`,
    ]);
    expect(answer.status).toBe(200);
    expect(headerOf(answer, "x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sandbox.requests).toEqual([{ method: "GET", path: "/rr/api/v1/contracts?limit=1", status: 200 }]);
  });

  test("an Expect other than 100-continue → 417", async () => {
    const answer = await rawExchange(host.port, [request("POST", "/campfire/rr/api/v1/contracts", "Expect: 200-ok\r\n", "{}")]);
    expectRefused(answer, 417, "Only Expect: 100-continue is supported.");
    expect(sandbox.requests).toEqual([]);
  });

  test("oversized headers → 431", async () => {
    const answer = await rawExchange(host.port, [request("GET", "/taskpane.html", `X-Padding: ${"a".repeat(20_000)}\r\n`)]);
    expect(idShown(answer).text).toBe(rawRefusal(431, "Request Header Fields Too Large", "Request headers are too large."));
  });
});

describe("CR/LF and request smuggling", () => {
  const malformed = rawRefusal(400, "Bad Request", "Malformed HTTP request.");
  test.each([
    ["a bare LF inside the headers", `GET /taskpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nX-A: a\nSet-Cookie: x=1\r\n\r\n`],
    ["a CR inside a header value", `GET /taskpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nX-A: a\rSet-Cookie: x=1\r\n\r\n`],
    ["a folded header line", `GET /taskpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nX-A: a\r\n b\r\n\r\n`],
    ["a NUL in a header", `GET /taskpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nX-A: a\u0000b\r\n\r\n`],
    ["a bare CR in the request line", `GET /taskpane.html\rX-Injected: 1 HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n\r\n`],
    ["a space inside the request target", `GET /taskpane.html /x HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n\r\n`],
    ["a DEL inside the request target", `GET /task\u007fpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n\r\n`],
    [
      "Content-Length with Transfer-Encoding",
      `POST /campfire/rr/api/v1/contracts HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ],
    [
      "two different Content-Lengths",
      `POST /campfire/rr/api/v1/contracts HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    ],
    ["an HTTP/2 preface on the HTTP/1.1 port", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
    ["an unknown method", `FOO /taskpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n\r\n`],
  ])("%s → 400 and the connection closed", async (_name, bytes) => {
    const answer = await rawExchange(host.port, [bytes]);
    expect([idShown(answer).text, answer.closed]).toEqual([malformed, true]);
    expect(sandbox.requests).toEqual([]);
  });
});

describe("oversized bodies", () => {
  test("a declared body over the limit → 413 before any of it is read, Campfire untouched", async () => {
    const answer = await rawExchange(host.port, [
      `POST /campfire/rr/api/v1/contracts/1/prepaid-commits HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n${AUTH()}Content-Type: application/json\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`,
    ]);
    expectRefused(answer, 413, `Request body is larger than the ${LIMIT}-byte limit.`);
    expect(headerOf(answer, "connection")).toBe("close");
    expect(sandbox.requests).toEqual([]);
  });

  test("a body announced with Expect: 100-continue is refused before the client sends it; an acceptable one is asked for", async () => {
    const ask = (length: number) =>
      `POST /campfire/rr/api/v1/contracts/1/prepaid-commits HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n${AUTH()}Content-Type: application/json\r\n` +
      `Content-Length: ${length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`;
    const refused = await rawExchange(host.port, [ask(LIMIT + 1)]);
    expect(refused.text).not.toContain("100 Continue");
    expectRefused(refused, 413, `Request body is larger than the ${LIMIT}-byte limit.`);
    // With no body sent, the host asks for it and then waits for it: a client that never sends it is timed out.
    const asked = await rawExchange(host.port, [ask(2)]);
    expect(asked.text.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 408 Request Timeout\r\n")).toBe(true);
    expect(sandbox.requests).toEqual([]);
  });

  test("a chunked body that grows over the limit → 413", async () => {
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
    const answer = await rawExchange(host.port, [
      `PUT /campfire/rr/api/v1/contracts/1/prepaid-commits/2 HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n${AUTH()}Transfer-Encoding: chunked\r\n\r\n`,
      chunk("a".repeat(600)),
      chunk("b".repeat(600)),
      "0\r\n\r\n",
    ]);
    expectRefused(answer, 413, `Request body is larger than the ${LIMIT}-byte limit.`);
    expect(sandbox.requests).toEqual([]);
  });
});

describe("slow clients are cut off after the configured seconds (1 s for headers, 2 s for the whole request)", () => {
  const timeout = rawRefusal(408, "Request Timeout", "The request was not sent in time.");
  test("a connection that sends nothing", async () => {
    expect(idShown(await rawExchange(host.port, []))).toEqual({ text: timeout, status: 408, closed: true });
  });

  test("headers dripped a byte at a time (slowloris)", async () => {
    const bytes = [...`GET /taskpane.html HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\nX-Slow: ${"z".repeat(40)}`];
    expect(idShown(await rawExchange(host.port, bytes, 8_000, 100))).toEqual({ text: timeout, status: 408, closed: true });
  });

  test("a body that never finishes", async () => {
    const answer = await rawExchange(host.port, [
      `POST /campfire/rr/api/v1/contracts/1/prepaid-commits HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n${AUTH()}Content-Length: 100\r\n\r\n{"na`,
    ]);
    expect(idShown(answer)).toEqual({ text: timeout, status: 408, closed: true });
    expect(sandbox.requests).toEqual([]);
    // The request's own log line carries the same id and says 408, not "aborted".
    const id = headerOf(answer, "x-request-id");
    await until(() => host.logs().some((l) => l.msg === "request" && l.id === id));
    expect(
      host
        .logs()
        .filter((l) => l.id === id)
        .map((l) => [l.msg, l.status, l.aborted]),
    ).toEqual([
      ["client error", 408, undefined],
      ["request", 408, undefined],
    ]);
  });
});

describe("wrong methods", () => {
  const relayAllow = "GET, HEAD, POST, PUT, PATCH, DELETE";
  test.each([
    ["TRACE", "/taskpane.html", "Only GET and HEAD are served here.", "GET, HEAD"],
    ["DELETE", "/taskpane.html", "Only GET and HEAD are served here.", "GET, HEAD"],
    ["PUT", "/manifest.xml", "Only GET and HEAD are served here.", "GET, HEAD"],
    ["POST", "/healthz", "Only GET and HEAD are served here.", "GET, HEAD"],
    ["OPTIONS", "/campfire/rr/api/v1/contracts", "Method OPTIONS is not relayed to Campfire.", relayAllow],
    ["TRACE", "/campfire/rr/api/v1/contracts", "Method TRACE is not relayed to Campfire.", relayAllow],
    ["PROPFIND", "/campfire/rr/api/v1/contracts", "Method PROPFIND is not relayed to Campfire.", relayAllow],
  ])("%s %s → 405", async (method, target, detail, allow) => {
    const answer = await rawExchange(host.port, [request(method, target)]);
    expectRefused(answer, 405, detail);
    expect(headerOf(answer, "allow")).toBe(allow);
    expect(sandbox.requests).toEqual([]);
  });

  test("CONNECT (a tunnel through the host) → 405", async () => {
    const answer = await rawExchange(host.port, ["CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n"]);
    expect(idShown(answer).text).toBe(rawRefusal(405, "Method Not Allowed", "CONNECT is not supported."));
  });
});

describe("cross-origin requests", () => {
  const refusal = "Cross-origin requests to the Campfire relay are refused.";
  test.each([
    ["a write from another site", "POST", "Origin: https://evil.example\r\nContent-Type: text/plain\r\n"],
    [
      "a CORS preflight from another site",
      "OPTIONS",
      "Origin: https://evil.example\r\nAccess-Control-Request-Method: PATCH\r\nAccess-Control-Request-Headers: authorization\r\n",
    ],
    ["a read from another site", "GET", "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\n"],
    ["a sibling subdomain", "GET", `Origin: https://evil.${PUBLIC_HOST}\r\nSec-Fetch-Site: same-site\r\n`],
    ["an opaque origin (sandboxed frame, file:)", "POST", "Origin: null\r\n"],
    ["the public name over another scheme and port", "POST", `Origin: http://${PUBLIC_HOST}:8080\r\n`],
  ])("%s → 403, no CORS headers", async (_name, method, headers) => {
    const answer = await rawExchange(host.port, [request(method, "/campfire/rr/api/v1/contracts", headers, method === "POST" ? "{}" : "")]);
    expectRefused(answer, 403, refusal);
    expect(sandbox.requests).toEqual([]);
  });

  test("the pane's own origin is relayed", async () => {
    const answer = await rawExchange(host.port, [
      request("GET", "/campfire/rr/api/v1/contracts?limit=1", `Origin: https://${PUBLIC_HOST}\r\nSec-Fetch-Site: same-origin\r\n`),
    ]);
    expect(answer.status).toBe(200);
    expect(sandbox.requests).toHaveLength(1);
  });
});

describe("what Campfire (or something in front of it) answers is relayed only when it is JSON", () => {
  test.each([
    [
      { status: 500, rawBody: "<html><script>alert(document.domain)</script></html>" },
      "Campfire answered 500 with text/html instead of JSON; the add-in host relays only JSON.",
    ],
    [
      { status: 200, rawBody: "alert(document.domain)" },
      "Campfire answered 200 with text/plain instead of JSON; the add-in host relays only JSON.",
    ],
  ])("%j → 502 with a plain message", async (fault, message) => {
    sandbox.injectFaults([fault]);
    const answer = await rawExchange(host.port, [request("GET", "/campfire/rr/api/v1/contracts")]);
    expect(answer.status).toBe(502);
    expect(headerOf(answer, "content-type")).toBe("text/plain; charset=utf-8");
    expect(headerOf(answer, "x-content-type-options")).toBe("nosniff");
    expect(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4)).toBe(message);
  });
});

test("a flood of connections is capped: the ones over MAX_CONNECTIONS are dropped unanswered, and service resumes", async () => {
  const capped = await startBuiltHost(app, image, {
    CAMPFIRE_BASE_URL: sandbox.url,
    ALLOWED_HOSTS: PUBLIC_HOST,
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    MAX_CONNECTIONS: "2",
    HEADERS_TIMEOUT_MS: "3000",
  });
  others.push(capped);
  const partial = `GET /healthz HTTP/1.1\r\nHost: ${PUBLIC_HOST}\r\n`;
  // Two slow clients hold both slots until the headers timeout frees them with a 408.
  const holders = [rawExchange(capped.port, [partial]), rawExchange(capped.port, [partial])];
  await new Promise((r) => setTimeout(r, 300));
  const dropped = await rawExchange(capped.port, [request("GET", "/healthz")]);
  expect(dropped).toEqual({ text: "", status: 0, closed: true });
  expect((await Promise.all(holders)).map((a) => a.status)).toEqual([408, 408]);
  const after = await rawExchange(capped.port, [request("GET", "/healthz")]);
  expect([after.status, jsonBody(after)]).toEqual([200, { status: "ok" }]);
  expect(capped.logs().find((l) => l.msg === "connection limit reached; connections dropped")).toMatchObject({
    level: "warn",
    limit: 2,
    dropped: 1,
  });
});

test("behind a trusted proxy: X-Forwarded-Host is the host checked, X-Forwarded-Proto https brings HSTS, the proxy's client address is logged", async () => {
  const proxied = await startBuiltHost(app, image, {
    CAMPFIRE_BASE_URL: sandbox.url,
    CAMPFIRE_ADDIN_URL: `https://${PUBLIC_HOST}/`,
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    TRUST_PROXY: "true",
  });
  others.push(proxied);
  const forwarded = (forwardedHost: string) =>
    `GET /taskpane.html HTTP/1.1\r\nHost: campfire-host.internal:8080\r\nX-Forwarded-Host: ${forwardedHost}\r\nX-Forwarded-Proto: https\r\n` +
    `X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\nX-Request-Id: lb-4f1c2a9e77\r\nConnection: close\r\n\r\n`;
  const ok = await rawExchange(proxied.port, [forwarded(PUBLIC_HOST)]);
  expect([ok.status, headerOf(ok, "strict-transport-security"), headerOf(ok, "x-request-id")]).toEqual([
    200,
    "max-age=31536000",
    "lb-4f1c2a9e77",
  ]);
  expectRefused(await rawExchange(proxied.port, [forwarded("evil.example")]), 421, "This add-in host does not serve that host name.");
  const line = proxied.logs().find((l) => l.msg === "request" && l.id === "lb-4f1c2a9e77" && l.status === 200);
  expect(line).toMatchObject({ client: "198.51.100.7", path: "/taskpane.html" });
});
