/**
 * A bundle's compact copy (what a contract's item lists carry) against the bundle as read: the check just before
 * a write trusts the lists only when every value they show is the one reviewed.
 */
import fc from "fast-check";
import type { Bundle, CompactBundle } from "../../src/model/records";
import { compactShowsBundle } from "../../src/domain/write/compact";

const BUNDLE: Bundle = {
  id: 5001,
  source_bundle: 77,
  source_bundle_name: "Platform bundle",
  total_amount: 1000.1,
  currency: "USD",
  license_term_start_date: "2026-01-01",
  created_at: "2026-01-01T00:00:00Z",
  last_modified_at: "2026-02-01T00:00:00Z",
  lines: [
    {
      id: 1,
      product: 101,
      product_name: "Platform",
      product_id_str: "P101",
      amount: 600.06,
      percentage: "60.00",
      original_percentage: 60,
      component_type: null,
    },
    {
      id: 2,
      product: 105,
      product_name: "Support",
      product_id_str: "P105",
      amount: 400.04,
      percentage: "40.00",
      original_percentage: null,
    },
  ],
};

function compactOf(b: Bundle): CompactBundle {
  return {
    id: b.id,
    source_bundle: b.source_bundle,
    source_bundle_name: b.source_bundle_name,
    total_amount: b.total_amount,
    currency: b.currency,
    lines: b.lines.map(({ id, product, product_name, amount, percentage, original_percentage }) => ({
      id,
      product,
      product_name,
      amount,
      percentage,
      original_percentage,
    })),
  };
}

const line = (i: number, over: Partial<CompactBundle["lines"][number]>) => (c: CompactBundle) => ({
  ...c,
  lines: c.lines.map((l, j) => (j === i ? { ...l, ...over } : l)),
});

it("the compact copy of the same bundle shows it, in any line order and without a currency", () => {
  const c = compactOf(BUNDLE);
  expect(compactShowsBundle(c, BUNDLE)).toBe(true);
  expect(compactShowsBundle({ ...c, lines: [...c.lines].reverse() }, BUNDLE)).toBe(true);
  const { currency: _currency, ...withoutCurrency } = c;
  expect(compactShowsBundle(withoutCurrency, BUNDLE)).toBe(true);
});

it("fields the compact copy does not carry do not count (last_modified_at, license term, product codes)", () => {
  const changed: Bundle = {
    ...BUNDLE,
    last_modified_at: "2026-03-01T00:00:00Z",
    license_term_start_date: "2026-02-01",
    lines: BUNDLE.lines.map((l) => ({ ...l, product_id_str: "other", component_type: "USAGE" as const })),
  };
  expect(compactShowsBundle(compactOf(BUNDLE), changed)).toBe(true);
});

it.each<[string, (c: CompactBundle) => CompactBundle]>([
  ["another bundle id", (c) => ({ ...c, id: 5002 })],
  ["another template", (c) => ({ ...c, source_bundle: 78 })],
  ["no template", (c) => ({ ...c, source_bundle: null })],
  ["another template name", (c) => ({ ...c, source_bundle_name: "Renamed" })],
  ["a total one cent off", (c) => ({ ...c, total_amount: 1000.11 })],
  ["another currency", (c) => ({ ...c, currency: "EUR" })],
  ["a line fewer", (c) => ({ ...c, lines: c.lines.slice(1) })],
  ["a line amount one cent off", line(0, { amount: 600.07 })],
  ["a line amount a thousandth off", line(1, { amount: 400.041 })],
  ["another product on a line", line(0, { product: 102 })],
  ["another product name", line(1, { product_name: "Support+" })],
  ["another percentage", line(0, { percentage: "60.01" })],
  ["an original percentage set", line(1, { original_percentage: 40 })],
  ["another line id", line(1, { id: 3 })],
])("%s: not the reviewed bundle", (_what, change) => {
  expect(compactShowsBundle(change(compactOf(BUNDLE)), BUNDLE)).toBe(false);
});

it("property: any change to one line's amount is seen, however small", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1 }), fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }), (i, amount) => {
      const c = line(i, { amount })(compactOf(BUNDLE));
      expect(compactShowsBundle(c, BUNDLE)).toBe(amount === BUNDLE.lines[i]!.amount);
    }),
  );
});
