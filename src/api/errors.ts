/**
 * What can go wrong talking to Campfire, as named classes the task pane can switch on.
 * Every error carries the request it belongs to (method, URL path, status, attempts) but never the
 * API token, the request headers or the query string: ky's errors hold the Request (with its
 * Authorization header), so they are translated here and never kept as `cause`.
 */
import type { z } from "zod/mini";

export interface RequestContext {
  method?: string | undefined;
  /** URL path only (no origin, no query string). */
  path?: string | undefined;
  status?: number | undefined;
  /** HTTP requests sent for this call, retries included. */
  attempts?: number | undefined;
}

/** One problem, at a dotted/indexed path such as "name", "lines[3].amount" or "non_field_errors". */
export interface FieldIssue {
  path: string;
  message: string;
  /** Index into `lines` when the issue belongs to one allocation line. */
  lineIndex?: number;
}

export class CampfireError extends Error {
  override name = "CampfireError";
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly status?: number | undefined;
  readonly attempts?: number | undefined;

  constructor(message: string, context: RequestContext = {}) {
    super(message);
    this.method = context.method;
    this.path = context.path;
    this.status = context.status;
    this.attempts = context.attempts;
  }
}

/** Campfire answered 400: the body broke a server rule. */
export class ValidationError extends CampfireError {
  override name = "ValidationError";
  constructor(
    readonly issues: FieldIssue[],
    context: RequestContext,
  ) {
    super(`Campfire rejected ${describe(context)}: ${listIssues(issues)}`, { ...context, status: 400 });
  }
}

/** 401 (token missing, wrong or revoked) or 403 (the API user's role may not do this). */
export class AuthError extends CampfireError {
  override name = "AuthError";
  constructor(context: RequestContext & { status: 401 | 403 }, detail?: string) {
    const what = context.status === 401 ? "Campfire did not accept the API token" : "The API user's role does not allow this request";
    super(`${what} (${context.status}) for ${describe(context)}${suffix(detail)}`, context);
  }
}

export class NotFoundError extends CampfireError {
  override name = "NotFoundError";
  constructor(context: RequestContext, detail?: string) {
    super(`Campfire has no such record (404) for ${describe(context)}${suffix(detail)}`, { ...context, status: 404 });
  }
}

/**
 * 429 still answered after every retry, or at once when Campfire asks for a wait longer than the client's
 * maxDelayMs (`tooLongToWait`): holding a request open for hours would only freeze the task pane.
 */
export class RateLimitedError extends CampfireError {
  override name = "RateLimitedError";
  constructor(
    context: RequestContext,
    readonly retryAfterSeconds?: number,
    readonly tooLongToWait = false,
  ) {
    const wait = retryAfterSeconds === undefined ? "" : `; Campfire asks to wait ${retryAfterSeconds} s`;
    super(
      tooLongToWait && retryAfterSeconds !== undefined
        ? `Campfire is rate limiting requests; try again in ${aboutDuration(retryAfterSeconds)}.`
        : `Campfire is rate limiting (429) ${describe(context)}${attemptsText(context)}${wait}`,
      { ...context, status: 429 },
    );
  }
}

/** A wait for people: "about 40 seconds", "about 5 minutes", "about 24 hours", "about 3 days". */
export function aboutDuration(seconds: number): string {
  const about = (n: number, unit: string) => `about ${n} ${unit}${n === 1 ? "" : "s"}`;
  // Each unit is chosen after rounding, so 3599 s reads "about 1 hour", not "about 60 minutes".
  if (seconds < 60) return about(Math.max(1, Math.ceil(seconds)), "second");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return about(minutes, "minute");
  const hours = Math.round(seconds / 3600);
  if (hours < 48) return about(hours, "hour");
  return about(Math.round(seconds / 86400), "day");
}

/** 5xx, after retries where the method allows them. */
export class ServerError extends CampfireError {
  override name = "ServerError";
  constructor(context: RequestContext & { status: number }, detail?: string) {
    super(`Campfire failed (${context.status}) on ${describe(context)}${attemptsText(context)}${suffix(detail)}`, context);
  }
}

/** Connection refused or reset, DNS failure: no HTTP answer at all. */
export class NetworkError extends CampfireError {
  override name = "NetworkError";
  constructor(
    context: RequestContext,
    /** System error code such as ECONNREFUSED, when the runtime tells us. */
    readonly code?: string,
  ) {
    super(`Could not reach Campfire for ${describe(context)}${code ? ` (${code})` : ""}${attemptsText(context)}`, context);
  }
}

export class TimeoutError extends CampfireError {
  override name = "TimeoutError";
  constructor(
    context: RequestContext,
    readonly timeoutMs?: number,
  ) {
    const limit = timeoutMs === undefined ? "in time" : `within ${timeoutMs} ms`;
    super(`Campfire did not answer ${describe(context)} ${limit}${attemptsText(context)}`, context);
  }
}

/** A 2xx answer whose body does not have the shape the add-in relies on. */
export class ResponseShapeError extends CampfireError {
  override name = "ResponseShapeError";
  constructor(
    readonly issues: FieldIssue[],
    context: RequestContext,
  ) {
    super(`Unexpected response from ${describe(context)}: ${listIssues(issues)}`, context);
  }
}

/** Any other HTTP status (405, 409, 415, ...). */
export class UnexpectedStatusError extends CampfireError {
  override name = "UnexpectedStatusError";
  constructor(context: RequestContext & { status: number }, detail?: string) {
    super(`Campfire answered ${context.status} to ${describe(context)}${suffix(detail)}`, context);
  }
}

/** A bad argument caught before anything was sent (an id that is not a positive integer, a body breaking the write schema). */
export class ArgumentError extends CampfireError {
  override name = "ArgumentError";
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
    context: RequestContext = {},
  ) {
    super(issues.length ? `${message}: ${listIssues(issues)}` : message, context);
  }
}

/** Turn anything thrown around a Campfire call into a CampfireError without carrying foreign objects along. */
export function toCampfireError(error: unknown): CampfireError {
  if (error instanceof CampfireError) return error;
  // Duck-typed: fetch's errors may come from another realm (jest's vm, an iframe) where instanceof fails.
  if (isErrorLike(error)) {
    // ky's HTTPError/TimeoutError hold the Request (headers and all): keep only method, path and status.
    const { request, response } = error as { request?: { method?: unknown; url?: unknown }; response?: { status?: unknown } };
    const context: RequestContext =
      typeof request?.method === "string" && typeof request.url === "string" ? { method: request.method, path: pathOf(request.url) } : {};
    if (error.name === "TimeoutError") return new TimeoutError(context);
    if (typeof response?.status === "number") return errorForStatus({ ...context, status: response.status }, undefined);
    if (error.name === "TypeError") return new NetworkError(context, systemCode(error));
    return new CampfireError(`${error.name}: ${error.message}`);
  }
  return new CampfireError(`Unexpected failure: ${String(error)}`);
}

export function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === "object" && value !== null && typeof (value as Error).name === "string" && typeof (value as Error).message === "string"
  );
}

/** The error for a non-2xx status, given the (already redacted) parsed body. */
export function errorForStatus(
  context: RequestContext & { status: number },
  body: unknown,
  retryAfterSeconds?: number,
  tooLongToWait = false,
): CampfireError {
  const { status } = context;
  if (status === 400) return new ValidationError(flattenDrfErrors(body), context);
  if (status === 401 || status === 403) return new AuthError({ ...context, status }, detailOf(body));
  if (status === 404) return new NotFoundError(context, detailOf(body));
  if (status === 429) return new RateLimitedError(context, retryAfterSeconds, tooLongToWait);
  if (status >= 500) return new ServerError(context, detailOf(body));
  return new UnexpectedStatusError(context, detailOf(body));
}

/**
 * Django REST framework's 400 body as a flat list:
 * `{name: ["msg"], lines: [{}, {amount: ["msg"]}], non_field_errors: ["msg"]}` gives
 * `name`, `lines[1].amount`, `non_field_errors`. A bare string or list of strings is a non-field error.
 */
export function flattenDrfErrors(body: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => {
    const issuePath = path || "non_field_errors";
    const line = /^lines\[(\d+)\]/.exec(issuePath);
    issues.push(line ? { path: issuePath, message, lineIndex: Number(line[1]) } : { path: issuePath, message });
  };
  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      const allText = value.every((item) => typeof item !== "object" || item === null);
      value.forEach((item, i) => walk(item, allText ? path : `${path}[${i}]`));
    } else if (typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        // DRF's ListField reports errors as {"3": [...]}, keyed by index.
        walk(item, /^\d+$/.test(key) && path ? `${path}[${key}]` : path ? `${path}.${key}` : key);
      }
    } else {
      add(path, String(value));
    }
  };
  walk(body, "");
  return issues.length ? issues : [{ path: "non_field_errors", message: "Campfire gave no details" }];
}

/** zod issues as FieldIssues with paths like "results[2].total_amount". */
export function issuesFromZod(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || "(body)", message: zodMessage(issue) }));
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

export function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function zodMessage(issue: z.core.$ZodIssue): string {
  const plain = (message: string) => message.replace(/^Invalid (input|option): /, "");
  if (issue.code === "invalid_union" && issue.errors.length) {
    return issue.errors.map((branch) => plain(branch[0]?.message ?? "invalid")).join("; or ");
  }
  return plain(issue.message);
}

function detailOf(body: unknown): string | undefined {
  if (typeof body === "string") return body.slice(0, 200) || undefined;
  if (body && typeof body === "object") {
    const { detail, error } = body as { detail?: unknown; error?: unknown };
    const text = typeof detail === "string" ? detail : typeof error === "string" ? error : undefined;
    return text?.slice(0, 200);
  }
  return undefined;
}

export function systemCode(error: Error): string | undefined {
  // Node's fetch reports "fetch failed" with the socket error (ECONNREFUSED, ...) as its cause.
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function describe({ method, path }: RequestContext): string {
  return [method, path].filter(Boolean).join(" ") || "the request";
}

function attemptsText({ attempts }: RequestContext): string {
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
}

function suffix(detail: string | undefined): string {
  return detail ? `: ${detail}` : "";
}

function listIssues(issues: FieldIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > shown.length) shown.push(`(${issues.length - shown.length} more)`);
  return shown.join("; ");
}
