/**
 * Excel round trips of pull, check, plan and push on allocation tables of growing size, through the real Excel
 * adapter over the Excel fake (which counts every context.sync and measures each request's size).
 *
 * The design promises a fixed number of syncs per operation whatever the row count, except the extra syncs of
 * cutting payloads under Excel on the web's 5 MB limit. To tell the two apart without re-deriving the adapter's
 * arithmetic, every size runs twice: once as shipped, and once with the batch budgets (and the fake's limit) set
 * to infinity. The second run's syncs are the "fixed" part; the difference is what chunking added.
 */
import { EXCEL_WEB_PAYLOAD_LIMIT_BYTES } from "../src/preview/excel-fake";
import { makeLargeData } from "../src/sandbox/seed";
import { ratio, type Metric, type Section } from "./report";
import { bundlesOf, countSyncs, editBundles, excelWorkbench, firstTwoLines, seconds, startBackend, type SyncUse } from "./support";

const LINES_PER_BUNDLE = 10;
const OPERATIONS = ["pull", "check", "plan", "push"] as const;
type Operation = (typeof OPERATIONS)[number];

interface Run {
  use: Record<Operation, SyncUse>;
  total: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
}

interface SizeResult {
  lines: number;
  bundles: number;
  shipped: Run;
  unchunked: Run;
  seconds: number;
}

const UNLIMITED = { batchBytes: Number.MAX_SAFE_INTEGER, readCells: Number.MAX_SAFE_INTEGER };

async function measureSize(lines: number): Promise<SizeResult> {
  const started = performance.now();
  const bundles = lines / LINES_PER_BUNDLE;
  const data = makeLargeData(bundles, LINES_PER_BUNDLE);
  const edited = bundlesOf(data)[0];
  if (!edited) throw new Error("makeLargeData gave no bundle");
  const backend = await startBackend({ data });
  try {
    const run = async (unchunked: boolean): Promise<Run> => {
      backend.sandbox.reset();
      const bench = excelWorkbench(backend.session, {}, unchunked ? UNLIMITED : {});
      if (unchunked) bench.fake.payloadLimitBytes = Number.POSITIVE_INFINITY;
      const pull = await countSyncs(bench.fake, () => bench.workbench.pull("allocations", "all"));
      if (pull.result.rows !== lines) throw new Error(`pulled ${pull.result.rows} lines, expected ${lines}`);
      await editBundles(bench, [firstTwoLines(edited)]);
      const check = await countSyncs(bench.fake, () => bench.workbench.check("allocations"));
      if (check.result.changedRecords !== 1 || check.result.issues.length) throw new Error(`check after one edit: ${JSON.stringify(check.result.issues.slice(0, 3))}`);
      const plan = await countSyncs(bench.fake, () => bench.workbench.planPush("allocations"));
      const push = await countSyncs(bench.fake, () => bench.workbench.push(plan.result));
      if (push.result.succeeded !== 1) throw new Error(`push of one bundle: ${JSON.stringify(push.result.results)}`);
      const use = { pull: pull.use, check: check.use, plan: plan.use, push: push.use };
      const all = Object.values(use);
      return {
        use,
        total: all.reduce((s, u) => s + u.syncs, 0),
        maxRequestBytes: Math.max(...all.map((u) => u.maxRequestBytes)),
        maxResponseBytes: Math.max(...all.map((u) => u.maxResponseBytes)),
      };
    };
    const shipped = await run(false);
    const unchunked = await run(true);
    return { lines, bundles, shipped, unchunked, seconds: seconds(started) };
  } finally {
    await backend.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export async function excelRoundTrips(options: { sizes: number[]; optionalSize?: number; optionalBudgetSeconds: number }): Promise<Section> {
  const started = performance.now();
  const results: SizeResult[] = [];
  for (const lines of options.sizes) results.push(await measureSize(lines));
  const notes: string[] = [];
  if (options.optionalSize) {
    const last = results[results.length - 1]!;
    // Most of the time goes to the HTTP pull and the in-memory work, both linear in the row count.
    const projected = (last.seconds * options.optionalSize) / last.lines;
    if (projected <= options.optionalBudgetSeconds) results.push(await measureSize(options.optionalSize));
    else notes.push(`${options.optionalSize.toLocaleString("en-US")} lines skipped: projected ${projected.toFixed(0)} s > ${options.optionalBudgetSeconds} s budget`);
  }
  const base = results[0]!;
  const largest = results[results.length - 1]!;
  const chunksByOp = OPERATIONS.map((op) => `${op} ${largest.shipped.use[op].syncs - largest.unchunked.use[op].syncs}`).join(", ");
  const grid = {
    columns: ["lines", "bundles", "pull", "check", "plan", "push", "total syncs", "total/base", "chunk syncs", "fixed syncs", "fixed/base", "max request", "max response", "s"],
    rows: results.map((r) => [
      r.lines,
      r.bundles,
      ...OPERATIONS.map((op) => r.shipped.use[op].syncs),
      r.shipped.total,
      (r.shipped.total / base.shipped.total).toFixed(2),
      r.shipped.total - r.unchunked.total,
      r.unchunked.total,
      (r.unchunked.total / base.unchunked.total).toFixed(2),
      mb(r.shipped.maxRequestBytes),
      mb(r.shipped.maxResponseBytes),
      r.seconds,
    ]),
  };
  const worstFixed = Math.max(...results.map((r) => r.unchunked.total / base.unchunked.total));
  const worstPerOp = Math.max(...results.flatMap((r) => OPERATIONS.map((op) => r.unchunked.use[op].syncs / base.unchunked.use[op].syncs)));
  const maxRequest = Math.max(...results.map((r) => r.shipped.maxRequestBytes));
  const maxResponse = Math.max(...results.map((r) => r.shipped.maxResponseBytes));
  const metrics: Metric[] = [
    {
      name: "fixed syncs(n) / syncs(base), worst size", decimals: 2,
      value: worstFixed,
      limit: 1,
      ratio: worstFixed,
      note: "pull+check+plan+push, chunking excluded",
    },
    { name: "worst single operation, same ratio", decimals: 2, value: worstPerOp, limit: 1, ratio: worstPerOp },
    {
      name: `chunk syncs at ${largest.lines.toLocaleString("en-US")} lines`,
      value: largest.shipped.total - largest.unchunked.total,
      note: "extra round trips that keep each request under 5 MB",
    },
    { name: "largest request", value: maxRequest, unit: "B", limit: EXCEL_WEB_PAYLOAD_LIMIT_BYTES, ratio: ratio(maxRequest, EXCEL_WEB_PAYLOAD_LIMIT_BYTES) },
    { name: "largest response", value: maxResponse, unit: "B", limit: EXCEL_WEB_PAYLOAD_LIMIT_BYTES, ratio: ratio(maxResponse, EXCEL_WEB_PAYLOAD_LIMIT_BYTES) },
  ];
  return {
    id: "2",
    title: "Excel round trips (context.sync) per operation, ExcelWorkbook over the Excel fake",
    setup: { "lines/bundle": LINES_PER_BUNDLE, "edited bundles": 1, base: `${base.lines} lines` },
    metrics,
    grid,
    notes: [
      "plan = planPush, push = push(plan); one bundle edited (+1/-1 on two lines) before check",
      "fixed syncs = the same run with unlimited batch budgets; chunk syncs = total - fixed",
      `chunk syncs at ${largest.lines.toLocaleString("en-US")} lines by operation: ${chunksByOp}`,
      ...notes,
    ],
    seconds: seconds(started),
  };
}
