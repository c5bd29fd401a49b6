/**
 * Requests a pull costs, against the resources it must read, counted from the API's shape: allocations of K
 * contracts need each contract (a read by id, or one list of all contracts), its three item lists (the API has no
 * cross-contract list) and each of the B bundles (the compact bundle on an item lacks product codes and
 * last_modified_at): B + 4K resources by id, 1 + 3K + B for "all". Prepaid commits: one list per contract.
 * One request per distinct resource is the bound; a second read of any of them is waste.
 */
import { makeLargeData } from "../src/sandbox/seed";
import type { Grid } from "./report";
import { excelWorkbench, seconds, startBackend } from "./support";

export interface PullCount {
  label: string;
  records: number;
  requests: number;
  /** One request per resource the pull must read. */
  resources: number;
}

export interface PullRequests {
  contracts: number;
  bundles: number;
  byId: PullCount;
  all: PullCount;
  commits: PullCount;
  grid: Grid;
  seconds: number;
}

export async function pullRequests(options: { contracts: number; bundlesPerContract: number }): Promise<PullRequests> {
  const started = performance.now();
  const K = options.contracts;
  const B = K * options.bundlesPerContract;
  const data = makeLargeData(B, 3);
  if (data.contracts.length !== K) throw new Error(`makeLargeData made ${data.contracts.length} contracts, expected ${K}`);
  const ids = data.contracts.map((c) => c.id);
  const backend = await startBackend({ data });
  try {
    const bench = excelWorkbench(backend.session);
    const count = async (label: string, work: () => Promise<{ records: number }>, resources: number): Promise<PullCount> => {
      backend.meter.reset();
      const { records } = await work();
      return { label, records, requests: backend.meter.count(), resources };
    };
    const byId = await count("allocations, by id", () => bench.workbench.pull("allocations", ids), B + 4 * K);
    if (byId.records !== B) throw new Error(`pulled ${byId.records} bundles, expected ${B}`);
    const all = await count("allocations, all", () => bench.workbench.pull("allocations", "all"), 1 + 3 * K + B);
    const commits = await count("prepaid commits, by id", () => bench.workbench.pull("commits", ids), K);
    return {
      contracts: K,
      bundles: B,
      byId,
      all,
      commits,
      grid: {
        title: `Pull of K = ${K} contracts holding B = ${B} bundles: HTTP requests`,
        columns: ["pull", "records", "requests", "resources", "requests/resource"],
        rows: [byId, all, commits].map((c) => [c.label, c.records, c.requests, c.resources, (c.requests / c.resources).toFixed(2)]),
      },
      seconds: seconds(started),
    };
  } finally {
    await backend.close();
  }
}
