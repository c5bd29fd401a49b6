/**
 * The add-in host: serves the built add-in (dist/) and relays Campfire API calls for the task pane.
 *
 * Why a relay at all: Campfire does not document CORS for browser origins, and the task pane is a browser page.
 * Serving the pane and `/campfire/...` from one origin avoids CORS entirely. The relay is deliberately narrow:
 * fixed upstreams, API paths only, a header allowlist, bounded size and time — it must never become an open proxy.
 * `/sandbox/...` is the same relay to the local Campfire sandbox (the pane's "Use the local sandbox").
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { pipeline } from "node:stream";

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;
/** The prefix under which the task pane reaches Campfire (ClientOptions.baseUrl = "<origin>/campfire"). */
export const PROXY_PREFIX = "/campfire/";
/** The prefix under which the task pane reaches the local sandbox (ClientOptions.baseUrl = "<origin>/sandbox"). */
export const SANDBOX_PREFIX = "/sandbox/";
/** Only these Campfire API trees are relayed; everything else under /campfire is 404. */
export const ALLOWED_API_ROOTS = ["rr/api/v1", "coa/api"] as const;

export interface HostTls {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
}

export interface HostOptions {
  /** 0 picks a free port. */
  port: number;
  /** Bind address; default 127.0.0.1 so the relay (which carries API tokens) is not reachable from the network. */
  hostname?: string;
  https?: HostTls | null;
  /** The built add-in (dist/). */
  staticDir: string;
  /** Campfire base URL, e.g. http://127.0.0.1:4010 or https://api.meetcampfire.com. Relayed under /campfire/. */
  upstream: string;
  /**
   * The local sandbox, relayed under /sandbox/. Default: `upstream` when that is a loopback address (the only
   * Campfire on this machine is the sandbox), otherwise none. null: none — /sandbox/ then answers 503.
   */
  sandboxUpstream?: string | null;
  maxBodyBytes?: number;
  timeoutMs?: number;
  /** One line per request; default writes to stdout. */
  log?: (line: string) => void;
}

export interface RunningHost {
  url: string;
  close(): Promise<void>;
}

export class HostConfigError extends Error {
  override name = "HostConfigError";
}

/** Request headers relayed to Campfire. Everything else (cookies, hop-by-hop, forwarding headers) is dropped. */
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "authorization",
  "content-type",
  "idempotency-key",
  "if-match",
  "if-none-match",
] as const;

/** Response headers relayed back. No set-cookie, no hop-by-hop, no upstream Location (it names the upstream). */
const FORWARDED_RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "retry-after",
  "etag",
  "last-modified",
  "cache-control",
  "x-request-id",
] as const;

const PROXY_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? "application/octet-stream";
}

type ProxyTarget = { ok: true; pathAndQuery: string } | { ok: false; status: number; detail: string };

/**
 * Maps a raw request target (`/campfire/rr/api/v1/contracts?limit=5`) to the upstream path, or says why not.
 * Works on the raw, still-encoded target so that `%2e%2e` or `%2f` cannot smuggle a different path past the check.
 */
export function proxyTargetFor(rawTarget: string, prefix: string = PROXY_PREFIX): ProxyTarget {
  if (!rawTarget.startsWith(prefix)) return { ok: false, status: 404, detail: "Not found." };
  const queryAt = rawTarget.indexOf("?");
  const rawPath = queryAt === -1 ? rawTarget : rawTarget.slice(0, queryAt);
  const query = queryAt === -1 ? "" : rawTarget.slice(queryAt);
  const rest = rawPath.slice(prefix.length);
  const refused: ProxyTarget = { ok: false, status: 404, detail: "Not a Campfire API path." };
  // Unreserved characters, sub-delims used in ids, and plain percent escapes only.
  if (!/^[A-Za-z0-9\-._~/%:@!$&'()*+,;=]*$/.test(rest)) return refused;
  // Encoded dot, slash, backslash or NUL could be decoded upstream into a path other than the one checked here.
  if (/%(2e|2f|5c|00)/i.test(rest) || /%(?![0-9A-Fa-f]{2})/.test(rest)) return refused;
  const segments = rest.split("/");
  // "" inside the path (a//b) or a dot segment could reach another host or tree after normalisation.
  if (segments.slice(0, -1).some((s) => s === "" || s === "." || s === "..")) return refused;
  const last = segments[segments.length - 1];
  if (last === "." || last === "..") return refused;
  const allowed = ALLOWED_API_ROOTS.some((root) => rest === root || rest.startsWith(`${root}/`));
  if (!allowed) return refused;
  // eslint-disable-next-line no-control-regex -- control characters in a query are exactly what is refused
  if (/[\u0000-\u001f\u007f\s#]/.test(query)) return refused;
  return { ok: true, pathAndQuery: `/${rest}${query}` };
}

/** Resolves a URL path to a file strictly inside `root`, or null. */
export function staticFileFor(root: string, rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  if (decoded.split("/").some((s) => s === "..")) return null;
  const resolved = path.resolve(root, `.${decoded}`);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}

function parseUpstream(upstream: string, what = "Campfire base URL"): URL {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    throw new HostConfigError(`${what} "${upstream}" is not a URL; expected e.g. https://api.meetcampfire.com`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HostConfigError(`${what} must be http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new HostConfigError(`${what} must not contain credentials; the token travels in Authorization`);
  }
  if (url.search || url.hash) {
    throw new HostConfigError(`${what} must not have a query or fragment`);
  }
  return url;
}

function isLoopback(url: URL): boolean {
  return url.hostname === "localhost" || url.hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** One relay destination: where /campfire/ or /sandbox/ requests go. */
interface Upstream {
  url: URL;
  basePath: string;
  agent: typeof http | typeof https;
  /** Names it in error messages. */
  label: string;
}

function toUpstream(url: URL, label: string): Upstream {
  return { url, basePath: url.pathname.replace(/\/+$/, ""), agent: url.protocol === "https:" ? https : http, label };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...extra,
  });
  res.end(text);
}

/** The path as logged: never the query (it may hold ids or filters a user did not mean to log), never control chars. */
function loggablePath(rawTarget: string): string {
  const noQuery = rawTarget.split("?", 1)[0] ?? "";
  const clean = noQuery.replace(/[^\x21-\x7e]/g, "?");
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const campfireUrl = parseUpstream(options.upstream);
  const campfire = toUpstream(campfireUrl, "Campfire");
  let sandbox: Upstream | null;
  if (options.sandboxUpstream === undefined) sandbox = isLoopback(campfireUrl) ? toUpstream(campfireUrl, "the local sandbox") : null;
  else if (options.sandboxUpstream === null) sandbox = null;
  else sandbox = toUpstream(parseUpstream(options.sandboxUpstream, "Sandbox URL"), "the local sandbox");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const staticDir = path.resolve(options.staticDir);
  if (!fs.existsSync(staticDir) || !fs.statSync(staticDir).isDirectory()) {
    throw new HostConfigError(`The add-in build ${staticDir} does not exist; run npm run build first`);
  }
  const root = fs.realpathSync(staticDir);

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, upstream: Upstream, pathAndQuery: string): void {
    const method = req.method ?? "GET";
    if (!PROXY_METHODS.has(method)) {
      sendJson(res, 405, { detail: `Method ${method} is not relayed to Campfire.` }, { allow: [...PROXY_METHODS].join(", ") });
      return;
    }
    const declared = Number(req.headers["content-length"] ?? "0");
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      tooLarge(req, res);
      return;
    }
    // The body is buffered (it is bounded) so a 413 can be answered before anything reaches Campfire.
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on("data", (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        aborted = true;
        tooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => {
      aborted = true;
      res.destroy();
    });
    req.on("end", () => {
      if (!aborted) forward(req, res, upstream, method, pathAndQuery, Buffer.concat(chunks));
    });
  }

  function tooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Close the connection: the rest of an oversized body is not worth reading.
    sendJson(res, 413, { detail: `Request body is larger than the ${maxBodyBytes}-byte limit.` }, { connection: "close" });
    req.resume();
  }

  function forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    upstream: Upstream,
    method: string,
    pathAndQuery: string,
    body: Buffer,
  ): void {
    const headers: Record<string, string | string[] | number> = { host: upstream.url.host };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    if (body.length > 0 || ["POST", "PUT", "PATCH"].includes(method)) headers["content-length"] = body.length;

    const upstreamReq = upstream.agent.request({
      protocol: upstream.url.protocol,
      hostname: upstream.url.hostname,
      port: upstream.url.port || undefined,
      method,
      path: upstream.basePath + pathAndQuery,
      headers,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      upstreamReq.destroy();
      if (res.headersSent) res.destroy();
      else sendJson(res, 504, { detail: `${capitalize(upstream.label)} did not answer within ${timeoutMs} ms.` });
    }, timeoutMs);
    const finish = () => clearTimeout(timer);
    res.on("close", () => {
      finish();
      // The task pane went away: stop the upstream exchange too.
      if (!upstreamReq.destroyed) upstreamReq.destroy();
    });

    upstreamReq.on("response", (upstreamRes) => {
      const out: Record<string, string | string[]> = {};
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = upstreamRes.headers[name];
        if (value !== undefined) out[name] = value;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, out);
      pipeline(upstreamRes, res, () => finish());
    });
    upstreamReq.on("error", (err: NodeJS.ErrnoException) => {
      finish();
      if (timedOut) return;
      const reason = err.code ?? "connection error";
      sendJson(res, 502, { detail: `Could not reach ${upstream.label} at ${upstream.url.origin} (${reason}).` });
    });
    upstreamReq.end(body);
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, rawTarget: string): void {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      sendJson(res, 405, { detail: "Only GET and HEAD are served here." }, { allow: "GET, HEAD" });
      return;
    }
    const rawPath = rawTarget.split("?", 1)[0] ?? "/";
    const requested = staticFileFor(root, rawPath === "/" ? "/taskpane.html" : rawPath);
    if (requested === null) {
      sendJson(res, 404, { detail: "Not found." });
      return;
    }
    fs.realpath(requested, (realErr, real) => {
      // A symlink inside dist/ must not lead outside it.
      if (realErr || (real !== root && !real.startsWith(root + path.sep))) {
        sendJson(res, 404, { detail: "Not found." });
        return;
      }
      fs.stat(real, (statErr, stat) => {
        if (statErr || !stat.isFile()) {
          // Directories are never listed.
          sendJson(res, 404, { detail: "Not found." });
          return;
        }
        res.writeHead(200, {
          "content-type": contentTypeFor(real),
          "content-length": stat.size,
          "cache-control": "no-cache",
          "x-content-type-options": "nosniff",
        });
        if (method === "HEAD") {
          res.end();
          return;
        }
        pipeline(fs.createReadStream(real), res, () => undefined);
      });
    });
  }

  const handler: http.RequestListener = (req, res) => {
    const started = process.hrtime.bigint();
    const rawTarget = req.url ?? "/";
    res.on("finish", () => logLine());
    res.on("close", () => logLine());
    let logged = false;
    function logLine(): void {
      if (logged) return;
      logged = true;
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      // writableEnded, not writableFinished: a client may close right after reading the whole body.
      const status = res.writableEnded ? String(res.statusCode) : `${res.statusCode}(aborted)`;
      log(`${req.method ?? "?"} ${loggablePath(rawTarget)} ${status} ${ms}ms`);
    }

    try {
      // Absolute-form ("GET http://elsewhere/...") and authority-form targets are proxy requests: refuse them.
      if (!rawTarget.startsWith("/")) {
        sendJson(res, 400, { detail: "Only origin-form request targets are accepted." });
        req.resume();
        return;
      }
      for (const [prefix, upstream] of [
        [PROXY_PREFIX, campfire],
        [SANDBOX_PREFIX, sandbox],
      ] as const) {
        const bare = prefix.slice(0, -1);
        if (rawTarget !== bare && !rawTarget.startsWith(prefix) && !rawTarget.startsWith(`${bare}?`)) continue;
        const target = proxyTargetFor(rawTarget, prefix);
        if (!target.ok) {
          sendJson(res, target.status, { detail: target.detail });
        } else if (upstream === null) {
          sendJson(res, 503, { detail: "The local Campfire sandbox is not running with this host; start it with npm start." });
        } else {
          proxy(req, res, upstream, target.pathAndQuery);
          return;
        }
        req.resume();
        return;
      }
      req.resume();
      serveStatic(req, res, rawTarget);
    } catch {
      sendJson(res, 500, { detail: "Internal error in the add-in host." });
    }
  };

  const server = options.https
    ? https.createServer({ key: options.https.key, cert: options.https.cert, ca: options.https.ca }, handler)
    : http.createServer(handler);
  // Slow clients get the same bound as a slow upstream.
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(timeoutMs, 60_000);

  const hostname = options.hostname ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `${options.https ? "https" : "http"}://${shownHost}:${port}`;

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
