/**
 * One recalculation of a sheet full of CAMPFIRE formulas: every cell's call starts at once, as Excel does it.
 * Counted in real HTTP requests against the sandbox (with latency, so requests overlap as they would online).
 * Bound: one request per distinct resource the cells show, at most 6 in flight (a browser's limit per origin).
 */
import "../test/functions/custom-functions-stub";
import { createCampfireFunctions, type CampfireFunctions } from "../src/functions/campfire-functions";
import { FunctionsService } from "../src/functions/functions-service";
import { makeLargeData } from "../src/sandbox/seed";
import { bundlesOf, seconds, startBackend } from "./support";

export interface FunctionsBatching {
  cells: number;
  distinct: number;
  requests: number;
  peakInFlight: number;
  /** Requests of a second recalculation within the cache's lifetime. */
  again: number;
  wallMs: number;
  seconds: number;
}

export async function functionsBatching(options: { cells: number; bundles: number; latencyMs: number }): Promise<FunctionsBatching> {
  const started = performance.now();
  const linesPerBundle = 3;
  const data = makeLargeData(options.bundles, linesPerBundle);
  const bundles = bundlesOf(data);
  const backend = await startBackend({ data, latencyMs: options.latencyMs });
  try {
    // Half the cells show a bundle's lines, half one field of it: both read the same resource.
    const recalculateWith = (fns: CampfireFunctions) =>
      Promise.all(
        Array.from({ length: options.cells }, (_, i) => {
          const b = bundles[i % bundles.length]!;
          return i % 2 === 0
            ? fns.allocations(b.contract, b.itemId, b.itemType)
            : fns.bundle(b.contract, b.itemId, b.itemType, "total_amount");
        }),
      );
    // A first pass through its own runtime (own cache) warms the JIT, so the timed pass measures steady state.
    await recalculateWith(createCampfireFunctions(new FunctionsService(backend.session)));
    backend.meter.reset();
    const fns = createCampfireFunctions(new FunctionsService(backend.session));
    const t0 = performance.now();
    const results = await recalculateWith(fns);
    const wallMs = performance.now() - t0;
    const requests = backend.meter.count();
    const peakInFlight = backend.meter.peak;
    results.forEach((rows, i) => {
      const want = i % 2 === 0 ? linesPerBundle : 1;
      if (rows.length !== want) throw new Error(`cell ${i} got ${rows.length} rows, expected ${want}`);
    });
    backend.meter.reset();
    await recalculateWith(fns);
    const again = backend.meter.count();
    return { cells: options.cells, distinct: options.bundles, requests, peakInFlight, again, wallMs, seconds: seconds(started) };
  } finally {
    await backend.close();
  }
}
