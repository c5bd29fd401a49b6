/**
 * One recalculation of a sheet full of CAMPFIRE formulas: every cell's call starts at once, as Excel does it.
 * Counted in real HTTP requests against the sandbox (with latency, so requests overlap as they would online).
 */
import "../test/functions/custom-functions-stub";
import { DEFAULT_MAX_CONCURRENT } from "../src/app/request-cache";
import { createCampfireFunctions, type CampfireFunctions } from "../src/functions/campfire-functions";
import { FunctionsRuntime } from "../src/functions/functions-runtime";
import { makeLargeData } from "../src/sandbox/seed";
import { ratio, type Section } from "./report";
import { bundlesOf, seconds, startBackend } from "./support";

export async function functionsBatching(options: { cells: number; bundles: number; latencyMs: number }): Promise<Section> {
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
          return i % 2 === 0 ? fns.allocations(b.contract, b.itemId, b.itemType) : fns.bundle(b.contract, b.itemId, b.itemType, "total_amount");
        }),
      );
    // A first pass through its own runtime (own cache) warms the JIT, so the timed pass measures steady state.
    await recalculateWith(createCampfireFunctions(new FunctionsRuntime(backend.session)));
    backend.meter.reset();
    backend.sandbox.requests.length = 0;
    const fns = createCampfireFunctions(new FunctionsRuntime(backend.session));
    const recalculate = () => recalculateWith(fns);

    const t0 = performance.now();
    const results = await recalculate();
    const wallMs = performance.now() - t0;
    const requests = backend.meter.count();
    const distinct = new Set(backend.meter.sent).size;
    const served = backend.sandbox.requests.length;
    const peak = backend.meter.peak;
    results.forEach((rows, i) => {
      const want = i % 2 === 0 ? linesPerBundle : 1;
      if (rows.length !== want) throw new Error(`cell ${i} got ${rows.length} rows, expected ${want}`);
    });

    backend.meter.reset();
    await recalculate();
    const again = backend.meter.count();

    const rounds = Math.ceil(options.bundles / DEFAULT_MAX_CONCURRENT);
    const idealMs = rounds * options.latencyMs;
    return {
      id: "1",
      title: "Custom functions batching: one recalculation of many cells over few bundles",
      setup: { cells: options.cells, "distinct bundles": options.bundles, "sandbox latency": `${options.latencyMs} ms`, "max concurrent": DEFAULT_MAX_CONCURRENT },
      metrics: [
        { name: "HTTP requests / distinct resources", decimals: 2, value: requests / options.bundles, limit: 1, ratio: requests / options.bundles, note: `${requests} requests (${distinct} distinct, ${served} served) for ${options.cells} cells` },
        { name: "max requests in flight", value: peak, limit: DEFAULT_MAX_CONCURRENT, ratio: ratio(peak, DEFAULT_MAX_CONCURRENT) },
        { name: "second recalculation within TTL: requests", value: again, limit: 0, note: "answers reused from the cache" },
        {
          name: "recalculation wall time / ideal",
          value: wallMs,
          unit: "ms",
          limit: idealMs,
          ratio: ratio(wallMs, idealMs),
          note: `ideal = ceil(${options.bundles}/${DEFAULT_MAX_CONCURRENT}) x ${options.latencyMs} ms`,
        },
      ],
      notes: ["timed after one untimed warm-up recalculation in a separate runtime (own cache)", "ideal: the bundles load in ceil(D/max concurrent) waves of one sandbox latency each; the rest is client and server work"],
      seconds: seconds(started),
    };
  } finally {
    await backend.close();
  }
}
