/**
 * A local HTTP server that speaks Campfire's API (the add-in's default backend and every client test's
 * counterpart). Built on node:http only. Besides the API it answers control endpoints under /__sandbox/
 * for tests running in other processes or in a browser.
 *
 * Order of checks follows Django/DRF: unknown path → 404 (no auth needed); then auth → 401; wrong
 * method → 405; unknown id → 404; unreadable body → 400/415; validation → 400.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { ITEM_TYPES } from "../model/campfire-facts";
import { loadDataFile, type SandboxData } from "./data";
import { HttpError, matchRoute, ROUTES, type ApiResult, type RequestContext } from "./routes";
import { seedData } from "./seed";
import { SandboxNotFoundError, SandboxStore, SandboxTouchError } from "./store";

export { SandboxStore } from "./store";
export type { SandboxData, SandboxDataInput } from "./data";

export const DEFAULT_SANDBOX_PORT = 4010;
export const DEFAULT_SANDBOX_TOKEN = "campfire-sandbox-demo-token";
export const MAX_BODY_BYTES = 1024 * 1024;

export interface SandboxOptions {
  /** 0 = a free port chosen by the OS. Default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  token?: string;
  /** Default: the seed (src/sandbox/seed.ts). */
  data?: SandboxData;
  /** Added before every API request is handled. */
  latencyMs?: number;
  /** 0..1: share of API requests answered with a random `failStatus`. */
  failRate?: number;
  /** The status of those random failures: 503 (default), 500, 502, 504, or 429 (sent with Retry-After: 1). */
  failStatus?: number;
  /** 0..1: share of API requests whose connection is dropped without an answer. */
  dropRate?: number;
  /**
   * 0..1: share of API requests that are handled — a write is applied — and whose answer is then lost (the
   * connection dropped): the case a client cannot tell from a failure without reading the record back.
   */
  dropAfterHandlingRate?: number;
  /** Where the random faults draw from (default Math.random); a seeded generator makes a soak repeatable. */
  random?: () => number;
  /** State is loaded from this file when it exists and written to it after every change. */
  persistFile?: string;
  /** Default page size of paginated lists (default 100); `?limit` is honoured up to 1000. */
  pageSize?: number;
}

export type RandomFaults = Pick<SandboxOptions, "failRate" | "failStatus" | "dropRate" | "dropAfterHandlingRate">;

export interface RequestLogEntry {
  method: string;
  /** Path and query string as sent. */
  path: string;
  /** 0 when the connection was dropped by a fault. */
  status: number;
}

/**
 * - `{status}` answers with that status (and `Retry-After` when given) instead of handling the request;
 *   `body` is sent as JSON (default `{detail}`), `rawBody` as text (text/html when it starts with "<"),
 *   e.g. a proxy's error page;
 * - `{drop: true}` destroys the socket without answering; with `afterHandling: true` the request is
 *   handled first (a write lands) and only the answer is lost;
 * - `{delayMs}` waits, then handles the request normally.
 */
export type Fault =
  { status: number; retryAfter?: number; body?: unknown; rawBody?: string } | { drop: true; afterHandling?: boolean } | { delayMs: number };

export interface FaultMatch {
  method?: string | undefined;
  pathIncludes?: string | undefined;
}

export interface RunningSandbox {
  url: string;
  port: number;
  token: string;
  /** Every API request, in the order answered (control endpoints excluded). Cleared by reset(). */
  requests: RequestLogEntry[];
  /** Queues faults; each is used once, by the next request that matches. */
  injectFaults(faults: Fault[], match?: FaultMatch): void;
  /** Changes the random faults from now on (a soak pulls without them, then pushes with them). */
  setRandomFaults(faults: RandomFaults): void;
  /** Back to the initial data (options.data or the seed, not a persisted file); clears faults and the request log. */
  reset(): void;
  store: SandboxStore;
  close(): Promise<void>;
}

const FaultSchema = z.union([
  z.object({
    status: z.number().int().min(100).max(599),
    retryAfter: z.number().min(0).optional(),
    body: z.unknown().optional(),
    rawBody: z.string().optional(),
  }),
  z.object({ drop: z.literal(true), afterHandling: z.boolean().optional() }),
  z.object({ delayMs: z.number().min(0) }),
]);
const FaultsBodySchema = z.object({
  faults: z.array(FaultSchema),
  match: z.object({ method: z.string().optional(), pathIncludes: z.string().optional() }).optional(),
});
const TouchBodySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("bundle"),
    contractId: z.number().int(),
    itemType: z.enum(ITEM_TYPES),
    itemId: z.number().int(),
    patch: z
      .object({
        lines: z.array(z.object({ product: z.number().int(), amount: z.number() })).optional(),
        total_amount: z.number().optional(),
      })
      .optional(),
  }),
  z.object({
    kind: z.literal("commit"),
    contractId: z.number().int(),
    commitId: z.number().int(),
    patch: z.record(z.string(), z.unknown()).optional(),
  }),
]);

const STATUS_DETAIL: Record<number, string> = {
  429: "Request was throttled.",
  500: "A server error occurred.",
  502: "Bad gateway.",
  503: "Service temporarily unavailable, try again later.",
  504: "Gateway timeout.",
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function persist(file: string, data: SandboxData): void {
  // Write-then-rename, so a crash mid-write never leaves half a file to be loaded next time.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 1));
  renameSync(tmp, file);
}

/** Constant-time comparison of the presented token; DRF's messages for each way the header can be wrong. */
function authProblem(header: string | undefined, token: string): string | null {
  const parts = (header ?? "").trim().split(/\s+/);
  if (!header || parts[0]?.toLowerCase() !== "token") return "Authentication credentials were not provided.";
  if (parts.length === 1) return "Invalid token header. No credentials provided.";
  if (parts.length > 2) return "Invalid token header. Token string should not contain spaces.";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(parts[1]!), digest(token)) ? null : "Invalid token.";
}

/** Reads the body up to MAX_BODY_BYTES; null means it was larger (the rest is drained and discarded). */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = declared > MAX_BODY_BYTES;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      if (!tooBig) chunks.push(c);
    });
    req.on("end", () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJsonBody(buf: Buffer, contentType: string | undefined): unknown {
  if (buf.length === 0) return {};
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new HttpError(415, { detail: `Unsupported media type "${type}" in request.` });
  }
  try {
    return JSON.parse(buf.toString("utf8"));
  } catch (e) {
    // V8 quotes part of the body in its message; keep only the position-level description.
    const msg = (e as Error).message.replace(/,? ".*" is not valid JSON$/s, "");
    throw new HttpError(400, { detail: `JSON parse error - ${msg}` });
  }
}

/**
 * The URL the client addressed, for next/previous links (DRF builds them from the Host header too).
 * The path is appended to the origin rather than resolved against it, so "//x/y" stays a path.
 */
function requestUrl(rawPath: string, hostHeader: string | undefined, fallbackHost: string): URL {
  const path = rawPath.startsWith("/") ? rawPath : `/${rawPath}`;
  try {
    return new URL(`http://${hostHeader || fallbackHost}${path}`);
  } catch {
    return new URL(`http://${fallbackHost}${path}`);
  }
}

function send(res: ServerResponse, r: ApiResult, head: boolean): void {
  const headers: Record<string, string> = { ...r.headers };
  let payload = "";
  if (r.body !== undefined && r.status !== 204) {
    payload = JSON.stringify(r.body);
    headers["Content-Type"] = "application/json";
  }
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(head ? undefined : payload);
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const token = opts.token ?? DEFAULT_SANDBOX_TOKEN;
  const host = opts.host ?? "127.0.0.1";
  const pageSize = opts.pageSize ?? 100;
  const latencyMs = opts.latencyMs ?? 0;
  const random = opts.random ?? Math.random;
  if (!token) throw new Error("The sandbox token must not be empty.");
  const checkRandomFaults = (f: RandomFaults): Required<RandomFaults> => {
    const faults = {
      failRate: f.failRate ?? 0,
      failStatus: f.failStatus ?? 503,
      dropRate: f.dropRate ?? 0,
      dropAfterHandlingRate: f.dropAfterHandlingRate ?? 0,
    };
    for (const name of ["failRate", "dropRate", "dropAfterHandlingRate"] as const) {
      if (!(faults[name] >= 0 && faults[name] <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${faults[name]}`);
    }
    if (![429, 500, 502, 503, 504].includes(faults.failStatus)) {
      throw new RangeError(`failStatus must be 429, 500, 502, 503 or 504, got ${faults.failStatus}`);
    }
    return faults;
  };
  let randomFaults = checkRandomFaults(opts);
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be 0 or more, got ${latencyMs}`);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);

  const initial = opts.data ?? seedData();
  const persistFile = opts.persistFile;
  const store = new SandboxStore(initial);
  if (persistFile && existsSync(persistFile)) {
    store.load(loadDataFile(persistFile));
  }
  if (persistFile) {
    store.onChange = () => persist(persistFile, store.data);
    persist(persistFile, store.data);
  }

  const urlHost = host.includes(":") ? `[${host}]` : host;
  const requests: RequestLogEntry[] = [];
  const faults: { fault: Fault; match: FaultMatch | undefined }[] = [];

  const takeFault = (method: string, path: string): Fault | undefined => {
    const i = faults.findIndex(
      ({ match }) =>
        (!match?.method || match.method.toUpperCase() === method) && (!match?.pathIncludes || path.includes(match.pathIncludes)),
    );
    return i < 0 ? undefined : faults.splice(i, 1)[0]!.fault;
  };

  const reset = () => {
    store.reset();
    faults.length = 0;
    requests.length = 0;
  };

  const control = (method: string, pathname: string, body: () => unknown): ApiResult => {
    const route = pathname.replace(/\/+$/, "");
    const allowed: Record<string, string> = {
      "/__sandbox/reset": "POST",
      "/__sandbox/faults": "POST",
      "/__sandbox/requests": "GET",
      "/__sandbox/touch": "POST",
    };
    const allow = allowed[route];
    if (!allow) return { status: 404, body: { detail: "Not found." } };
    if (method !== allow) return { status: 405, body: { detail: `Method "${method}" not allowed.` }, headers: { Allow: allow } };
    switch (route) {
      case "/__sandbox/reset":
        reset();
        return { status: 204 };
      case "/__sandbox/requests":
        return { status: 200, body: requests };
      case "/__sandbox/faults": {
        const parsed = FaultsBodySchema.safeParse(body());
        if (!parsed.success) return { status: 400, body: { detail: z.prettifyError(parsed.error) } };
        sandbox.injectFaults(parsed.data.faults as Fault[], parsed.data.match);
        return { status: 204 };
      }
      default: {
        const parsed = TouchBodySchema.safeParse(body());
        if (!parsed.success) return { status: 400, body: { detail: z.prettifyError(parsed.error) } };
        const t = parsed.data;
        try {
          return t.kind === "bundle"
            ? { status: 200, body: store.touchBundle(t.contractId, t.itemType, t.itemId, t.patch) }
            : { status: 200, body: store.touchCommit(t.contractId, t.commitId, t.patch) };
        } catch (e) {
          if (e instanceof SandboxNotFoundError) return { status: 404, body: { detail: e.message } };
          if (e instanceof SandboxTouchError) return { status: 400, body: { detail: e.message } };
          throw e;
        }
      }
    }
  };

  const handleApi = (ctx: Omit<RequestContext, "params">, pathname: string, authHeader: string | undefined): ApiResult => {
    const found = matchRoute(ROUTES, pathname);
    if (!found) return { status: 404, body: { detail: "Not found." } };
    const problem = authProblem(authHeader, token);
    if (problem) return { status: 401, body: { detail: problem }, headers: { "WWW-Authenticate": 'Token realm="api"' } };
    const allow = Object.keys(found.route.methods).concat("OPTIONS").join(", ");
    if (ctx.method === "OPTIONS")
      return {
        status: 200,
        body: { name: "Campfire sandbox", renders: ["application/json"], parses: ["application/json"] },
        headers: { Allow: allow },
      };
    const method = (ctx.method === "HEAD" ? "GET" : ctx.method) as keyof typeof found.route.methods;
    const handler = found.route.methods[method];
    if (!handler) return { status: 405, body: { detail: `Method "${ctx.method}" not allowed.` }, headers: { Allow: allow } };
    try {
      return handler({ ...ctx, params: found.params });
    } catch (e) {
      if (e instanceof SandboxNotFoundError) return { status: 404, body: { detail: e.detail } };
      if (e instanceof HttpError) return { status: e.status, body: e.body };
      throw e;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const rawPath = req.url ?? "/";
    const url = requestUrl(rawPath, req.headers.host, `${urlHost}:${port}`);
    const isControl = url.pathname.startsWith("/__sandbox/");
    const log = (status: number) => {
      if (!isControl) requests.push({ method, path: rawPath, status });
    };
    const answer = (r: ApiResult) => {
      log(r.status);
      send(res, r, method === "HEAD");
    };
    const drop = () => {
      log(0);
      req.socket.destroy();
    };

    let afterHandlingDrop = false;
    if (!isControl) {
      if (latencyMs > 0) await sleep(latencyMs);
      const fault = takeFault(method, rawPath);
      if (fault && "delayMs" in fault) await sleep(fault.delayMs);
      else if (fault && "drop" in fault) {
        if (fault.afterHandling) afterHandlingDrop = true;
        else return drop();
      } else if (fault && "status" in fault) {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
        const detail =
          fault.status === 429 && fault.retryAfter !== undefined
            ? `Request was throttled. Expected available in ${fault.retryAfter} seconds.`
            : (STATUS_DETAIL[fault.status] ?? "Injected fault.");
        if (fault.rawBody !== undefined) {
          log(fault.status);
          res.writeHead(fault.status, {
            ...headers,
            "Content-Type": fault.rawBody.startsWith("<") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
            "Content-Length": String(Buffer.byteLength(fault.rawBody)),
          });
          res.end(method === "HEAD" ? undefined : fault.rawBody);
          return;
        }
        return answer({ status: fault.status, body: fault.body ?? { detail }, headers });
      }
      const { failRate, failStatus, dropRate, dropAfterHandlingRate } = randomFaults;
      if (dropRate > 0 && random() < dropRate) return drop();
      if (failRate > 0 && random() < failRate) {
        const headers: Record<string, string> = failStatus === 429 ? { "Retry-After": "1" } : {};
        return answer({ status: failStatus, body: { detail: STATUS_DETAIL[failStatus] }, headers });
      }
      if (dropAfterHandlingRate > 0 && random() < dropAfterHandlingRate) afterHandlingDrop = true;
    }

    const buf = await readBody(req);
    if (buf === null) {
      res.setHeader("Connection", "close");
      return answer({ status: 413, body: { detail: `Request body is larger than ${MAX_BODY_BYTES} bytes.` } });
    }
    let parsed: { value: unknown } | undefined;
    const body = () => (parsed ??= { value: parseJsonBody(buf, req.headers["content-type"]) }).value;

    let result: ApiResult;
    if (isControl) {
      const problem = authProblem(req.headers.authorization, token);
      if (problem) result = { status: 401, body: { detail: problem } };
      else {
        try {
          result = control(method, url.pathname, body);
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
          result = { status: e.status, body: e.body };
        }
      }
    } else {
      result = handleApi({ method, query: url.searchParams, url, body, store, pageSize }, url.pathname, req.headers.authorization);
    }
    if (afterHandlingDrop) return drop();
    answer(result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug in the sandbox itself: answer 500 with the error's class and message, never request headers.
      if (!res.headersSent) {
        const detail = e instanceof Error ? `${e.name}: ${e.message}` : "Internal error";
        send(res, { status: 500, body: { detail: `Sandbox error - ${detail}` } }, false);
      } else res.destroy();
    });
  });
  // Clients keep idle connections for reuse (Node's fetch: about 4 s). With Node's default of 5 s the server could
  // close one just as a slow-running client sends on it: an ECONNRESET no real Campfire causes (seen under load in
  // test/app/large-table.test.ts). So the client's idle limit always runs out first.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? DEFAULT_SANDBOX_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const sandbox: RunningSandbox = {
    url: `http://${urlHost}:${port}`,
    port,
    token,
    requests,
    setRandomFaults(faults) {
      randomFaults = checkRandomFaults(faults);
    },
    injectFaults(list, match) {
      for (const fault of list) faults.push({ fault, match });
    },
    reset,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return sandbox;
}
