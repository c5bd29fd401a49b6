/**
 * fast-check arbitraries for Campfire records across the value space the API reference allows (the ranges come
 * from src/model/campfire-facts.ts, which test/model/campfire-facts.test.ts pins to the reference): every numeric
 * field at and near its bounds with 1 to 17 significant digits, negative and zero where allowed, every currency's
 * decimals, text that looks like formulas, numbers, dates or errors, right-to-left text and emoji, 250-character
 * names, and nulls where a field is optional.
 */
import fc from "fast-check";
import {
  AMOUNT_LIMIT,
  FIELD_RANGES,
  ID_MAX,
  INT32_MAX,
  INT32_MIN,
  NAME_MAX,
  OVERAGE_INVOICE_CADENCES,
  currencyDecimals,
  type FieldRange,
} from "../../src/model/campfire-facts";
import { toMinorExact } from "../../src/domain/money";
import type { BundleData, CommitData, SandboxData } from "../../src/sandbox/data";
import { seedData } from "../../src/sandbox/seed";

/** Currencies with 0, 2, 3 and 4 decimals, and one the add-in does not know (2). */
export const CURRENCIES = ["USD", "JPY", "KWD", "BHD", "EUR", "CLF", "XTS"] as const;

/** Products and entities the generated records refer to; one product id at the top of the safe-integer range. */
export const BIG_PRODUCT_ID = ID_MAX;
export const PRODUCT_IDS = [101, 102, 103, 104, 105, BIG_PRODUCT_ID] as const;
export const ENTITY_IDS = [1, 2, 3, 4, 5] as const;
export const DEPARTMENT_IDS = [201, 202, 203] as const;

/** Text a spreadsheet would re-type if it were not kept as text, and text from other scripts. */
const AWKWARD_TEXT = [
  "=SUM(1)",
  "=1+1",
  "+1",
  "-1",
  "@name",
  "'quoted",
  "00123",
  "1e5",
  "1,234.50",
  "20%",
  "TRUE",
  "false",
  "2026-03-01",
  "3/31/2026",
  "#N/A",
  "#REF!",
  "  padded  ",
  "مرحبا بالعالم",
  "שלום",
  "💰🔥 pool",
  "👩‍💻",
  "naïve café",
  "中文名称",
  "line\nbreak",
] as const;

/** Text of 1 to `max` characters (code points), never blank. */
export function textArb(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(...AWKWARD_TEXT),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
      fc.constant("x".repeat(max)),
      fc.constant("名".repeat(max)),
      fc.tuple(fc.constantFrom(...AWKWARD_TEXT), fc.string({ unit: "grapheme", maxLength: 20 })).map(([a, b]) => a + b),
    )
    .map((s) => [...s].slice(0, max).join(""))
    .filter((s) => s.trim() !== "");
}

/** A double with 1 to 17 significant digits, `decimals` at most, inside `range` (bounds included only if the range says). */
export function numberArb(range: FieldRange, decimals = 17): fc.Arbitrary<number> {
  const inside = (n: number) =>
    Number.isFinite(n) &&
    (range.minExclusive ? n > range.min : n >= range.min) &&
    (range.maxExclusive ? n < range.max : n <= range.max) &&
    (!range.integer || Number.isInteger(n)) &&
    decimalsOf(n) <= decimals;
  const digits = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{0,16}$/)).map(([first, rest]) => `${first}${rest}`);
  const scaled = fc
    .tuple(fc.boolean(), digits, fc.integer({ min: -20, max: 18 }))
    .map(([negative, ds, exponent]) => Number(`${negative ? "-" : ""}${ds}e${exponent}`));
  const near = nearBounds(range);
  return fc.oneof({ arbitrary: scaled, weight: 4 }, { arbitrary: fc.constantFrom(...near), weight: 1 }).filter(inside);
}

/** Values at and just inside a range's bounds, and zero. */
function nearBounds(range: FieldRange): number[] {
  const values = [0, 1, -1, 0.01, -0.01, range.min, range.max];
  for (const bound of [range.min, range.max]) {
    const step = Math.max(Math.abs(bound) * Number.EPSILON * 2, range.integer ? 1 : 0.01);
    values.push(bound - step, bound + step, bound - 0.02, bound + 0.02, bound - 1, bound + 1);
  }
  return values.map((v) => (range.integer ? Math.round(v) : v));
}

function decimalsOf(n: number): number {
  const text = String(n);
  if (/e-/.test(text)) return 99;
  return (text.split(".")[1] ?? "").length;
}

/** An amount in a currency: exact to its minor unit, -1e18 < x < 1e18. */
export function amountArb(currency: string): fc.Arbitrary<number> {
  return numberArb(FIELD_RANGES.amount, currencyDecimals(currency));
}

const dateArb = fc
  .oneof(
    fc.date({ min: new Date(Date.UTC(1900, 2, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }),
    fc.constantFrom(new Date(Date.UTC(1900, 2, 1)), new Date(Date.UTC(9999, 11, 31)), new Date(Date.UTC(2024, 1, 29))),
  )
  .map((d) => d.toISOString().slice(0, 10));

export const isoDateArb = dateArb;

const idOf = (ids: readonly number[]) => fc.constantFrom(...ids);
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });

export type CommitFields = Omit<CommitData, "id" | "contract">;

export const commitArb: fc.Arbitrary<CommitFields> = fc
  .constantFrom(...CURRENCIES)
  .chain((currency) =>
    fc.record({
      name: textArb(NAME_MAX),
      description: orNull(fc.oneof(textArb(400), fc.constant(""))),
      total_value: amountArb(currency),
      currency: fc.constant(currency),
      dates: fc.tuple(dateArb, orNull(dateArb)),
      discount_percentage: numberArb(FIELD_RANGES.discount_percentage),
      rate: orNull(numberArb(FIELD_RANGES.rate)),
      priority: fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.constantFrom(INT32_MIN, INT32_MAX, 0, 1, -1)),
      entity: orNull(idOf(ENTITY_IDS)),
      product: orNull(idOf(PRODUCT_IDS)),
      department: orNull(idOf(DEPARTMENT_IDS)),
      subledger: orNull(fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constant(ID_MAX))),
      exchange_rate: orNull(numberArb(FIELD_RANGES.exchange_rate)),
      exchange_rate_book: orNull(numberArb(FIELD_RANGES.exchange_rate_book)),
      overage_invoice_cadence: fc.constantFrom(...OVERAGE_INVOICE_CADENCES),
      auto_send_overage_invoices: fc.boolean(),
      overage_invoice_start_month: orNull(dateArb),
      tags: orNull(textArb(100)),
      is_invoiced: fc.boolean(),
      invoice: orNull(fc.integer({ min: 1, max: 99_999_999 })),
    }),
  )
  .map(({ dates: [start, end], ...rest }) => ({
    ...rest,
    start_date: end !== null && end < start ? end : start,
    expiration_date: end !== null && end < start ? start : end,
    consumed_value: 0,
    created_at: "2026-01-15T09:30:00.123456Z",
    last_modified_at: "2026-02-02T12:00:00.654321Z",
  }));

export interface LineSpec {
  product: number;
  amount: number;
  original_percentage: number | null;
}

export interface BundleSpec {
  currency: string;
  total: number;
  lines: LineSpec[];
}

/**
 * A bundle whose lines add up to its total exactly, in the currency's minor unit, as Campfire keeps them: the
 * last line takes the remainder, and only bundles whose every amount is a double that holds its value exactly
 * are kept (Campfire answers in JSON numbers).
 */
export const bundleArb: fc.Arbitrary<BundleSpec> = fc
  .constantFrom(...CURRENCIES)
  .chain((currency) =>
    fc.record({
      currency: fc.constant(currency),
      total: amountArb(currency),
      products: fc.shuffledSubarray([...PRODUCT_IDS], { minLength: 1, maxLength: 4 }),
      amounts: fc.array(amountArb(currency), { minLength: 3, maxLength: 3 }),
      originals: fc.array(orNull(numberArb(FIELD_RANGES.original_percentage)), { minLength: 4, maxLength: 4 }),
    }),
  )
  .map(({ currency, total, products, amounts, originals }) => {
    const scale = currencyDecimals(currency);
    const others = products.slice(1).map((_, i) => amounts[i] as number);
    const rest = toMinorExact(total, scale) - others.reduce((sum, a) => sum + toMinorExact(a, scale), 0n);
    const last = Number(minorText(rest, scale));
    const lines = [...others, last].map((amount, i) => ({
      product: products[i] as number,
      amount,
      original_percentage: originals[i] ?? null,
    }));
    return { currency, total, lines, exact: Math.abs(last) < AMOUNT_LIMIT && toMinorExact(last, scale) === rest };
  })
  .filter((b) => b.exact)
  .map(({ currency, total, lines }) => ({ currency, total, lines }));

function minorText(minor: bigint, scale: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Names shown next to the records: the deal's and each product's (code and name), as awkward as any text. */
export interface Names {
  deal: string;
  products: { code: string; name: string }[];
}

export const namesArb: fc.Arbitrary<Names> = fc.record({
  deal: textArb(NAME_MAX),
  products: fc.array(fc.record({ code: textArb(40), name: textArb(NAME_MAX) }), {
    minLength: PRODUCT_IDS.length,
    maxLength: PRODUCT_IDS.length,
  }),
});

/** Sandbox data holding the given bundles (one subscription each) and commits, all on contract 1. */
export function sandboxData(bundles: readonly BundleSpec[], commits: readonly CommitFields[], names?: Names): SandboxData {
  const seed = seedData();
  const products = seed.products.filter((p) => PRODUCT_IDS.includes(p.id as never));
  products.push({ ...products[0]!, id: BIG_PRODUCT_ID, product_id: "BIG-ID", product_name: "مرحبا 💰 =SUM(1)", display_name: "Big id" });
  if (names) {
    products.forEach((p, i) => {
      const given = names.products[i];
      if (given) Object.assign(p, { product_id: given.code, product_name: given.name, display_name: given.name });
    });
  }
  const contract = { ...seed.contracts[0]!, id: 1, ...(names ? { deal_name: names.deal } : {}) };
  let lineId = 70000;
  const subscriptions = bundles.map((b, i): SandboxData["subscriptions"][number] => {
    const bundle: BundleData = {
      id: 5000 + i,
      source_bundle: null,
      source_bundle_name: i % 2 ? null : "=Bundle name",
      total_amount: b.total,
      currency: b.currency,
      lines: b.lines.map((l) => ({ id: lineId++, product: l.product, amount: l.amount, original_percentage: l.original_percentage })),
      created_at: "2026-01-15T09:30:00Z",
      last_modified_at: "2026-02-02T12:00:00.123456Z",
    };
    return { id: 1000 + i, contract: 1, product: null, product_name: `Item ${i}`, bundle };
  });
  const prepaidCommits = commits.map((c, i): CommitData => ({ ...c, id: 9000 + i, contract: 1 }));
  return {
    ...seed,
    products,
    contracts: [contract],
    subscriptions,
    usage: [],
    milestones: [],
    prepaidCommits,
  };
}
