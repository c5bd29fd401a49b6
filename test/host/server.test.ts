import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { proxyTargetFor, startHost, staticFileFor, type RunningHost } from "../../src/host/server";

const TOKEN = "Token s3cr3t-host-test-token";
const INLINE_SCRIPT = "\n    window.CustomFunctions = window.CustomFunctions || {};\n  ";

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A tiny stand-in for Campfire that records what reaches it. */
async function startUpstream(handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (handler) {
        handler(req, res);
        return;
      }
      res.writeHead(200, {
        "content-type": "application/json",
        "retry-after": "7",
        "set-cookie": "sessionid=upstream-cookie",
        connection: "close",
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Sends a raw request line, so targets that fetch would normalise (.., //, absolute-form) reach the host verbatim. */
function rawRequest(hostUrl: string, requestTarget: string, hostHeader = "localhost"): Promise<{ status: number; body: string }> {
  const { port } = new URL(hostUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => {
      socket.write(`GET ${requestTarget} HTTP/1.1\r\nHost: ${hostHeader}\r\nAuthorization: ${TOKEN}\r\nConnection: close\r\n\r\n`);
    });
    let data = "";
    socket.on("data", (d) => (data += d.toString()));
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? "0");
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    socket.on("error", reject);
  });
}

/** The log line is written when the response finishes, which can be just after the client has read it. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

let staticDir: string;
let outsideFile: string;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "host-test-"));
  staticDir = path.join(base, "dist");
  fs.mkdirSync(path.join(staticDir, "assets"), { recursive: true });
  fs.writeFileSync(path.join(staticDir, "taskpane.html"), "<!doctype html><title>pane</title>");
  fs.writeFileSync(path.join(staticDir, "taskpane.js"), "console.info('pane');");
  fs.writeFileSync(path.join(staticDir, "functions.json"), '{"functions":[]}');
  fs.writeFileSync(path.join(staticDir, "manifest.xml"), "<OfficeApp/>");
  fs.writeFileSync(path.join(staticDir, "assets", "icon-16.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  outsideFile = path.join(base, "secret.txt");
  fs.writeFileSync(outsideFile, "outside the static dir");
  fs.symlinkSync(outsideFile, path.join(staticDir, "link-out.txt"));
  fs.writeFileSync(
    path.join(staticDir, "preview.html"),
    `<!doctype html><script src="office-js/office.js"></script><script>${INLINE_SCRIPT}</script>`,
  );
  // A build broken on disk: a symlink that points at itself.
  fs.symlinkSync(path.join(staticDir, "loop.txt"), path.join(staticDir, "loop.txt"));
});

describe("add-in host: relay to Campfire", () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let host: RunningHost;
  const logs: string[] = [];

  beforeEach(async () => {
    logs.length = 0;
    upstream = await startUpstream();
    host = await startHost({ port: 0, staticDir, upstream: upstream.url, maxBodyBytes: 1024, log: (l) => logs.push(l) });
  });
  afterEach(async () => {
    await host.close();
    await upstream.close();
  });

  test("forwards method, path, query, body, Authorization and content-type to the upstream", async () => {
    const body = JSON.stringify({ lines: [{ product: 3, amount: "100.00" }] });
    const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts/12/usage/5/allocations?limit=5&offset=10`, {
      method: "PATCH",
      headers: {
        authorization: TOKEN,
        "content-type": "application/json",
        cookie: "csrftoken=browser-cookie",
        "x-forwarded-for": "10.0.0.1",
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("set-cookie")).toBeNull();

    expect(upstream.requests).toHaveLength(1);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe("PATCH");
    expect(seen.url).toBe("/rr/api/v1/contracts/12/usage/5/allocations?limit=5&offset=10");
    expect(seen.body).toBe(body);
    expect(seen.headers.authorization).toBe(TOKEN);
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-forwarded-for"]).toBeUndefined();
    expect(seen.headers.host).toBe(new URL(upstream.url).host);
  });

  test("forwards /coa/api paths and relays the upstream status and body unchanged", async () => {
    await host.close();
    await upstream.close();
    upstream = await startUpstream((_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "3" });
      res.end('{"detail":"Request was throttled."}');
    });
    host = await startHost({ port: 0, staticDir, upstream: upstream.url, log: (l) => logs.push(l) });
    const res = await fetch(`${host.url}/campfire/coa/api/entity`, { headers: { authorization: TOKEN } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.text()).toBe('{"detail":"Request was throttled."}');
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /coa/api/entity"]);
  });

  test.each([
    ["/campfire/evil", 404, "Not a Campfire API path."],
    ["/campfire/", 404, "Not a Campfire API path."],
    ["/campfire", 404, "Not found."],
    ["/campfire/admin/login", 404, "Not a Campfire API path."],
    ["/campfire/rr/api/v2/contracts", 404, "Not a Campfire API path."],
    ["/campfire/rr/api/v1x/contracts", 404, "Not a Campfire API path."],
    ["/campfire/../secret.txt", 400, "Dot segments in the path are refused."],
    ["/campfire/rr/api/v1/../../admin", 400, "Dot segments in the path are refused."],
    ["/campfire/rr/api/v1/./contracts", 400, "Dot segments in the path are refused."],
    ["/campfire/rr/api/v1/%2e%2e/%2e%2e/admin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/..%2f..%2fadmin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/contracts%5c..%5cadmin", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/campfire/rr/api/v1/..;/..;/admin", 400, "Path parameters (;) are refused."],
    ["/campfire/rr/api/v1/%252e%252e/admin", 400, "Double-encoded characters in the path are refused."],
    ["/campfire//attacker.com/rr/api/v1/contracts", 400, "Empty segments (//) in the path are refused."],
    ["/campfire/rr/api/v1//attacker.com/x", 400, "Empty segments (//) in the path are refused."],
    ["/campfire/http://attacker.com/rr/api/v1/contracts", 400, "Empty segments (//) in the path are refused."],
    ["/campfire/rr/api/v1/contracts%0d%0aSet-Cookie:x", 400, "Encoded control characters are refused."],
    ["http://attacker.com/campfire/rr/api/v1/contracts", 400, "Only origin-form request targets are accepted."],
    ["http://127.0.0.1/campfire/rr/api/v1/contracts", 400, "Only origin-form request targets are accepted."],
  ])("refuses %s with %i and never contacts the upstream", async (target, status, detail) => {
    const res = await rawRequest(host.url, target);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({ detail });
    expect(upstream.requests).toEqual([]);
  });

  test("answers 413 for a body over the limit without contacting the upstream", async () => {
    const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts/1/prepaid-commits`, {
      method: "POST",
      headers: { authorization: TOKEN, "content-type": "application/json" },
      body: "x".repeat(1025),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ detail: "Request body is larger than the 1024-byte limit." });
    expect(upstream.requests).toEqual([]);
  });

  test("answers 413 for a chunked body (no content-length) that grows over the limit", async () => {
    const { port } = new URL(host.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: Number(port),
          method: "PUT",
          path: "/campfire/rr/api/v1/contracts/1/prepaid-commits/2",
          headers: { authorization: TOKEN, "content-type": "application/json", "transfer-encoding": "chunked" },
        },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve(`${res.statusCode} ${text}`));
        },
      );
      req.on("error", reject);
      req.write("a".repeat(600));
      req.end("b".repeat(600));
    });
    expect(reply).toBe('413 {"detail":"Request body is larger than the 1024-byte limit."}');
    expect(upstream.requests).toEqual([]);
  });

  test("relays a body exactly at the limit", async () => {
    const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts/1/prepaid-commits`, {
      method: "POST",
      headers: { authorization: TOKEN, "content-type": "application/json" },
      body: "y".repeat(1024),
    });
    expect(res.status).toBe(200);
    expect(upstream.requests[0]!.body).toBe("y".repeat(1024));
  });

  test("answers a request with a mismatched Host (DNS rebinding) with 421, and the pane's own host with 200", async () => {
    for (const name of ["attacker.example", "attacker.example:3000", "localhost.attacker.example", "127.0.0.1.nip.io", "x y", ""]) {
      const rebound = await rawRequest(host.url, "/campfire/rr/api/v1/contracts", name);
      expect([name, rebound.status, JSON.parse(rebound.body)]).toEqual([
        name,
        421,
        { detail: "This add-in host does not serve that host name." },
      ]);
    }
    expect(upstream.requests).toEqual([]);
    for (const name of ["localhost", "LOCALHOST:3000", "127.0.0.1:1234", "[::1]:3000"]) {
      expect([name, (await rawRequest(host.url, "/campfire/rr/api/v1/contracts", name)).status]).toEqual([name, 200]);
    }
  });

  test("refuses cross-origin calls to the relay (the browser would attach the pane's token otherwise) with 403", async () => {
    const attempts: Record<string, string>[] = [
      { origin: "https://attacker.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts`, {
        method: "POST",
        headers: { authorization: TOKEN, ...headers },
        body: "{}",
      });
      expect([res.status, await res.json()]).toEqual([403, { detail: "Cross-origin requests to the Campfire relay are refused." }]);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(upstream.requests).toEqual([]);
    const sameOrigin = await fetch(`${host.url}/campfire/rr/api/v1/contracts`, {
      method: "POST",
      headers: { authorization: TOKEN, origin: host.url, "sec-fetch-site": "same-origin" },
      body: "{}",
    });
    expect(sameOrigin.status).toBe(200);
    await sameOrigin.text();
  });

  test("logs one JSON line per request with its id, method, path and status, and never the token or the query", async () => {
    const first = await fetch(`${host.url}/campfire/rr/api/v1/contracts?deal_name=Acme`, { headers: { authorization: TOKEN } });
    await first.text();
    await (await fetch(`${host.url}/campfire/evil?token=abc`, { headers: { authorization: TOKEN } })).text();
    await (await fetch(`${host.url}/taskpane.html`)).text();
    await waitFor(() => logs.length >= 3);
    expect(logs).toHaveLength(3);
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      lines.map(({ level, msg, method, path: p, status, upstreamStatus }) => ({ level, msg, method, path: p, status, upstreamStatus })),
    ).toEqual([
      { level: "info", msg: "request", method: "GET", path: "/campfire/rr/api/v1/contracts", status: 200, upstreamStatus: 200 },
      { level: "info", msg: "request", method: "GET", path: "/campfire/evil", status: 404, upstreamStatus: undefined },
      { level: "info", msg: "request", method: "GET", path: "/taskpane.html", status: 200, upstreamStatus: undefined },
    ]);
    // The id in the log is the one the client got back, and the one Campfire saw.
    expect(lines[0]!.id).toBe(first.headers.get("x-request-id"));
    expect(upstream.requests[0]!.headers["x-request-id"]).toBe(lines[0]!.id);
    expect(new Set(lines.map((l) => l.id)).size).toBe(3);
    for (const line of lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof line.ms).toBe("number");
      expect(line.client).toBe("127.0.0.1");
    }
    for (const line of logs) {
      expect(line).not.toContain("s3cr3t");
      expect(line).not.toContain("Acme");
      expect(line).not.toContain("token=abc");
    }
  });

  test("relays only JSON: an HTML answer from upstream becomes a 502 with a plain message, and the body is not passed on", async () => {
    await host.close();
    await upstream.close();
    upstream = await startUpstream((_req, res) => {
      res.writeHead(500, { "content-type": "text/html; charset=utf-8" });
      res.end("<script>alert(document.domain)</script>");
    });
    host = await startHost({ port: 0, staticDir, upstream: upstream.url, log: (l) => logs.push(l) });
    const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts`, { headers: { authorization: TOKEN } });
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("Campfire answered 500 with text/html instead of JSON; the add-in host relays only JSON.");
    await waitFor(() => logs.some((l) => l.includes('"msg":"request"')));
    expect(
      logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "upstream answered non-JSON; refused"),
    ).toMatchObject({
      level: "warn",
      upstreamStatus: 500,
      upstreamType: "text/html",
    });
  });

  test.each([
    ["application/problem+json", 200, "application/problem+json"],
    ["application/json; charset=utf-8", 200, "application/json; charset=utf-8"],
    ["text/plain", 502, null],
    ["application/javascript", 502, null],
    ["image/svg+xml", 502, null],
    [undefined, 502, null],
  ])("an upstream answer of type %s is relayed with status %i", async (type, status, relayedType) => {
    await host.close();
    await upstream.close();
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, type === undefined ? {} : { "content-type": type });
      res.end("{}");
    });
    host = await startHost({ port: 0, staticDir, upstream: upstream.url, log: () => undefined });
    const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts`, { headers: { authorization: TOKEN } });
    expect(res.status).toBe(status);
    if (relayedType !== null) expect(res.headers.get("content-type")).toBe(relayedType);
    else expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    await res.text();
  });

  test("relays an empty 204 answer without a content type", async () => {
    await host.close();
    await upstream.close();
    upstream = await startUpstream((_req, res) => {
      res.writeHead(204, { "content-type": "text/html" });
      res.end();
    });
    host = await startHost({ port: 0, staticDir, upstream: upstream.url, log: () => undefined });
    const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts/1/prepaid-commits/2`, {
      method: "DELETE",
      headers: { authorization: TOKEN },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("content-type")).toBeNull();
  });
});

describe('add-in host: /sandbox relay (the pane\'s "Use the local sandbox")', () => {
  test("relays /sandbox/<api path> to the sandbox and /campfire/<api path> to Campfire, each to its own server", async () => {
    const campfire = await startUpstream();
    const sandbox = await startUpstream();
    const host = await startHost({ port: 0, staticDir, upstream: campfire.url, sandboxUpstream: sandbox.url, log: () => undefined });
    try {
      const viaSandbox = await fetch(`${host.url}/sandbox/rr/api/v1/contracts?limit=2`, { headers: { authorization: TOKEN } });
      expect(viaSandbox.status).toBe(200);
      await viaSandbox.text();
      const viaCampfire = await fetch(`${host.url}/campfire/coa/api/entity`, { headers: { authorization: TOKEN } });
      expect(viaCampfire.status).toBe(200);
      await viaCampfire.text();
      expect(sandbox.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
        ["GET", "/rr/api/v1/contracts?limit=2", TOKEN],
      ]);
      expect(campfire.requests.map((r) => [r.method, r.url])).toEqual([["GET", "/coa/api/entity"]]);

      const refused = await rawRequest(host.url, "/sandbox/../campfire/rr/api/v1/contracts");
      expect(refused.status).toBe(400);
      expect((await rawRequest(host.url, "/sandbox//attacker.com/rr/api/v1/x")).status).toBe(400);
      expect((await rawRequest(host.url, "/sandbox/admin")).status).toBe(404);
      expect(sandbox.requests).toHaveLength(1);
    } finally {
      await host.close();
      await campfire.close();
      await sandbox.close();
    }
  });

  test("defaults the sandbox to a loopback Campfire upstream (that is the sandbox)", async () => {
    const local = await startUpstream();
    const host = await startHost({ port: 0, staticDir, upstream: local.url, log: () => undefined });
    try {
      const res = await fetch(`${host.url}/sandbox/rr/api/v1/contracts`, { headers: { authorization: TOKEN } });
      expect(res.status).toBe(200);
      await res.text();
      expect(local.requests.map((r) => r.url)).toEqual(["/rr/api/v1/contracts"]);
    } finally {
      await host.close();
      await local.close();
    }
  });

  test.each<[string, string | null | undefined]>([
    ["a remote Campfire and no sandbox given", undefined],
    ["the sandbox switched off", null],
  ])("answers 503 on /sandbox with %s, without any network call", async (_name, sandboxUpstream) => {
    const host = await startHost({
      port: 0,
      staticDir,
      upstream: "https://campfire.example.invalid",
      sandboxUpstream,
      log: () => undefined,
    });
    try {
      const res = await fetch(`${host.url}/sandbox/rr/api/v1/contracts`, { headers: { authorization: TOKEN } });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        detail: "The local Campfire sandbox is not running with this host; start it with npm start.",
      });
    } finally {
      await host.close();
    }
  });
});

describe("add-in host: upstream failures", () => {
  test("answers 504 with a JSON detail when the upstream is slower than timeoutMs", async () => {
    const slow = await startUpstream((_req, res) => {
      const late = setTimeout(() => res.end("{}"), 5000);
      res.on("close", () => clearTimeout(late));
    });
    const host = await startHost({ port: 0, staticDir, upstream: slow.url, timeoutMs: 200, log: () => undefined });
    try {
      const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts`, { headers: { authorization: TOKEN } });
      expect(res.status).toBe(504);
      expect(await res.json()).toEqual({ detail: "Campfire did not answer within 200 ms." });
    } finally {
      await host.close();
      await slow.close();
    }
  });

  test("answers 502 with a JSON detail when the upstream resets connections", async () => {
    // An upstream that resets every connection, rather than a freed port that another test worker could take.
    const resetting = net.createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
    const deadPort = (resetting.address() as net.AddressInfo).port;
    const logs: string[] = [];
    const host = await startHost({ port: 0, staticDir, upstream: `http://127.0.0.1:${deadPort}`, log: (l) => logs.push(l) });
    try {
      const res = await fetch(`${host.url}/campfire/rr/api/v1/contracts`, { headers: { authorization: TOKEN } });
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ detail: `Could not reach Campfire at http://127.0.0.1:${deadPort} (ECONNRESET).` });
      expect(logs.join("\n")).not.toContain("s3cr3t");
    } finally {
      await host.close();
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });

  test("refuses to start without a build directory, saying how to make one", async () => {
    const missing = path.join(os.tmpdir(), "no-such-dist-for-host-test");
    await expect(startHost({ port: 0, staticDir: missing, upstream: "http://127.0.0.1:4010" })).rejects.toThrow(
      `The add-in build ${missing} does not exist; run npm run build first`,
    );
  });

  test("rejects an upstream URL that is not http(s) or carries credentials", async () => {
    await expect(startHost({ port: 0, staticDir, upstream: "ftp://example.com" })).rejects.toThrow(
      'Campfire base URL must be http or https, got "ftp:"',
    );
    await expect(startHost({ port: 0, staticDir, upstream: "https://user:pw@example.com" })).rejects.toThrow(
      "Campfire base URL must not contain credentials; the token travels in Authorization",
    );
  });
});

describe("add-in host: static files", () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost({ port: 0, staticDir, upstream: "http://127.0.0.1:9", log: () => undefined });
  });
  afterAll(async () => {
    await host.close();
  });

  test.each([
    ["/taskpane.html", "text/html; charset=utf-8", "<!doctype html><title>pane</title>"],
    ["/", "text/html; charset=utf-8", "<!doctype html><title>pane</title>"],
    ["/taskpane.js", "text/javascript; charset=utf-8", "console.info('pane');"],
    ["/functions.json", "application/json; charset=utf-8", '{"functions":[]}'],
    ["/manifest.xml", "application/xml; charset=utf-8", "<OfficeApp/>"],
    ["/functions.json?v=2", "application/json; charset=utf-8", '{"functions":[]}'],
  ])("serves %s as %s", async (urlPath, type, body) => {
    const res = await fetch(`${host.url}${urlPath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe(body);
  });

  test("serves PNG icons as image/png", async () => {
    const res = await fetch(`${host.url}/assets/icon-16.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  test.each([
    ["/../secret.txt", 400, "Dot segments in the path are refused."],
    ["/assets/../../secret.txt", 400, "Dot segments in the path are refused."],
    ["/%2e%2e/secret.txt", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/assets/%2e%2e/%2e%2e/secret.txt", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/..%2fsecret.txt", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/..%5csecret.txt", 400, "Encoded dots or slashes and backslashes in the path are refused."],
    ["/%252e%252e/secret.txt", 400, "Double-encoded characters in the path are refused."],
    ["/..;/secret.txt", 400, "Path parameters (;) are refused."],
    ["/assets%00/icon-16.png", 400, "Encoded control characters are refused."],
    ["/%E0%A4%A", 400, "Encoded non-ASCII bytes in the path are refused."],
    ["/taskpane.html%", 400, "Malformed percent-encoding in the path."],
    ["/link-out.txt", 404, "Not found."],
    ["/assets", 404, "Not found."],
    ["/assets/", 404, "Not found."],
    ["/missing.js", 404, "Not found."],
  ])("refuses %s with %i", async (target, status, detail) => {
    const res = await rawRequest(host.url, target);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({ detail });
    expect(res.body).not.toContain("outside the static dir");
  });

  test("answers 500 for a broken file in the build and logs why", async () => {
    const logs: string[] = [];
    const looping = await startHost({ port: 0, staticDir, upstream: "http://127.0.0.1:9", log: (l) => logs.push(l) });
    try {
      const res = await fetch(`${looping.url}/loop.txt`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ detail: "Internal error in the add-in host." });
      const error = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === "error");
      expect(error).toMatchObject({ msg: "static file failed; answering 500", code: "ELOOP", id: res.headers.get("x-request-id") });
      expect(String(error!.error)).toContain("ELOOP");
    } finally {
      await looping.close();
    }
  });

  test("gives the pane's pages a Content-Security-Policy with their inline scripts' hashes, and other files none-at-all", async () => {
    const page = await fetch(`${host.url}/preview.html`);
    expect(page.status).toBe(200);
    const hash = crypto.createHash("sha256").update(INLINE_SCRIPT).digest("base64");
    expect(page.headers.get("content-security-policy")).toBe(
      "default-src 'self'; " +
        `script-src 'self' https://appsforoffice.microsoft.com 'sha256-${hash}'; ` +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'self' https://*.officeapps.live.com https://*.office.com https://*.office365.com https://*.microsoft365.com https://*.cloud.microsoft https://*.sharepoint.com https://onedrive.live.com",
    );
    await page.text();
    const pane = await fetch(`${host.url}/taskpane.html`);
    expect(pane.headers.get("content-security-policy")).toMatch(
      /^default-src 'self'; script-src 'self' https:\/\/appsforoffice\.microsoft\.com; style-src/,
    );
    await pane.text();
    const script = await fetch(`${host.url}/taskpane.js`);
    expect(script.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    await script.text();
  });
  test("refuses to write with POST on static paths", async () => {
    const res = await fetch(`${host.url}/taskpane.html`, { method: "POST", body: "x" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("path rules", () => {
  test.each([
    ["/campfire/rr/api/v1/contracts", "/rr/api/v1/contracts"],
    ["/campfire/rr/api/v1", "/rr/api/v1"],
    ["/campfire/rr/api/v1/contracts/", "/rr/api/v1/contracts/"],
    ["/campfire/coa/api/entity?limit=500", "/coa/api/entity?limit=500"],
    [
      "/campfire/rr/api/v1/contracts?last_modified_at__gte=2026-01-01T00:00:00%2B00:00",
      "/rr/api/v1/contracts?last_modified_at__gte=2026-01-01T00:00:00%2B00:00",
    ],
  ])("maps %s to %s", (raw, upstreamPath) => {
    expect(proxyTargetFor(raw)).toEqual({ ok: true, pathAndQuery: upstreamPath });
  });

  test("keeps resolved static paths inside the root", () => {
    expect(staticFileFor("/srv/dist", "/assets/icon-16.png")).toBe(path.join("/srv/dist", "assets", "icon-16.png"));
    expect(staticFileFor("/srv/dist", "/../etc/passwd")).toBeNull();
    expect(staticFileFor("/srv/dist", "/%2e%2e/etc/passwd")).toBeNull();
  });
});
