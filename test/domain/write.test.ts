/**
 * The pure parts of the write path: the three-way merge, the payload fingerprint, how a read-back is classified,
 * and which row holds which record. The use-cases over them are tested against the sandbox (test/app/write-path).
 */
import fc from "fast-check";
import type { Bundle, PrepaidCommit } from "../../src/model/records";
import { rowIdentities, rowsByIdentity } from "../../src/domain/sheet/row-keys";
import { fingerprint, FingerprintError } from "../../src/domain/write/fingerprint";
import { bundleHolds, commitHolds, mergeBundle, mergeCommit } from "../../src/domain/write/merge";
import { classifyReadBack } from "../../src/domain/write/outcome";

const REF = { contractId: 1, itemType: "subscription" as const, itemId: 1001 };
const BASE = [
  { id: 1, product: 101, product_name: "Platform", amount: 100 },
  { id: 2, product: 105, product_name: "Support", amount: 100 },
  { id: 3, product: 109, product_name: "SSO", amount: 100 },
];

function bundle(amounts: readonly number[], over: Partial<Bundle> = {}): Bundle {
  return {
    id: 5001,
    source_bundle: null,
    source_bundle_name: null,
    total_amount: 300,
    currency: "USD",
    lines: BASE.map((l, i) => ({
      id: l.id,
      product: l.product,
      product_name: l.product_name,
      product_id_str: `P${l.product}`,
      amount: amounts[i]!,
      percentage: "0",
      original_percentage: null,
    })),
    created_at: "2026-01-01T00:00:00Z",
    last_modified_at: "2026-01-02T00:00:00Z",
    ...over,
  };
}

describe("mergeBundle: only the lines the user edited take the user's value", () => {
  it("a colleague's change to a line the user did not edit is kept; the user's lines go as typed", () => {
    const merge = mergeBundle({ ref: REF, base: BASE, baseCurrency: "USD", now: bundle([90, 110, 100]), edits: new Map([[3, 100]]) });
    expect(merge.blocked).toBeNull();
    expect(merge.send?.lines).toEqual([
      { product: 101, amount: 90 },
      { product: 105, amount: 110 },
      { product: 109, amount: 100 },
    ]);
    expect(merge.inSync).toBe(true);
  });

  it("edits and another user's change that no longer add up together are blocked, naming the sum, the total and the gap", () => {
    // The user moved 10 from line 1 to line 2; a colleague moved 10 from line 3 to line 1.
    const merge = mergeBundle({
      ref: REF,
      base: BASE,
      baseCurrency: "USD",
      now: bundle([110, 100, 90]),
      edits: new Map([
        [1, 90],
        [2, 110],
      ]),
    });
    expect(merge.send).toBeNull();
    expect(merge.blocked).toBe(
      "with Campfire's current lines your amounts make the bundle sum to 290.00, not its total 300.00 USD (10.00 short); balance the bundle on the sheet or pull again",
    );
  });

  it("the three values of every line that changed on either side, with overwrites marked", () => {
    const merge = mergeBundle({
      ref: REF,
      base: BASE,
      baseCurrency: "USD",
      now: bundle([90, 110, 100]),
      edits: new Map([
        [1, 80],
        [3, 120],
      ]),
    });
    expect(merge.fields).toEqual([
      {
        field: "Amount of Platform (line 1)",
        pulled: "100.00",
        now: "90.00",
        send: "80.00",
        edited: true,
        changedInCampfire: true,
        overwrites: true,
      },
      {
        field: "Amount of Support (line 2)",
        pulled: "100.00",
        now: "110.00",
        send: "110.00",
        edited: false,
        changedInCampfire: true,
        overwrites: false,
      },
      {
        field: "Amount of SSO (line 3)",
        pulled: "100.00",
        now: "100.00",
        send: "120.00",
        edited: true,
        changedInCampfire: false,
        overwrites: false,
      },
    ]);
    expect(merge.blocked).toBe(
      "with Campfire's current lines your amounts make the bundle sum to 310.00, not its total 300.00 USD (10.00 over); balance the bundle on the sheet or pull again",
    );
  });

  it("lines Campfire replaced or a currency it changed cannot be merged line by line", () => {
    const other = bundle([100, 100, 100]);
    other.lines[2]!.product = 110;
    expect(mergeBundle({ ref: REF, base: BASE, baseCurrency: "USD", now: other, edits: new Map([[1, 100]]) }).blocked).toBe(
      "Campfire's bundle now has other lines (line 1: product 101, line 2: product 105, line 3: product 110) than when pulled; pull again to see them",
    );
    expect(
      mergeBundle({ ref: REF, base: BASE, baseCurrency: "USD", now: bundle([100, 100, 100], { currency: "EUR" }), edits: new Map() })
        .blocked,
    ).toBe("Campfire's bundle is now in EUR, not USD as pulled; pull again to see them");
  });

  it("bundleHolds compares every line to the cent, by line id", () => {
    const send = {
      ...REF,
      lines: [
        { product: 101, amount: 90 },
        { product: 105, amount: 110 },
        { product: 109, amount: 100 },
      ],
      lineIds: [1, 2, 3],
    };
    expect(bundleHolds(bundle([90, 110, 100]), send)).toBe(true);
    expect(bundleHolds(bundle([90, 110.01, 99.99]), send)).toBe(false);
  });
});

describe("mergeCommit: the PUT carries Campfire's current value for every field the user did not edit", () => {
  const now = {
    contract: 3,
    id: 9001,
    currency: "USD",
    name: "Pool",
    discount_percentage: 25,
    priority: 1,
    tags: "theirs",
  } as unknown as PrepaidCommit;
  const base = { name: "Pool", discount_percentage: 20, priority: 1, tags: "mine" };

  it("edited fields take the user's value; a field changed by someone else is shown and kept", () => {
    const merge = mergeCommit({ base, now, edits: { discount_percentage: 15 } });
    expect(merge.send).toEqual({ contractId: 3, commitId: 9001, edits: { discount_percentage: 15 } });
    expect(merge.fields).toEqual([
      { field: "Discount %", pulled: "20", now: "25", send: "15", edited: true, changedInCampfire: true, overwrites: true },
      { field: "Tags", pulled: "mine", now: "theirs", send: "theirs", edited: false, changedInCampfire: true, overwrites: false },
    ]);
    expect(merge.inSync).toBe(false);
  });

  it("an edit Campfire already holds is in sync: nothing to send", () => {
    expect(mergeCommit({ base, now, edits: { discount_percentage: 25 } }).inSync).toBe(true);
  });

  it("commitHolds compares each field of the body", () => {
    expect(commitHolds(now, { discount_percentage: 25, tags: "theirs" })).toBe(true);
    expect(commitHolds(now, { discount_percentage: 15 })).toBe(false);
  });
});

describe("fingerprint: the payload's canonical JSON", () => {
  it("is the same whatever the key order, and leaves undefined members out", () => {
    expect(fingerprint({ b: 1, a: [{ y: 2, x: undefined, z: "t" }] })).toBe('{"a":[{"y":2,"z":"t"}],"b":1}');
  });

  it("refuses a number JSON cannot carry", () => {
    expect(() => fingerprint({ amount: Number.NaN })).toThrow(FingerprintError);
  });

  it("two payloads have one fingerprint exactly when they are the same JSON (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = JSON.stringify(JSON.parse(fingerprint(a))) === JSON.stringify(JSON.parse(fingerprint(b)));
        expect(fingerprint(a) === fingerprint(b)).toBe(same);
        // Reordering keys never changes it.
        const reordered = JSON.parse(fingerprint(a)) as unknown;
        expect(fingerprint(reordered)).toBe(fingerprint(a));
      }),
    );
  });
});

describe("classifyReadBack: what a write whose answer was lost did", () => {
  it.each([
    [true, true, "applied"],
    [true, false, "applied"],
    [false, true, "not-applied"],
    [false, false, "changed"],
  ] as const)("holds what was sent: %s, unchanged since the read: %s → %s", (holdsSent, unchangedSinceRead, expected) => {
    expect(classifyReadBack({ holdsSent, unchangedSinceRead })).toBe(expected);
  });
});

describe("row identities: which row holds which record, wherever the user moved it", () => {
  it("numbers the copies of an identity and leaves rows with a blank identity cell out", () => {
    const rows = [
      [1, 9001, "a"],
      [1, 9002, "b"],
      [1, 9001, "c"],
      [1, "", "d"],
    ];
    const ids = rowIdentities(rows, [0, 1]);
    expect(ids).toEqual(["[1,9001]#0", "[1,9002]#0", "[1,9001]#1", null]);
    expect([...rowsByIdentity(ids)]).toEqual([
      ["[1,9001]#0", 0],
      ["[1,9002]#0", 1],
      ["[1,9001]#1", 2],
    ]);
  });
});
