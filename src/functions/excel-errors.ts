/**
 * Failures as Excel errors with words. Excel shows the code in the cell and the message in the cell's error
 * tooltip, so messages are one short sentence saying what happened and what to do.
 *
 * Codes: custom messages are only shown for #VALUE! and #N/A (CustomFunctions.ErrorCode has no #BUSY! or
 * #CONNECT!, and #NUM!/#NULL!/#DIV/0! drop the message). So:
 *   #VALUE!  the formula's arguments are wrong (the user fixes the formula);
 *   #N/A     the value is not available (not signed in, not found, no bundle, network, rate limit, server):
 *            the formula is right, the data or the connection is not.
 */
import {
  ArgumentError,
  AuthError,
  CampfireError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
  ValidationError,
  aboutDuration,
} from "../api/errors";
import { NotSignedInError } from "../app/session";
import { DrawdownInputError } from "../domain/drawdown";

/** An argument of the formula is wrong: becomes #VALUE!. */
export class FunctionArgumentError extends Error {
  override name = "FunctionArgumentError";
}

/** The lookup worked but there is nothing to show (no bundle on the item, no such commit, an empty list): #N/A. */
export class NotAvailableError extends Error {
  override name = "NotAvailableError";
}

/** Longest message kept: the tooltip is small, and a message must never grow with data it quotes. */
const MESSAGE_MAX = 160;

export function toExcelError(error: unknown): CustomFunctions.Error {
  if (error instanceof CustomFunctions.Error) return error;
  const { code, message } = describeFailure(error);
  return new CustomFunctions.Error(
    code === "#VALUE!" ? CustomFunctions.ErrorCode.invalidValue : CustomFunctions.ErrorCode.notAvailable,
    shorten(message),
  );
}

export interface Failure {
  code: "#VALUE!" | "#N/A";
  message: string;
}

/** The code and words for a failure; kept apart from CustomFunctions so the table is plain data. */
export function describeFailure(error: unknown): Failure {
  const na = (message: string): Failure => ({ code: "#N/A", message });
  if (error instanceof FunctionArgumentError || error instanceof DrawdownInputError) {
    return { code: "#VALUE!", message: error.message };
  }
  if (error instanceof ArgumentError) return { code: "#VALUE!", message: `Bad argument: ${error.message}` };
  if (error instanceof NotAvailableError) return na(error.message);
  if (error instanceof NotSignedInError) {
    return na("Not signed in to Campfire. Open the Campfire pane, connect, then click Refresh.");
  }
  if (error instanceof NotFoundError) return na(notFoundMessage(error));
  if (error instanceof AuthError) {
    return error.status === 403
      ? na("Your Campfire API user may not read this. Ask a Campfire admin for access.")
      : na("Campfire refused the API token. Reconnect in the Campfire pane.");
  }
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfterSeconds ? aboutDuration(error.retryAfterSeconds) : "a minute";
    return na(`Campfire is rate limiting requests. Wait ${wait}, then click Refresh.`);
  }
  if (error instanceof NetworkError) return na("Cannot reach Campfire. Check the network, then click Refresh.");
  if (error instanceof TimeoutError) return na("Campfire did not answer in time. Click Refresh to try again.");
  if (error instanceof ServerError) {
    return na(`Campfire failed (${error.status ?? "5xx"}). Click Refresh later; if it persists, contact Campfire.`);
  }
  if (error instanceof ResponseShapeError) return na(shapeMessage(error));
  if (error instanceof ValidationError) {
    const first = error.issues[0];
    return na(`Campfire refused the request${first ? `: ${first.message}` : "."}`);
  }
  if (error instanceof UnexpectedStatusError) return na(`Campfire answered ${error.status}. Click Refresh to try again.`);
  if (error instanceof CampfireError) return na(error.message);
  // Not ours: say so plainly but do not dump a stack or a foreign object into the cell.
  const text = error instanceof Error ? error.message : String(error);
  return na(`Unexpected error: ${text}`);
}

function shorten(message: string, max = MESSAGE_MAX): string {
  const chars = [...message];
  return chars.length <= max ? message : chars.slice(0, max - 1).join("") + "…";
}

/** Item types by their segment in Campfire's URLs. */
const ITEM_SEGMENT_TYPES: Record<string, string> = { usage: "usage", subscriptions: "subscription", milestones: "milestone" };

/**
 * A 404 names the record from the request's path, so the user knows which id in the formula to check.
 * Matched at the path's end: through the add-in host's proxy the path carries a prefix.
 */
function notFoundMessage(error: NotFoundError): string {
  const path = error.path ?? "";
  const item = /\/rr\/api\/v1\/contracts\/(\d+)\/(usage|subscriptions|milestones)\/(\d+)(\/allocations)?\/?$/.exec(path);
  if (item) {
    const [, contract, segment, id, allocations] = item;
    const type = ITEM_SEGMENT_TYPES[segment!];
    const what = allocations ? `allocations for contract ${contract}, ${type} item ${id}` : `${type} item ${id} on contract ${contract}`;
    return `Campfire has no ${what}. =CAMPFIRE.ITEMS(${contract}) lists the items.`;
  }
  const commit = /\/rr\/api\/v1\/contracts\/(\d+)\/prepaid-commits\/(\d+)\/?$/.exec(path);
  if (commit) {
    return `Campfire has no prepaid commit ${commit[2]} on contract ${commit[1]}. =CAMPFIRE.PREPAIDCOMMITS(${commit[1]}) lists them.`;
  }
  const contract = /\/rr\/api\/v1\/contracts\/(\d+)(\/[a-z-]+)?\/?$/.exec(path);
  if (contract) return `Campfire has no contract ${contract[1]}. =CAMPFIRE.CONTRACTS() lists the contracts.`;
  const product = /\/rr\/api\/v1\/product\/(\d+)\/?$/.exec(path);
  if (product) return `Campfire has no product ${product[1]}. Check the product id.`;
  const where = requestOf(error);
  return where
    ? `Campfire found nothing at ${where}. Check the ids in the formula.`
    : "Not found in Campfire. Check the ids in the formula.";
}

/**
 * Names the endpoint and the first field Campfire answered differently from its documented shape, so a report
 * of the message alone says where the add-in and Campfire disagree. The field is cut, never the endpoint.
 */
function shapeMessage(error: ResponseShapeError): string {
  const where = requestOf(error);
  const head = `The add-in cannot read Campfire's answer${where ? ` to ${where}` : ""}`;
  const first = error.issues[0];
  if (!first) return `${head}.`;
  // A foreign path of absurd length leaves no room; then the whole message is cut by toExcelError instead.
  const room = Math.max(MESSAGE_MAX - [...head].length - " ().".length, 20);
  return `${head} (${shorten(`${first.path}: ${first.message}`, room)}).`;
}

/** "GET /rr/api/v1/...": the API path without the host proxy's prefix (the context never holds the query). */
function requestOf(error: CampfireError): string | undefined {
  if (!error.path) return undefined;
  const root = /\/(rr|coa)\/api\//.exec(error.path);
  const path = root ? error.path.slice(root.index) : error.path;
  return error.method ? `${error.method} ${path}` : path;
}
