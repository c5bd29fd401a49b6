/**
 * Push time against the latency bound. Every sandbox request waits `latencyMs` before it is handled, so the wall
 * time of a push is dominated by how many request "waves" it needs: with concurrency C each worker sends, per
 * record, a conflict-check GET and then the PATCH, one after the other. B records therefore take
 *   ideal push = ceil(B / C) x 2 x L
 * and anything above that is the client, the server and the Excel work around the requests.
 */
import { makeLargeData } from "../src/sandbox/seed";
import { DEFAULT_CONCURRENCY } from "../src/app/workbench";
import { ratio, type Grid, type Metric, type Section } from "./report";
import { bundlesOf, editBundles, excelWorkbench, firstTwoLines, seconds, startBackend } from "./support";

interface Timed {
  ms: number;
  requests: number;
}

export async function pushLatency(options: { bundles: number; latencyMs: number; concurrencies: number[] }): Promise<Section> {
  const started = performance.now();
  const { bundles: B, latencyMs: L } = options;
  const data = makeLargeData(B, 3);
  const all = bundlesOf(data);
  const contracts = data.contracts.length;
  const backend = await startBackend({ data, latencyMs: L });
  const rows: Grid["rows"] = [];
  const metrics: Metric[] = [];
  try {
    for (const C of options.concurrencies) {
      backend.sandbox.reset();
      const bench = excelWorkbench(backend.session, { concurrency: C });
      const timed = async <T>(work: () => Promise<T>): Promise<Timed & { result: T }> => {
        backend.meter.reset();
        const served = backend.sandbox.requests.length;
        const t0 = performance.now();
        const result = await work();
        const ms = performance.now() - t0;
        const requests = backend.meter.count();
        if (backend.sandbox.requests.length - served !== requests) throw new Error("client and sandbox disagree on the request count");
        return { ms, requests, result };
      };

      const pull = await timed(() => bench.workbench.pull("allocations", "all"));
      if (pull.result.records !== B) throw new Error(`pulled ${pull.result.records} bundles, expected ${B}`);
      await editBundles(bench, all.map(firstTwoLines));
      const plan = await timed(() => bench.workbench.planPush("allocations"));
      if (plan.result.recordKeys.length !== B || plan.result.conflicts.length || plan.result.blocked.length) {
        throw new Error(`plan: ${plan.result.recordKeys.length} records, ${plan.result.conflicts.length} conflicts, ${plan.result.blocked.length} blocked`);
      }
      const push = await timed(() => bench.workbench.push(plan.result));
      if (push.result.succeeded !== B) throw new Error(`push: ${push.result.succeeded} of ${B} succeeded`);

      // listContracts, then the 3 item lists per contract, then one GET per bundle, each in waves of C.
      const idealPull = (1 + Math.ceil((3 * contracts) / C) + Math.ceil(B / C)) * L;
      const idealPlan = Math.ceil(B / C) * L;
      const idealPush = Math.ceil(B / C) * 2 * L;
      rows.push(
        [C, "pull", pull.requests, Math.round(pull.ms), idealPull, (pull.ms / idealPull).toFixed(2)],
        [C, "plan", plan.requests, Math.round(plan.ms), idealPlan, (plan.ms / idealPlan).toFixed(2)],
        [C, "push", push.requests, Math.round(push.ms), idealPush, (push.ms / idealPush).toFixed(2)],
      );
      if (C === DEFAULT_CONCURRENCY) {
        metrics.push(
          { name: `push wall time / ideal (C=${C})`, value: push.ms, unit: "ms", limit: idealPush, ratio: ratio(push.ms, idealPush), note: `ideal = ceil(${B}/${C}) x 2 x ${L} ms` },
          { name: "push requests / pushed record", decimals: 2, value: push.requests / B, limit: 2, ratio: ratio(push.requests / B, 2), note: "conflict-check GET + PATCH" },
          {
            name: "plan+push requests / pushed record", decimals: 2,
            value: (plan.requests + push.requests) / B,
            limit: 2,
            ratio: ratio((plan.requests + push.requests) / B, 2),
            note: "planPush's conflict preview GET is repeated by push",
          },
        );
      }
    }
  } finally {
    await backend.close();
  }
  return {
    id: "3",
    title: "Push time against the latency bound (workbench over ExcelWorkbook, sandbox with latency)",
    setup: { "changed bundles B": B, contracts, "latency L": `${L} ms`, "concurrency C": options.concurrencies.join(", "), "default C": DEFAULT_CONCURRENCY },
    grid: { columns: ["C", "operation", "requests", "wall ms", "ideal ms", "wall/ideal"], rows },
    metrics,
    notes: [
      "ideal push = ceil(B/C) x 2 x L: each worker sends GET (conflict check) then PATCH per record, one after the other",
      "ideal plan = ceil(B/C) x L (one GET per record); ideal pull = (1 + ceil(3K/C) + ceil(B/C)) x L for K contracts",
      "wall time includes reading the table and writing results back through the Excel fake",
    ],
    seconds: seconds(started),
  };
}
