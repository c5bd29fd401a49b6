/** How the pane words problems: one short line each, grouped by record, each said once. */
import type { BundleStatus, LocatedIssue } from "../../src/app/workbench-interface";
import { cellOf, groupProblems, issueDetail, shortIssue } from "../../src/taskpane/views/problems";

const BUNDLE_REF = { kind: "bundle", contractId: 1, itemType: "subscription", itemId: 1001, label: "Acme Corp" } as const;
const COMMIT_REF = { kind: "commit", contractId: 3, commitId: 9001, label: "Initech" } as const;

const sumIssue: LocatedIssue = {
  record: BUNDLE_REF,
  field: "Amount",
  message: "The lines sum to 67,666.67 USD, 32,333.33 short of the bundle total 100,000.00 USD.",
  allowed: "line amounts that add up to exactly the bundle total, 100,000.00 USD",
  key: "1:subscription:1001",
  row: 0,
  column: "amount",
  address: "Allocations!I2",
};
const lineIssue: LocatedIssue = {
  record: BUNDLE_REF,
  field: "Amount",
  line: 1,
  message: '"abc" is text, not a number',
  allowed: "an amount in USD with at most 2 decimal places.",
  key: "1:subscription:1001",
  row: 1,
  column: "amount",
  address: "Allocations!I3",
};
const commitIssue: LocatedIssue = {
  record: COMMIT_REF,
  field: "Discount %",
  message: "120 is too large",
  allowed: "a number from 0 to 100",
  key: "3:9001",
  row: 0,
  column: "discount_percentage",
  address: "'Prepaid commits'!I3",
};
const unbalanced: BundleStatus = {
  key: "1:subscription:1001",
  label: "Acme Corp — subscription 1001",
  currency: "USD",
  sum: "67666.67",
  total: "100000.00",
  difference: "-32333.33",
  balanced: false,
  rows: [0, 1, 2],
};

describe("one line per problem", () => {
  test.each([
    ["Allocations!I2", "I2"],
    ["'Prepaid commits'!D7", "D7"],
    ["'It''s!here'!AB12", "AB12"],
    ["C4", "C4"],
  ])("the cell of %s is %s", (address, cell) => {
    expect(cellOf(address)).toBe(cell);
  });

  test("a bundle off its total says by how much and of what", () => {
    expect(shortIssue(sumIssue, [unbalanced])).toBe("I2 · 32,333.33 USD short of 100,000.00");
    expect(shortIssue(sumIssue, [{ ...unbalanced, difference: "0.01", sum: "100000.01" }])).toBe("I2 · 0.01 USD over of 100,000.00");
  });

  test("without its bundle's status, or for a line, the rule's own words", () => {
    expect(shortIssue(sumIssue)).toBe("I2 · The lines sum to 67,666.67 USD, 32,333.33 short of the bundle total 100,000.00 USD");
    expect(shortIssue(lineIssue, [unbalanced])).toBe('I3 · "abc" is text, not a number');
    expect(shortIssue(commitIssue)).toBe("I3 · 120 is too large");
  });

  test("the details name the field, the line, and what is allowed", () => {
    expect(issueDetail(commitIssue)).toBe("Discount %: 120 is too large. Allowed: a number from 0 to 100.");
    expect(issueDetail(lineIssue)).toBe(
      'Line 2, Amount: "abc" is text, not a number. Allowed: an amount in USD with at most 2 decimal places.',
    );
  });
});

describe("groups", () => {
  test("by record, in order of first appearance, the unbalanced bundle with its record, each message once", () => {
    const groups = groupProblems(
      [sumIssue, commitIssue, lineIssue, { ...sumIssue }],
      [unbalanced, { ...unbalanced, key: "other", balanced: true }],
    );
    expect(groups.map((g) => [g.key, g.label, g.issues.map((i) => i.address), g.bundle?.key])).toEqual([
      [
        "1:subscription:1001",
        'Bundle on subscription 1001 ("Acme Corp") of contract 1',
        ["Allocations!I2", "Allocations!I3"],
        "1:subscription:1001",
      ],
      ["3:9001", 'Prepaid commit 9001 ("Initech") of contract 3', ["'Prepaid commits'!I3"], undefined],
    ]);
  });

  test("an unbalanced bundle with no problem listed still gets its group (and its Balance button)", () => {
    expect(groupProblems([], [unbalanced])).toEqual([{ key: unbalanced.key, label: unbalanced.label, issues: [], bundle: unbalanced }]);
  });

  test("no problems, no groups", () => {
    expect(groupProblems([], [{ ...unbalanced, balanced: true, difference: "0" }])).toEqual([]);
  });
});
