/** Every way a connection fails says what to do next, and never shows the request behind it. */
import {
  AuthError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
} from "../../src/api/errors";
import { connectErrorText, type ConnectAttempt } from "../../src/taskpane/views/connect-errors";

const DEFAULT = "https://localhost:3000/campfire";
const viaHost: ConnectAttempt = { baseUrl: DEFAULT, defaultUrl: DEFAULT, sandbox: false };
const direct: ConnectAttempt = { baseUrl: "https://app.campfire.ai", defaultUrl: DEFAULT, sandbox: false };
const sandbox: ConnectAttempt = { baseUrl: "https://localhost:3000/sandbox", defaultUrl: DEFAULT, sandbox: true };
const ctx = { method: "GET", path: "/coa/api/entity" };

test.each<[string, unknown, ConnectAttempt, string]>([
  [
    "a refused token",
    new AuthError({ ...ctx, status: 401 }),
    viaHost,
    "Campfire refused this token — create one in Campfire › Settings › API Keys and paste it here.",
  ],
  [
    "a token without access",
    new AuthError({ ...ctx, status: 403 }),
    viaHost,
    "Campfire knows this token, but its user may not read Campfire's data — ask a Campfire admin for a token with access.",
  ],
  [
    "Campfire's own address from Excel",
    new NetworkError(ctx),
    direct,
    `Campfire can't be reached directly from Excel; use the add-in's address (${DEFAULT}) under Advanced.`,
  ],
  [
    "no network through the host",
    new NetworkError(ctx, "ECONNREFUSED"),
    viaHost,
    "Campfire can't be reached through the add-in's host — check your network connection, then connect again.",
  ],
  [
    "the sandbox not running",
    new NetworkError(ctx),
    sandbox,
    "The local sandbox can't be reached — start it with `npm start` (or `npm run sandbox`) and try again.",
  ],
  ["a slow Campfire", new TimeoutError(ctx, 30000), viaHost, "Campfire did not answer in time — try again in a minute."],
  ["rate limiting", new RateLimitedError(ctx, 5), viaHost, "Campfire is busy with too many requests — try again in a minute."],
  ["a server failure", new ServerError({ ...ctx, status: 502 }), viaHost, "Campfire had a problem answering — try again in a few minutes."],
  [
    "an address that is not Campfire",
    new NotFoundError(ctx),
    direct,
    `That address does not answer as Campfire does; use the add-in's address (${DEFAULT}) under Advanced.`,
  ],
  [
    "an odd answer through the host",
    new UnexpectedStatusError({ ...ctx, status: 302 }),
    viaHost,
    "The add-in's host answered, but not as Campfire does — check that the add-in is up to date, then connect again.",
  ],
  ["anything else", new Error("Something odd."), viaHost, "Could not connect: Something odd."],
])("%s", (_, error, attempt, text) => {
  const shown = connectErrorText(error, attempt);
  expect(shown).toBe(text);
  expect(shown).not.toMatch(/\/coa\/api|GET|\(\d{3}\)/);
});
