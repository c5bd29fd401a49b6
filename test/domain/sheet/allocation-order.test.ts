/**
 * The allocation check does not depend on the order of the rows: a table sorted, shuffled or with blank rows
 * in between gets the same verdicts, messages, marks and send bodies, on the same rows (wherever they moved). The
 * check takes shortcuts when a bundle's rows are together and in line order (a row's identity read after the
 * row above's, the lines claimed without lookups); a shuffled table takes the general routes, so this holds the
 * two to each other over hostile cells in the amount and read-only columns.
 */
import fc from "fast-check";
import { analyzeAllocations } from "../../../src/domain/sheet/allocation-analysis";
import { ALLOCATIONS_LAYOUT, allocationRows, type PulledBundle } from "../../../src/domain/sheet/allocation-table";
import type { SheetCell } from "../../../src/domain/sheet/layout";
import { allocationSnapshot } from "../../../src/domain/sheet/snapshot";
import { ITEM_TYPES } from "../../../src/model/records";
import { asTable, utc } from "./fixtures";

const KEYS = ALLOCATIONS_LAYOUT.columns.map((c) => c.key);
/** Columns a user may type into without changing which line a row names. */
const TYPED_INTO = KEYS.filter((k) => !["contract_id", "item_type", "item_id", "line_id", "new_percentage", "status", "check"].includes(k));

const SCALE: Record<string, number> = { USD: 2, JPY: 0, BHD: 3 };

const pulledBundle = fc
  .record({
    contractId: fc.integer({ min: 1, max: 3 }),
    itemType: fc.constantFrom(...ITEM_TYPES),
    itemId: fc.integer({ min: 1, max: 3 }),
    lineIds: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
    currency: fc.constantFrom("USD", "JPY", "BHD"),
    cents: fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { minLength: 5, maxLength: 5 }),
    unbalanced: fc.boolean(),
  })
  .map(({ contractId, itemType, itemId, lineIds, currency, cents, unbalanced }): PulledBundle => {
    const scale = SCALE[currency]!;
    const lines = lineIds.map((id, i) => ({
      id,
      product: 100 + i,
      product_name: `Product ${i}`,
      product_id_str: `P${i}`,
      amount: cents[i]! / 10 ** scale,
      percentage: "20.00",
      original_percentage: i % 2 ? null : 20,
    }));
    const totalMinor = lines.reduce((s, _, i) => s + cents[i]!, 0) + (unbalanced ? 1 : 0);
    return {
      contractId,
      dealName: `Deal ${contractId}`,
      itemType,
      itemId,
      bundle: {
        id: 5000 + itemId,
        source_bundle: null,
        source_bundle_name: null,
        total_amount: totalMinor / 10 ** scale,
        currency,
        lines,
        created_at: "2026-01-01T00:00:00Z",
        last_modified_at: "2026-02-02T12:00:00Z",
      },
    };
  });

/** Distinct bundles (by contract, item type and item id). */
const pulledBundles = fc.uniqueArray(pulledBundle, {
  minLength: 1,
  maxLength: 6,
  selector: (b) => `${b.contractId}:${b.itemType}:${b.itemId}`,
});

const hostile = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((c) => c / 100),
  fc.constantFrom<SheetCell>("", " ", "#N/A", "#REF!", true, "0012", "60.50", "12%", "abc", -0, 1e21, 2 ** 53 + 1, 3.0000000000000004),
  fc.constantFrom<SheetCell>(0.1 + 0.2, 1e15 - 0.5, 99999999999999.98, "x".repeat(32_767)),
);

/** Edits as a user makes them: a cell typed over, a row deleted. */
const edit = fc.oneof(
  fc.record({ row: fc.nat(), column: fc.constantFrom(...TYPED_INTO), value: hostile }),
  fc.record({ row: fc.nat(), column: fc.constant("amount" as const), value: hostile }),
  fc.record({ deleteRow: fc.nat() }),
);

/** The rows in a new order, with blank rows in between: where each row went. */
const reorder = fc.record({
  keys: fc.array(fc.double({ noNaN: true }), { minLength: 40, maxLength: 40 }),
  blanks: fc.array(fc.nat(), { maxLength: 4 }),
});

type Analysis = ReturnType<typeof analyzeAllocations>;

/** The analysis with every row number replaced by `at(row)`, in an order that does not depend on the rows'. */
function placed(a: Analysis, at: (row: number) => number, checkText: (row: number) => string) {
  const byText = (x: unknown, y: unknown) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1);
  const rows = (list: readonly number[]) => list.map(at).sort((x, y) => x - y);
  return {
    issues: a.issues.map(({ address: _address, ...issue }) => ({ ...issue, row: at(issue.row) })).sort(byText),
    marks: a.marks.map((m) => ({ ...m, row: at(m.row) })).sort(byText),
    checkText: [...a.checkText.keys()].flatMap((row) => (checkText(row) ? [[at(row), checkText(row)]] : [])).sort(byText),
    changed: [...a.changed.values()]
      .map((c) => ({ ...c, rows: rows(c.rows), cells: c.cells.map((cell) => ({ ...cell, row: at(cell.row) })) }))
      .sort(byText),
    editedCells: a.editedCells,
    missing: a.missing,
    rowsByKey: [...a.rowsByKey].map(([key, list]) => [key, rows(list)]).sort(byText),
    lineRows: [...a.lineRows].map(([key, m]) => [key, [...m].map(([line, row]) => [line, at(row)])]).sort(byText),
    bundles: a.bundles
      .map((b) => ({ ...b, rows: b.rows.map(at), amountsMinor: b.amountsMinor.map(String), totalMinor: String(b.totalMinor) }))
      .sort(byText),
  };
}

it("a table in any order, with blank rows in between, gets the same analysis on the same rows", () => {
  fc.assert(
    fc.property(pulledBundles, fc.array(edit, { maxLength: 8 }), reorder, (bundles, edits, { keys, blanks }) => {
      const snapshot = allocationSnapshot(bundles, "2026-02-03T00:00:00Z");
      const rows = allocationRows(bundles, utc).map((r) => [...r]);
      for (const e of edits) {
        if (rows.length === 0) break;
        if ("deleteRow" in e) rows.splice(e.deleteRow % rows.length, 1);
        else rows[e.row % rows.length]![KEYS.indexOf(e.column)] = e.value;
      }
      // The new order: row i goes where its key sorts (ties by index), then blank rows are put in.
      const order = rows.map((_, i) => i).sort((i, j) => keys[i % keys.length]! - keys[j % keys.length]! || i - j);
      const moved: (SheetCell[] | null)[] = order.map((i) => rows[i]!);
      for (const b of blanks) moved.splice(b % (moved.length + 1), 0, null);
      const newRowOf = new Map<number, number>();
      moved.forEach((r, at) => {
        if (r) newRowOf.set(rows.indexOf(r), at);
      });
      const blank = KEYS.map(() => "" as SheetCell);
      const original = analyzeAllocations(asTable(ALLOCATIONS_LAYOUT, rows), snapshot, utc);
      const shuffled = analyzeAllocations(
        asTable(
          ALLOCATIONS_LAYOUT,
          moved.map((r) => r ?? blank),
        ),
        snapshot,
        utc,
      );
      const oldRowOf = new Map([...newRowOf].map(([from, to]) => [to, from]));
      expect(
        placed(
          shuffled,
          (row) => oldRowOf.get(row) ?? -1,
          (row) => shuffled.checkText[row]!,
        ),
      ).toEqual(
        placed(
          original,
          (row) => row,
          (row) => original.checkText[row]!,
        ),
      );
    }),
    { numRuns: 400 },
  );
});
