/**
 * Retries, timeouts and broken answers, with faults injected into a running sandbox.
 * Waits are recorded through `sleep` rather than timed, so nothing here depends on the clock.
 */
import net from "node:net";
import { createCampfireClient, type CampfireApi, type ClientOptions } from "../../src/api";
import {
  AuthError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
} from "../../src/api/errors";
import { contractPath, contractsPath, prepaidCommitPath, prepaidCommitsPath } from "../../src/api/paths";
import { useSandbox } from "../helpers/sandbox";

type Env = Awaited<ReturnType<typeof useSandbox>>;
let env: Env;
let sandbox: NonNullable<Env["sandbox"]>;
let delays: number[];
let sent: string[];

function client(extra: Partial<ClientOptions> = {}): CampfireApi {
  return createCampfireClient({
    baseUrl: env.baseUrl,
    token: env.token,
    backoffMs: 5,
    retries: 3,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRequest: (method, url) => sent.push(`${method} ${new URL(url).pathname}`),
    ...extra,
  });
}

/** Statuses the sandbox logged for requests to exactly this path. */
const statusesFor = (method: string, path: string) =>
  sandbox.requests.filter((r) => r.method === method && r.path.split("?")[0] === path).map((r) => r.status);

beforeAll(async () => {
  env = await useSandbox();
  if (!env.sandbox) throw new Error("fault injection needs the local sandbox (unset CAMPFIRE_BASE_URL)");
  sandbox = env.sandbox;
});
afterAll(() => env.close());
beforeEach(() => {
  sandbox.reset();
  delays = [];
  sent = [];
});

async function aCommit(api: CampfireApi) {
  for (const contract of await api.listContracts()) {
    const commit = (await api.listPrepaidCommits(contract.id))[0];
    if (commit) return commit;
  }
  throw new Error("the sandbox seed has no prepaid commit");
}

describe("429", () => {
  test("Retry-After in seconds is waited for, then the request succeeds", async () => {
    sandbox.injectFaults([{ status: 429, retryAfter: 2 }], { method: "GET", pathIncludes: contractPath(1) });
    const contract = await client().getContract(1);
    expect(contract.id).toBe(1);
    expect(statusesFor("GET", contractPath(1))).toEqual([429, 200]);
    expect(delays).toEqual([2000]);
    expect(sent).toEqual([`GET ${contractPath(1)}`, `GET ${contractPath(1)}`]);
  });

  test("a Retry-After of exactly maxDelayMs is still waited for", async () => {
    sandbox.injectFaults([{ status: 429, retryAfter: 2 }], { method: "GET", pathIncludes: contractPath(1) });
    expect((await client({ maxDelayMs: 2000 }).getContract(1)).id).toBe(1);
    expect(delays).toEqual([2000]);
  });

  test.each([
    { retryAfter: 86400, maxDelayMs: undefined, message: "try again in about 24 hours." },
    { retryAfter: 120, maxDelayMs: 1500, message: "try again in about 2 minutes." },
    { retryAfter: 31, maxDelayMs: undefined, message: "try again in about 31 seconds." },
  ])("a Retry-After of $retryAfter s, longer than maxDelayMs, fails at once: $message", async ({ retryAfter, maxDelayMs, message }) => {
    sandbox.injectFaults([{ status: 429, retryAfter }], { method: "GET", pathIncludes: contractPath(1) });
    const error = await client(maxDelayMs === undefined ? {} : { maxDelayMs })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).message).toBe(`Campfire is rate limiting requests; ${message}`);
    expect(error).toMatchObject({
      status: 429,
      attempts: 1,
      retryAfterSeconds: retryAfter,
      tooLongToWait: true,
      method: "GET",
      path: contractPath(1),
    });
    expect(delays).toEqual([]);
    expect(statusesFor("GET", contractPath(1))).toEqual([429]);
  });

  test("POST is retried on 429: Campfire refused it before doing anything", async () => {
    const contractId = (await client().listContracts())[0]!.id;
    sandbox.injectFaults([{ status: 429, retryAfter: 1 }], { method: "POST" });
    const created = await client().createPrepaidCommit(contractId, {
      name: "After a 429",
      total_value: 10,
      start_date: "2026-01-01",
    });
    expect(statusesFor("POST", prepaidCommitsPath(contractId))).toEqual([429, 201]);
    expect(created.name).toBe("After a 429");
  });

  test("429 on every attempt ends in RateLimitedError with the server's wait", async () => {
    sandbox.injectFaults(
      Array.from({ length: 3 }, () => ({ status: 429, retryAfter: 7 })),
      { method: "GET", pathIncludes: contractPath(1) },
    );
    const error = await client({ retries: 2 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, attempts: 3, retryAfterSeconds: 7, method: "GET", path: contractPath(1) });
    expect(statusesFor("GET", contractPath(1))).toEqual([429, 429, 429]);
  });
});

describe("502/503/504", () => {
  test("503 until retries run out: ServerError with the attempt count, backoff doubling with jitter", async () => {
    sandbox.injectFaults(
      Array.from({ length: 4 }, () => ({ status: 503 })),
      { method: "GET", pathIncludes: contractPath(1) },
    );
    const error = await client({ retries: 3 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, attempts: 4, method: "GET", path: contractPath(1) });
    expect((error as ServerError).message).toContain("after 4 attempts");
    expect(statusesFor("GET", contractPath(1))).toEqual([503, 503, 503, 503]);
    // Equal jitter: retry n waits between half and all of 5 ms × 2^(n-1).
    expect(delays).toHaveLength(3);
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual((5 * 2 ** i) / 2);
      expect(ms).toBeLessThanOrEqual(5 * 2 ** i);
    });
  });

  test.each([502, 503, 504])("PUT and PATCH are retried after %i", async (status) => {
    const api = client();
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    sandbox.injectFaults([{ status }], { method: "PATCH", pathIncludes: path });
    sandbox.injectFaults([{ status }], { method: "PUT", pathIncludes: path });

    await api.patchPrepaidCommit(commit.contract, commit.id, { description: "retried patch" });
    const put = await api.putPrepaidCommit(commit.contract, commit.id, {
      name: commit.name,
      total_value: commit.total_value,
      start_date: commit.start_date,
      description: "retried put",
    });

    expect(statusesFor("PATCH", path)).toEqual([status, 200]);
    expect(statusesFor("PUT", path)).toEqual([status, 200]);
    expect(put.description).toBe("retried put");
  });

  test("POST is not retried on 503: Campfire may have created the commit already", async () => {
    const contractId = (await client().listContracts())[0]!.id;
    sandbox.injectFaults([{ status: 503 }], { method: "POST" });
    const error = await client()
      .createPrepaidCommit(contractId, { name: "Once", total_value: 1, start_date: "2026-01-01" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(statusesFor("POST", prepaidCommitsPath(contractId))).toEqual([503]);
  });

  test("500 on a GET is retried; when retries run out the message quotes Campfire's detail", async () => {
    sandbox.injectFaults(
      [
        { status: 500, body: { detail: "boom" } },
        { status: 500, body: { detail: "boom" } },
      ],
      {
        method: "GET",
        pathIncludes: contractPath(1),
      },
    );
    const error = await client({ retries: 1 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, attempts: 2 });
    expect((error as ServerError).message).toBe(`Campfire failed (500) on GET ${contractPath(1)} after 2 attempts: boom`);
  });
});

describe("other statuses", () => {
  test.each([
    [403, AuthError, `The API user's role does not allow this request (403) for GET ${contractPath(1)}: no`],
    [409, UnexpectedStatusError, `Campfire answered 409 to GET ${contractPath(1)}: no`],
  ])("%i", async (status, type, message) => {
    sandbox.injectFaults([{ status, body: { detail: "no" } }], { method: "GET", pathIncludes: contractPath(1) });
    const error = await client()
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(message);
    expect(statusesFor("GET", contractPath(1))).toEqual([status]);
  });
});

describe("no answer", () => {
  test("a dropped connection is retried", async () => {
    sandbox.injectFaults([{ drop: true }], { method: "GET", pathIncludes: contractPath(1) });
    expect((await client().getContract(1)).id).toBe(1);
    expect(sent).toEqual([`GET ${contractPath(1)}`, `GET ${contractPath(1)}`]);
  });

  test("dropped on every attempt: NetworkError with the attempt count", async () => {
    sandbox.injectFaults(
      Array.from({ length: 3 }, () => ({ drop: true as const })),
      { method: "GET", pathIncludes: contractPath(1) },
    );
    const error = await client({ retries: 2 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 3, method: "GET", path: contractPath(1), status: undefined });
    expect(sent).toHaveLength(3);
  });

  test("connection reset as it opens: NetworkError with the system code", async () => {
    // A server that resets every connection, rather than a freed port: another test worker could listen there.
    const resetting = net.createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
    const { port } = resetting.address() as net.AddressInfo;
    try {
      const error = await client({ baseUrl: `http://127.0.0.1:${port}`, retries: 1 })
        .listEntities()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ code: "ECONNRESET", attempts: 2, path: "/coa/api/entity" });
      expect(sent).toEqual(["GET /coa/api/entity", "GET /coa/api/entity"]);
    } finally {
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });

  test("an answer slower than timeoutMs: TimeoutError after the retries", async () => {
    sandbox.injectFaults([{ delayMs: 1500 }, { delayMs: 1500 }], { method: "GET", pathIncludes: contractPath(1) });
    const error = await client({ timeoutMs: 250, retries: 1 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 250, attempts: 2, method: "GET", path: contractPath(1) });
  });

  test("one slow answer, then a quick one: the retry succeeds", async () => {
    // The first answer is held back until the client gives up on it, however fast the machine: no race with a
    // delay. The retry then has the whole second, ample on a busy 2-core machine.
    let attempt = 0;
    const holdFirstAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (attempt++ > 0) return response;
      const signal = (input as Request).signal;
      return new Promise<Response>((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    };
    expect((await client({ timeoutMs: 1000, fetch: holdFirstAnswer }).getContract(1)).id).toBe(1);
    expect(sent).toEqual([`GET ${contractPath(1)}`, `GET ${contractPath(1)}`]);
    // Both attempts reached Campfire; the first one's answer came too late.
    expect(statusesFor("GET", contractPath(1))).toEqual([200, 200]);
  });

  test("POST is not retried after a timeout", async () => {
    const contractId = (await client().listContracts())[0]!.id;
    sandbox.injectFaults([{ delayMs: 1500 }], { method: "POST" });
    const error = await client({ timeoutMs: 250 })
      .createPrepaidCommit(contractId, { name: "Slow", total_value: 1, start_date: "2026-01-01" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ attempts: 1 });
  });
});

describe("answers that break the schema", () => {
  test("a 200 list whose item has a string amount names the record and field", async () => {
    const contract = { id: 1, contract: 1, milestone_name: "M", milestone_date: "2026-01-01", amount: "lots" };
    sandbox.injectFaults(
      [{ status: 200, body: { count: 3, next: null, results: [contract, contract, { ...contract, amount: "12.5" }] } }],
      { method: "GET", pathIncludes: "/milestones" },
    );
    const error = await client()
      .listMilestones(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).issues).toEqual([
      { path: "results[0].amount", message: "expected number, received string; or not a decimal number" },
      { path: "results[1].amount", message: "expected number, received string; or not a decimal number" },
    ]);
    expect((error as ResponseShapeError).message).toBe(
      `Unexpected response from GET /rr/api/v1/contracts/1/milestones: results[0].amount: expected number, received string; or not a decimal number; results[1].amount: expected number, received string; or not a decimal number`,
    );
  });

  test("a 200 that is not JSON", async () => {
    sandbox.injectFaults([{ status: 200, rawBody: "<html>maintenance</html>" }], { method: "GET", pathIncludes: "/coa/api/entity" });
    const error = await client()
      .listEntities()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).message).toBe("Unexpected response from GET /coa/api/entity: (body): not JSON");
  });

  test("a proxy's HTML error page is left out of the message", async () => {
    sandbox.injectFaults([{ status: 500, rawBody: "<html><body>Internal error</body></html>" }], {
      method: "GET",
      pathIncludes: "/coa/api/entity",
    });
    const error = await client({ retries: 0 })
      .listEntities()
      .catch((e: unknown) => e);
    expect((error as ServerError).message).toBe("Campfire failed (500) on GET /coa/api/entity");
  });
});

describe("a write that lands but whose answer is lost", () => {
  test("POST is not retried, and the commit exists: a retry would have made two", async () => {
    const api = client();
    const contractId = (await api.listContracts())[0]!.id;
    const before = await api.listPrepaidCommits(contractId);
    sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "POST" });
    const error = await api
      .createPrepaidCommit(contractId, { name: "Lost answer", total_value: 5, start_date: "2026-01-01" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 1, method: "POST" });
    const after = await api.listPrepaidCommits(contractId);
    expect(after.filter((c) => c.name === "Lost answer")).toHaveLength(1);
    expect(after).toHaveLength(before.length + 1);
  });

  test("DELETE retried after a lost answer gets 404, which counts as deleted", async () => {
    const api = client();
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "DELETE", pathIncludes: path });
    await expect(api.deletePrepaidCommit(commit.contract, commit.id)).resolves.toBeUndefined();
    expect(statusesFor("DELETE", path)).toEqual([0, 404]);
  });

  test("DELETE of a commit that never existed is still a NotFoundError", async () => {
    const error = await client()
      .deletePrepaidCommit(1, 987654)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
  });

  test("PATCH retried after a lost answer applies the same change again", async () => {
    const api = client();
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    sandbox.injectFaults([{ drop: true, afterHandling: true }], { method: "PATCH", pathIncludes: path });
    const after = await api.patchPrepaidCommit(commit.contract, commit.id, { priority: 42 });
    expect(after.priority).toBe(42);
    expect(statusesFor("PATCH", path)).toEqual([0, 200]);
  });
});

describe("following next", () => {
  test("a next URL on another host is rebuilt on our base URL: the token stays home", async () => {
    const api = client();
    const all = await api.listContracts();
    expect(all.length).toBeGreaterThan(1);
    sandbox.injectFaults(
      [
        {
          status: 200,
          body: {
            count: all.length,
            next: "https://elsewhere.invalid/rr/api/v1/contracts?limit=1&offset=1",
            results: [all[0]],
          },
        },
      ],
      { method: "GET", pathIncludes: contractsPath() },
    );
    sent = [];
    const listed = await createCampfireClient({
      baseUrl: env.baseUrl,
      token: env.token,
      pageSize: 1,
      onRequest: (method, url) => sent.push(`${method} ${url}`),
    }).listContracts();
    expect(listed).toEqual(all);
    const origin = new URL(env.baseUrl).origin;
    expect(sent.every((line) => line.startsWith(`GET ${origin}/`))).toBe(true);
    expect(sent[1]).toBe(`GET ${origin}${contractsPath()}?limit=1&offset=1`);
  });

  test("a next that points back to a page already read stops the walk", async () => {
    const [first] = await client().listContracts();
    const looping = { count: 2, next: `${env.baseUrl.replace(/\/$/, "")}${contractsPath()}?limit=500`, results: [first] };
    sandbox.injectFaults([{ status: 200, body: looping }], { method: "GET", pathIncludes: contractsPath() });
    const error = await client()
      .listContracts()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).issues).toEqual([{ path: "next", message: "points back to a page already read" }]);
  });
});
