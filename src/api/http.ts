/**
 * One HTTP exchange with Campfire: ky for the request itself (prefix URL, auth header, per-attempt timeout),
 * our own loop for retries so that the rules per method are explicit and every failure becomes a CampfireError.
 *
 * Retry rules (a RetryPolicy; `retryPolicy` in ClientOptions swaps them, DEFAULT_RETRY_POLICY is the default):
 * - 429: every method. Campfire refused the request before doing anything with it.
 * - GET also on 500: a read changes nothing, so a server error on one is worth another try; most are
 *   transient (a restart, a lost database connection) and a 20 % 5xx rate must not fail one read in five.
 * - 502/503/504, timeouts and network failures: GET, PUT, PATCH and DELETE, which are idempotent here
 *   (PUT/PATCH send the full new state). Not POST: it creates a prepaid commit, and a gateway error, a timeout
 *   or a reset connection does not tell whether Campfire created it already, so a retry could create it twice.
 *   A write's 500 is not retried: Campfire may have applied part of it.
 * - The add-in's own writes go out once (Session.writeApi: retries 0); src/app/send-record.ts decides any resend
 *   after reading the record back. These write rules serve other callers of the client.
 * - A DELETE retried after a lost answer that then gets 404 counts as done (the first attempt deleted it).
 * - A Retry-After longer than maxDelayMs ends the call at once (a 429 becomes a RateLimitedError saying when
 *   to try again): waiting a shortened time would only be refused again, and waiting the full time would hold
 *   the request open for as long as Campfire asks, possibly a day.
 */
import ky, { TimeoutError as KyTimeoutError, type KyInstance } from "ky";
import type { ClientOptions } from "./campfire-api";
import {
  ArgumentError,
  ResponseShapeError,
  TimeoutError,
  NetworkError,
  errorForStatus,
  isErrorLike,
  systemCode,
  toCampfireError,
  type CampfireError,
  type RequestContext,
} from "./errors";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const DEFAULTS = { timeoutMs: 30_000, retries: 3, backoffMs: 300, maxDelayMs: 30_000 } as const;
const GATEWAY_STATUSES = new Set([502, 503, 504]);
/** A read is retried on a server error too: nothing changed on the server, whatever happened. */
const READ_RETRY_STATUSES = new Set([500, 502, 503, 504]);
// setTimeout's ceiling; ky refuses larger timeouts.
const MAX_TIMER_MS = 2_147_483_647;

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body (204). */
  body: unknown;
  /** URL path of the request, for error messages. */
  path: string;
}

export interface Http {
  /** Absolute, ending in "/"; every request path is relative to it. */
  readonly baseUrl: URL;
  /** `input` is relative to baseUrl ("rr/api/v1/contracts?limit=50"); a leading "/" is ignored. */
  send(method: Method, input: string, json?: unknown): Promise<HttpResponse>;
}

/**
 * The base URL as an absolute URL ending in "/". A relative base ("/campfire", the add-in host's proxy)
 * is resolved against the page the task pane runs in; Node has no page, so there it must be absolute.
 */
export function resolveBaseUrl(
  baseUrl: string,
  pageUrl: string | undefined = (globalThis as { location?: { href?: string } }).location?.href,
): URL {
  const withSlash = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  if (/^https?:\/\//i.test(baseUrl)) return new URL(withSlash);
  if (!pageUrl || !/^https?:/i.test(pageUrl)) {
    throw new ArgumentError(
      `baseUrl "${baseUrl}" is relative; outside a browser page it must be an absolute http(s) URL such as http://127.0.0.1:4010`,
    );
  }
  return new URL(withSlash, pageUrl);
}

/** The ky instance: prefix URL, token header, one attempt per call (retries are ours), no throwing on status. */
export function createKy(opts: ClientOptions, baseUrl: URL = resolveBaseUrl(opts.baseUrl)): KyInstance {
  checkToken(opts.token);
  return ky.create({
    prefixUrl: baseUrl.href,
    timeout: opts.timeoutMs ?? DEFAULTS.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    headers: { Accept: "application/json" },
    hooks: {
      beforeRequest: [
        (request) => {
          // Set per request, not in `headers`, so the token lives in one closure and nowhere in ky's options.
          request.headers.set("Authorization", `Token ${opts.token}`);
          opts.onRequest?.(request.method, request.url);
        },
      ],
    },
  });
}

export type Outcome =
  | { kind: "answer"; status: number; text: string; retryAfter: string | null }
  | { kind: "timeout" }
  | { kind: "network"; code?: string | undefined };

/** Whether a failed attempt of `method` is tried again (after a backoff, while retries are left). */
export type RetryPolicy = (method: Method, outcome: Outcome) => boolean;

export function createHttp(opts: ClientOptions): Http {
  const baseUrl = resolveBaseUrl(opts.baseUrl);
  const api = createKy(opts, baseUrl);
  const timeoutMs = checkNumber("timeoutMs", opts.timeoutMs ?? DEFAULTS.timeoutMs, 1, MAX_TIMER_MS);
  const retries = checkNumber("retries", opts.retries ?? DEFAULTS.retries, 0, 20);
  const backoffMs = checkNumber("backoffMs", opts.backoffMs ?? DEFAULTS.backoffMs, 0, MAX_TIMER_MS);
  const maxDelayMs = checkNumber("maxDelayMs", opts.maxDelayMs ?? DEFAULTS.maxDelayMs, 0, MAX_TIMER_MS);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retryable = opts.retryPolicy ?? DEFAULT_RETRY_POLICY;

  async function attempt(method: Method, input: string, json: unknown): Promise<Outcome> {
    try {
      const response = await api(input, { method, json });
      // Read inside the try: a connection dropped mid-body is a network failure like any other.
      const text = await response.text();
      return { kind: "answer", status: response.status, text, retryAfter: response.headers.get("retry-after") };
    } catch (error) {
      if (error instanceof KyTimeoutError) return { kind: "timeout" };
      // By name: fetch's TypeError may come from another realm (jest's vm) where instanceof fails.
      if (isErrorLike(error) && error.name === "TypeError") return { kind: "network", code: systemCode(error) };
      throw toCampfireError(error);
    }
  }

  async function send(method: Method, input: string, json?: unknown): Promise<HttpResponse> {
    const relative = input.replace(/^\/+/, "");
    const path = new URL(relative, baseUrl).pathname;
    let unanswered = false;
    for (let attempts = 1; ; attempts++) {
      const outcome = await (opts.limit ? opts.limit(() => attempt(method, relative, json)) : attempt(method, relative, json));
      const context: RequestContext = { method, path, attempts };
      if (outcome.kind === "answer" && outcome.status < 300) {
        return { status: outcome.status, body: parseOkBody(outcome.text, { ...context, status: outcome.status }), path };
      }
      // An earlier DELETE may have landed with only its answer lost; gone is what was asked for.
      if (method === "DELETE" && unanswered && outcome.kind === "answer" && outcome.status === 404) {
        return { status: 204, body: undefined, path };
      }
      unanswered ||= outcome.kind !== "answer";
      const now = Date.now();
      const retryAfterMs = outcome.kind === "answer" ? parseRetryAfterMs(outcome.retryAfter, now) : undefined;
      const tooLongToWait = retryAfterMs !== undefined && retryAfterMs > maxDelayMs;
      if (attempts > retries || !retryable(method, outcome) || tooLongToWait) {
        throw failure(outcome, context, retryAfterMs, tooLongToWait);
      }
      const retryAfter = outcome.kind === "answer" ? outcome.retryAfter : null;
      await sleep(retryDelayMs({ attempt: attempts, backoffMs, maxDelayMs, retryAfter, now }));
    }
  }

  function failure(outcome: Outcome, context: RequestContext, retryAfterMs: number | undefined, tooLongToWait: boolean): CampfireError {
    if (outcome.kind === "timeout") return new TimeoutError(context, timeoutMs);
    if (outcome.kind === "network") return new NetworkError(context, outcome.code);
    const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    return errorForStatus(
      { ...context, status: outcome.status },
      parseErrorBody(outcome.text, opts.token),
      retryAfterSeconds,
      tooLongToWait,
    );
  }

  return { baseUrl, send };
}

/** The rules at the top of this file: reads on 500/502/503/504, idempotent writes on 502/503/504, all on 429. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = (method, outcome) => {
  if (outcome.kind === "answer") {
    if (outcome.status === 429) return true;
    if (method === "GET") return READ_RETRY_STATUSES.has(outcome.status);
    return method !== "POST" && GATEWAY_STATUSES.has(outcome.status);
  }
  return method !== "POST";
};

/**
 * Wait before retry number `attempt` (1-based). Retry-After (seconds or an HTTP date) wins over backoff;
 * both are capped by maxDelayMs (the client does not retry at all after a longer Retry-After; see `send`). Backoff doubles per retry with "equal jitter": at least half the step, so
 * clients that failed together spread out without any of them retrying at once.
 */
export function retryDelayMs(p: {
  attempt: number;
  backoffMs: number;
  maxDelayMs: number;
  retryAfter?: string | null;
  now?: number;
  random?: number;
}): number {
  const after = parseRetryAfterMs(p.retryAfter, p.now ?? Date.now());
  if (after !== undefined) return Math.min(after, p.maxDelayMs);
  const step = p.backoffMs * 2 ** (p.attempt - 1);
  const jittered = step / 2 + ((p.random ?? Math.random()) * step) / 2;
  return Math.round(Math.min(jittered, p.maxDelayMs));
}

export function parseRetryAfterMs(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always has a day or month name; Date.parse alone would accept "-3" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseOkBody(text: string, context: RequestContext): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ResponseShapeError([{ path: "(body)", message: "not JSON" }], context);
  }
}

/**
 * An error body, with the token cut out in case a server or proxy echoes request headers back. Cut before parsing
 * (the raw text) and again after (every string of the parsed body): JSON escapes such as "\u0074ok…" spell the
 * token in a way the raw text does not show, and parsing decodes them back into it.
 */
export function parseErrorBody(text: string, token: string): unknown {
  const safe = redact(text, token);
  let parsed: unknown;
  try {
    parsed = JSON.parse(safe);
  } catch {
    // A proxy's HTML error page says nothing useful to a finance user.
    return safe.trimStart().startsWith("<") ? undefined : safe.trim();
  }
  return redactDeep(parsed, token);
}

function redact(text: string, token: string): string {
  return token ? text.split(token).join("[redacted]") : text;
}

/** Every string in a parsed JSON value (keys included) with the token cut out. */
export function redactDeep(value: unknown, token: string): unknown {
  if (typeof value === "string") return redact(value, token);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, token));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redact(key, token)] = redactDeep(item, token);
    return out;
  }
  return value;
}

function checkToken(token: string): void {
  // Checked here because fetch's own "invalid header value" error quotes the value, token included.
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) {
    throw new ArgumentError("The API token is empty or contains spaces or characters not allowed in an HTTP header");
  }
}

function checkNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max || (name === "retries" && !Number.isInteger(value))) {
    throw new ArgumentError(`${name} must be a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}
