/**
 * Pull, change nothing, review: nothing is sent — for every value Campfire can hold (issue 8). And one edit is
 * exactly one change. Records are generated across the API reference's value space (campfire-arbitraries.ts),
 * served by a real sandbox over HTTP, and pulled through the public workbench into two workbooks: the real Excel
 * adapter on the Excel fake (which stores numbers as Excel does: 15 significant digits) and the in-memory one.
 */
import fc from "fast-check";
import type { Session } from "../../src/app/session";
import { createWorkbench } from "../../src/app/workbench";
import type { Workbench } from "../../src/app/workbench-interface";
import type { CellValue } from "../../src/app/ports";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { COMMIT_FIELD_RULES } from "../../src/domain/rules/prepaid-commits";
import { fieldHeader, sameFieldValue, showFieldValue } from "../../src/domain/sheet/commit-table";
import { formatMinorGrouped, toMinorExact } from "../../src/domain/money";
import {
  FIELD_RANGES,
  INT32_MAX,
  INT32_MIN,
  NAME_MAX,
  OVERAGE_INVOICE_CADENCES,
  currencyDecimals,
  type FieldRange,
} from "../../src/model/campfire-facts";
import type { CommitWritableField } from "../../src/model/records";
import { excelSheet, memorySheet, signedIn, type Sheet } from "./workbooks";
import {
  DEPARTMENT_IDS,
  ENTITY_IDS,
  PRODUCT_IDS,
  bundleArb,
  commitArb,
  isoDateArb,
  namesArb,
  numberArb,
  sandboxData,
  textArb,
  type BundleSpec,
  type CommitFields,
  type Names,
} from "./campfire-arbitraries";

const RUNS = 40;
const NOW = new Date(2026, 10, 21, 14, 3, 27);

let sandbox: RunningSandbox;
let session: Session;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  session = await signedIn(sandbox);
});
afterAll(() => sandbox.close());

async function pulled(
  sheet: Sheet,
  bundles: readonly BundleSpec[],
  commits: readonly CommitFields[],
  kind: "allocations" | "commits",
  names?: Names,
): Promise<Workbench> {
  sandbox.store.load(sandboxData(bundles, commits, names));
  sandbox.requests.length = 0;
  const workbench = createWorkbench({ session, workbook: sheet.port, now: () => NOW, utcOffset: () => 0 });
  await workbench.pull(kind, "all", undefined, { discardEdits: true });
  return workbench;
}

describe.each([
  ["in-memory", memorySheet],
  ["excel", excelSheet],
] as const)("through the %s workbook", (_, makeSheet) => {
  test("allocations: pull, change nothing, review → no changes, no records, nothing blocked, nothing sent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bundleArb, { minLength: 1, maxLength: 3 }), namesArb, async (bundles, names) => {
        const workbench = await pulled(makeSheet(), bundles, [], "allocations", names);
        const plan = await workbench.planPush("allocations");
        expect([plan.changes, plan.recordKeys, plan.blocked]).toEqual([[], [], []]);
        expect(sandbox.requests.filter((r) => r.method !== "GET")).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  test("prepaid commits: pull, change nothing, review → no changes, no records, nothing blocked, nothing sent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commitArb, { minLength: 1, maxLength: 3 }), namesArb, async (commits, names) => {
        const workbench = await pulled(makeSheet(), [], commits, "commits", names);
        const plan = await workbench.planPush("commits");
        expect([plan.changes, plan.recordKeys, plan.blocked]).toEqual([[], [], []]);
        expect(sandbox.requests.filter((r) => r.method !== "GET")).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  test("allocations: one amount typed → exactly that line of that bundle is in the plan", async () => {
    const editArb = fc.tuple(fc.array(bundleArb, { minLength: 1, maxLength: 3 }), fc.nat(), fc.nat()).chain(([bundles, b, l]) => {
      const bundle = bundles[b % bundles.length]!;
      // What a user types: at most 15 significant digits (Excel keeps no more), to the currency's decimals.
      const typed = numberArb({ ...FIELD_RANGES.amount, min: -1e14, max: 1e14 }, currencyDecimals(bundle.currency)).filter(
        (n) =>
          String(n)
            .replace(/^-|\.|e.*$/g, "")
            .replace(/^0+/, "").length <= 15,
      );
      return fc.tuple(fc.constant(bundles), fc.constant(b % bundles.length), fc.constant(l % bundle.lines.length), typed);
    });
    await fc.assert(
      fc.asyncProperty(editArb, async ([bundles, b, l, amount]) => {
        const bundle = bundles[b]!;
        const scale = currencyDecimals(bundle.currency);
        fc.pre(toMinorExact(amount, scale) !== toMinorExact(bundle.lines[l]!.amount, scale));
        const sheet = makeSheet();
        const workbench = await pulled(sheet, bundles, [], "allocations");
        const lineId = 70000 + bundles.slice(0, b).reduce((n, x) => n + x.lines.length, 0) + l;
        await sheet.type("CampfireAllocations", "Line ID", lineId, "Amount", amount);
        const plan = await workbench.planPush("allocations");
        const key = `1:subscription:${1000 + b}`;
        expect(plan.recordKeys).toEqual([key]);
        expect(plan.changes.map((c) => [c.key, c.field.endsWith(`(line ${lineId})`), c.new])).toEqual([
          [key, true, formatMinorGrouped(toMinorExact(amount, scale), scale)],
        ]);
        // The only thing that can stop it is its own sum; values held on other lines and bundles never do.
        expect(plan.blocked.filter((i) => !i.message.startsWith("The lines sum to"))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  test("prepaid commits: one field typed → exactly that field of that commit is in the plan, and nothing blocks it", async () => {
    const editArb = fc.tuple(fc.array(commitArb, { minLength: 1, maxLength: 3 }), fc.nat()).chain(([commits, c]) => {
      const commit = commits[c % commits.length]!;
      return fc.tuple(fc.constant(commits), fc.constant(c % commits.length), typedEdit(commit));
    });
    await fc.assert(
      fc.asyncProperty(editArb, async ([commits, c, [field, typed, value]]) => {
        const commit = commits[c]!;
        fc.pre(!sameFieldValue(field, value, commit[field], commit.currency));
        const sheet = makeSheet();
        const workbench = await pulled(sheet, [], commits, "commits");
        await sheet.type("CampfirePrepaidCommits", "Commit ID", 9000 + c, fieldHeader(field), typed);
        const plan = await workbench.planPush("commits");
        const key = `1:${9000 + c}`;
        expect(plan.recordKeys).toEqual([key]);
        expect(plan.changes.map((x) => [x.key, x.field, x.new])).toEqual([
          [key, fieldHeader(field), showFieldValue(field, value, commit.currency)],
        ]);
        expect(plan.blocked).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

/** A field to edit, what the user types into its cell, and the value Campfire should then get. */
function typedEdit(commit: CommitFields): fc.Arbitrary<[CommitWritableField, CellValue, unknown]> {
  const scale = currencyDecimals(commit.currency);
  const fifteen = (n: number) =>
    String(n)
      .replace(/^-|\.|e.*$/g, "")
      .replace(/^0+/, "").length <= 15 && !/e/.test(String(n));
  const typedNumber = (range: FieldRange, decimals = 17) => numberArb(range, decimals).filter(fifteen);
  const same = <T extends CellValue>(field: CommitWritableField, arb: fc.Arbitrary<T>) =>
    arb.map((v): [CommitWritableField, CellValue, unknown] => [field, v, v]);
  const orEmpty = (field: CommitWritableField, arb: fc.Arbitrary<CellValue>) =>
    fc.oneof(same(field, arb), fc.constant<[CommitWritableField, CellValue, unknown]>([field, "", null]));
  const start = commit.start_date;
  const end = commit.expiration_date;
  return fc
    .oneof(
      same(
        "name",
        textArb(NAME_MAX).filter(
          (s) =>
            !/^[=+\-@']/.test(s) && !/^\s|\s$/.test(s) && Number.isNaN(Number(s)) && !/^(true|false)$/i.test(s) && !/%$|^\d|^#/.test(s),
        ),
      ),
      same("total_value", numberArb({ ...FIELD_RANGES.amount, min: -1e14, max: 1e14 }, scale).filter(fifteen)),
      same(
        "start_date",
        isoDateArb.filter((d) => end === null || d <= end),
      ),
      orEmpty(
        "expiration_date",
        isoDateArb.filter((d) => d >= start),
      ),
      same("discount_percentage", typedNumber(FIELD_RANGES.discount_percentage)),
      // 20% typed into the percent-as-0–100 column means 20 (README, "Using the task pane").
      typedNumber(FIELD_RANGES.discount_percentage, 2)
        .filter((n) => n >= 0.01 && n <= 100)
        .map((n): [CommitWritableField, CellValue, unknown] => ["discount_percentage", `${n}%`, n]),
      orEmpty("rate", typedNumber(FIELD_RANGES.rate)),
      same("priority", fc.integer({ min: INT32_MIN, max: INT32_MAX })),
      orEmpty("entity", fc.constantFrom(...ENTITY_IDS)),
      orEmpty("product", fc.constantFrom(...PRODUCT_IDS.slice(0, 5))),
      orEmpty("department", fc.constantFrom(...DEPARTMENT_IDS)),
      orEmpty("subledger", fc.integer({ min: 1, max: 999_999_999_999_999 })),
      orEmpty("exchange_rate", typedNumber(FIELD_RANGES.exchange_rate)),
      orEmpty("exchange_rate_book", typedNumber(FIELD_RANGES.exchange_rate_book)),
      same("overage_invoice_cadence", fc.constantFrom(...OVERAGE_INVOICE_CADENCES)),
      fc.boolean().map((b): [CommitWritableField, CellValue, unknown] => ["auto_send_overage_invoices", b ? "TRUE" : "FALSE", b]),
      orEmpty("overage_invoice_start_month", isoDateArb),
      orEmpty("tags", fc.constantFrom("usage,api", "q3 💰", "מס")),
    )
    .filter(([field]) => field in COMMIT_FIELD_RULES);
}
