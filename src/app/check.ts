/** Check: the table against what was pulled, its findings written to the sheet; and the live check on edits. */
import { MissingColumnsError, TableMissingError } from "../domain/sheet/layout";
import type { PushedBase } from "../domain/sheet/last-push";
import { SnapshotError } from "../domain/sheet/snapshot";
import { asSpec, checkReport, type TableIO } from "./table-io";
import type { TableKindOps } from "./table-kinds";
import type { CheckReport } from "./workbench-api";

export async function checkTable<R, S, P extends PushedBase>(io: TableIO, ops: TableKindOps<R, S, P>): Promise<CheckReport> {
  const table = await io.read(ops);
  const analysis = io.analyze(ops, table, await io.snapshot(ops));
  await io.publish(ops, table, analysis, [], await io.pushMarks(ops, table, analysis));
  return checkReport(ops.kind, analysis);
}

/** What a live check may meet while the user works: no table (deleted, not pulled yet), a column renamed mid-edit. */
function expectedMidEdit(error: unknown): boolean {
  return error instanceof TableMissingError || error instanceof MissingColumnsError || error instanceof SnapshotError;
}

export async function watchTable<R, S, P extends PushedBase>(
  io: TableIO,
  ops: TableKindOps<R, S, P>,
  debounceMs: number,
  onReport: (report: CheckReport) => void,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const result = await checkTable(io, ops);
      if (!stopped) onReport(result);
    } catch (error) {
      // A table mid-edit cannot be checked; the next edit or an explicit check reports why. Anything else is a
      // fault the user must hear about.
      if (!expectedMidEdit(error) && !stopped) onError(error);
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };
  const unsubscribe = await io.workbook.onTableChanged(asSpec(ops.layout), schedule);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await unsubscribe();
  };
}
