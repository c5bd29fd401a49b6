/**
 * The production host, built and started exactly as the Docker image runs it (see built-host.ts), in front of a
 * real Campfire sandbox: health, readiness, the relay, the image's HEALTHCHECK, configuration errors, TLS, and a
 * clean SIGTERM.
 */
import { builtinModules } from "node:module";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { generateCertificates } from "office-addin-dev-certs";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { layOutImage, readDockerfile, runBuiltHost, startBuiltHost, type BuiltHost, type ImageSpec } from "./built-host";

const ADDIN_URL = "https://addin.example.com/";
const ADDIN_HOST = "addin.example.com";

let app: string;
let image: ImageSpec;
let sandbox: RunningSandbox;
const started: BuiltHost[] = [];

beforeAll(async () => {
  image = readDockerfile();
  app = layOutImage();
  sandbox = await startSandbox({ port: 0 });
}, 120_000);

afterAll(async () => {
  for (const host of started) await host.stop();
  await sandbox.close();
  fs.rmSync(path.dirname(app), { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { CAMPFIRE_BASE_URL: sandbox.url, CAMPFIRE_ADDIN_URL: ADDIN_URL, PORT: "0", BIND_ADDRESS: "127.0.0.1", ...extra };
}

async function start(extra: Record<string, string> = {}): Promise<BuiltHost> {
  const host = await startBuiltHost(app, image, env(extra));
  started.push(host);
  return host;
}

/** A GET through node:http, so the Host header can be the public name (fetch does not allow setting it). */
function get(
  url: string,
  headers: Record<string, string> = {},
  ca?: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers: { host: ADDIN_HOST, ...headers }, ca, servername: ca ? "localhost" : undefined }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

describe("the image", () => {
  test("runs the bundled host with plain node from /app as the unprivileged node user, with a HEALTHCHECK", () => {
    expect(image).toEqual({
      from: "node:20-alpine",
      workdir: "/app",
      env: { NODE_ENV: "production", PORT: "8080" },
      user: "node",
      healthcheck: ["node", "dist-host/host.js", "healthcheck"],
      cmd: ["node", "dist-host/host.js"],
    });
  });

  test("the bundle is one file that needs only Node's built-in modules", () => {
    expect(fs.readdirSync(path.join(app, "dist-host"))).toEqual(["host.js"]);
    const code = fs.readFileSync(path.join(app, "dist-host", "host.js"), "utf8");
    const required = [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))].sort();
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !builtinModules.includes(name.replace(/^node:/, "")))).toEqual([]);
  });
});

describe("the running host", () => {
  let host: BuiltHost;
  beforeAll(async () => {
    host = await start();
  });

  test("logs that it listens, on which address, for which Campfire and which host names", () => {
    expect(host.logs().find((l) => l.msg === "listening")).toMatchObject({
      level: "info",
      url: host.url,
      campfire: sandbox.url,
      tls: false,
      trustProxy: false,
      allowedHosts: ADDIN_HOST,
    });
  });

  test("answers /healthz and /readyz (Campfire reachable: the unauthenticated probe gets Campfire's 401)", async () => {
    const health = await get(`${host.url}/healthz`);
    expect([health.status, JSON.parse(health.body)]).toEqual([200, { status: "ok" }]);
    const ready = await get(`${host.url}/readyz`);
    expect([ready.status, JSON.parse(ready.body)]).toEqual([200, { status: "ready", campfire: "Campfire answered 401" }]);
    // Probes are answered whatever Host they name: load balancers probe by address.
    expect((await get(`${host.url}/healthz`, { host: "10.0.0.7:8080" })).status).toBe(200);
  });

  test("relays the pane's API calls to Campfire with the user's token, and serves the pane", async () => {
    sandbox.reset();
    const res = await get(`${host.url}/campfire/rr/api/v1/contracts?limit=2`, { authorization: `Token ${sandbox.token}` });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    const body = JSON.parse(res.body) as { count: number; results: { id: number }[] };
    expect([body.count, body.results.map((c) => c.id)]).toEqual([7, [1, 2]]);
    expect(sandbox.requests).toEqual([{ method: "GET", path: "/rr/api/v1/contracts?limit=2", status: 200 }]);

    const pane = await get(`${host.url}/`);
    expect([pane.status, pane.body]).toEqual([200, fs.readFileSync(path.join(app, "dist", "taskpane.html"), "utf8")]);
    expect(pane.headers["content-security-policy"]).toContain("script-src 'self' https://appsforoffice.microsoft.com;");

    const line = host.logs().find((l) => l.msg === "request" && String(l.path).startsWith("/campfire/"));
    expect(line).toMatchObject({ method: "GET", path: "/campfire/rr/api/v1/contracts", status: 200, upstreamStatus: 200 });
    expect(JSON.stringify(host.logs())).not.toContain(sandbox.token);
    expect(JSON.stringify(host.logs())).not.toContain("limit=2");
  });

  test("the image's HEALTHCHECK command exits 0 while the host answers", async () => {
    const run = await runBuiltHost(app, image, image.healthcheck, { PORT: String(host.port), BIND_ADDRESS: "127.0.0.1" });
    expect(run.code).toBe(0);
  });
});

test("the HEALTHCHECK command exits 1 when nothing answers", async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const run = await runBuiltHost(app, image, image.healthcheck, { PORT: String(closedPort) });
  expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/^healthcheck: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/)]);
});

test("/readyz answers 503 while Campfire cannot be reached, and /healthz stays 200", async () => {
  const resetting = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
  try {
    const host = await start({ CAMPFIRE_BASE_URL: `http://127.0.0.1:${(resetting.address() as net.AddressInfo).port}` });
    const ready = await get(`${host.url}/readyz`);
    expect([ready.status, JSON.parse(ready.body)]).toEqual([503, { status: "not ready", campfire: "Campfire unreachable (ECONNRESET)" }]);
    expect((await get(`${host.url}/healthz`)).status).toBe(200);
  } finally {
    await new Promise<void>((resolve) => resetting.close(() => resolve()));
  }
});

describe("configuration errors stop the host with exit code 78 and say what is wrong", () => {
  test.each<[string, Record<string, string>, string[]]>([
    [
      "nothing set",
      {},
      [
        "CAMPFIRE_BASE_URL is not set; set it to Campfire's API address, e.g. https://api.meetcampfire.com",
        "Neither CAMPFIRE_ADDIN_URL nor ALLOWED_HOSTS is set; set CAMPFIRE_ADDIN_URL to the add-in's public https URL (the one the manifest was built for), otherwise only localhost is served",
      ],
    ],
    [
      "a plain-http remote Campfire",
      { CAMPFIRE_BASE_URL: "http://api.meetcampfire.com", ALLOWED_HOSTS: ADDIN_HOST },
      [
        'CAMPFIRE_BASE_URL must use https unless it is on this machine (localhost, 127.x.x.x, [::1]): plain http would carry API tokens in clear text, got "http://api.meetcampfire.com"',
      ],
    ],
    [
      "bad numbers, flags and names",
      {
        CAMPFIRE_BASE_URL: "https://api.meetcampfire.com",
        CAMPFIRE_ADDIN_URL: "http://addin.example.com",
        ALLOWED_HOSTS: "addin.example.com, https://x.example.com",
        PORT: "80x",
        TRUST_PROXY: "maybe",
        MAX_CONNECTIONS: "0",
      },
      [
        'PORT must be a whole number from 0 to 65535, got "80x"',
        'CAMPFIRE_ADDIN_URL must be an https:// URL (Office requires it), got "http://addin.example.com"',
        'ALLOWED_HOSTS entries must be host names without scheme or port, got "https://x.example.com"',
        'TRUST_PROXY must be true or false, got "maybe"',
        'MAX_CONNECTIONS must be a whole number from 1 to 1000000, got "0"',
      ],
    ],
    [
      "half of a TLS pair",
      { CAMPFIRE_BASE_URL: "https://api.meetcampfire.com", ALLOWED_HOSTS: ADDIN_HOST, TLS_CERT_FILE: "/etc/ssl/addin.crt" },
      ["TLS_CERT_FILE and TLS_KEY_FILE go together; set both (PEM files) or neither"],
    ],
    [
      "unreadable TLS files",
      {
        CAMPFIRE_BASE_URL: "https://api.meetcampfire.com",
        ALLOWED_HOSTS: ADDIN_HOST,
        TLS_CERT_FILE: "/no/cert.pem",
        TLS_KEY_FILE: "/no/key.pem",
      },
      ["TLS_CERT_FILE /no/cert.pem cannot be read (ENOENT)", "TLS_KEY_FILE /no/key.pem cannot be read (ENOENT)"],
    ],
  ])("%s", async (_name, environment, problems) => {
    const run = await runBuiltHost(app, image, image.cmd, environment);
    expect(run.code).toBe(78);
    expect(run.stderr).toBe(
      `The add-in host configuration is not valid:\n${problems.map((p) => `  - ${p}\n`).join("")}See docs/deploy.md for every setting.\n`,
    );
    expect(JSON.parse(run.stdout.trim())).toMatchObject({
      level: "error",
      msg: "configuration is not valid; not starting",
      problems: problems.join("; "),
    });
  });

  test("a build directory without the add-in", async () => {
    const run = await runBuiltHost(app, image, image.cmd, { ...env(), STATIC_DIR: path.dirname(app) });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(
      `  - The add-in build has no taskpane.html in ${path.dirname(app)}; run npm run build (or set STATIC_DIR)\n`,
    );
  });
});

test("serves TLS directly from TLS_CERT_FILE / TLS_KEY_FILE, with HSTS, and the HEALTHCHECK speaks TLS too", async () => {
  const dir = fs.mkdtempSync(path.join(path.dirname(app), "tls-"));
  const files = { ca: path.join(dir, "ca.crt"), cert: path.join(dir, "localhost.crt"), key: path.join(dir, "localhost.key") };
  const quiet = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    await generateCertificates(files.ca, files.cert, files.key, 1);
  } finally {
    quiet.mockRestore();
  }
  const tls = { TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key };
  const host = await start(tls);
  expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const ca = fs.readFileSync(files.ca);
  const health = await get(`${host.url}/healthz`, {}, ca);
  expect([health.status, health.headers["strict-transport-security"]]).toEqual([200, "max-age=31536000"]);
  const run = await runBuiltHost(app, image, image.healthcheck, { ...tls, PORT: String(host.port), BIND_ADDRESS: "127.0.0.1" });
  expect(run.code).toBe(0);

  const mismatched = await runBuiltHost(app, image, image.cmd, { ...env(), TLS_CERT_FILE: files.ca, TLS_KEY_FILE: files.key });
  expect(mismatched.code).toBe(78);
  expect(mismatched.stderr).toMatch(/ {2}- TLS_CERT_FILE and TLS_KEY_FILE are not a usable certificate and key: .*key values mismatch/);
}, 60_000);

describe("SIGTERM", () => {
  test("lets the request in flight finish, refuses new connections, and exits 0", async () => {
    // A TCP pass-through in front of the sandbox tells the test the moment the host has the request out to Campfire.
    let upstreamReached: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (upstreamReached = resolve));
    const tap = net.createServer((client) => {
      const upstream = net.connect(sandbox.port, "127.0.0.1");
      client.once("data", () => upstreamReached());
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => tap.listen(0, "127.0.0.1", resolve));
    try {
      const host = await start({
        CAMPFIRE_BASE_URL: `http://127.0.0.1:${(tap.address() as net.AddressInfo).port}`,
        SHUTDOWN_GRACE_MS: "20000",
      });
      sandbox.reset();
      sandbox.injectFaults([{ delayMs: 1_500 }], { pathIncludes: "/contracts/3" });
      const inFlight = get(`${host.url}/campfire/rr/api/v1/contracts/3`, { authorization: `Token ${sandbox.token}` });
      await reached;
      host.child.kill("SIGTERM");
      await waitFor(() => host.logs().some((l) => l.msg === "shutting down: finishing requests in flight"));
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(host.port, "127.0.0.1");
        socket.on("connect", () => resolve("connected"));
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
      expect(refused).toBe("ECONNREFUSED");

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as { id: number }).id).toBe(3);
      expect(await host.exited).toEqual({ code: 0, signal: null });
      expect(
        host
          .logs()
          .map((l) => l.msg)
          .slice(-3),
      ).toEqual(["shutting down: finishing requests in flight", "request", "stopped"]);
      expect(host.logs().find((l) => l.msg === "shutting down: finishing requests in flight")).toMatchObject({
        signal: "SIGTERM",
        graceMs: 20_000,
      });
    } finally {
      await new Promise<void>((resolve) => tap.close(() => resolve()));
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error("condition not met in 5 s");
}
