/**
 * The API token must not be reachable from any thrown error: not its message, properties, cause or stack,
 * however the error is printed.
 */
import { inspect } from "node:util";
import ky from "ky";
import { createCampfireClient, type CampfireApi, type ClientOptions } from "../../src/api";
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
  toCampfireError,
} from "../../src/api/errors";
import { createHttp } from "../../src/api/http";
import { contractPath, allocationsPath } from "../../src/api/paths";
import { useSandbox } from "../helpers/sandbox";

type Env = Awaited<ReturnType<typeof useSandbox>>;
let env: Env;
let sandbox: NonNullable<Env["sandbox"]>;
const WRONG_TOKEN = "wrong-token-4f1d9c2e7b";

beforeAll(async () => {
  env = await useSandbox();
  if (!env.sandbox) throw new Error("fault injection needs the local sandbox (unset CAMPFIRE_BASE_URL)");
  sandbox = env.sandbox;
});
afterAll(() => env.close());
beforeEach(() => sandbox.reset());

const client = (extra: Partial<ClientOptions> = {}): CampfireApi =>
  createCampfireClient({ baseUrl: env.baseUrl, token: env.token, backoffMs: 1, retries: 1, ...extra });

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );

function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    JSON.stringify(e),
    JSON.stringify(Object.getOwnPropertyNames(e).map((k) => (e as unknown as Record<string, unknown>)[k])),
    inspect(e, { depth: 20, showHidden: true, getters: true }),
    String(e),
    String(e.stack),
    inspect(e.cause, { depth: 20, showHidden: true }),
  ];
}

const faultOnContract = (fault: Parameters<typeof sandbox.injectFaults>[0][number], times = 2) =>
  sandbox.injectFaults(
    Array.from({ length: times }, () => fault),
    { method: "GET", pathIncludes: contractPath(1) },
  );

const kinds: [string, new (...args: never[]) => CampfireError, () => Promise<unknown>][] = [
  [
    "ValidationError (server 400)",
    ValidationError,
    async () => {
      const [contract] = await client().listContracts();
      const subs = await client().listSubscriptions(contract!.id);
      const path = subs[0] ? allocationsPath(contract!.id, "subscription", subs[0].id) : allocationsPath(contract!.id, "usage", 1);
      return caught(createHttp({ baseUrl: env.baseUrl, token: env.token }).send("PATCH", path, { lines: [{ product: 1, amount: "x" }] }));
    },
  ],
  ["AuthError (401, wrong token)", AuthError, () => caught(client({ token: WRONG_TOKEN }).listContracts())],
  ["AuthError (403)", AuthError, () => (faultOnContract({ status: 403 }), caught(client().getContract(1)))],
  ["NotFoundError", NotFoundError, () => caught(client().getContract(99999999))],
  ["RateLimitedError", RateLimitedError, () => (faultOnContract({ status: 429, retryAfter: 0 }), caught(client().getContract(1)))],
  ["ServerError", ServerError, () => (faultOnContract({ status: 503 }), caught(client().getContract(1)))],
  [
    "ServerError whose body echoes the token",
    ServerError,
    () => (faultOnContract({ status: 500, body: { detail: `bad header Token ${env.token}` } }), caught(client().getContract(1))),
  ],
  ["UnexpectedStatusError", UnexpectedStatusError, () => (faultOnContract({ status: 418 }), caught(client().getContract(1)))],
  ["NetworkError", NetworkError, () => (faultOnContract({ drop: true }), caught(client().getContract(1)))],
  ["TimeoutError", TimeoutError, () => (faultOnContract({ delayMs: 1500 }), caught(client({ timeoutMs: 100 }).getContract(1)))],
  [
    "ResponseShapeError",
    ResponseShapeError,
    () => (faultOnContract({ status: 200, body: { id: "x" } }, 1), caught(client().getContract(1))),
  ],
  ["ArgumentError", ArgumentError, () => caught(client().createPrepaidCommit(1, { name: "", total_value: 1, start_date: "nope" }))],
  [
    "toCampfireError(ky HTTPError, which holds the Request with its Authorization header)",
    AuthError,
    async () => {
      const raw = await caught(
        ky.get(`${env.baseUrl.replace(/\/$/, "")}${contractPath(1)}`, {
          headers: { Authorization: `Token ${WRONG_TOKEN}` },
          retry: 0,
        }),
      );
      expect(inspect(raw, { depth: 20, showHidden: true })).toContain(WRONG_TOKEN); // the hazard is real
      return toCampfireError(raw);
    },
  ],
];

test.each(kinds)("%s carries no token", async (_, type, make) => {
  const error = await make();
  expect(error).toBeInstanceOf(type);
  for (const text of renderings(error)) {
    expect(text).not.toContain(env.token);
    expect(text).not.toContain(WRONG_TOKEN);
  }
});

test("the echoed token is cut out of the detail", async () => {
  faultOnContract({ status: 500, body: { detail: `bad header Token ${env.token}` } });
  const error = (await caught(client({ retries: 0 }).getContract(1))) as ServerError;
  expect(error.message).toBe(`Campfire failed (500) on GET ${contractPath(1)}: bad header Token [redacted]`);
});
