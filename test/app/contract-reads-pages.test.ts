/**
 * Reads by contract over paginated item lists (src/app/contract-reads.ts), against the sandbox over HTTP with
 * pages of two items: every page is read, a bundle on a later page is compared like any other, and a bundle the
 * lists show twice (an item added in front of it while the pages were read moves it onto the next page too) is
 * taken as unchanged only if every copy shows it so.
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
/** Called with each response's path as it arrives, before the client reads it. */
let onResponse: (path: string) => void = () => {};

/** Pages of two items (the client asks for 500), so a contract's usage and milestones span several pages. */
const smallPages: typeof fetch = async (input, init) => {
  const url = (input instanceof Request ? input.url : String(input)).replace("limit=500", "limit=2");
  const response = await fetch(input instanceof Request ? new Request(url, input) : url, init);
  onResponse(new URL(url).pathname + new URL(url).search);
  return response;
};

/** `n` bundles of two lines, all on one contract: n / 3 milestones. */
function oneContract(n: number): SandboxData {
  const data = makeLargeData(n, 2);
  data.contracts = [data.contracts[0]!];
  data.prepaidCommits = [];
  for (const item of [...data.subscriptions, ...data.usage, ...data.milestones]) item.contract = CONTRACT;
  return data;
}

/** "Another user" moves 5.00 between the two lines of a milestone's bundle. */
function theirChange(b: Bench, milestoneId: number): number[] {
  const bundle = b.sandbox.store.bundleOf("milestone", CONTRACT, milestoneId);
  const l1 = bundle.lines[0]!;
  const l2 = bundle.lines[1]!;
  b.sandbox.store.touchBundle(CONTRACT, "milestone", milestoneId, {
    lines: [
      { product: l1.product, amount: (Math.round(l1.amount * 100) + 500) / 100 },
      { product: l2.product, amount: (Math.round(l2.amount * 100) - 500) / 100 },
    ],
  });
  return b.sandbox.store.bundleOf("milestone", CONTRACT, milestoneId).lines.map((l) => l.amount);
}

const requests = (b: Bench) => b.sandbox.requests.map((r) => `${r.method} ${r.path}`);

beforeEach(() => {
  onResponse = () => {};
});

it("every page of the usage and milestone lists is read, and a bundle on the last page changed after the review is not sent", async () => {
  const data = oneContract(12);
  bench = await startBench({ data, fetch: smallPages });
  await bench.workbench.pull("allocations", [CONTRACT]);
  editEveryBundle(bench, data);
  bench.clearRequests();
  const plan = await bench.workbench.planPush("allocations");
  expect(plan.sendCount).toBe(12);
  expect(requests(bench).sort()).toEqual(
    [
      `GET /rr/api/v1/contracts/${CONTRACT}/subscriptions`,
      `GET /rr/api/v1/contracts/${CONTRACT}/usage?limit=2`,
      `GET /rr/api/v1/contracts/${CONTRACT}/usage?limit=2&offset=2`,
      `GET /rr/api/v1/contracts/${CONTRACT}/milestones?limit=2`,
      `GET /rr/api/v1/contracts/${CONTRACT}/milestones?limit=2&offset=2`,
    ].sort(),
  );
  const last = data.milestones.at(-1)!.id;
  const theirs = theirChange(bench, last);
  const report = await bench.workbench.push(plan);
  expect(report.succeeded).toBe(11);
  expect(report.results.filter((r) => r.outcome !== "done").map((r) => [r.key, r.outcome])).toEqual([
    [`${CONTRACT}:milestone:${last}`, "conflict-skipped"],
  ]);
  expect(bench.sandbox.store.bundleOf("milestone", CONTRACT, last).lines.map((l) => l.amount)).toEqual(theirs);
});

it("a bundle the lists show twice, as reviewed on one page and changed by another user on the next: not sent", async () => {
  const data = oneContract(12);
  bench = await startBench({ data, fetch: smallPages });
  await bench.workbench.pull("allocations", [CONTRACT]);
  editEveryBundle(bench, data);
  const plan = await bench.workbench.planPush("allocations");
  expect(plan.sendCount).toBe(12);
  // The second milestone ends the first page. Once the push has read that page, another user adds a milestone
  // in front (so the second one is also the first of the next page) and changes the second one's bundle.
  const [first, second] = data.milestones as [SandboxData["milestones"][number], SandboxData["milestones"][number]];
  let theirs: number[] = [];
  onResponse = (path) => {
    if (path !== `/rr/api/v1/contracts/${CONTRACT}/milestones?limit=2` || theirs.length) return;
    bench!.sandbox.store.data.milestones.unshift({ ...structuredClone(first), id: 99999, bundle: null });
    theirs = theirChange(bench!, second.id);
  };
  bench.clearRequests();
  const report = await bench.workbench.push(plan);
  expect(theirs).toHaveLength(2);
  expect(requests(bench)).toContain(`GET /rr/api/v1/contracts/${CONTRACT}/milestones?limit=2&offset=2`);
  expect(report.results.filter((r) => r.outcome !== "done").map((r) => [r.key, r.outcome])).toEqual([
    [`${CONTRACT}:milestone:${second.id}`, "conflict-skipped"],
  ]);
  expect(report.succeeded).toBe(11);
  expect(bench.sandbox.store.bundleOf("milestone", CONTRACT, second.id).lines.map((l) => l.amount)).toEqual(theirs);
});
