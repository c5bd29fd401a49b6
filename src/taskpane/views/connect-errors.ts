/**
 * Why a connection failed, and what to do next, in the pane's words. The API client's typed errors carry the
 * request (method, path, status); a person needs the next step instead.
 */
import {
  AuthError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
} from "../../api/errors";

export interface ConnectAttempt {
  /** The address tried. */
  baseUrl: string;
  /** The add-in host's own relay to Campfire (the default address). */
  defaultUrl: string;
  sandbox: boolean;
}

export function connectErrorText(error: unknown, attempt: ConnectAttempt): string {
  const viaHost = attempt.baseUrl === attempt.defaultUrl || attempt.sandbox;
  if (error instanceof AuthError) {
    if (error.status === 403)
      return "Campfire knows this token, but its user may not read Campfire's data — ask a Campfire admin for a token with access.";
    return attempt.sandbox
      ? "The local sandbox refused its demo token — restart it with `npm run sandbox` and try again."
      : "Campfire refused this token — create one in Campfire › Settings › API Keys and paste it here.";
  }
  if (error instanceof NetworkError) {
    if (attempt.sandbox) return "The local sandbox can't be reached — start it with `npm start` (or `npm run sandbox`) and try again.";
    return viaHost
      ? "Campfire can't be reached through the add-in's host — check your network connection, then connect again."
      : `Campfire can't be reached directly from Excel; use the add-in's address (${attempt.defaultUrl}) under Advanced.`;
  }
  if (error instanceof TimeoutError) return "Campfire did not answer in time — try again in a minute.";
  if (error instanceof RateLimitedError) return "Campfire is busy with too many requests — try again in a minute.";
  if (error instanceof ServerError) return "Campfire had a problem answering — try again in a few minutes.";
  if (error instanceof NotFoundError || error instanceof ResponseShapeError || error instanceof UnexpectedStatusError) {
    return viaHost
      ? "The add-in's host answered, but not as Campfire does — check that the add-in is up to date, then connect again."
      : `That address does not answer as Campfire does; use the add-in's address (${attempt.defaultUrl}) under Advanced.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Could not connect: ${message.replace(/[.\s]+$/, "")}.`;
}
