/**
 * The fault soak (issue 7, counted in the bench for issue 10): hundreds of bundles and commits edited, then pushed
 * and pushed again while the sandbox answers 20 % of requests with a 5xx, drops 5 % of connections (half of them
 * after it applied the write) and 429s come in bursts. It counts what the user would have to be told about: edits
 * lost, statuses that claim what Campfire does not hold, records in conflict with their own write, bodies sent
 * that no confirmed review contained, and applied records that cannot be undone. The faults are seeded, so a run
 * can be repeated. `test/app/fault-soak.test.ts` runs it and asserts every count is 0.
 */
import { createCampfireClient } from "../src/api/client";
import type { TableSpec, WorkbookPort } from "../src/app/ports";
import { Session } from "../src/app/session";
import { allocationOps, commitOps } from "../src/app/table-kinds";
import { createWorkbench } from "../src/app/workbench";
import type { PushPlan, TableKind } from "../src/app/workbench-interface";
import { fingerprint } from "../src/domain/write/fingerprint";
import { makeLargeData } from "../src/sandbox/seed";
import { startSandbox, type SandboxData } from "../src/sandbox/server";
import { MemoryConnectionStore } from "../test/helpers/memory-connection-store";

export interface FaultSoakOptions {
  bundles: number;
  commitsPerContract: number;
  seed: number;
  /** Where the tables live: the in-memory workbook in the test, the real adapter over the Excel fake in the bench. */
  workbook: WorkbookPort;
  maxRounds?: number;
}

export interface FaultSoakCounts {
  records: number;
  /** Share of requests answered with a 5xx (0.2 = 20 %). */
  failRate: number;
  rounds: number;
  /** Write requests put on the wire, and how many records first failed and went through on a push again. */
  writes: number;
  failedFirstPush: number;
  confirmedByReadBack: number;
  lostEdits: number;
  wrongStatuses: number;
  selfConflicts: number;
  unconfirmedPayloads: number;
  /** Records the last push can undo (should equal `records`). */
  undoable: number;
}

/** A small seeded generator (mulberry32): the same faults on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function soakData(bundles: number, commitsPerContract: number): SandboxData {
  const data = makeLargeData(bundles, 3);
  const template = data.prepaidCommits[0]!;
  for (const contract of data.contracts) {
    for (let i = 1; i < commitsPerContract; i++) {
      data.prepaidCommits.push({
        ...template,
        id: 910000 + contract.id * 100 + i,
        contract: contract.id,
        name: `Soak Commit ${contract.id}-${i}`,
      });
    }
  }
  return data;
}

const FAULTS = { failRate: 0.2, failStatus: 503, dropRate: 0.025, dropAfterHandlingRate: 0.025 };
const ALLOCATIONS_SPEC = allocationOps.layout as TableSpec;
const COMMITS_SPEC = commitOps.layout as TableSpec;

export async function runFaultSoak(options: FaultSoakOptions): Promise<FaultSoakCounts> {
  const { workbook, bundles } = options;
  const maxRounds = options.maxRounds ?? 20;
  const data = soakData(bundles, options.commitsPerContract);
  const sandbox = await startSandbox({ port: 0, data, random: seeded(options.seed) });
  /** Every body the client put on the wire for a write. */
  const sent: string[] = [];
  const capture: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (request.method !== "GET") sent.push(await request.clone().text());
    return fetch(request);
  };
  try {
    // Reads retry as the add-in's do; writes never retry in the client (the write path decides, after a read).
    const session = new Session(new MemoryConnectionStore(), (o) => createCampfireClient({ ...o, backoffMs: 0, fetch: capture }));
    await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
    const workbench = createWorkbench({ session, workbook, utcOffset: () => 0, sleep: async () => {} });
    await workbench.pull("allocations", "all");
    await workbench.pull("commits", "all");

    // Edits: each bundle moves 1.00 from its first line to its second (still balanced); each commit gets a priority.
    const alloc = (await workbook.readTable(ALLOCATIONS_SPEC))!;
    const amountAt = alloc.headers.indexOf("Amount");
    const lineAt = alloc.headers.indexOf("Line ID");
    const expectedLines = new Map<number, number>();
    const allocationEdits = alloc.rows.flatMap((row, i) => {
      const lineId = row[lineAt] as number;
      const position = (lineId - 100000) % 3;
      const amount = row[amountAt] as number;
      const next = position === 0 ? Math.round((amount - 1) * 100) / 100 : position === 1 ? Math.round((amount + 1) * 100) / 100 : amount;
      expectedLines.set(lineId, next);
      return next === amount ? [] : [{ row: i, column: "amount", value: next }];
    });
    await workbook.writeCells(ALLOCATIONS_SPEC, allocationEdits);
    const commits = (await workbook.readTable(COMMITS_SPEC))!;
    const commitAt = commits.headers.indexOf("Commit ID");
    const contractAt = commits.headers.indexOf("Contract ID");
    const expectedPriority = new Map<number, { contract: number; priority: number }>();
    const commitEdits = commits.rows.map((row, i) => {
      const id = row[commitAt] as number;
      const priority = 2 + (id % 7);
      expectedPriority.set(id, { contract: row[contractAt] as number, priority });
      return { row: i, column: "priority", value: priority };
    });
    await workbook.writeCells(COMMITS_SPEC, commitEdits);

    sandbox.setRandomFaults(FAULTS);
    const confirmed = new Set<string>();
    let rounds = 0;
    let failedFirstPush = 0;
    let readBacks = 0;
    let conflicts = 0;
    const review = async (make: () => Promise<PushPlan>): Promise<PushPlan | null> => {
      try {
        return await make();
      } catch {
        return null; // a review whose reads all failed sent nothing; it is simply made again
      }
    };
    for (const kind of ["allocations", "commits"] as TableKind[]) {
      let plan = await review(() => workbench.planPush(kind));
      for (let round = 0; round < maxRounds; round++) {
        if (plan) {
          rounds++;
          // A burst of 429s before each round, as a rate limiter gives them (never more than the round's records).
          sandbox.injectFaults(Array(Math.min(8, plan.records.length)).fill({ status: 429, retryAfter: 0 }));
          for (const record of plan.records) if (record.payload !== null) confirmed.add(fingerprint(record.payload));
          const report = await workbench.push(plan);
          for (const r of report.results) {
            if (round === 0 && r.outcome !== "done") failedFirstPush++;
            if (r.outcome === "conflict-skipped") conflicts++;
            if (r.message.includes("confirmed by reading it back")) readBacks++;
          }
        }
        const again = await review(() => workbench.planPushAgain(kind));
        if (again && again.records.length === 0 && (await workbench.check(kind)).changedRecords === 0) break;
        plan = again ?? (await review(() => workbench.planPush(kind)));
      }
    }
    sandbox.setRandomFaults({});

    const held = new Map<number, number>();
    for (let b = 0; b < bundles; b++) {
      // makeLargeData's layout: 50 bundles a contract, item types in turn, item ids from 100000.
      const type = (["subscription", "usage", "milestone"] as const)[b % 3]!;
      for (const line of sandbox.store.bundleOf(type, 100 + Math.floor(b / 50), 100000 + b).lines) held.set(line.id, line.amount);
    }
    const lostLines = [...expectedLines].filter(([lineId, amount]) => held.get(lineId) !== amount).length;
    const lostCommits = [...expectedPriority].filter(
      ([id, { contract, priority }]) => sandbox.store.commit(contract, id).priority !== priority,
    ).length;
    const statuses = [ALLOCATIONS_SPEC, COMMITS_SPEC].map(async (spec) => {
      const table = (await workbook.readTable(spec))!;
      const at = table.headers.indexOf("Status");
      return table.rows.map((r) => String(r[at]));
    });
    const wrongStatuses = (await Promise.all(statuses)).flat().filter((s) => !/^(Pushed|Already in Campfire)/.test(s)).length;
    const unconfirmedPayloads = sent.filter((body) => !confirmed.has(fingerprint(JSON.parse(body)))).length;
    const undo = [...(await workbench.planUndo("allocations")).records, ...(await workbench.planUndo("commits")).records];
    return {
      records: bundles + expectedPriority.size,
      failRate: FAULTS.failRate,
      rounds,
      writes: sent.length,
      failedFirstPush,
      confirmedByReadBack: readBacks,
      lostEdits: lostLines + lostCommits,
      wrongStatuses,
      selfConflicts: conflicts,
      unconfirmedPayloads,
      undoable: undo.filter((r) => r.action === "send").length,
    };
  } finally {
    await sandbox.close();
  }
}

/** The bench's run: the real Excel adapter over the Excel fake. */
export async function measureFaultSoak(workbook: WorkbookPort): Promise<FaultSoakCounts> {
  return runFaultSoak({ bundles: 150, commitsPerContract: 20, seed: 20261205, workbook });
}
