/** How failures read in the Status column, the log and the report. */
import { CampfireError } from "../api/errors";

export function errorMessage(error: unknown): string {
  // CampfireError messages are built without the token or headers; anything else is reduced to name and message.
  if (error instanceof CampfireError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The Status text of a send that failed: "Not pushed: …", but the client's own refusals already read "Not sent: …". */
export function pushFailureMessage(error: unknown): string {
  const text = errorMessage(error);
  return /^Not (sent|pushed)\b/.test(text) ? text : `Not pushed: ${text}`;
}
