/**
 * Reads under server errors: a pull in which every GET first fails once (500, 502, 503, 504 in turn), injected
 * into the sandbox. Every GET is idempotent, so the pull must succeed with exactly one extra request per fault;
 * its table must equal the clean pull's, and a fault that was never served fails the row (it proved nothing).
 */
import { DEFAULT_RETRY_POLICY } from "../src/api/http";
import { makeLargeData } from "../src/sandbox/seed";
import { ALLOCATIONS_SPEC, excelWorkbench, seconds, startBackend } from "./support";

export interface ReadRetries {
  gets: number;
  faults: number;
  /** 1 when the pull under faults failed, else 0. */
  failedPulls: number;
  /** Requests of the faulty pull beyond the clean pull's. */
  extraRequests: number;
  seconds: number;
}

const STATUSES = [500, 502, 503, 504] as const;

export async function readRetries(options: { bundles: number }): Promise<ReadRetries> {
  const started = performance.now();
  const backend = await startBackend(
    { data: makeLargeData(options.bundles, 3) },
    { retries: 3, backoffMs: 1, retryPolicy: DEFAULT_RETRY_POLICY },
  );
  try {
    const bench = excelWorkbench(backend.session);
    backend.sandbox.requests.length = 0;
    backend.meter.reset();
    await bench.workbench.pull("allocations", "all");
    const cleanRequests = backend.meter.count();
    const cleanTable = JSON.stringify((await bench.excel.readTable(ALLOCATIONS_SPEC))?.rows);
    const paths = backend.sandbox.requests.filter((r) => r.method === "GET").map((r) => r.path);

    backend.sandbox.reset();
    // Longest path first: a fault matches by substring, and a list's path is a prefix of its items' paths.
    [...paths]
      .sort((a, b) => b.length - a.length)
      .forEach((path, i) =>
        backend.sandbox.injectFaults([{ status: STATUSES[i % STATUSES.length]! }], { method: "GET", pathIncludes: path }),
      );
    backend.meter.reset();
    const pulled = await bench.workbench
      .pull("allocations", "all", undefined, { discardEdits: true })
      .then(() => true)
      .catch(() => false);
    // The pull counts as passed only when every injected fault was served and the table is the clean pull's.
    const fired = backend.sandbox.requests.filter((r) => (STATUSES as readonly number[]).includes(r.status)).length;
    const same = pulled && JSON.stringify((await bench.excel.readTable(ALLOCATIONS_SPEC))?.rows) === cleanTable;
    return {
      gets: paths.length,
      faults: fired,
      failedPulls: same && fired === paths.length ? 0 : 1,
      extraRequests: backend.meter.count() - cleanRequests,
      seconds: seconds(started),
    };
  } finally {
    await backend.close();
  }
}
