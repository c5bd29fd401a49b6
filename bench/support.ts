/**
 * Shared set-up for the bench: a sandbox over HTTP, a signed-in session whose client counts what it sends
 * (and how much is in flight at once), and a workbench over the real Excel adapter on the Excel fake.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCampfireClient } from "../src/api/client";
import type { ClientOptions } from "../src/api/campfire-api";
import { Session } from "../src/app/session";
import type { TableSpec } from "../src/app/ports";
import { allocationOps } from "../src/app/table-kinds";
import { createWorkbench, type WorkbenchDeps } from "../src/app/workbench";
import type { Workbench } from "../src/app/workbench-interface";
import { formatLocalAddress } from "../src/domain/a1";
import { ExcelWorkbook, type ExcelWorkbookOptions } from "../src/excel/workbook";
import { installExcelFake, type FakeExcel } from "../preview/excel-fake/fake-excel";
import type { ItemType } from "../src/model/records";
import { DEFAULT_SANDBOX_TOKEN, startSandbox, type RunningSandbox, type SandboxData, type SandboxOptions } from "../src/sandbox/server";
import { MemoryConnectionStore } from "../test/helpers/memory-connection-store";

/** What the client sent: every attempt counts, as `onRequest` reports it. */
export class RequestMeter {
  sent: string[] = [];
  inFlight = 0;
  peak = 0;

  reset(): void {
    this.sent = [];
    this.peak = this.inFlight;
  }

  /** A fetch that tracks how many requests are open at once, around the real one. */
  readonly fetch: typeof fetch = async (input, init) => {
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      return await fetch(input, init);
    } finally {
      this.inFlight--;
    }
  };

  readonly onRequest = (method: string, url: string): void => {
    const u = new URL(url);
    this.sent.push(`${method} ${u.pathname}${u.search}`);
  };

  count(method?: string): number {
    return method ? this.sent.filter((r) => r.startsWith(`${method} `)).length : this.sent.length;
  }
}

export interface Backend {
  sandbox: RunningSandbox;
  session: Session;
  meter: RequestMeter;
  close(): Promise<void>;
}

/**
 * A sandbox on a free port and a session signed in to it. Retries only of a connection that failed before any
 * answer, once: a kept-alive socket to an earlier sandbox on a reused port is reset that way. Every attempt is
 * counted, so a retry can only make a count worse, never hide one.
 */
export async function startBackend(options: SandboxOptions, client: Partial<ClientOptions> = {}): Promise<Backend> {
  const sandbox = await startSandbox({ ...options, port: 0 });
  const meter = new RequestMeter();
  const session = new Session(new MemoryConnectionStore(), (o) =>
    createCampfireClient({
      ...o,
      retries: 1,
      retryPolicy: (_method, outcome) => outcome.kind === "network",
      ...client,
      // The session's write client never retries (send-record.ts decides a resend after reading back): kept so, or
      // the bench would measure a write path the product does not have.
      ...(o.retries === 0 ? { retries: 0 } : {}),
      fetch: meter.fetch,
      onRequest: meter.onRequest,
    }),
  );
  await session.signIn({ baseUrl: sandbox.url, token: sandbox.token, kind: "sandbox" });
  meter.reset();
  sandbox.requests.length = 0;
  return { sandbox, session, meter, close: () => sandbox.close() };
}

/**
 * The sandbox in a process of its own (the CLI, `--data` and `--latency`), and a session signed in to it: for
 * timing the client, whose CPU the server's work must not share — in production Campfire runs elsewhere.
 */
export async function startBackendProcess(options: { data: SandboxData; latencyMs: number }): Promise<Omit<Backend, "sandbox">> {
  const dir = await mkdtemp(join(tmpdir(), "campfire-bench-"));
  const dataFile = join(dir, "data.json");
  await writeFile(dataFile, JSON.stringify(options.data));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/sandbox/cli.ts", "--data", dataFile, "--latency", String(options.latencyMs)],
    {
      cwd: join(__dirname, ".."),
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /on (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited (${code}): ${errors}`)));
  });
  const closed = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const meter = new RequestMeter();
  const session = new Session(new MemoryConnectionStore(), (o) =>
    createCampfireClient({ ...o, fetch: meter.fetch, onRequest: meter.onRequest }),
  );
  await session.signIn({ baseUrl: url, token: DEFAULT_SANDBOX_TOKEN, kind: "sandbox" });
  meter.reset();
  return {
    session,
    meter,
    close: async () => {
      child.kill("SIGTERM");
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const ALLOCATIONS_SPEC = allocationOps.layout as TableSpec;

export interface ExcelBench {
  fake: FakeExcel;
  excel: ExcelWorkbook;
  workbench: Workbench;
}

/** A fresh Excel fake (installed as the global `Excel`) and a workbench writing through the real adapter. */
export function excelWorkbench(session: Session, deps: Partial<WorkbenchDeps> = {}, excelOptions: ExcelWorkbookOptions = {}): ExcelBench {
  const fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  const excel = new ExcelWorkbook(excelOptions);
  const workbench = createWorkbench({ session, workbook: excel, utcOffset: () => 0, ...deps });
  return { fake, excel, workbench };
}

/** Syncs and payload sizes of one operation on the fake. */
export interface SyncUse {
  syncs: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
  ms: number;
}

export async function countSyncs<T>(fake: FakeExcel, work: () => Promise<T>): Promise<{ result: T; use: SyncUse }> {
  fake.resetCounters();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  return {
    result,
    use: {
      syncs: fake.syncCount,
      maxRequestBytes: fake.maxRequestBytes,
      maxResponseBytes: fake.syncs.reduce((m, s) => Math.max(m, s.responseBytes), 0),
      ms,
    },
  };
}

/**
 * A person changes two lines of each given bundle by +1 and -1 (the bundle stays balanced), typing into the grid.
 * The table is read first to find the rows; that read is not part of any measured operation.
 */
export async function editBundles(bench: ExcelBench, bundleLineIds: readonly (readonly [number, number])[]): Promise<void> {
  const table = await bench.excel.readTable(ALLOCATIONS_SPEC);
  if (!table) throw new Error("the allocations table is missing after the pull");
  const lineAt = table.headers.indexOf("Line ID");
  const amountAt = table.headers.indexOf("Amount");
  if (lineAt < 0 || amountAt < 0) throw new Error(`unexpected headers: ${table.headers.join(", ")}`);
  const rowOf = new Map<number, number>();
  table.rows.forEach((r, i) => rowOf.set(Number(r[lineAt]), i));
  for (const [first, second] of bundleLineIds) {
    for (const [lineId, delta] of [
      [first, 1],
      [second, -1],
    ] as const) {
      const row = rowOf.get(lineId);
      if (row === undefined) throw new Error(`line ${lineId} is not on the sheet`);
      const amount = table.rows[row]![amountAt] as number;
      const address = formatLocalAddress({ row: table.headerRow + row, column: table.firstColumn + amountAt, rowCount: 1, columnCount: 1 });
      // In whole cents: adding 1 to a float amount must not turn 1234.56 into 1235.5600000000002.
      await bench.fake.edit(table.sheetName, address, (Math.round(amount * 100) + delta * 100) / 100);
    }
  }
}

export function seconds(since: number): number {
  return Math.round((performance.now() - since) / 10) / 100;
}

export interface BenchBundle {
  contract: number;
  itemType: ItemType;
  itemId: number;
  lineIds: number[];
}

/** Every bundle-backed item of the data, in the order the sandbox holds them. */
export function bundlesOf(data: SandboxData): BenchBundle[] {
  const of = (itemType: ItemType, items: { id: number; contract: number; bundle: { lines: { id: number }[] } | null }[]) =>
    items.flatMap((r) => (r.bundle ? [{ contract: r.contract, itemType, itemId: r.id, lineIds: r.bundle.lines.map((l) => l.id) }] : []));
  return [...of("subscription", data.subscriptions), ...of("usage", data.usage), ...of("milestone", data.milestones)];
}

/** The first two lines of a bundle: the pair an edit moves one unit between. */
export function firstTwoLines(b: BenchBundle): readonly [number, number] {
  const [first, second] = b.lineIds;
  if (first === undefined || second === undefined) throw new Error(`bundle of item ${b.itemId} has fewer than two lines`);
  return [first, second];
}
