/**
 * `npm run bench [-- --quick] [-- --json FILE]`: measures the add-in against the goals of issue 10 and prints one
 * table, a verdict per goal: OK when the measured number is within its bound, SHORT when not, "not measured"
 * when nothing measures it yet. Bounds come from first principles (see report.ts and each scenario), not from
 * what the implementation happens to do. Every table size runs every time; --quick only repeats less.
 * Writes bench/results.json (or FILE). Exits 1 when any goal is SHORT, 2 on a usage error, 3 when a scenario
 * crashed or gave a wrong result (a push that did not land, a pull with missing rows).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ExcelWorkbook } from "../src/excel/workbook";
import { EXCEL_WEB_PAYLOAD_LIMIT_BYTES, installExcelFake } from "../preview/excel-fake/fake-excel";
import { PANE_GZIP_LIMIT_BYTES } from "../test/build/bundle-stats";
import { bundleSize } from "./bundle-size";
import { commitPush } from "./commit-push";
import { measureFaultSoak } from "./fault-soak";
import { functionsBatching } from "./functions-batching";
import { pullRequests } from "./pull-requests";
import { MAX_IN_FLIGHT, pushLatency } from "./push-latency";
import { readRetries } from "./read-retries";
import { atMost, renderGrid, renderVerdicts, verdictsMarkdown, type GoalRow } from "./report";
import { RULES_COST_LIMIT } from "./rules-cost";
import { forcedChunkTrips, measureSize, sizesGrid, type Operation, type SizeResult } from "./table-sizes";

/** Lines of the allocation tables: from a handful to the largest table the add-in supports. */
export const SIZES = [10, 1_000, 10_000, 30_000] as const;
const LIVE_BASE = 1_000;
const LIVE_LIMIT = { ratio: 1.5, trips: 6 };
// 100 ms: a browser's round trip to a hosted API, as issue 10 measured it.
const PUSH = { records: 120, latencyMs: 100, wallFactor: 1.2 };
const PUSH_TRIPS_ONE_RECORD = 10;

const USAGE = [
  "usage: npm run bench [-- --quick] [-- --json FILE] [-- --markdown]",
  "  --quick      fewer repetitions per size (every size still runs)",
  "  --json FILE  where to write the results (default bench/results.json)",
  "  --markdown   also print the verdicts as a Markdown table (for the README)",
].join("\n");

class UsageError extends Error {
  override name = "UsageError";
}

function options(argv: string[]): { quick: boolean; json: string; markdown: boolean; help: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        quick: { type: "boolean", default: false },
        json: { type: "string", default: "bench/results.json" },
        markdown: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return { quick: values.quick, json: values.json, markdown: values.markdown, help: values.help };
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

const n = (x: number) => x.toLocaleString("en-US");

function sizeRows(sizes: readonly SizeResult[]): GoalRow[] {
  const base = sizes[0]!;
  const largest = sizes[sizes.length - 1]!;
  const rows: GoalRow[] = [];
  const boundOf = (r: SizeResult, op: Operation) => base.ops[op].syncs + forcedChunkTrips(r.ops[op]);
  for (const op of ["pull", "check", "plan"] as const) {
    // The size where the count exceeds its bound the most (the largest table when none does).
    const worst = sizes.reduce((w, r) => (r.ops[op].syncs - boundOf(r, op) > w.ops[op].syncs - boundOf(w, op) ? r : w), largest);
    rows.push(
      atMost(
        `excel.${op}-trips`,
        `Excel round trips of ${op === "plan" ? "the push review" : `a ${op}`}, ${n(base.lines)} → ${n(largest.lines)} lines (worst size: ${n(worst.lines)})`,
        worst.ops[op].syncs,
        boundOf(worst, op),
        `${base.ops[op].syncs} at ${n(base.lines)} lines + ${forcedChunkTrips(worst.ops[op])} forced by 5 MB per request: no growth with rows`,
      ),
    );
  }
  const pushWorst = sizes.reduce((w, r) => (r.ops.push.syncs > w.ops.push.syncs ? r : w), base);
  const pushBound = Math.min(PUSH_TRIPS_ONE_RECORD, base.ops.push.syncs + forcedChunkTrips(pushWorst.ops.push));
  rows.push(
    atMost(
      "excel.push-trips",
      `Excel round trips of a one-record push (worst size: ${n(pushWorst.lines)} lines)`,
      pushWorst.ops.push.syncs,
      pushBound,
      `at most ${PUSH_TRIPS_ONE_RECORD}, and no more than at ${n(base.lines)} lines (${base.ops.push.syncs})`,
    ),
  );
  const liveWorst = sizes.reduce((w, r) => (r.liveSyncs > w.liveSyncs ? r : w), base);
  rows.push(
    atMost(
      "live.trips",
      `Live check of one edit: Excel round trips (worst size: ${n(liveWorst.lines)} lines)`,
      liveWorst.liveSyncs,
      LIVE_LIMIT.trips,
      "read the edited rows, write their marks: a fixed few whatever the table size",
    ),
  );
  const liveBase = sizes.find((s) => s.lines === LIVE_BASE)!;
  rows.push(
    atMost(
      "live.time-growth",
      `Live check of one edit: time at ${n(largest.lines)} lines / at ${n(liveBase.lines)} lines`,
      largest.liveMs / liveBase.liveMs,
      LIVE_LIMIT.ratio,
      `${Math.round(largest.liveMs)} ms / ${Math.round(liveBase.liveMs)} ms; one edit's work must not grow with the table`,
      { decimals: 2 },
    ),
  );
  rows.push(
    atMost(
      "rules.cost",
      `All rules over ${n(largest.rules.rows)} rows / JSON.stringify of the same rows`,
      largest.rules.ratio,
      RULES_COST_LIMIT,
      `${largest.rules.analyzeMs.toFixed(0)} ms / ${largest.rules.stringifyMs.toFixed(0)} ms (medians); stringify = looking at every cell once`,
      { decimals: 2 },
    ),
  );
  const biggest = Math.max(...sizes.flatMap((s) => Object.values(s.ops).flatMap((u) => [u.maxRequestBytes, u.maxResponseBytes])));
  rows.push(
    atMost(
      "excel.payload",
      "Largest Excel request or response",
      biggest,
      EXCEL_WEB_PAYLOAD_LIMIT_BYTES,
      "Excel on the web refuses more than 5 MB",
      {
        unit: "B",
      },
    ),
  );
  return rows;
}

async function main(): Promise<void> {
  const args = options(process.argv.slice(2));
  const say = (text: string) => process.stdout.write(`${text}\n`);
  if (args.help) {
    say(USAGE);
    return;
  }
  const started = performance.now();
  const reps = args.quick ? { liveEdits: 1, rulesRuns: 3 } : { liveEdits: 15, rulesRuns: 7 };
  say(`Campfire for Excel bench${args.quick ? " (quick: fewer repetitions)" : ""}; sizes ${SIZES.map(n).join(", ")} lines\n`);
  const progress = (what: string) => process.stderr.write(`  ${what}…\n`);

  progress("production build");
  const bundles = await bundleSize();
  progress("custom functions");
  const functions = await functionsBatching({ cells: 1000, bundles: 100, latencyMs: 20 });
  progress("pull requests");
  const pulls = await pullRequests({ contracts: 10, bundlesPerContract: 50 });
  progress("reads under server errors");
  const reads = await readRetries({ bundles: 60 });
  progress(`push of ${PUSH.records} records at ${PUSH.latencyMs} ms`);
  const push = await pushLatency({ bundles: PUSH.records, latencyMs: PUSH.latencyMs });
  progress("push of prepaid commits");
  const commits = await commitPush({ contracts: 5, commitsPerContract: 8 });
  const sizes: SizeResult[] = [];
  for (const lines of SIZES) {
    progress(`${n(lines)} lines`);
    sizes.push(await measureSize(lines, reps));
  }
  progress("fault soak");
  // The real Excel adapter over the Excel fake, as in the rest of the bench.
  installExcelFake(globalThis as unknown as Record<string, unknown>);
  const soak = await measureFaultSoak(new ExcelWorkbook());

  const N = push.records;
  const rows: GoalRow[] = [
    atMost(
      "pane.gzip",
      "Task pane page: its JavaScript, gzipped",
      bundles.pane.gzipBytes,
      PANE_GZIP_LIMIT_BYTES,
      `${bundles.pane.scripts.join(" + ")}`,
      { unit: "B" },
    ),
    atMost("bundles.duplicates", "Modules shipped in more than one chunk", bundles.duplicated, 0, "each module once"),
    atMost(
      "bundles.preview-only",
      "Preview-only files in the production dist/",
      bundles.previewOnly.length,
      0,
      bundles.previewOnly.join(", ") || "none",
    ),
    atMost(
      "functions.requests",
      `CAMPFIRE.* recalculation (${n(functions.cells)} cells): requests per distinct resource`,
      functions.requests / functions.distinct,
      1,
      `${functions.requests} requests for ${functions.distinct} bundles; one request per distinct resource`,
      { decimals: 2 },
    ),
    atMost(
      "functions.in-flight",
      "CAMPFIRE.* recalculation: requests in flight at once",
      functions.peakInFlight,
      MAX_IN_FLIGHT,
      "a browser's connections per origin",
    ),
    atMost("functions.cached", "CAMPFIRE.* recalculation again within the cache lifetime: requests", functions.again, 0, "answers reused"),
    ...[pulls.byId, pulls.all, pulls.commits].map((p, i) =>
      atMost(
        `pull.${["by-id", "all", "commits"][i]}`,
        `Pull ${p.label} (K = ${pulls.contracts}, B = ${pulls.bundles}): requests`,
        p.requests,
        p.resources,
        [
          "B + 4K: each contract, its 3 item lists, each bundle",
          "1 + 3K + B: one contract list, 3 item lists each, each bundle",
          "K: one commit list per contract",
        ][i]!,
      ),
    ),
    atMost(
      "reads.failed",
      `Pull with every GET failing once (500/502/503/504): pulls failed`,
      reads.failedPulls,
      0,
      "reads are idempotent: retried",
    ),
    atMost(
      "reads.extra",
      "Same pull: extra requests per injected fault",
      reads.extraRequests / reads.faults,
      1,
      `${reads.extraRequests} extra for ${reads.faults} faults: one retry each`,
      {
        decimals: 2,
      },
    ),
    atMost("push.writes", `Push of ${N} changed bundles: writes per changed record`, push.writes / N, 1, "one write per changed record", {
      decimals: 2,
    }),
    atMost(
      "push.requests",
      `Review + push of ${N} bundles in ${push.contracts} contracts: requests`,
      push.planRequests + push.pushRequests,
      N + 2 * 3 * push.contracts,
      "N + 2 x 3K: each contract's 3 item lists (a compact copy of every bundle) for the review and again just before the writes (no conditional write in the API); one write per bundle",
    ),
    atMost(
      "push.wall-time",
      `Push wall time / ceil((N + 3K)/6)·L (N = ${N}, K = ${push.contracts}, L = ${PUSH.latencyMs} ms)`,
      push.wallMs / push.physicalMs,
      PUSH.wallFactor,
      `${Math.round(push.wallMs)} ms / ${push.physicalMs} ms: N writes and the 3K lists read just before them, in waves of 6, one latency each (${(push.wallMs / push.writesOnlyMs).toFixed(2)} x the writes alone)`,
      { decimals: 2 },
    ),
    atMost("push.in-flight", "Push: requests in flight at once", push.peakInFlight, MAX_IN_FLIGHT, "a browser's connections per origin"),
    atMost(
      "push.commits-requests",
      `Review + push of ${commits.commits} changed prepaid commits in ${commits.contracts} contracts: requests`,
      commits.planRequests + commits.pushRequests,
      2 * commits.contracts + commits.commits,
      "2K + N: one commit list per contract for the review and again just before the writes (no conditional write in the API); one write per commit",
    ),
    ...sizeRows(sizes),
    ...(
      [
        ["soak.lost", "lost edits", soak.lostEdits],
        ["soak.wrong-status", "statuses that claim what Campfire does not hold", soak.wrongStatuses],
        ["soak.self-conflicts", "records in conflict with their own write", soak.selfConflicts],
        ["soak.unconfirmed", "bodies sent that no confirmed review contained", soak.unconfirmedPayloads],
        ["soak.not-undoable", "applied records that cannot be undone", soak.records - soak.undoable],
      ] as const
    ).map(([id, what, count]) =>
      atMost(
        id,
        `Fault soak (${soak.records} records, ${soak.failRate * 100} % 5xx, 5 % drops, 429 bursts): ${what}`,
        count,
        0,
        `${soak.rounds} rounds, ${soak.writes} writes, ${soak.failedFirstPush} failed first and went through later, ${soak.confirmedByReadBack} confirmed by reading back`,
      ),
    ),
  ];

  for (const grid of [pulls.grid, push.grid, commits.grid, sizesGrid(sizes)]) say(`${renderGrid(grid)}\n`);
  say(renderVerdicts(rows));
  const short = rows.filter((r) => r.verdict === "SHORT").length;
  const unmeasured = rows.filter((r) => r.verdict === "not measured").length;
  const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  say(`\n${rows.length - short - unmeasured} OK, ${short} SHORT, ${unmeasured} not measured; ${totalSeconds} s`);
  if (args.markdown) say(`\n${verdictsMarkdown(rows)}`);

  const file = resolve(args.json);
  mkdirSync(dirname(file), { recursive: true });
  const env = { node: process.version, platform: `${process.platform}-${process.arch}` };
  const details = { bundles, functions, pulls, reads, push, commits, sizes, soak };
  const json = JSON.stringify({ when: new Date().toISOString(), env, quick: args.quick, totalSeconds, rows, details }, null, 2);
  writeFileSync(file, `${json}\n`);
  say(`wrote ${file}`);
  if (short > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = error instanceof UsageError ? 2 : 3;
});
