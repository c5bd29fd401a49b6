/**
 * Reads are retried on server errors; writes keep their own rules; the policy can be swapped. Faults go in over
 * the sandbox's control endpoint (POST /__sandbox/faults) and the sandbox's request log (GET /__sandbox/requests)
 * counts what reached it. Waits are recorded through `sleep`, never timed.
 */
import { createCampfireClient, DEFAULT_RETRY_POLICY, type CampfireApi, type ClientOptions, type RetryPolicy } from "../../src/api";
import { NetworkError, ServerError } from "../../src/api/errors";
import { contractPath, prepaidCommitPath, prepaidCommitsPath } from "../../src/api/paths";
import type { PrepaidCommit } from "../../src/model/records";
import { useSandbox } from "../helpers/sandbox";
import { caller, type Call } from "../sandbox/http";

type Env = Awaited<ReturnType<typeof useSandbox>>;
let env: Env;
let control: Call;
let delays: number[];

beforeAll(async () => {
  env = await useSandbox();
  if (!env.sandbox) throw new Error("fault injection needs the local sandbox (unset CAMPFIRE_BASE_URL)");
  control = caller(env.baseUrl.replace(/\/$/, ""), env.token);
});
afterAll(() => env.close());
beforeEach(async () => {
  expect((await control("POST", "/__sandbox/reset")).status).toBe(204);
  delays = [];
});

function client(extra: Partial<ClientOptions> = {}): CampfireApi {
  return createCampfireClient({
    baseUrl: env.baseUrl,
    token: env.token,
    backoffMs: 8,
    retries: 3,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
}

type Fault = { status: number } | { drop: true; afterHandling?: boolean };

async function inject(faults: Fault[], match: { method: string; pathIncludes: string }): Promise<void> {
  expect((await control("POST", "/__sandbox/faults", { faults, match })).status).toBe(204);
}

/** The statuses the sandbox answered for `method` on exactly `path` (0 = connection dropped), in order. */
async function served(method: string, path: string): Promise<number[]> {
  const log = (await control("GET", "/__sandbox/requests")).json as { method: string; path: string; status: number }[];
  return log.filter((r) => r.method === method && r.path.split("?")[0] === path).map((r) => r.status);
}

async function aCommit(api: CampfireApi): Promise<PrepaidCommit> {
  for (const contract of await api.listContracts()) {
    const commit = (await api.listPrepaidCommits(contract.id))[0];
    if (commit) return commit;
  }
  throw new Error("the sandbox seed has no prepaid commit");
}

describe("a GET is retried on a server error", () => {
  test.each([500, 502, 503, 504])("%i once: one more request, and the read succeeds", async (status) => {
    await inject([{ status }], { method: "GET", pathIncludes: contractPath(1) });
    expect((await client().getContract(1)).id).toBe(1);
    expect(await served("GET", contractPath(1))).toEqual([status, 200]);
    expect(delays).toHaveLength(1);
  });

  test("500 on every attempt: retries + 1 requests, backoff doubling with jitter, then ServerError", async () => {
    await inject(
      Array.from({ length: 4 }, () => ({ status: 500 })),
      { method: "GET", pathIncludes: contractPath(1) },
    );
    const error = await client({ retries: 3 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, attempts: 4, method: "GET", path: contractPath(1) });
    expect(await served("GET", contractPath(1))).toEqual([500, 500, 500, 500]);
    // Equal jitter: retry n waits between half and all of 8 ms × 2^(n-1).
    expect(delays).toHaveLength(3);
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual((8 * 2 ** i) / 2);
      expect(ms).toBeLessThanOrEqual(8 * 2 ** i);
    });
  });

  test("with retries: 0 a 500 is answered at once, after one request", async () => {
    await inject([{ status: 500 }], { method: "GET", pathIncludes: contractPath(1) });
    const error = await client({ retries: 0 })
      .getContract(1)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, attempts: 1 });
    expect(await served("GET", contractPath(1))).toEqual([500]);
    expect(delays).toEqual([]);
  });

  test("a 500 in the middle of a paged list repeats only that page", async () => {
    const api = client({ pageSize: 1 });
    let contractId = 0;
    let all: PrepaidCommit[] = [];
    for (const contract of await api.listContracts()) {
      all = await api.listPrepaidCommits(contract.id);
      contractId = contract.id;
      if (all.length >= 3) break;
    }
    expect(all.length).toBeGreaterThanOrEqual(3);
    const path = prepaidCommitsPath(contractId);
    await control("POST", "/__sandbox/reset");
    await inject([{ status: 500 }], { method: "GET", pathIncludes: `${path}?limit=1&offset=1` });
    expect(await api.listPrepaidCommits(contractId)).toEqual(all);
    const statuses = await served("GET", path);
    expect(statuses).toEqual([200, 500, ...all.slice(1).map(() => 200)]);
    expect(statuses).toHaveLength(all.length + 1);
  });

  test("a 501 (not implemented) is not a passing fault: no retry", async () => {
    await inject([{ status: 501 }], { method: "GET", pathIncludes: contractPath(1) });
    await expect(client().getContract(1)).rejects.toMatchObject({ status: 501, attempts: 1 });
    expect(await served("GET", contractPath(1))).toEqual([501]);
  });
});

describe("writes keep their rules by default", () => {
  test.each(["PUT", "PATCH"] as const)("%s after a 500 is not retried: Campfire may have applied part of it", async (method) => {
    const api = client();
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    await inject([{ status: 500 }], { method, pathIncludes: path });
    const write =
      method === "PUT"
        ? api.putPrepaidCommit(commit.contract, commit.id, {
            name: commit.name,
            total_value: commit.total_value,
            start_date: commit.start_date,
          })
        : api.patchPrepaidCommit(commit.contract, commit.id, { description: "once" });
    await expect(write).rejects.toMatchObject({ status: 500, attempts: 1, method });
    expect(await served(method, path)).toEqual([500]);
  });

  test("PATCH after a 503 is retried (idempotent: it sends the same fields again)", async () => {
    const api = client();
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    await inject([{ status: 503 }], { method: "PATCH", pathIncludes: path });
    expect((await api.patchPrepaidCommit(commit.contract, commit.id, { priority: 7 })).priority).toBe(7);
    expect(await served("PATCH", path)).toEqual([503, 200]);
  });
});

describe("the write client the session makes (retries 0): each write goes out once; send-record.ts decides a resend", () => {
  test("PATCH after a 503 is sent once", async () => {
    const api = client({ retries: 0 });
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    await inject([{ status: 503 }], { method: "PATCH", pathIncludes: path });
    const error = await api.patchPrepaidCommit(commit.contract, commit.id, { priority: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(await served("PATCH", path)).toEqual([503]);
  });

  test("PATCH whose answer is lost is sent once: the change landed, and the caller is told it does not know", async () => {
    const api = client({ retries: 0 });
    const commit = await aCommit(api);
    const path = prepaidCommitPath(commit.contract, commit.id);
    await inject([{ drop: true, afterHandling: true }], { method: "PATCH", pathIncludes: path });
    const error = await api.patchPrepaidCommit(commit.contract, commit.id, { priority: 11 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ attempts: 1, method: "PATCH" });
    expect(await served("PATCH", path)).toEqual([0]);
    expect((await api.getPrepaidCommit(commit.contract, commit.id)).priority).toBe(11);
  });
});

describe("retryPolicy", () => {
  test("a custom policy is asked once per failed attempt, with the method and what happened", async () => {
    const asked: string[] = [];
    const policy: RetryPolicy = (method, outcome) => {
      asked.push(`${method} ${outcome.kind === "answer" ? outcome.status : outcome.kind}`);
      return DEFAULT_RETRY_POLICY(method, outcome);
    };
    await inject([{ status: 502 }, { drop: true }], { method: "GET", pathIncludes: contractPath(1) });
    expect((await client({ retryPolicy: policy }).getContract(1)).id).toBe(1);
    expect(asked).toEqual(["GET 502", "GET network"]);
    expect(await served("GET", contractPath(1))).toEqual([502, 0, 200]);
  });
});
