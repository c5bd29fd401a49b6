import { COMMIT_WRITABLE_FIELDS, COMMIT_STATUSES } from "../../src/model/records";
import { parseSandboxData, type BundleData, type ItemData } from "../../src/sandbox/data";
import { currencyDecimals, toMinorUnits } from "../../src/sandbox/money";
import { makeLargeData, seedData } from "../../src/sandbox/seed";
import { SandboxStore } from "../../src/sandbox/store";

const seed = seedData();
const items = (d = seed): ItemData[] => [...d.subscriptions, ...d.usage, ...d.milestones];
const bundles = (d = seed): BundleData[] => items(d).flatMap((i) => (i.bundle ? [i.bundle] : []));

function balance(b: BundleData): { sum: bigint | null; total: bigint | null } {
  const d = currencyDecimals(b.currency);
  const minors = b.lines.map((l) => toMinorUnits(l.amount, d));
  const sum = minors.some((m) => m === null) ? null : minors.reduce<bigint>((s, m) => s + m!, 0n);
  return { sum, total: toMinorUnits(b.total_amount, d) };
}

describe("seed data", () => {
  test("is deterministic and passes its own data validation", () => {
    expect(seedData()).toEqual(seed);
    expect(parseSandboxData(JSON.parse(JSON.stringify(seed)))).toEqual(seed);
  });

  test("every bundle balances exactly in its currency's minor unit", () => {
    for (const b of bundles()) {
      const { sum, total } = balance(b);
      expect({ id: b.id, sum }).toEqual({ id: b.id, sum: total });
      expect(total).not.toBeNull();
    }
  });

  test("covers the cases the add-in must handle", () => {
    expect(seed.contracts.length).toBeGreaterThanOrEqual(5);
    expect(seed.products.length).toBeGreaterThanOrEqual(10);
    expect(seed.entities.filter((e) => e.currency !== "USD").map((e) => e.currency)).toEqual(["EUR", "JPY", "GBP"]);
    expect(new Set(bundles().map((b) => b.currency))).toEqual(new Set(["USD", "EUR", "JPY", "GBP"]));
    expect(
      bundles()
        .map((b) => b.lines.length)
        .sort(),
    ).toEqual([2, 2, 3, 3, 3, 3, 5, 8, 8]);
    expect(bundles().some((b) => b.lines.some((l) => l.amount < 0))).toBe(true);
    // Totals that only balance with one line a cent (or a yen) off the even split.
    expect(
      bundles()
        .find((b) => b.id === 5001)
        ?.lines.map((l) => l.amount),
    ).toEqual([33333.33, 33333.33, 33333.34]);
    expect(
      bundles()
        .find((b) => b.id === 5012)
        ?.lines.map((l) => l.amount),
    ).toEqual([333333, 333333, 333334]);
    for (const kind of ["subscriptions", "usage", "milestones"] as const) {
      const rows: ItemData[] = seed[kind];
      expect([kind, rows.some((r) => r.bundle)]).toEqual([kind, true]);
      expect([kind, rows.some((r) => !r.bundle)]).toEqual([kind, true]);
    }
    expect(seed.products.every((p) => /^[A-Z]+(-[A-Z]+)*$/.test(p.product_id ?? ""))).toBe(true);
  });

  test("prepaid commits: every status, every field set somewhere, priority ties, formula-like and unicode names", () => {
    const store = new SandboxStore(seed);
    const views = seed.prepaidCommits.map((c) => store.commitView(c));
    expect(new Set(views.map((v) => v.status))).toEqual(new Set(COMMIT_STATUSES));
    for (const field of COMMIT_WRITABLE_FIELDS) {
      const populated = seed.prepaidCommits.some((c) => c[field] !== null && c[field] !== "" && c[field] !== false);
      expect([field, populated]).toEqual([field, true]);
    }
    const full = seed.prepaidCommits.find((c) => COMMIT_WRITABLE_FIELDS.every((f) => c[f] !== null));
    expect(full?.id).toBe(9001);
    const c3 = seed.prepaidCommits.filter((c) => c.contract === 3 && c.priority === 1);
    expect(c3.length).toBe(2);
    expect(seed.prepaidCommits.some((c) => c.name.startsWith("="))).toBe(true);
    expect(seed.prepaidCommits.some((c) => /[^\p{ASCII}]/u.test(c.name))).toBe(true);
    expect(views.find((v) => v.id === 9001)).toMatchObject({ remaining_value: 74749.25, status: "ACTIVE" });
    expect(views.find((v) => v.id === 9008)).toMatchObject({ remaining_value: -150.25, status: "EXHAUSTED" });
  });
});

describe("makeLargeData", () => {
  test("builds balanced bundles of the requested size over all item types", () => {
    const data = makeLargeData(120, 12);
    expect(parseSandboxData(JSON.parse(JSON.stringify(data)))).toEqual(data);
    expect(bundles(data)).toHaveLength(120);
    expect([data.subscriptions.length, data.usage.length, data.milestones.length]).toEqual([40, 40, 40]);
    expect(data.contracts).toHaveLength(3);
    for (const b of bundles(data)) {
      expect(b.lines).toHaveLength(12);
      expect(new Set(b.lines.map((l) => l.product)).size).toBe(12);
      const { sum, total } = balance(b);
      expect(sum).toBe(total);
    }
    expect(data.prepaidCommits).toHaveLength(3);
  });

  test("rejects nonsense sizes", () => {
    expect(() => makeLargeData(-1, 2)).toThrow("nBundles must be a non-negative integer, got -1");
    expect(() => makeLargeData(1, 0)).toThrow("linesPerBundle must be a positive integer, got 0");
  });
});
