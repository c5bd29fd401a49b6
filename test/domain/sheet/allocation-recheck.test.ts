/**
 * The live check's re-analysis of the edited rows' bundles equals the analysis of the whole table, for any
 * sequence of edits it accepts; and it accepts every edit that keeps each row's line (an amount, a read-only cell,
 * the Check column), so the property cannot hold by refusing.
 */
import fc from "fast-check";
import { analyzeAllocations, type AllocationAnalysis } from "../../../src/domain/sheet/allocation-analysis";
import { recheckAllocations } from "../../../src/domain/sheet/allocation-recheck";
import { ALLOCATIONS_LAYOUT, allocationRows, type PulledBundle } from "../../../src/domain/sheet/allocation-table";
import type { SheetCell } from "../../../src/domain/sheet/layout";
import { allocationSnapshot } from "../../../src/domain/sheet/snapshot";
import type { TableRead } from "../../../src/domain/sheet/sheet-view";
import { asTable, bundle, setCell, utc } from "./fixtures";

/** Bundles that differ in contract, item, currency and line ids, so rows of one never name another's lines. */
function bundles(count: number): PulledBundle[] {
  return Array.from({ length: count }, (_, b) => {
    const base = bundle();
    const currency = ["USD", "JPY", "KWD"][b % 3]!;
    const scale = currency === "JPY" ? 1 : 100;
    return bundle({
      contractId: 3 + b,
      itemId: 2001 + b,
      bundle: {
        ...base.bundle,
        id: 5011 + b,
        currency,
        total_amount: 100,
        lines: base.bundle.lines.map((line, i) => ({ ...line, id: 7101 + 10 * b + i, amount: Math.round(line.amount * scale) / scale })),
      },
    });
  });
}

const pulled = bundles(4);
const snapshot = allocationSnapshot(pulled, "2026-02-03T00:00:00Z");

function fresh(): TableRead {
  return asTable(ALLOCATIONS_LAYOUT, allocationRows(pulled, utc));
}

/** Edits that keep each row's line: what the live check re-analyses without looking at the rest. */
const KEEPING = ["Amount", "Product ID", "Product name", "Percentage", "Bundle total", "Currency", "Deal name", "Check", "Status"];
/** Edits to a row's identity: the re-analysis must refuse them (the whole table is analysed then). */
const IDENTITY = ["Line ID", "Item ID", "Contract ID", "Item type"];

const value = fc.oneof(
  fc.integer({ min: -200, max: 200 }).map((n) => n / 2),
  fc.constantFrom<SheetCell>("", "abc", "'=SUM(1)", "12.345", "1e3", 7101, 7102, "usage", true),
);
const edit = (headers: readonly string[]) => fc.record({ row: fc.nat({ max: 11 }), header: fc.constantFrom(...headers), value });

function step(table: TableRead, previous: AllocationAnalysis, edits: { row: number; header: string; value: SheetCell }[]) {
  const before = new Map<number, SheetCell[]>();
  for (const e of edits) {
    if (!before.has(e.row)) before.set(e.row, [...table.rows[e.row]!]);
    setCell(table, e.row, e.header, e.value);
  }
  return recheckAllocations(previous, table, before, snapshot, utc);
}

describe("recheckAllocations", () => {
  it("equals the whole analysis after any sequence of edits that keep each row's line", () => {
    fc.assert(
      fc.property(fc.array(fc.array(edit(KEEPING), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (batches) => {
        const table = fresh();
        let analysis = analyzeAllocations(table, snapshot, utc);
        for (const batch of batches) {
          const again = step(table, analysis, batch);
          expect(again).not.toBeNull();
          expect(again!.analysis).toEqual(analyzeAllocations(table, snapshot, utc));
          analysis = again!.analysis;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("equals the whole analysis whenever it answers, and refuses an edit that changes a row's line", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(edit([...KEEPING, ...IDENTITY]), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        (batches) => {
          const table = fresh();
          let analysis = analyzeAllocations(table, snapshot, utc);
          const at = (row: number, header: string) => table.rows[row]![table.headers.indexOf(header)];
          for (const batch of batches) {
            const identityBefore = batch.map((e) => IDENTITY.map((h) => at(e.row, h)));
            const again = step(table, analysis, batch);
            const whole = analyzeAllocations(table, snapshot, utc);
            const lineChanged = batch.some((e, k) => IDENTITY.some((h, j) => at(e.row, h) !== identityBefore[k]![j]));
            // (Once a row names no line, later edits of it are refused too: acceptance is the property above.)
            if (lineChanged) expect(again).toBeNull();
            if (again) expect(again.analysis).toEqual(whole);
            analysis = again?.analysis ?? whole;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("re-analyses only the edited row's bundle and says which rows it looked at", () => {
    const table = fresh();
    const previous = analyzeAllocations(table, snapshot, utc);
    const before = new Map([[4, [...table.rows[4]!]]]);
    setCell(table, 4, "Amount", 50.5);
    const again = recheckAllocations(previous, table, before, snapshot, utc);
    expect(again?.rows).toEqual([3, 4, 5]);
    expect(again?.analysis.bundles.map((b) => b.balanced)).toEqual([true, false, true, true]);
    expect(again?.analysis).toEqual(analyzeAllocations(table, snapshot, utc));
    // Everything of the other bundles is the previous analysis' own.
    expect(again?.analysis.bundles[0]).toBe(previous.bundles[0]);
  });

  it("refuses a typed-over Line ID, a row count that changed, and a row outside the table", () => {
    const table = fresh();
    const previous = analyzeAllocations(table, snapshot, utc);
    const before = new Map([[0, [...table.rows[0]!]]]);
    setCell(table, 0, "Line ID", 7102);
    expect(recheckAllocations(previous, table, before, snapshot, utc)).toBeNull();
    const shorter = fresh();
    shorter.rows.pop();
    expect(recheckAllocations(previous, shorter, new Map([[0, [...shorter.rows[0]!]]]), snapshot, utc)).toBeNull();
    expect(recheckAllocations(previous, fresh(), new Map([[12, []]]), snapshot, utc)).toBeNull();
  });
});
