/**
 * What running every rule over a table costs, as a multiple of JSON.stringify over the same rows: a floor any
 * check must pay to look at every cell once. The rules build a message only for a cell that fails, so on a
 * valid table they should cost a small multiple of that floor, whatever the row count.
 */
import { analyzeAllocations } from "../src/domain/sheet/allocation-analysis";
import type { TableRead } from "../src/domain/sheet/sheet-view";
import type { AllocationSnapshot } from "../src/domain/sheet/snapshot";
import { median } from "./report";

/** Goal (issue 10): rules over N rows ≤ 3 × JSON.stringify of the same rows. */
export const RULES_COST_LIMIT = 3;

export interface RulesCost {
  rows: number;
  analyzeMs: number;
  stringifyMs: number;
  ratio: number;
}

/** Median of `runs` timings of each, interleaved so that a busy moment of the machine hits both alike. */
export function rulesCost(table: TableRead, snapshot: AllocationSnapshot, runs: number): RulesCost {
  const analyze: number[] = [];
  const stringify: number[] = [];
  let sink = 0;
  // One untimed pass of each first: the JIT compiles on first use, which is not what a live check pays.
  sink += analyzeAllocations(table, snapshot, () => 0).issues.length + JSON.stringify(table.rows).length;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    sink += analyzeAllocations(table, snapshot, () => 0).issues.length;
    analyze.push(performance.now() - t);
    t = performance.now();
    sink += JSON.stringify(table.rows).length;
    stringify.push(performance.now() - t);
  }
  if (sink < 0) throw new Error("unreachable: keeps the timed work from being optimised away");
  const analyzeMs = median(analyze);
  const stringifyMs = median(stringify);
  return { rows: table.rows.length, analyzeMs, stringifyMs, ratio: analyzeMs / stringifyMs };
}
