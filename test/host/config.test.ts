import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HostEnvError, productionConfigFromEnv } from "../../src/host/config";
import { DEFAULT_FRAME_ANCESTORS } from "../../src/host/security-headers";

let bundleDir: string;
let distDir: string;

beforeAll(() => {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "host-config-"));
  bundleDir = path.join(app, "dist-host");
  distDir = path.join(app, "dist");
  fs.mkdirSync(bundleDir);
  fs.mkdirSync(distDir);
  fs.writeFileSync(path.join(distDir, "taskpane.html"), "<p>pane</p>");
  fs.writeFileSync(path.join(distDir, "manifest.xml"), "<OfficeApp/>");
});

const BASE = { CAMPFIRE_BASE_URL: "https://api.meetcampfire.com/", CAMPFIRE_ADDIN_URL: "https://Addin.Example.com/excel/" };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    productionConfigFromEnv(env, bundleDir);
  } catch (error) {
    if (error instanceof HostEnvError) return error.problems;
    throw error;
  }
  return [];
}

test("defaults: port 8080 on every interface, dist/ next to the bundle, no sandbox, 8 s to drain", () => {
  expect(productionConfigFromEnv(BASE, bundleDir)).toEqual({
    options: {
      port: 8080,
      hostname: "0.0.0.0",
      https: null,
      staticDir: distDir,
      upstream: "https://api.meetcampfire.com",
      sandboxUpstream: null,
      allowedHosts: ["addin.example.com"],
      trustProxy: false,
      frameAncestors: DEFAULT_FRAME_ANCESTORS,
      maxBodyBytes: 5 * 1024 * 1024,
      timeoutMs: 60_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxConnections: 2_000,
    },
    shutdownGraceMs: 8_000,
    drainDelayMs: 0,
  });
});

test("every setting is read", () => {
  const { options, shutdownGraceMs } = productionConfigFromEnv(
    {
      ...BASE,
      HOST_PORT: "9443",
      BIND_ADDRESS: "::",
      ALLOWED_HOSTS: "excel.example.com, Other.example.org",
      TRUST_PROXY: "yes",
      FRAME_ANCESTORS: "'self' https://*.officeapps.live.com",
      STATIC_DIR: distDir,
      MAX_BODY_BYTES: "2048",
      UPSTREAM_TIMEOUT_MS: "15000",
      HEADERS_TIMEOUT_MS: "5000",
      REQUEST_TIMEOUT_MS: "20000",
      MAX_CONNECTIONS: "500",
      SHUTDOWN_GRACE_MS: "25000",
    },
    bundleDir,
  );
  expect({ ...options, https: undefined }).toEqual({
    port: 9443,
    hostname: "::",
    https: undefined,
    staticDir: distDir,
    upstream: "https://api.meetcampfire.com",
    sandboxUpstream: null,
    allowedHosts: ["addin.example.com", "excel.example.com", "other.example.org"],
    trustProxy: true,
    frameAncestors: ["'self'", "https://*.officeapps.live.com"],
    maxBodyBytes: 2048,
    timeoutMs: 15_000,
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 20_000,
    maxConnections: 500,
  });
  expect(shutdownGraceMs).toBe(25_000);
});

test.each<[string, NodeJS.ProcessEnv, string[]]>([
  ["a loopback http Campfire is fine (the sandbox)", { ...BASE, CAMPFIRE_BASE_URL: "http://127.0.0.1:4010" }, []],
  [
    "Campfire with credentials",
    { ...BASE, CAMPFIRE_BASE_URL: "https://user:pw@api.meetcampfire.com" },
    ["CAMPFIRE_BASE_URL must not contain credentials; the token travels in Authorization"],
  ],
  [
    "Campfire not a URL",
    { ...BASE, CAMPFIRE_BASE_URL: "api.meetcampfire.com" },
    ['CAMPFIRE_BASE_URL "api.meetcampfire.com" is not a URL; expected e.g. https://api.meetcampfire.com'],
  ],
  [
    "PORT and HOST_PORT disagree",
    { ...BASE, PORT: "8080", HOST_PORT: "3000" },
    ["PORT (8080) and HOST_PORT (3000) disagree; set only one"],
  ],
  [
    "a bind address that is a name",
    { ...BASE, BIND_ADDRESS: "localhost" },
    ['BIND_ADDRESS must be an IP address such as 0.0.0.0 or ::, got "localhost"'],
  ],
  ["ALLOWED_HOSTS alone is enough", { CAMPFIRE_BASE_URL: BASE.CAMPFIRE_BASE_URL, ALLOWED_HOSTS: "excel.example.com" }, []],
  [
    "an allowed host with a port",
    { ...BASE, ALLOWED_HOSTS: "excel.example.com:443" },
    ['ALLOWED_HOSTS entries must be host names without scheme or port, got "excel.example.com:443"'],
  ],
  [
    "a frame ancestor over http",
    { ...BASE, FRAME_ANCESTORS: "'self' http://evil.example *" },
    [
      `FRAME_ANCESTORS entries must be 'self' or https://host (optionally https://*.domain), got "http://evil.example"`,
      `FRAME_ANCESTORS entries must be 'self' or https://host (optionally https://*.domain), got "*"`,
    ],
  ],
  [
    "a timeout that is not a number",
    { ...BASE, HEADERS_TIMEOUT_MS: "10s" },
    ['HEADERS_TIMEOUT_MS must be a whole number from 100 to 600000, got "10s"'],
  ],
  ["TRUST_PROXY in other words", { ...BASE, TRUST_PROXY: "OFF" }, []],
])("%s", (_name, env, expected) => {
  expect(problems(env)).toEqual(expected);
});
