/**
 * Batching and caching of the CAMPFIRE functions, counted in real HTTP requests against the sandbox.
 */
import "./custom-functions-stub";
import type { ItemType } from "../../src/model/records";
import { makeLargeData } from "../../src/sandbox/seed";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { createCampfireFunctions } from "../../src/functions/campfire-functions";
import { FunctionsService } from "../../src/functions/functions-service";
import { useSandbox, type TestBackend } from "../helpers/sandbox";
import { connectionOf, excelError, localSandbox, loggedSession, memoryStore, signedInFunctions } from "./helpers";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("1,000 cells over 100 bundles", () => {
  let sandbox: RunningSandbox;
  let backend: TestBackend;
  let bundles: { contract: number; type: ItemType; item: number; lines: number }[];

  beforeAll(async () => {
    const data = makeLargeData(100, 3);
    sandbox = await startSandbox({ port: 0, data, latencyMs: 5 });
    backend = { baseUrl: sandbox.url, token: sandbox.token, sandbox, close: () => sandbox.close() };
    bundles = [
      ...data.subscriptions.map((r) => ({
        contract: r.contract,
        type: "subscription" as const,
        item: r.id,
        lines: r.bundle!.lines.length,
      })),
      ...data.usage.map((r) => ({ contract: r.contract, type: "usage" as const, item: r.id, lines: r.bundle!.lines.length })),
      ...data.milestones.map((r) => ({ contract: r.contract, type: "milestone" as const, item: r.id, lines: r.bundle!.lines.length })),
    ];
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  test("make 100 requests, never more than 6 at once, and every cell gets its own bundle", async () => {
    let inFlight = 0;
    let peak = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const { fns, requests } = await signedInFunctions(backend, { client: { fetch: countingFetch } });
    expect(bundles).toHaveLength(100);
    sandbox.requests.length = 0;

    const cells = Array.from({ length: 1000 }, (_, i) => bundles[i % 100]!);
    const results = await Promise.all(cells.map((b) => fns.allocations(b.contract, b.item, b.type)));

    expect(requests).toHaveLength(100);
    expect(sandbox.requests).toHaveLength(100);
    expect(new Set(sandbox.requests.map((r) => r.path)).size).toBe(100);
    expect(peak).toBe(6);
    results.forEach((rows, i) => {
      const b = cells[i]!;
      expect(rows).toHaveLength(b.lines);
      const served = sandbox.store.bundleOf(b.type, b.contract, b.item);
      expect(rows.map((r) => r[0])).toEqual(served.lines.map((l) => l.id));
    });
  });

  test("a second recalculation within the TTL makes no request; BUNDLE shares ALLOCATIONS' request", async () => {
    const { fns, requests } = await signedInFunctions(backend);
    const b = bundles[0]!;
    await fns.allocations(b.contract, b.item, b.type);
    await Promise.all([fns.allocations(b.contract, b.item, b.type), fns.bundle(b.contract, b.item, b.type, "total_amount")]);
    expect(requests).toEqual([`GET /rr/api/v1/contracts/${b.contract}/subscriptions/${b.item}/allocations`]);
  });
});

describe("freshness", () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await useSandbox();
  });
  afterAll(() => backend.close());
  beforeEach(() => backend.sandbox?.reset());

  test("session.dataChanged() (a push) drops the cache and asks Excel to recalculate once", async () => {
    const recalculate = jest.fn(async () => {});
    const { fns, requests, session } = await signedInFunctions(backend, { recalculate });
    expect(await fns.prepaidCommit(3, 9001, "name")).toEqual([["Initech Usage Commit 2026–2030"]]);
    // Someone changes the commit (the task pane's push goes through the same session).
    await session.api().patchPrepaidCommit(3, 9001, { name: "Renamed" });
    expect(await fns.prepaidCommit(3, 9001, "name")).toEqual([["Initech Usage Commit 2026–2030"]]);

    session.dataChanged();
    session.dataChanged();
    await tick();
    expect(recalculate).toHaveBeenCalledTimes(1);
    expect(await fns.prepaidCommit(3, 9001, "name")).toEqual([["Renamed"]]);
    expect(requests.filter((r) => r.startsWith("GET"))).toEqual([
      "GET /rr/api/v1/contracts/3/prepaid-commits?limit=500",
      "GET /rr/api/v1/contracts/3/prepaid-commits?limit=500",
    ]);
  });

  test("a success is reused for the TTL, then fetched again", async () => {
    let clock = 0;
    const { fns, requests } = await signedInFunctions(backend, { cache: { now: () => clock } });
    await fns.contracts();
    clock += 29_999;
    await fns.contracts();
    expect(requests).toHaveLength(1);
    clock += 1;
    await fns.contracts();
    expect(requests).toHaveLength(2);
  });

  test("a failure is not kept: after the error TTL the next call asks Campfire again", async () => {
    // The faults go into an in-process sandbox, whatever CAMPFIRE_BASE_URL says.
    const local = await localSandbox();
    try {
      let clock = 0;
      const { fns, requests } = await signedInFunctions(local, { cache: { now: () => clock } });
      // Two drops: the first attempt and its one retry.
      local.sandbox.injectFaults([{ drop: true }, { drop: true }], { pathIncludes: "/contracts/1/prepaid-commits" });
      const down = await excelError(fns.prepaidCommits(1));
      expect(down).toEqual({ code: "#N/A", message: "Cannot reach Campfire. Check the network, then click Refresh." });
      expect(requests).toHaveLength(2);
      // The other cells of the same recalculation share the failure rather than hammering a dead network.
      expect(await excelError(fns.prepaidCommits(1))).toEqual(down);
      expect(requests).toHaveLength(2);
      clock += 2_000;
      expect((await fns.prepaidCommits(1)).map((r) => r[0])).toEqual([9007]);
      expect(requests).toHaveLength(3);
    } finally {
      await local.close();
    }
  });

  test("every page of a long list is read", async () => {
    const { fns, requests, session } = await signedInFunctions(backend, { client: { pageSize: 25 } });
    for (let i = 0; i < 60; i++) {
      await session.api().createPrepaidCommit(6, { name: `Bulk ${i}`, total_value: 100 + i, start_date: "2026-06-01" });
    }
    requests.length = 0;
    const rows = await fns.prepaidCommits(6);
    expect(rows.map((r) => r[6])).toEqual(Array.from({ length: 60 }, (_, i) => `Bulk ${i}`));
    expect(rows.map((r) => r[11])).toEqual(Array.from({ length: 60 }, (_, i) => 100 + i));
    expect(requests).toEqual([
      "GET /rr/api/v1/contracts/6/prepaid-commits?limit=25",
      "GET /rr/api/v1/contracts/6/prepaid-commits?limit=25&offset=25",
      "GET /rr/api/v1/contracts/6/prepaid-commits?limit=25&offset=50",
    ]);
  });

  test("one failing cell does not break the others", async () => {
    const { fns } = await signedInFunctions(backend);
    const results = await Promise.allSettled([
      fns.allocations(1, 1001, "subscription"),
      fns.allocations(1, 1003, "subscription"),
      fns.allocations(1, 1001, "bogus"),
      fns.prepaidCommits(3),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
  });
});

describe("one runtime with the task pane", () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await useSandbox();
  });
  afterAll(() => backend.close());

  test("with the pane closed, the saved connection is restored once for all cells, without an extra recalculation", async () => {
    const { session, requests } = loggedSession(memoryStore(connectionOf(backend)));
    const recalculate = jest.fn(async () => {});
    const runtime = new FunctionsService(session, { recalculate });
    const fns = createCampfireFunctions(runtime);
    expect(session.signedIn).toBe(false);
    const cells = await Promise.all([fns.contracts(), fns.contracts(), fns.prepaidCommits(3)]);
    expect(cells[0]).toHaveLength(7);
    expect(session.signedIn).toBe(true);
    expect(requests).toEqual(["GET /rr/api/v1/contracts?limit=500", "GET /rr/api/v1/contracts/3/prepaid-commits?limit=500"]);
    await tick();
    expect(recalculate).not.toHaveBeenCalled();
  });

  test("with the pane closed, eight different cells at once (more than the six loads that run together) all get their values", async () => {
    // The restore used to queue behind the six loads waiting for it: every cell hung for good.
    const { session, requests } = loggedSession(memoryStore(connectionOf(backend)));
    const fns = createCampfireFunctions(new FunctionsService(session));
    const cells = await Promise.all([
      fns.prepaidCommit(1, 9007, "name"),
      fns.prepaidCommit(2, 9005, "currency"),
      fns.prepaidCommit(3, 9001, "discount_percentage"),
      fns.prepaidCommit(4, 9006, "total_value"),
      fns.prepaidCommit(5, 9008, "remaining_value"),
      fns.items(1, "subscription"),
      fns.items(2, "subscription"),
      fns.contracts(),
    ]);
    expect(cells.slice(0, 7)).toEqual([
      [["Acme Support Credits"]],
      [["EUR"]],
      [[20]],
      [[5000000]],
      [[-150.25]],
      [
        ["subscription", 1001, "", "Enterprise Platform Bundle", "", 46023, 46387, 5001, "Enterprise Platform Bundle", 100000, "USD"],
        ["subscription", 1002, "", "Growth Bundle", "", 46023, 46387, 5002, "Growth Bundle", 48000, "USD"],
        ["subscription", 1003, 106, "Standard Support", "", 46023, 46387, "", "", "", ""],
      ],
      [["subscription", 1004, "", "Analytics Expansion Bundle", "", 46082, 46446, 5004, "Analytics Expansion Bundle", 60000, "EUR"]],
    ]);
    expect(cells[7]!.map((row) => row[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([...requests].sort()).toEqual([
      "GET /rr/api/v1/contracts/1/prepaid-commits?limit=500",
      "GET /rr/api/v1/contracts/1/subscriptions",
      "GET /rr/api/v1/contracts/2/prepaid-commits?limit=500",
      "GET /rr/api/v1/contracts/2/subscriptions",
      "GET /rr/api/v1/contracts/3/prepaid-commits?limit=500",
      "GET /rr/api/v1/contracts/4/prepaid-commits?limit=500",
      "GET /rr/api/v1/contracts/5/prepaid-commits?limit=500",
      "GET /rr/api/v1/contracts?limit=500",
    ]);
  });

  test("a restore that failed is tried again by the next cell, and once for all cells", async () => {
    const store = memoryStore(connectionOf(backend));
    let loads = 0;
    const flaky = {
      ...store,
      async load() {
        loads++;
        if (loads === 1) throw new Error("storage is busy");
        return store.saved;
      },
    };
    const { session, requests } = loggedSession(flaky);
    const fns = createCampfireFunctions(new FunctionsService(session));
    // A cell of another request: the failed one is remembered for a moment by the cache, by design.
    expect(await excelError(fns.prepaidCommits(3))).toEqual({ code: "#N/A", message: "Unexpected error: storage is busy" });
    const cells = await Promise.all([fns.contracts(), fns.prepaidCommit(1, 9007, "name")]);
    expect(cells[1]).toEqual([["Acme Support Credits"]]);
    expect(cells[0]).toHaveLength(7);
    expect(loads).toBe(2);
    expect(requests).toEqual(["GET /rr/api/v1/contracts?limit=500", "GET /rr/api/v1/contracts/1/prepaid-commits?limit=500"]);
  });

  test("a cell that found no saved connection does not stop a later cell from restoring one", async () => {
    const store = memoryStore(connectionOf(backend));
    const { session } = loggedSession(store);
    const fns = createCampfireFunctions(new FunctionsService(session));
    expect(await fns.prepaidCommit(1, 9007, "name")).toEqual([["Acme Support Credits"]]);
    await session.signOut();
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Not signed in to Campfire. Open the Campfire pane, connect, then click Refresh.",
    });
    // A connection saved since (e.g. by the pane of another window, which this runtime does not hear of).
    store.saved = connectionOf(backend);
    expect(await fns.prepaidCommit(1, 9007, "name")).toEqual([["Acme Support Credits"]]);
  });

  test("not signed in: #N/A saying what to do; signing in from the pane clears it and recalculates", async () => {
    const { session } = loggedSession(memoryStore());
    const recalculate = jest.fn(async () => {});
    const fns = createCampfireFunctions(new FunctionsService(session, { recalculate }));
    expect(await excelError(fns.contracts())).toEqual({
      code: "#N/A",
      message: "Not signed in to Campfire. Open the Campfire pane, connect, then click Refresh.",
    });
    await session.signIn(connectionOf(backend));
    await tick();
    expect(recalculate).toHaveBeenCalledTimes(1);
    expect(await fns.contracts()).toHaveLength(7);
  });

  test("signing out drops cached values at once", async () => {
    const { fns, session } = await signedInFunctions(backend);
    expect(await fns.contracts()).toHaveLength(7);
    await session.signOut();
    expect((await excelError(fns.contracts())).code).toBe("#N/A");
  });
});
