/**
 * Balance: puts a bundle's remainder (total − sum of its lines) on one line, to the cent. The user picks the
 * line; without a pick it is the largest line the user did not edit, so Balance never undoes the user's own
 * edit. The report says which line moved and by how much.
 */
import type { AllocationAnalysis } from "../domain/sheet/allocation-analysis";
import { balanceBundle, formatMinorGrouped, fromMinor } from "../domain/money";
import type { CellUpdate } from "./ports";
import { checkReport, placeUnchanged, type TableIO } from "./table-io";
import { allocationOps } from "./table-kinds";
import type { BalanceReport } from "./workbench-interface";

export class BalanceError extends Error {
  override name = "BalanceError";
}

export async function balanceTable(io: TableIO, bundleKey: string, row?: number): Promise<BalanceReport> {
  const ops = allocationOps;
  const table = await io.read(ops);
  const snapshot = await io.snapshot(ops);
  const analysis = io.analyze(ops, table, snapshot) as AllocationAnalysis;
  const state = analysis.bundles.find((b) => b.key === bundleKey);
  if (!state) throw new BalanceError(`There is no pulled bundle ${bundleKey} on the sheet`);
  const invalid = state.amountsMinor.findIndex((a) => a === null);
  if (invalid >= 0) {
    const at = state.rows[invalid] ?? 0;
    throw new BalanceError(
      `Cannot balance ${state.label}: the amount at ${io.addressOf(ops, table, { row: at, column: "amount" })} is not valid; fix it first`,
    );
  }
  const amounts = state.amountsMinor as bigint[];
  const edited = new Set((analysis.changed.get(bundleKey)?.cells ?? []).map((c) => c.row));
  let target: number;
  if (row !== undefined) {
    target = state.rows.indexOf(row);
    if (target < 0) throw new BalanceError(`Row ${row + 1} of the table is not a line of ${state.label}`);
  } else {
    target = -1;
    let largest = -1n;
    state.rows.forEach((r, i) => {
      const abs = amounts[i]! < 0n ? -amounts[i]! : amounts[i]!;
      if (!edited.has(r) && abs > largest) {
        largest = abs;
        target = i;
      }
    });
    if (target < 0) {
      throw new BalanceError(`Every line of ${state.label} is one you edited; pick the line that takes the remainder`);
    }
  }
  const balanced = balanceBundle(amounts, state.totalMinor, target);
  const targetRow = state.rows[target]!;
  const from = amounts[target]!;
  const to = balanced[target]!;
  const updates: CellUpdate[] = from === to ? [] : [{ row: targetRow, column: "amount", value: fromMinor(to, state.scale) }];

  // The user may have sorted or typed since the read: the amount goes to the row that holds the same line now,
  // and an amount the user changed meanwhile is theirs (the check then shows what is left to balance).
  const now = await io.read(ops);
  const moved = io.relocate(ops, table, now);
  const written = io.applyInMemory(ops, now, placeUnchanged(moved, updates));
  const after = io.analyze(ops, now, snapshot);
  await io.publish(ops, now, after, written, await io.pushMarks(ops, now, after));

  const lineId = [...(analysis.lineRows.get(bundleKey) ?? new Map<number, number>())].find(([, r]) => r === targetRow)?.[0];
  const line = snapshot.records[bundleKey]?.bundle.lines.find((l) => l.id === lineId);
  const money = (minor: bigint) => formatMinorGrouped(minor, state.scale);
  const nowRow = moved.row(targetRow);
  return {
    ...checkReport("allocations", after),
    moved:
      from === to || written.length === 0 || nowRow === undefined
        ? null
        : {
            row: nowRow,
            address: io.addressOf(ops, now, { row: nowRow, column: "amount" }),
            line: line ? `${line.product_name} (line ${line.id})` : `row ${nowRow + 1}`,
            from: money(from),
            to: money(to),
            change: `${to > from ? "+" : "−"}${money(to > from ? to - from : from - to)}`,
          },
  };
}
