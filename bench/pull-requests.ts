/**
 * Requests a pull costs. Allocations: per contract one read (or one list of all contracts) and three item lists,
 * then one GET per bundle (the compact bundle on an item lacks product codes and last_modified_at). So for K
 * contracts holding B bundles the bound is B + 4K requests by id (1 + 3K + B for "all"), i.e. (B + 4K) / B per
 * bundle. Prepaid commits: one list request per contract while a contract's commits fit one page.
 */
import { makeLargeData } from "../src/sandbox/seed";
import { ratio, type Grid, type Metric, type Section } from "./report";
import { excelWorkbench, seconds, startBackend } from "./support";

export async function pullRequests(options: { contracts: number; bundlesPerContract: number }): Promise<Section> {
  const started = performance.now();
  const K = options.contracts;
  const B = K * options.bundlesPerContract;
  const data = makeLargeData(B, 3);
  if (data.contracts.length !== K) throw new Error(`makeLargeData made ${data.contracts.length} contracts, expected ${K}`);
  const ids = data.contracts.map((c) => c.id);
  const backend = await startBackend({ data });
  const rows: Grid["rows"] = [];
  const metrics: Metric[] = [];
  try {
    const bench = excelWorkbench(backend.session);
    const count = async (label: string, work: () => Promise<{ records: number }>, bound: number) => {
      backend.meter.reset();
      const { records } = await work();
      const requests = backend.meter.count();
      const gets = backend.meter.sent.filter((r) => /\/allocations$/.test(r)).length;
      rows.push([label, records, requests, gets, bound, (requests / records).toFixed(3), (bound / records).toFixed(3)]);
      return { records, requests };
    };
    const byId = await count("allocations, by id", () => bench.workbench.pull("allocations", ids), B + 4 * K);
    if (byId.records !== B) throw new Error(`pulled ${byId.records} bundles, expected ${B}`);
    const all = await count("allocations, all", () => bench.workbench.pull("allocations", "all"), 1 + 3 * K + B);
    const commits = await count("prepaid commits, by id", () => bench.workbench.pull("commits", ids), K);
    metrics.push(
      { name: "requests / bundle (by id)", decimals: 2, value: byId.requests / B, limit: (B + 4 * K) / B, ratio: ratio(byId.requests, B + 4 * K), note: "bound (B + 4K) / B" },
      { name: "requests / bundle (all)", decimals: 2, value: all.requests / B, limit: (1 + 3 * K + B) / B, ratio: ratio(all.requests, 1 + 3 * K + B), note: "bound (1 + 3K + B) / B" },
      { name: "requests / contract (commits)", decimals: 2, value: commits.requests / K, limit: 1, ratio: ratio(commits.requests, K), note: `${commits.records} commits` },
    );
  } finally {
    await backend.close();
  }
  return {
    id: "4",
    title: "Pull of K contracts: HTTP requests per bundle",
    setup: { "contracts K": K, "bundles B": B, "lines/bundle": 3 },
    grid: { columns: ["pull", "records", "requests", "bundle GETs", "bound", "requests/record", "bound/record"], rows },
    metrics,
    notes: ["bound by id = B + 4K (contract read + 3 item lists per contract, one GET per bundle); all = 1 + 3K + B"],
    seconds: seconds(started),
  };
}
