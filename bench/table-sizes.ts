/**
 * Allocation tables of growing size (every size, every run), through the real Excel adapter over the Excel fake
 * (which counts every context.sync and the bytes of each request and response) and a sandbox over HTTP:
 *   - Excel round trips of pull, check, plan (planPush) and push of one edited bundle;
 *   - the live check of one cell edit: round trips and time from the edit to the report;
 *   - the rules' cost against JSON.stringify of the same rows.
 * Bounds from first principles: a round trip count that does not grow with the rows (the smallest table's count,
 * plus the extra trips the 5 MB request limit forces for the bytes that must move), a fixed small number of
 * trips for an edit and for a one-record push, and time for one edit that does not grow with the table.
 */
import { snapshotKey, parseAllocationSnapshot } from "../src/domain/sheet/snapshot";
import type { TableRead } from "../src/domain/sheet/sheet-view";
import type { CheckReport } from "../src/app/workbench-interface";
import { formatLocalAddress } from "../src/domain/a1";
import { jsonByteLength } from "../src/excel/payload";
import { splitForCells } from "../src/excel/snapshot-cells";
import { EXCEL_WEB_PAYLOAD_LIMIT_BYTES, type FakeExcel } from "../preview/excel-fake/fake-excel";
import { makeLargeData } from "../src/sandbox/seed";
import { median, type Grid } from "./report";
import { rulesCost, type RulesCost } from "./rules-cost";
import { ALLOCATIONS_SPEC, bundlesOf, editBundles, excelWorkbench, firstTwoLines, seconds, startBackend, type ExcelBench } from "./support";

export const LINES_PER_BUNDLE = 10;
export const OPERATIONS = ["pull", "check", "plan", "push"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface OperationUse {
  syncs: number;
  requestBytes: number;
  responseBytes: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
  /**
   * Bytes the operation cannot do without, from the data rather than from what the adapter sent: the table's
   * values and the pulled snapshot's pieces, each once, one way or the other (see neededBytes).
   */
  needed: { requestBytes: number; responseBytes: number };
}

export interface SizeResult {
  lines: number;
  bundles: number;
  ops: Record<Operation, OperationUse>;
  /** HTTP requests of the push of one bundle. */
  pushRequests: number;
  /** Live check of one edit: median over the edits made, and the worst round-trip count. */
  liveMs: number;
  liveSyncs: number;
  rules: RulesCost;
  seconds: number;
}

function use(fake: FakeExcel): OperationUse {
  const syncs = fake.syncs;
  return {
    syncs: fake.syncCount,
    requestBytes: syncs.reduce((s, x) => s + x.requestBytes, 0),
    responseBytes: syncs.reduce((s, x) => s + x.responseBytes, 0),
    maxRequestBytes: syncs.reduce((m, x) => Math.max(m, x.requestBytes), 0),
    maxResponseBytes: syncs.reduce((m, x) => Math.max(m, x.responseBytes), 0),
    needed: { requestBytes: 0, responseBytes: 0 },
  };
}

/**
 * What each operation must move, whatever the adapter: the table's values as JSON (what a read of them brings, what
 * a write of them sends) and the snapshot kept with it, as the pieces of text it is kept in. A pull writes both;
 * a check and a push review read both; a push reads both and keeps the snapshot again with the pushed record.
 * The rest (formats, marks, a status cell) is small and left out, which only makes the bound stricter.
 */
export function neededBytes(table: TableRead, snapshotJson: string): Record<Operation, OperationUse["needed"]> {
  const tableBytes = jsonByteLength(table.rows);
  const snapshotBytes = jsonByteLength(splitForCells(snapshotJson).map((piece) => [piece]));
  const both = tableBytes + snapshotBytes;
  return {
    pull: { requestBytes: both, responseBytes: 0 },
    check: { requestBytes: 0, responseBytes: both },
    plan: { requestBytes: 0, responseBytes: both },
    push: { requestBytes: snapshotBytes, responseBytes: both },
  };
}

async function measured<T>(fake: FakeExcel, work: () => Promise<T>): Promise<{ result: T; use: OperationUse }> {
  fake.resetCounters();
  const result = await work();
  return { result, use: use(fake) };
}

/**
 * Round trips the 5 MB payload limit forces beyond the first, for the bytes an operation must move (`needed`, from
 * the data; not what the adapter happened to send, which would excuse every extra byte it moves): however the
 * adapter cuts its work, n bytes need at least ceil(n / limit) requests (and as many responses).
 */
export function forcedChunkTrips(u: OperationUse): number {
  const extra = (bytes: number) => Math.max(0, Math.ceil(bytes / EXCEL_WEB_PAYLOAD_LIMIT_BYTES) - 1);
  return extra(u.needed.requestBytes) + extra(u.needed.responseBytes);
}

/**
 * One cell edit while the table is watched: +1 or -1 on the first line's Amount, as a person types it. Resolves
 * with the round trips and time from the edit to the check report the pane would show.
 */
async function liveEdits(bench: ExcelBench, edits: number): Promise<{ ms: number[]; syncs: number[] }> {
  const table = await bench.excel.readTable(ALLOCATIONS_SPEC);
  if (!table) throw new Error("the allocations table is missing after the pull");
  const amountAt = table.headers.indexOf("Amount");
  const amount = table.rows[0]![amountAt] as number;
  const address = formatLocalAddress({ row: table.headerRow, column: table.firstColumn + amountAt, rowCount: 1, columnCount: 1 });
  let waiting: ((r: CheckReport) => void) | null = null;
  // As the pane does: it checks the table, then watches it (src/taskpane/pane.ts); the live check starts from that check.
  await bench.workbench.check("allocations");
  const stop = await bench.workbench.watch("allocations", (report) => waiting?.(report));
  const ms: number[] = [];
  const syncs: number[] = [];
  try {
    // An even number of edits, so the table ends as pulled; only the first `edits` are counted.
    for (let i = 0; i < edits + (edits % 2); i++) {
      // Alternately off balance by one unit and back: each edit changes what the check reports.
      const value = (Math.round(amount * 100) + (i % 2 === 0 ? 100 : 0)) / 100;
      const reported = new Promise<CheckReport>((resolve) => (waiting = resolve));
      bench.fake.resetCounters();
      const t0 = performance.now();
      await bench.fake.edit(table.sheetName, address, value);
      const report = await reported;
      if (i < edits) {
        ms.push(performance.now() - t0);
        syncs.push(bench.fake.syncCount);
      }
      const unbalanced = report.bundles.filter((b) => !b.balanced).length;
      if (unbalanced !== (i % 2 === 0 ? 1 : 0)) throw new Error(`live check after edit ${i + 1}: ${unbalanced} unbalanced bundles`);
    }
  } finally {
    waiting = null;
    await stop();
  }
  return { ms, syncs };
}

export async function measureSize(lines: number, options: { liveEdits: number; rulesRuns: number }): Promise<SizeResult> {
  const started = performance.now();
  const bundles = Math.max(1, Math.round(lines / LINES_PER_BUNDLE));
  const data = makeLargeData(bundles, LINES_PER_BUNDLE);
  const edited = bundlesOf(data)[0];
  if (!edited) throw new Error("makeLargeData gave no bundle");
  const backend = await startBackend({ data });
  try {
    // The watch reacts at once: its debounce waits for a person to stop typing, which is not the add-in's cost.
    const bench = excelWorkbench(backend.session, { debounceMs: 0 });
    const pull = await measured(bench.fake, () => bench.workbench.pull("allocations", "all"));
    if (pull.result.rows !== lines) throw new Error(`pulled ${pull.result.rows} lines, expected ${lines}`);

    const table = (await bench.excel.readTable(ALLOCATIONS_SPEC)) as TableRead | null;
    const snapshotJson = await bench.excel.loadSnapshot(snapshotKey("allocations"));
    if (!table || !snapshotJson) throw new Error("no table or snapshot after the pull");
    const rules = rulesCost(table, parseAllocationSnapshot(snapshotJson), options.rulesRuns);

    const live = await liveEdits(bench, options.liveEdits);

    await editBundles(bench, [firstTwoLines(edited)]);
    const check = await measured(bench.fake, () => bench.workbench.check("allocations"));
    if (check.result.changedRecords !== 1 || check.result.issues.length) {
      throw new Error(`check after one edit: ${check.result.changedRecords} changed, ${JSON.stringify(check.result.issues.slice(0, 3))}`);
    }
    // As the pane does: it watches the table it shows while the user reviews and pushes (src/taskpane/pane.ts).
    const stopWatch = await bench.workbench.watch("allocations", () => {});
    const plan = await measured(bench.fake, () => bench.workbench.planPush("allocations"));
    backend.meter.reset();
    const push = await measured(bench.fake, () => bench.workbench.push(plan.result));
    await stopWatch();
    if (push.result.succeeded !== 1) throw new Error(`push of one bundle: ${JSON.stringify(push.result.results)}`);
    const needed = neededBytes(table, snapshotJson);
    return {
      lines,
      bundles,
      ops: {
        pull: { ...pull.use, needed: needed.pull },
        check: { ...check.use, needed: needed.check },
        plan: { ...plan.use, needed: needed.plan },
        push: { ...push.use, needed: needed.push },
      },
      pushRequests: backend.meter.count(),
      liveMs: median(live.ms),
      liveSyncs: Math.max(...live.syncs),
      rules,
      seconds: seconds(started),
    };
  } finally {
    await backend.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export function sizesGrid(results: readonly SizeResult[]): Grid {
  return {
    title: "Allocation tables by size: Excel round trips (forced by 5 MB in brackets), live check, rules",
    columns: ["lines", ...OPERATIONS, "live trips", "live ms", "rules ms", "stringify ms", "rules/stringify", "largest request", "s"],
    rows: results.map((r) => [
      r.lines,
      ...OPERATIONS.map((op) => {
        const forced = forcedChunkTrips(r.ops[op]);
        return forced ? `${r.ops[op].syncs} (${forced})` : String(r.ops[op].syncs);
      }),
      r.liveSyncs,
      Math.round(r.liveMs),
      Math.round(r.rules.analyzeMs * 10) / 10,
      Math.round(r.rules.stringifyMs * 10) / 10,
      r.rules.ratio.toFixed(1),
      mb(Math.max(...OPERATIONS.map((op) => r.ops[op].maxRequestBytes))),
      r.seconds,
    ]),
  };
}
