/**
 * The host's log: one JSON object per line (what log collectors parse without configuration). Fields are chosen
 * here, never copied from the request wholesale, so the Authorization header, cookies and query strings (which
 * can carry ids and filters a user did not mean to log) cannot reach a log line.
 */
import crypto from "node:crypto";

export type LogLevel = "info" | "warn" | "error";

export interface LogFields {
  level: LogLevel;
  msg: string;
  [field: string]: string | number | boolean | null | undefined;
}

/** One line of JSON, with the time first so lines sort and read naturally. */
export function logLine(fields: LogFields, now: Date = new Date()): string {
  return JSON.stringify({ time: now.toISOString(), ...fields });
}

/** An id a load balancer or proxy put on the request is kept (when it is trusted and looks like an id). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFor(incoming: string | string[] | undefined, trustProxy: boolean): string {
  if (trustProxy && typeof incoming === "string" && REQUEST_ID.test(incoming)) return incoming;
  return crypto.randomUUID();
}

/** The path as logged: never the query, never control characters, bounded in length. */
export function loggablePath(rawTarget: string): string {
  const noQuery = rawTarget.split("?", 1)[0] ?? "";
  const clean = noQuery.replace(/[^\x21-\x7e]/g, "?");
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** The message of anything thrown, for an error log line (stack included: it names our code, never request data). */
export function describeError(error: unknown): { error: string; stack?: string | undefined } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack?.split("\n").slice(1, 6).join(" | ") };
  return { error: String(error) };
}
