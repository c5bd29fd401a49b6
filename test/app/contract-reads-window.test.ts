/**
 * How old the read just before a write may be when records are read by their contract's lists
 * (src/app/contract-reads.ts), against the sandbox over HTTP: "at most about two chunks of writes"
 * (RECORDS_PER_LIST_READ records a chunk) whatever order the sheet has the records in — also when the user
 * sorted the table so that two contracts' bundles alternate.
 */
import { RECORDS_PER_LIST_READ } from "../../src/app/contract-reads";
import { makeLargeData } from "../../src/sandbox/seed";
import type { SandboxData } from "../../src/sandbox/server";
import { ALLOCATIONS, editEveryBundle, startBench, type Bench } from "./workbench-helpers";

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

/** `n` bundles of two lines over `contracts` contracts, bundle b in contract 100 + (b mod contracts). */
function alternating(n: number, contracts: number): SandboxData {
  const data = makeLargeData(n, 2);
  const ids = Array.from({ length: contracts }, (_, c) => 100 + c);
  data.contracts = ids.map((id, c) => ({ ...data.contracts[0]!, id, deal_name: `Bench ${c}` }));
  data.prepaidCommits = [];
  for (const item of [...data.subscriptions, ...data.usage, ...data.milestones]) item.contract = 100 + ((item.id - 100000) % contracts);
  return data;
}

/**
 * For each write, how many writes went out since the last read of its contract's item lists (the read that
 * stands for the record just before its write, or a later one).
 */
function writesSinceListRead(b: Bench): number[] {
  const lastListAt = new Map<string, number>();
  let writes = 0;
  const ages: number[] = [];
  for (const r of b.sandbox.requests) {
    const contract = /\/contracts\/(\d+)\//.exec(r.path)?.[1];
    if (!contract) continue;
    if (r.method === "GET" && /\/(subscriptions|usage|milestones)(\?|$)/.test(r.path)) lastListAt.set(contract, writes);
    if (r.method === "PATCH") {
      ages.push(writes - (lastListAt.get(contract) ?? -Infinity));
      writes++;
    }
  }
  return ages;
}

it("two contracts' bundles alternating on the sheet, two chunks each: no write is more than two chunks after its read", async () => {
  const perContract = 2 * RECORDS_PER_LIST_READ;
  const data = alternating(2 * perContract, 2);
  bench = await startBench({ data });
  await bench.workbench.pull("allocations", [100, 101]);
  bench.workbook.sortBy(ALLOCATIONS, "Line ID");
  editEveryBundle(bench, data);
  const plan = await bench.workbench.planPush("allocations");
  expect(plan.sendCount).toBe(2 * perContract);
  // Contract 100 and 101 alternate in the plan, as on the sheet.
  expect(plan.recordKeys.slice(0, 4).map((k) => k.split(":")[0])).toEqual(["100", "101", "100", "101"]);
  bench.clearRequests();
  const report = await bench.workbench.push(plan);
  expect(report.succeeded).toBe(2 * perContract);
  const ages = writesSinceListRead(bench);
  expect(ages).toHaveLength(2 * perContract);
  expect(Math.max(...ages)).toBeLessThanOrEqual(2 * RECORDS_PER_LIST_READ);
}, 60_000);

it("three contracts of 40 bundles one after the other: one chunk each, so each contract's lists are read once before the writes", async () => {
  const data = alternating(120, 3);
  for (const item of [...data.subscriptions, ...data.usage, ...data.milestones]) item.contract = 100 + Math.floor((item.id - 100000) / 40);
  bench = await startBench({ data });
  await bench.workbench.pull("allocations", [100, 101, 102]);
  bench.workbook.sortBy(ALLOCATIONS, "Line ID");
  editEveryBundle(bench, data);
  const plan = await bench.workbench.planPush("allocations");
  expect(plan.sendCount).toBe(120);
  bench.clearRequests();
  const report = await bench.workbench.push(plan);
  expect(report.succeeded).toBe(120);
  expect(bench.requestCounts()).toEqual({ GET: 3 * 3, PATCH: 120 });
  expect(Math.max(...writesSinceListRead(bench))).toBeLessThanOrEqual(2 * RECORDS_PER_LIST_READ);
}, 60_000);

it("a last chunk of one record is read by the lists too, as the review read it: a save that changed no value the lists show does not stop it", async () => {
  const n = RECORDS_PER_LIST_READ + 1;
  const data = alternating(n, 1);
  bench = await startBench({ data });
  await bench.workbench.pull("allocations", [100]);
  bench.workbook.sortBy(ALLOCATIONS, "Line ID");
  editEveryBundle(bench, data);
  // Another user saves the last bundle unchanged before the review: its last_modified_at moves, no value does.
  const last = [...data.subscriptions, ...data.usage, ...data.milestones].find((i) => i.id === 100000 + n - 1)!;
  const type = data.subscriptions.includes(last) ? "subscription" : data.usage.includes(last) ? "usage" : "milestone";
  const saved = bench.sandbox.store.bundleOf(type, 100, last.id);
  saved.last_modified_at = bench.sandbox.store.nextTimestamp(saved.last_modified_at);
  const plan = await bench.workbench.planPush("allocations");
  expect(plan.sendCount).toBe(n);
  bench.clearRequests();
  const report = await bench.workbench.push(plan);
  expect(report.results.filter((r) => r.outcome !== "done")).toEqual([]);
  expect(bench.requestCounts()).toEqual({ GET: 2 * 3, PATCH: n });
}, 60_000);
