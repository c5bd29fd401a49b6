/** A workbench over a real sandbox (HTTP) and the in-memory workbook, with a fixed clock. */
import { createCampfireClient } from "../../src/api/client";
import { Session } from "../../src/app/session";
import { createWorkbench, type WorkbenchDeps } from "../../src/app/workbench";
import type { PushOptions, PushReport, TableKind, Workbench } from "../../src/app/workbench-interface";

import { startSandbox, type RunningSandbox, type SandboxData, type SandboxOptions } from "../../src/sandbox/server";
import { MemoryWorkbook } from "../helpers/memory-workbook";
import { MemoryConnectionStore } from "../helpers/memory-connection-store";

export const ALLOCATIONS = "CampfireAllocations";
export const COMMITS = "CampfirePrepaidCommits";
/** 14:03 local time, so the stamp reads the same in every time zone. */
export const NOW = new Date(2026, 10, 21, 14, 3, 27);
export const STAMP = "2026-11-21 14:03";

export interface Bench {
  sandbox: RunningSandbox;
  workbook: MemoryWorkbook;
  session: Session;
  workbench: Workbench;
  dataChanged: () => number;
  /** API requests other than GET since the last call to `clearRequests`. */
  writes: () => string[];
  /** API requests by method since the last call to `clearRequests`, e.g. { GET: 2, PUT: 1 }. */
  requestCounts: () => Record<string, number>;
  clearRequests: () => void;
  close: () => Promise<void>;
}

export async function startBench(
  options: { data?: SandboxData; deps?: Partial<WorkbenchDeps>; fetch?: typeof fetch; retries?: number; sandbox?: SandboxOptions } = {},
): Promise<Bench> {
  const sandbox = await startSandbox({ ...options.sandbox, port: 0, ...(options.data ? { data: options.data } : {}) });
  // No retries by default: a fault injected for one request must fail that request, not be retried away.
  const session = new Session(new MemoryConnectionStore(), (o) =>
    createCampfireClient({
      ...o,
      retries: o.retries ?? options.retries ?? 0,
      backoffMs: 0,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  );
  await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
  let changes = 0;
  session.onDataChanged(() => changes++);
  const workbook = new MemoryWorkbook();
  // Backoff between write attempts is real time in the add-in; here it would only slow the suite.
  const workbench = createWorkbench({ session, workbook, now: () => NOW, utcOffset: () => 0, sleep: async () => {}, ...options.deps });
  return {
    sandbox,
    workbook,
    session,
    workbench,
    dataChanged: () => changes,
    writes: () => sandbox.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path} ${r.status}`),
    requestCounts: () => {
      const counts: Record<string, number> = {};
      for (const r of sandbox.requests) counts[r.method] = (counts[r.method] ?? 0) + 1;
      return counts;
    },
    clearRequests: () => {
      sandbox.requests.length = 0;
    },
    close: () => sandbox.close(),
  };
}

/** Moves 1.00 from the second line of every bundle in `data` to its first (each bundle still adds up). */
export function editEveryBundle(b: Bench, data: SandboxData): void {
  const wb = b.workbook;
  for (const item of [...data.subscriptions, ...data.usage, ...data.milestones]) {
    if (!item.bundle) continue;
    const [first, second] = item.bundle.lines.map((l) => l.id) as [number, number];
    for (const [lineId, cents] of [
      [first, 100],
      [second, -100],
    ] as const) {
      const row = lineRow(wb, lineId);
      wb.type(ALLOCATIONS, row, "Amount", (Math.round((wb.cell(ALLOCATIONS, row, "Amount") as number) * 100) + cents) / 100);
    }
  }
}

/** The data row of an allocation line, wherever the user sorted it. */
export function lineRow(workbook: MemoryWorkbook, lineId: number): number {
  const row = workbook.findRow(ALLOCATIONS, { "Line ID": lineId });
  if (row < 0) throw new Error(`line ${lineId} is not on the sheet`);
  return row;
}

export function commitRow(workbook: MemoryWorkbook, commitId: number): number {
  const row = workbook.findRow(COMMITS, { "Commit ID": commitId });
  if (row < 0) throw new Error(`commit ${commitId} is not on the sheet`);
  return row;
}

/**
 * A second workbench over the same workbook and sign-in: what the add-in has after a reload, or what the ribbon
 * commands hold next to the pane. It knows only what the workbook keeps.
 */
export function reloadedWorkbench(bench: Bench, deps: Partial<WorkbenchDeps> = {}): Workbench {
  return createWorkbench({
    session: bench.session,
    workbook: bench.workbook,
    now: () => NOW,
    utcOffset: () => 0,
    sleep: async () => {},
    ...deps,
  });
}

/** Reviews a push again and confirms the review as it is (what the pane's two clicks do). */
export async function pushAgain(workbench: Workbench, kind: TableKind, options: PushOptions = {}): Promise<PushReport> {
  return workbench.push(await workbench.planPushAgain(kind), options);
}

/** Reviews an undo of the last push and confirms it. */
export async function undo(workbench: Workbench, kind: TableKind, options: PushOptions = {}): Promise<PushReport> {
  return workbench.push(await workbench.planUndo(kind), options);
}

/** NOW as the log writes it: UTC, with seconds. */
export const UTC_STAMP = `${NOW.toISOString().slice(0, 10)} ${NOW.toISOString().slice(11, 19)}`;
