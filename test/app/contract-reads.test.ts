/**
 * Reading a push's records by their contract's lists (src/app/contract-reads.ts), against the sandbox over HTTP:
 * the review and the read just before each write take three item lists per contract for its bundles and one
 * commit list per contract for its commits — and a change the lists show is still never overwritten.
 */
import { makeLargeData } from "../../src/sandbox/seed";
import type { SandboxData } from "../../src/sandbox/server";
import { editEveryBundle, startBench, type Bench } from "./workbench-helpers";

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

const CONTRACT = 100;
const LISTS = [
  `GET /rr/api/v1/contracts/${CONTRACT}/subscriptions`,
  `GET /rr/api/v1/contracts/${CONTRACT}/usage?limit=500`,
  `GET /rr/api/v1/contracts/${CONTRACT}/milestones?limit=500`,
];

interface Line {
  itemType: "subscription" | "usage" | "milestone";
  itemId: number;
  lineIds: number[];
  products: number[];
}

function bundles(data: SandboxData): Line[] {
  const of = (itemType: Line["itemType"], items: SandboxData["subscriptions"]) =>
    items.flatMap((r) =>
      r.bundle
        ? [{ itemType, itemId: r.id, lineIds: r.bundle.lines.map((l) => l.id), products: r.bundle.lines.map((l) => l.product) }]
        : [],
    );
  return [...of("subscription", data.subscriptions), ...of("usage", data.usage), ...of("milestone", data.milestones)];
}

function requests(b: Bench): string[] {
  return b.sandbox.requests.map((r) => `${r.method} ${r.path}`);
}

async function eightEditedBundles(): Promise<{ data: SandboxData; list: Line[] }> {
  const data = makeLargeData(8, 3);
  bench = await startBench({ data });
  await bench.workbench.pull("allocations", [CONTRACT]);
  const list = bundles(data);
  expect(list).toHaveLength(8);
  editEveryBundle(bench, data);
  bench.clearRequests();
  return { data, list };
}

it("8 changed bundles of one contract: the review and the push each read its three item lists, then 8 writes", async () => {
  await eightEditedBundles();
  const b = bench!;
  const plan = await b.workbench.planPush("allocations");
  expect(plan.sendCount).toBe(8);
  expect(requests(b).sort()).toEqual([...LISTS].sort());
  b.clearRequests();
  const report = await b.workbench.push(plan);
  expect(report.succeeded).toBe(8);
  const sent = requests(b);
  expect(sent.slice(0, 3).sort()).toEqual([...LISTS].sort());
  expect(sent.slice(3).map((r) => r.split(" ")[0])).toEqual(Array(8).fill("PATCH"));
});

it("a line changed in Campfire after the review: the lists show it, that bundle alone is read, found changed and not sent", async () => {
  const { list } = await eightEditedBundles();
  const b = bench!;
  const plan = await b.workbench.planPush("allocations");
  const victim = list[2]!;
  const before = b.sandbox.store.bundleOf(victim.itemType, CONTRACT, victim.itemId);
  const [p1, p2] = victim.products as [number, number];
  const a1 = before.lines[0]!.amount;
  const a2 = before.lines[1]!.amount;
  b.sandbox.store.touchBundle(CONTRACT, victim.itemType, victim.itemId, {
    lines: [
      { product: p1, amount: (Math.round(a1 * 100) - 500) / 100 },
      { product: p2, amount: (Math.round(a2 * 100) + 500) / 100 },
    ],
  });
  const theirs = structuredClone(b.sandbox.store.bundleOf(victim.itemType, CONTRACT, victim.itemId).lines.map((l) => l.amount));
  b.clearRequests();
  const report = await b.workbench.push(plan);
  expect(report.succeeded).toBe(7);
  const refused = report.results.filter((r) => r.outcome !== "done");
  expect(refused.map((r) => r.outcome)).toEqual(["conflict-skipped"]);
  expect(refused[0]!.message).toMatch(/^Not sent: changed in Campfire after your review/);
  // One GET of the changed bundle besides the lists; no write to it.
  const path = `/rr/api/v1/contracts/${CONTRACT}/${victim.itemType === "usage" ? "usage" : `${victim.itemType}s`}/${victim.itemId}/allocations`;
  expect(requests(b).filter((r) => r === `GET ${path}`)).toHaveLength(1);
  expect(requests(b).filter((r) => r === `PATCH ${path}`)).toHaveLength(0);
  expect(b.sandbox.store.bundleOf(victim.itemType, CONTRACT, victim.itemId).lines.map((l) => l.amount)).toEqual(theirs);
});

it("a field the lists do not show (the license term start) changed after the review: the amounts go out, that field stays Campfire's", async () => {
  const { list } = await eightEditedBundles();
  const b = bench!;
  const plan = await b.workbench.planPush("allocations");
  const other = list[0]!;
  b.sandbox.store.bundleOf(other.itemType, CONTRACT, other.itemId).license_term_start_date = "2026-03-01";
  const report = await b.workbench.push(plan);
  expect(report.succeeded).toBe(8);
  expect(b.sandbox.store.bundleOf(other.itemType, CONTRACT, other.itemId).license_term_start_date).toBe("2026-03-01");
});

it("the lists failing just before the writes: each bundle is read alone instead, and all 8 go out", async () => {
  await eightEditedBundles();
  const b = bench!;
  const plan = await b.workbench.planPush("allocations");
  b.sandbox.injectFaults([{ status: 503 }], { method: "GET", pathIncludes: `/contracts/${CONTRACT}/subscriptions` });
  b.clearRequests();
  const report = await b.workbench.push(plan);
  expect(report.succeeded).toBe(8);
  expect(b.requestCounts()).toEqual({ GET: 3 + 8, PATCH: 8 });
});

it("three changed bundles of a contract: lists would cost as much, so each is read alone, at review and before its write", async () => {
  const data = makeLargeData(3, 3);
  bench = await startBench({ data });
  await bench.workbench.pull("allocations", [CONTRACT]);
  editEveryBundle(bench, data);
  bench.clearRequests();
  const plan = await bench.workbench.planPush("allocations");
  expect(bench.requestCounts()).toEqual({ GET: 3 });
  expect(requests(bench).every((r) => r.endsWith("/allocations"))).toBe(true);
  bench.clearRequests();
  const report = await bench.workbench.push(plan);
  expect(report.succeeded).toBe(3);
  expect(bench.requestCounts()).toEqual({ GET: 3, PATCH: 3 });
});
