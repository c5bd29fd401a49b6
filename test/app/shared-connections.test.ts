/**
 * One budget of connections for the whole runtime: a push from the pane and a recalculation of CAMPFIRE cells
 * share the 6 requests a browser allows per origin, and take turns — the cells are not left waiting behind
 * hundreds of queued writes.
 */
import { createCampfireClient } from "../../src/api/client";
import { RequestCache } from "../../src/app/request-cache";
import { MAX_IN_FLIGHT, Session } from "../../src/app/session";
import { createWorkbench } from "../../src/app/workbench";

import { makeLargeData } from "../../src/sandbox/seed";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { MemoryWorkbook } from "../helpers/memory-workbook";
import { ALLOCATIONS, lineRow } from "./workbench-helpers";
import { MemoryConnectionStore } from "../helpers/memory-connection-store";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, data: makeLargeData(60, 2), latencyMs: 15 });
});
afterAll(() => sandbox.close());

it("a push and 40 function loads together never have more than 6 requests in flight, and the loads do not wait for the push", async () => {
  let inFlight = 0;
  let most = 0;
  /** Called when the push sends its first write: the functions then ask while the push is under way. */
  let onFirstWrite: (() => void) | null = null;
  const counting: typeof fetch = async (input, init) => {
    const method = input instanceof Request ? input.method : (init?.method ?? "GET");
    if (method === "PATCH" && onFirstWrite) {
      const go = onFirstWrite;
      onFirstWrite = null;
      go();
    }
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const session = new Session(new MemoryConnectionStore(), (o) => createCampfireClient({ ...o, fetch: counting }));
  await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
  const workbook = new MemoryWorkbook();
  const workbench = createWorkbench({ session, workbook, utcOffset: () => 0 });
  await workbench.pull("allocations", "all");
  const rows = workbook.table(ALLOCATIONS).rows.length;
  for (let lineId = 100000; lineId < 100000 + rows; lineId += 2) {
    const first = lineRow(workbook, lineId);
    const second = lineRow(workbook, lineId + 1);
    workbook.type(ALLOCATIONS, first, "Amount", (workbook.cell(ALLOCATIONS, first, "Amount") as number) + 1);
    workbook.type(ALLOCATIONS, second, "Amount", (workbook.cell(ALLOCATIONS, second, "Amount") as number) - 1);
  }
  const plan = await workbench.planPush("allocations");
  expect(plan.sendCount).toBe(60);

  most = 0;
  // Order of completion, not time: which finished first.
  let order = 0;
  let pushDone = 0;
  const cache = new RequestCache();
  const writing = new Promise<void>((resolve) => (onFirstWrite = resolve));
  const pushing = workbench.push(plan).then((r) => {
    pushDone = ++order;
    return r;
  });
  // The functions ask once the push is writing (an event, not a delay).
  await writing;
  const loads = Array.from({ length: 40 }, (_, i) => cache.get(`contract-${i}`, () => session.api().getContract(100 + (i % 2))));
  const loaded = await Promise.all(loads).then(() => ++order);
  const report = await pushing;

  expect(report.succeeded).toBe(60);
  expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT);
  expect(most).toBe(MAX_IN_FLIGHT);
  // Fair turns: the 40 loads finish before the 120 requests of the push do.
  expect(loaded).toBeLessThan(pushDone);
});
