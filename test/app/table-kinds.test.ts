/** What the push refuses to send once Campfire's record has moved on: checked on the body that would go out. */
import { allocationOps, commitOps } from "../../src/app/table-kinds";
import type { AllocationAnalysis } from "../../src/domain/sheet/allocation-analysis";
import type { CommitAnalysis } from "../../src/domain/sheet/commit-analysis";
import { bundle, commit } from "../domain/sheet/fixtures";

const commitAnalysis = {} as CommitAnalysis;
const send = (edits: Record<string, unknown>) => ({ contractId: 3, commitId: 9001, edits });

describe("commits", () => {
  it.each([
    ["no edit breaks anything", { name: "Renamed" }, {}, null],
    [
      "the user's expiration date is now before the other user's start date",
      { expiration_date: "2026-03-01" },
      { start_date: "2026-06-01" },
      {
        place: { row: 4, column: "expiration_date" },
        message:
          "Not sent: with Campfire's current values, Expiration date: the expiration date 2026-03-01 is before the start date 2026-06-01; " +
          "allowed: a date on or after the start date (2026-06-01), or empty. Pull again or change the row.",
      },
    ],
    [
      "the currency became JPY: the user's total has decimals JPY does not have",
      { total_value: 125000.5 },
      { currency: "JPY" },
      {
        place: { row: 4, column: "total_value" },
        message:
          "Not sent: with Campfire's current values, Total value: 125000.5 has 1 decimal place; allowed: a whole amount in JPY, with no decimal places. Pull again or change the row.",
      },
    ],
    // A value Campfire holds that the write schema refuses cannot go back in the PUT, and leaving it out would
    // reset it: the send stops on that cell, before any request.
    [
      "a cadence newer than this add-in, untouched by the user",
      { name: "Renamed" },
      { overage_invoice_cadence: "weekly" },
      {
        place: { row: 4, column: "overage_invoice_cadence" },
        message:
          'Not sent: Campfire holds "weekly" for Overage invoice cadence, which this add-in cannot send back; ' +
          "allowed: one of: monthly, quarterly, biannual, annual, one_time. Choose one in the row and push again.",
      },
    ],
    [
      "the user chose a cadence in place of the one Campfire holds",
      { overage_invoice_cadence: "annual" },
      { overage_invoice_cadence: "weekly" },
      null,
    ],
  ])("%s", (_, edits, server, refusal) => {
    expect(commitOps.refuse(send(edits), commit(server as never), "3:9001", [4], commitAnalysis)).toEqual(refusal);
  });
});

describe("allocations", () => {
  // Lines 7101, 7102, 7103 (products 103, 104, 111) at 60.50 + 49.50 − 10.00 = 100.00, the total.
  const analysis = {
    lineRows: new Map([
      [
        "3:usage:2001",
        new Map([
          [7101, 5],
          [7102, 6],
          [7103, 7],
        ]),
      ],
    ]),
  } as unknown as AllocationAnalysis;
  const lines = (amounts: number[], products = [103, 104, 111]) => ({
    contractId: 3,
    itemType: "usage" as const,
    itemId: 2001,
    lines: amounts.map((amount, i) => ({ product: products[i]!, amount })),
    lineIds: [7101, 7102, 7103],
  });
  const withBundle = (over: Record<string, unknown>) => {
    const b = bundle();
    return { ...b, bundle: { ...b.bundle, ...over } };
  };

  it.each([
    ["balanced against the current total", lines([50, 60, -10]), {}, null],
    [
      "the total moved",
      lines([50, 60, -10]),
      { total_amount: 100.5 },
      {
        place: { row: 5, column: "amount" },
        message: "Not sent: Campfire's bundle total is now 100.50 USD; your lines sum to 100.00 USD (0.50 short). Pull again or balance.",
      },
    ],
    [
      "the products changed",
      lines([50, 60, -10]),
      { lines: [...bundle().bundle.lines.slice(0, 2), { ...bundle().bundle.lines[2]!, product: 112 }] },
      {
        place: { row: 5, column: "amount" },
        message:
          "Not sent: Campfire's bundle now has lines for products 103, 104, 112; your lines are for products 103, 104, 111. Pull again.",
      },
    ],
    [
      "the currency became JPY: an amount has decimals",
      lines([60.5, 49.5, -10]),
      { currency: "JPY", total_amount: 100 },
      {
        place: { row: 5, column: "amount" },
        message:
          'Not sent: against Campfire\'s bundle as it is now (JPY): Bundle on usage 2001 ("=SUM(1) Initech") of contract 3, line 1, amount: 60.5 has 1 decimal place; allowed: a whole amount in JPY, with no decimal places. Pull again.',
      },
    ],
  ])("%s", (_, sent, server, refusal) => {
    expect(allocationOps.refuse(sent, withBundle(server), "3:usage:2001", [5, 6, 7], analysis)).toEqual(refusal);
  });
});
