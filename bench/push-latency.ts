/**
 * A push of N changed bundles against a sandbox (in its own process) that holds every request for L ms, as a
 * network would. Its physical bound: with at most C = 6 requests in flight (what a browser allows per origin),
 * one write per record and the reads a conflict check just before writing needs at the least, R requests need
 * ceil(R / C) waves of L. Those reads: Campfire has no conditional write, so each record is read right before it
 * is written; a bundle's lines come with its item in the contract's three item lists (compact bundle), so the
 * records of K contracts take 3K reads however many they are. R = N + 3K; the goal allows 1.2 times
 * ceil(R / C) x L for the client and the Excel work around the requests. ceil(N / C) x L (the writes alone) is
 * reported beside it.
 */
import { makeLargeData } from "../src/sandbox/seed";
import { type Grid } from "./report";
import { bundlesOf, editBundles, excelWorkbench, firstTwoLines, seconds, startBackendProcess } from "./support";

/** What a browser allows in flight per origin, and so the most any push may use. */
export const MAX_IN_FLIGHT = 6;

export interface PushLatency {
  records: number;
  contracts: number;
  latencyMs: number;
  wallMs: number;
  /** ceil((N + 3K) / 6) x L: the writes and the contracts' item lists read just before them. */
  physicalMs: number;
  /** ceil(N / 6) x L: the writes alone. */
  writesOnlyMs: number;
  planRequests: number;
  pushRequests: number;
  writes: number;
  peakInFlight: number;
  grid: Grid;
  seconds: number;
}

export async function pushLatency(options: { bundles: number; latencyMs: number }): Promise<PushLatency> {
  const started = performance.now();
  const { bundles: N, latencyMs: L } = options;
  const data = makeLargeData(N, 3);
  const backend = await startBackendProcess({ data, latencyMs: L });
  try {
    const bench = excelWorkbench(backend.session);
    const pull = await bench.workbench.pull("allocations", "all");
    if (pull.records !== N) throw new Error(`pulled ${pull.records} bundles, expected ${N}`);
    await editBundles(bench, bundlesOf(data).map(firstTwoLines));

    backend.meter.reset();
    const plan = await bench.workbench.planPush("allocations");
    if (plan.recordKeys.length !== N || plan.conflicts.length || plan.blocked.length) {
      throw new Error(`plan: ${plan.recordKeys.length} records, ${plan.conflicts.length} conflicts, ${plan.blocked.length} blocked`);
    }
    const planRequests = backend.meter.count();

    backend.meter.reset();
    const t0 = performance.now();
    const push = await bench.workbench.push(plan);
    const wallMs = performance.now() - t0;
    if (push.succeeded !== N) throw new Error(`push: ${push.succeeded} of ${N} succeeded`);
    const pushRequests = backend.meter.count();
    const writes = backend.meter.count("PATCH") + backend.meter.count("PUT");
    const peakInFlight = backend.meter.peak;
    const physicalMs = Math.ceil((N + 3 * data.contracts.length) / MAX_IN_FLIGHT) * L;
    const writesOnlyMs = Math.ceil(N / MAX_IN_FLIGHT) * L;
    return {
      records: N,
      contracts: data.contracts.length,
      latencyMs: L,
      wallMs,
      physicalMs,
      writesOnlyMs,
      planRequests,
      pushRequests,
      writes,
      peakInFlight,
      grid: {
        title: `Push of ${N} changed bundles, sandbox latency ${L} ms`,
        columns: ["step", "requests", "writes", "reads", "peak in flight", "wall ms", "ceil((N+3K)/6) x L"],
        rows: [
          ["review (planPush)", planRequests, 0, planRequests, "", "", ""],
          ["push", pushRequests, writes, pushRequests - writes, peakInFlight, Math.round(wallMs), physicalMs],
        ],
      },
      seconds: seconds(started),
    };
  } finally {
    await backend.close();
  }
}
