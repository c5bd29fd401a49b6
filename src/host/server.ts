/**
 * The add-in host: serves the built add-in (dist/) and relays Campfire API calls for the task pane.
 *
 * Why a relay at all: Campfire does not document CORS for browser origins, and the task pane is a browser page.
 * Serving the pane and `/campfire/...` from one origin avoids CORS entirely. The relay is deliberately narrow:
 * fixed upstreams, API paths only, a header allowlist, JSON answers only, bounded size and time — it must never
 * become an open proxy, and nothing it relays may run as script on the add-in's origin.
 * `/sandbox/...` is the same relay to the local Campfire sandbox (the pane's "Use the local sandbox").
 *
 * The same server runs on a laptop (`npm start`, tests) and in production (src/host/main.ts, one per replica); it
 * keeps no state between requests, so any number of replicas can sit behind a load balancer.
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import path from "node:path";
import { pipeline } from "node:stream";
import { describeError, loggablePath, logLine, requestIdFor, type LogFields } from "./access-log";
import { crossOriginRefusal, hostAllowed, screenTarget, type Refusal } from "./request-rules";
import { BASE_SECURITY_HEADERS, DEFAULT_FRAME_ANCESTORS, NON_PAGE_CSP, pageCsp } from "./security-headers";

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** How long Campfire may take to answer one relayed request. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** How long a client may take to send its request headers (slow-header attacks hold a connection this long). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** How long a client may take to send its whole request, headers and body. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Open connections per host process; more are dropped at once (each costs memory and a file descriptor). */
export const DEFAULT_MAX_CONNECTIONS = 2_000;
/** How long a readiness answer is reused, so many probes do not become many requests to Campfire. */
export const READINESS_CACHE_MS = 2_000;
/** The prefix under which the task pane reaches Campfire (ClientOptions.baseUrl = "<origin>/campfire"). */
export const PROXY_PREFIX = "/campfire/";
/** The prefix under which the task pane reaches the local sandbox (ClientOptions.baseUrl = "<origin>/sandbox"). */
export const SANDBOX_PREFIX = "/sandbox/";
/** Only these Campfire API trees are relayed; everything else under /campfire is 404. */
export const ALLOWED_API_ROOTS = ["rr/api/v1", "coa/api"] as const;
/** Liveness (the process answers) and readiness (Campfire is reachable): for load balancers and orchestrators. */
export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";

export interface HostTls {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer | undefined;
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
  sandboxUpstream?: string | null | undefined;
  maxBodyBytes?: number;
  /** How long the upstream may take to answer. */
  timeoutMs?: number;
  /** How long a client may take to send its headers / its whole request (408 after that). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Connections beyond this are dropped as they arrive. */
  maxConnections?: number;
  /**
   * Host names (no port) this host answers to, besides localhost, 127.0.0.1 and [::1]: the public name of the
   * add-in. Requests naming any other host get 421 (DNS rebinding defence).
   */
  allowedHosts?: readonly string[];
  /** Behind a reverse proxy: take the client address, host and scheme from X-Forwarded-* (never otherwise). */
  trustProxy?: boolean;
  /** frame-ancestors of the pane pages; default DEFAULT_FRAME_ANCESTORS (Office on the web). */
  frameAncestors?: readonly string[];
  /** One JSON line per request or event; default writes to stdout. */
  log?: (line: string) => void;
}

export interface RunningHost {
  url: string;
  /** Stops at once, cutting open connections (tests, Ctrl+C in development). */
  close(): Promise<void>;
  /**
   * Graceful stop: /readyz answers 503 at once, requests are still served for `drainDelayMs` (so a load balancer has time to
   * see it and stop sending), then no new work is taken and requests in flight get `graceMs` to finish.
   */
  shutdown(graceMs: number, drainDelayMs?: number): Promise<void>;
}

export class HostConfigError extends Error {
  override name = "HostConfigError";
}

/** Request headers relayed to Campfire. Everything else (cookies, hop-by-hop, forwarding headers) is dropped. */
const FORWARDED_REQUEST_HEADERS = ["accept", "authorization", "content-type", "idempotency-key", "if-match", "if-none-match"] as const;

/**
 * Response headers relayed back. No set-cookie, no hop-by-hop, no upstream Location (it names the upstream), and
 * content-type only after it has been checked to be JSON.
 */
const FORWARDED_RESPONSE_HEADERS = ["content-length", "content-encoding", "retry-after", "etag", "last-modified", "cache-control"] as const;

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

/** application/json and application/*+json (problem+json, vnd.api+json), with or without parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && /^application\/(?:[a-z0-9.!#$&^_-]+\+)?json\s*(?:;|$)/i.test(value.trim());
}

type ProxyTarget = { ok: true; pathAndQuery: string } | { ok: false; status: number; detail: string };

/**
 * Maps a raw request target (`/campfire/rr/api/v1/contracts?limit=5`) to the upstream path, or says why not.
 * Works on the raw, still-encoded target so that `%2e%2e` or `%2f` cannot smuggle a different path past the check.
 * (screenTarget has already refused the tricks for the whole host; these rules hold on their own as well.)
 */
export function proxyTargetFor(rawTarget: string, prefix: string = PROXY_PREFIX): ProxyTarget {
  if (!rawTarget.startsWith(prefix)) return { ok: false, status: 404, detail: "Not found." };
  const queryAt = rawTarget.indexOf("?");
  const rawPath = queryAt === -1 ? rawTarget : rawTarget.slice(0, queryAt);
  const query = queryAt === -1 ? "" : rawTarget.slice(queryAt);
  const rest = rawPath.slice(prefix.length);
  const refused: ProxyTarget = { ok: false, status: 404, detail: "Not a Campfire API path." };
  // Unreserved characters, sub-delims used in ids, and plain percent escapes only; never `;` (path parameters).
  if (!/^[A-Za-z0-9\-._~/%:@!$&'()*+,=]*$/.test(rest)) return refused;
  // Encoded dot, slash, backslash, NUL or percent could be decoded upstream into a path other than the one checked.
  if (/%(2e|2f|5c|00|25)/i.test(rest) || /%(?![0-9A-Fa-f]{2})/.test(rest)) return refused;
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

/** localhost, 127.0.0.0/8 and ::1: addresses that never leave this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Checks a Campfire (or sandbox) base URL; plain http is accepted only on this machine, where no one can listen. */
export function parseUpstream(upstream: string, what = "Campfire base URL"): URL {
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
  if (url.protocol === "http:" && !isLoopbackHostname(url.hostname)) {
    throw new HostConfigError(
      `${what} must use https unless it is on this machine (localhost, 127.x.x.x, [::1]): plain http would carry API tokens in clear text, got "${url.origin}"`,
    );
  }
  return url;
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

function sendPlain(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

function sendRefusal(res: http.ServerResponse, refusal: Refusal, extra: http.OutgoingHttpHeaders = {}): void {
  sendJson(res, refusal.status, { detail: refusal.detail }, extra);
}

/** The first value of a header that may be repeated or comma-joined (X-Forwarded-*). */
function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const first = text?.split(",")[0]?.trim();
  return first === "" ? undefined : first;
}

/** The last entry of X-Forwarded-For: the address the trusted proxy itself saw (earlier entries are client-made). */
function lastForwardedFor(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(",") : value;
  const last = text?.split(",").pop()?.trim();
  return last && /^[0-9a-fA-F:.[\]]{2,64}$/.test(last) ? last : undefined;
}

/** A media type as it may appear in a log line or message: token characters only, bounded. */
function safeType(value: string | undefined): string {
  if (!value) return "no content type";
  return (
    (value.split(";")[0] ?? "")
      .trim()
      .replace(/[^A-Za-z0-9!#$&^_.+\-/]/g, "?")
      .slice(0, 60) || "no content type"
  );
}

/** An answer written straight to the socket, where no response object exists (Node's parser refused the request, or CONNECT). */
function rawResponse(status: number, reason: string, detail: string, requestId: string): string {
  const body = JSON.stringify({ detail });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    "content-type: application/json; charset=utf-8",
    `content-length: ${Buffer.byteLength(body)}`,
    "x-content-type-options: nosniff",
    "cache-control: no-store",
    // Like every other answer: a user reporting a refusal can quote the id the log line carries.
    `x-request-id: ${requestId}`,
    "connection: close",
    "",
    body,
  ].join("\r\n");
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const campfireUrl = parseUpstream(options.upstream);
  const campfire = toUpstream(campfireUrl, "Campfire");
  let sandbox: Upstream | null;
  if (options.sandboxUpstream === undefined)
    sandbox = isLoopbackHostname(campfireUrl.hostname) ? toUpstream(campfireUrl, "the local sandbox") : null;
  else if (options.sandboxUpstream === null) sandbox = null;
  else sandbox = toUpstream(parseUpstream(options.sandboxUpstream, "Sandbox URL"), "the local sandbox");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeoutMs = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeoutMs);
  const trustProxy = options.trustProxy ?? false;
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== ""));
  const frameAncestors = options.frameAncestors ?? DEFAULT_FRAME_ANCESTORS;
  const writeLine = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (fields: LogFields) => writeLine(logLine(fields));
  const staticDir = path.resolve(options.staticDir);
  if (!fs.existsSync(staticDir) || !fs.statSync(staticDir).isDirectory()) {
    throw new HostConfigError(`The add-in build ${staticDir} does not exist; run npm run build first`);
  }
  const root = fs.realpathSync(staticDir);
  let draining = false;
  /** Set first on shutdown: /readyz answers 503 so load balancers stop sending, while requests are still served. */
  let leaving = false;
  const inFlight = new Set<http.ServerResponse>();
  /** What Campfire answered, for the access log line (the client sees only the relayed or refused answer). */
  const upstreamStatusOf = new WeakMap<http.ServerResponse, number>();

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, upstream: Upstream, pathAndQuery: string, id: string): void {
    const method = req.method ?? "GET";
    const declared = Number(req.headers["content-length"] ?? "0");
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      tooLarge(req, res);
      return;
    }
    // A client that asked first (Expect: 100-continue) sends its body only now that the declared size is fine.
    if (req.headers.expect?.toLowerCase() === "100-continue") res.writeContinue();
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
      if (!aborted) guarded(res, id, () => forward(req, res, upstream, method, pathAndQuery, Buffer.concat(chunks), id));
    });
  }

  /**
   * Runs work that continues in a callback, outside the request handler's try: a throw there would otherwise be an
   * uncaught exception that stops the whole process. Here it becomes a logged 500 for this request only.
   */
  function guarded(res: http.ServerResponse, id: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      log({ level: "error", msg: "request failed; answering 500", id, ...describeError(error) });
      sendJson(res, 500, { detail: "Internal error in the add-in host." });
    }
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
    id: string,
  ): void {
    // The request id travels on, so Campfire's logs and ours can be matched.
    const headers: Record<string, string | string[] | number> = { host: upstream.url.host, "x-request-id": id };
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

    upstreamReq.on("response", (upstreamRes) =>
      guarded(res, id, () => {
        const status = upstreamRes.statusCode ?? 502;
        const type = upstreamRes.headers["content-type"];
        upstreamStatusOf.set(res, status);
        const hasBody = method !== "HEAD" && status !== 204 && status !== 304 && upstreamRes.headers["content-length"] !== "0";
        if (hasBody && !isJsonContentType(type)) {
          // Anything but JSON could be rendered or sniffed on the add-in's origin (an error page that reflects input
          // would run script there): it is never relayed.
          finish();
          upstreamRes.resume();
          log({
            level: "warn",
            msg: "upstream answered non-JSON; refused",
            id,
            upstream: upstream.label,
            upstreamStatus: status,
            upstreamType: safeType(type),
          });
          sendPlain(
            res,
            502,
            `${capitalize(upstream.label)} answered ${status} with ${safeType(type)} instead of JSON; the add-in host relays only JSON.`,
          );
          return;
        }
        const out: Record<string, string | string[]> = {};
        if (isJsonContentType(type)) out["content-type"] = type!;
        for (const name of FORWARDED_RESPONSE_HEADERS) {
          const value = upstreamRes.headers[name];
          if (value !== undefined) out[name] = value;
        }
        res.writeHead(status, out);
        pipeline(upstreamRes, res, (err) => {
          finish();
          if (err && !res.writableEnded) log({ level: "warn", msg: "relay interrupted", id, ...describeError(err) });
        });
      }),
    );
    upstreamReq.on("error", (err: NodeJS.ErrnoException) => {
      finish();
      if (timedOut || res.destroyed) return;
      const reason = err.code ?? "connection error";
      log({ level: "warn", msg: "upstream unreachable", id, upstream: upstream.label, reason });
      sendJson(res, 502, { detail: `Could not reach ${upstream.label} at ${upstream.url.origin} (${reason}).` });
    });
    upstreamReq.end(body);
  }

  /** HTML pages are small and few; their policy (with the hashes of their inline scripts) is computed once each. */
  const pagePolicies = new Map<string, { mtimeMs: number; size: number; csp: string; body: Buffer }>();

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, rawTarget: string, id: string): void {
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
    const failed = (err: NodeJS.ErrnoException) => {
      log({ level: "error", msg: "static file failed; answering 500", id, code: err.code, ...describeError(err) });
      sendJson(res, 500, { detail: "Internal error in the add-in host." });
    };
    fs.realpath(requested, (realErr, real) =>
      guarded(res, id, () => {
        if (realErr && realErr.code !== "ENOENT" && realErr.code !== "ENOTDIR") return failed(realErr);
        // A symlink inside dist/ must not lead outside it.
        if (realErr || (real !== root && !real.startsWith(root + path.sep))) {
          sendJson(res, 404, { detail: "Not found." });
          return;
        }
        fs.stat(real, (statErr, stat) =>
          guarded(res, id, () => {
            if (statErr) return failed(statErr);
            if (!stat.isFile()) {
              // Directories are never listed.
              sendJson(res, 404, { detail: "Not found." });
              return;
            }
            const type = contentTypeFor(real);
            if (type.startsWith("text/html")) {
              servePage(res, method, real, stat, failed, id);
              return;
            }
            res.writeHead(200, { "content-type": type, "content-length": stat.size, "cache-control": "no-cache" });
            if (method === "HEAD") {
              res.end();
              return;
            }
            pipeline(fs.createReadStream(real), res, (err) => {
              if (err && !res.writableEnded) log({ level: "warn", msg: "static file interrupted", id, ...describeError(err) });
            });
          }),
        );
      }),
    );
  }

  function servePage(
    res: http.ServerResponse,
    method: string,
    file: string,
    stat: fs.Stats,
    failed: (err: NodeJS.ErrnoException) => void,
    id: string,
  ): void {
    const send = (page: { csp: string; body: Buffer }) => {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": page.body.length,
        "cache-control": "no-cache",
        "content-security-policy": page.csp,
      });
      res.end(method === "HEAD" ? undefined : page.body);
    };
    const known = pagePolicies.get(file);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return send(known);
    fs.readFile(file, (err, body) =>
      guarded(res, id, () => {
        if (err) return failed(err);
        const page = { mtimeMs: stat.mtimeMs, size: stat.size, csp: pageCsp(body.toString("utf8"), frameAncestors), body };
        pagePolicies.set(file, page);
        send(page);
      }),
    );
  }

  let readiness: { at: number; ready: boolean; detail: string } | null = null;
  let probing: Promise<{ ready: boolean; detail: string }> | null = null;

  /** Campfire is reachable when it answers HTTP at all (an unauthenticated probe gets 401: that is an answer). */
  function probeCampfire(): Promise<{ ready: boolean; detail: string }> {
    if (readiness && Date.now() - readiness.at < READINESS_CACHE_MS) return Promise.resolve(readiness);
    probing ??= new Promise<{ ready: boolean; detail: string }>((resolve) => {
      const done = (ready: boolean, detail: string) => {
        readiness = { at: Date.now(), ready, detail };
        probing = null;
        resolve(readiness);
      };
      const probe = campfire.agent.request({
        protocol: campfire.url.protocol,
        hostname: campfire.url.hostname,
        port: campfire.url.port || undefined,
        method: "GET",
        path: `${campfire.basePath}/${ALLOWED_API_ROOTS[0]}/contracts?limit=1`,
        headers: { host: campfire.url.host, accept: "application/json" },
        timeout: Math.min(timeoutMs, 5_000),
      });
      probe.on("response", (answer) => {
        answer.resume();
        const status = answer.statusCode ?? 0;
        // Campfire's API answers a request without a token with 401 (or 403): that is a Campfire. A 404 or a 3xx is
        // something else at that address (a wrong path in CAMPFIRE_BASE_URL), and a 5xx is a Campfire in trouble.
        done((status >= 200 && status < 300) || status === 401 || status === 403, `Campfire answered ${status}`);
      });
      probe.on("timeout", () => probe.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      probe.on("error", (err: NodeJS.ErrnoException) => done(false, `Campfire unreachable (${err.code ?? err.message})`));
      probe.end();
    });
    return probing;
  }

  function health(req: http.IncomingMessage, res: http.ServerResponse, pathOnly: string, id: string): void {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      sendJson(res, 405, { detail: "Only GET and HEAD are served here." }, { allow: "GET, HEAD" });
      return;
    }
    if (pathOnly === HEALTH_PATH) {
      sendJson(res, 200, { status: "ok" });
      return;
    }
    if (draining || leaving) {
      sendJson(res, 503, { status: "draining", detail: "The add-in host is shutting down." });
      return;
    }
    void probeCampfire().then(({ ready, detail }) =>
      guarded(res, id, () => {
        if (ready) sendJson(res, 200, { status: "ready", campfire: detail });
        else sendJson(res, 503, { status: "not ready", campfire: detail });
      }),
    );
  }

  /** Responses Node's parser cut short (a body that timed out), with the status the raw answer gave. */
  const refusedByParser = new WeakMap<http.ServerResponse, number>();

  const handler: http.RequestListener = (req, res) => {
    const started = process.hrtime.bigint();
    const rawTarget = req.url ?? "/";
    const id = requestIdFor(req.headers["x-request-id"], trustProxy);
    inFlight.add(res);
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader("content-security-policy", NON_PAGE_CSP);
    res.setHeader("x-request-id", id);
    const viaTls = options.https ? true : trustProxy && firstValue(req.headers["x-forwarded-proto"]) === "https";
    if (viaTls) res.setHeader("strict-transport-security", "max-age=31536000");
    if (draining) res.setHeader("connection", "close");
    res.on("finish", () => done());
    res.on("close", () => done());
    let logged = false;
    function done(): void {
      inFlight.delete(res);
      // While draining, a connection that just went idle is closed at once rather than kept alive.
      if (draining) setImmediate(() => server.closeIdleConnections());
      if (logged) return;
      logged = true;
      // Probes every few seconds from every load balancer would drown the requests that matter; failures still log.
      const probe = rawTarget === HEALTH_PATH || rawTarget === READY_PATH;
      if (probe && res.statusCode < 400 && res.writableEnded) return;
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      log({
        level: "info",
        msg: "request",
        id,
        method: req.method ?? "?",
        path: loggablePath(rawTarget),
        status: refusedByParser.get(res) ?? res.statusCode,
        // writableEnded, not writableFinished: a client may close right after reading the whole body.
        aborted: res.writableEnded || refusedByParser.has(res) ? undefined : true,
        ms,
        upstreamStatus: upstreamStatusOf.get(res),
        client: (trustProxy ? lastForwardedFor(req.headers["x-forwarded-for"]) : undefined) ?? req.socket.remoteAddress,
      });
    }

    try {
      const screened = screenTarget(rawTarget);
      if (screened) {
        req.resume();
        sendRefusal(res, screened);
        return;
      }
      const pathOnly = rawTarget.split("?", 1)[0] ?? "/";
      // Health before the Host check: probes from load balancers and orchestrators use addresses, not names.
      if (pathOnly === HEALTH_PATH || pathOnly === READY_PATH) {
        req.resume();
        health(req, res, pathOnly, id);
        return;
      }
      if (draining) {
        req.resume();
        sendJson(res, 503, { detail: "The add-in host is shutting down; try again." }, { "retry-after": "1" });
        return;
      }
      // Node keeps the first of several Host headers; a proxy in front may have used another one. Refuse the doubt.
      if (req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i]!.toLowerCase() === "host").length > 1) {
        req.resume();
        sendJson(res, 400, { detail: "Exactly one Host header is required." });
        return;
      }
      const hostHeader = (trustProxy ? firstValue(req.headers["x-forwarded-host"]) : undefined) ?? req.headers.host;
      if (hostHeader === undefined) {
        req.resume();
        sendJson(res, 400, { detail: "A Host header is required." });
        return;
      }
      if (!hostAllowed(hostHeader, allowedHosts)) {
        req.resume();
        sendJson(res, 421, { detail: "This add-in host does not serve that host name." });
        return;
      }
      for (const [prefix, upstream] of [
        [PROXY_PREFIX, campfire],
        [SANDBOX_PREFIX, sandbox],
      ] as const) {
        const bare = prefix.slice(0, -1);
        if (rawTarget !== bare && !rawTarget.startsWith(prefix) && !rawTarget.startsWith(`${bare}?`)) continue;
        const target = proxyTargetFor(rawTarget, prefix);
        const method = req.method ?? "GET";
        // Known only when the request came over TLS (here, or per a trusted proxy); a plain-http listener may sit
        // behind a TLS proxy that does not say so, where the page's https origin is still the same site.
        const scheme = viaTls ? "https" : undefined;
        const crossOrigin = crossOriginRefusal({
          origin: req.headers.origin,
          "sec-fetch-site": firstValue(req.headers["sec-fetch-site"]),
          host: hostHeader,
          scheme,
        });
        if (!target.ok) {
          sendJson(res, target.status, { detail: target.detail });
        } else if (crossOrigin) {
          sendRefusal(res, crossOrigin);
        } else if (!PROXY_METHODS.has(method)) {
          sendJson(res, 405, { detail: `Method ${method} is not relayed to Campfire.` }, { allow: [...PROXY_METHODS].join(", ") });
        } else if (upstream === null) {
          sendJson(res, 503, { detail: "The local Campfire sandbox is not running with this host; start it with npm start." });
        } else {
          proxy(req, res, upstream, target.pathAndQuery, id);
          return;
        }
        req.resume();
        return;
      }
      req.resume();
      serveStatic(req, res, rawTarget, id);
    } catch (error) {
      // Never swallowed: the log says why this request got a 500 (the answer itself says nothing internal).
      log({ level: "error", msg: "request handler failed; answering 500", id, ...describeError(error) });
      sendJson(res, 500, { detail: "Internal error in the add-in host." });
    }
  };

  const serverOptions: http.ServerOptions = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: headersTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default), which would let a slow client stay far longer.
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    // A missing Host gets our own JSON refusal instead of Node's bare 400.
    requireHostHeader: false,
    maxHeaderSize: 16 * 1024,
  };
  const server: http.Server = options.https
    ? https.createServer({ ...serverOptions, key: options.https.key, cert: options.https.cert, ca: options.https.ca }, handler)
    : http.createServer(serverOptions, handler);
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.keepAliveTimeout = 5_000;
  // A client that stops reading or writing mid-exchange: its socket is closed after this much silence.
  server.timeout = Math.max(timeoutMs, requestTimeoutMs) + 5_000;

  let droppedSince = 0;
  let dropped = 0;
  server.on("drop", () => {
    // Logged at most once a second: a flood of connections must not become a flood of log lines.
    dropped += 1;
    if (Date.now() - droppedSince < 1_000) return;
    log({ level: "warn", msg: "connection limit reached; connections dropped", limit: server.maxConnections, dropped });
    droppedSince = Date.now();
    dropped = 0;
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: net.Socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    let answer: [number, string, string] = [400, "Bad Request", "Malformed HTTP request."];
    if (err.code === "HPE_HEADER_OVERFLOW") answer = [431, "Request Header Fields Too Large", "Request headers are too large."];
    else if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") answer = [408, "Request Timeout", "The request was not sent in time."];
    // A request whose headers were read (its body timed out) already has a response and an id: the answer and
    // both log lines use that id, and its request line logs this status rather than "aborted".
    const pending = (socket as net.Socket & { _httpMessage?: http.ServerResponse })._httpMessage;
    const pendingId = pending?.getHeader("x-request-id");
    const id = typeof pendingId === "string" ? pendingId : requestIdFor(undefined, false);
    log({ level: "warn", msg: "client error", id, status: answer[0], code: err.code ?? "unknown", client: socket.remoteAddress });
    // A response already under way on this connection cannot get a second status line.
    if (pending?.headersSent) socket.destroy();
    else {
      if (pending) refusedByParser.set(pending, answer[0]);
      socket.end(rawResponse(...answer, id));
    }
  });
  // Node would send "100 Continue" before the handler could refuse the request; the relay sends it itself.
  server.on("checkContinue", handler);
  server.on("checkExpectation", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Node would answer an unknown Expect with a bare 417; this one carries the same headers as every answer.
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader("content-security-policy", NON_PAGE_CSP);
    req.resume();
    sendJson(res, 417, { detail: "Only Expect: 100-continue is supported." }, { connection: "close" });
  });
  server.on("connect", (_req: http.IncomingMessage, socket: net.Socket) => {
    // CONNECT asks for a tunnel: this is not a forward proxy.
    const id = requestIdFor(undefined, false);
    log({ level: "info", msg: "request", id, method: "CONNECT", status: 405, client: socket.remoteAddress });
    socket.end(rawResponse(405, "Method Not Allowed", "CONNECT is not supported.", id));
  });

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

  const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        draining = true;
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    shutdown: async (graceMs: number, drainDelayMs = 0) => {
      leaving = true;
      if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
      draining = true;
      if (server.listening) server.close();
      server.closeIdleConnections();
      const cut = setTimeout(() => {
        if (inFlight.size > 0)
          log({ level: "warn", msg: "shutdown grace over; closing requests still in flight", inFlight: inFlight.size });
        server.closeAllConnections();
      }, graceMs);
      await closed;
      clearTimeout(cut);
    },
  };
}
