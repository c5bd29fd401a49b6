import { describeRecord, formatIssue, type Issue, type RecordRef } from "../../../src/domain/issues";

describe("describeRecord", () => {
  it.each<[RecordRef, string]>([
    [{ kind: "bundle", contractId: 3, itemType: "usage", itemId: 12 }, "Bundle on usage 12 of contract 3"],
    [
      { kind: "bundle", contractId: 3, itemType: "subscription", itemId: 5, label: "Platform" },
      'Bundle on subscription 5 ("Platform") of contract 3',
    ],
    [{ kind: "bundle", contractId: 9, itemType: "milestone", itemId: 1 }, "Bundle on milestone 1 of contract 9"],
    [{ kind: "commit", contractId: 3, commitId: 7, label: "Q1 credits" }, 'Prepaid commit 7 ("Q1 credits") of contract 3'],
    [{ kind: "commit", contractId: 3, commitId: 7 }, "Prepaid commit 7 of contract 3"],
    [{ kind: "commit", contractId: 3, commitId: null, label: "New pool" }, 'New prepaid commit ("New pool") of contract 3'],
    [{ kind: "commit", contractId: 3, commitId: null }, "New prepaid commit of contract 3"],
  ])("%p → %s", (ref, text) => {
    expect(describeRecord(ref)).toBe(text);
  });
});

describe("formatIssue", () => {
  const bundle: RecordRef = { kind: "bundle", contractId: 3, itemType: "usage", itemId: 12 };
  const commit: RecordRef = { kind: "commit", contractId: 3, commitId: 7, label: "Q1 credits" };
  it.each<[Issue, string]>([
    [
      {
        record: bundle,
        field: "amount",
        line: 1,
        message: '"abc" is text, not a number',
        allowed: "an amount in USD with at most 2 decimal places",
      },
      'Bundle on usage 12 of contract 3, line 2, amount: "abc" is text, not a number; allowed: an amount in USD with at most 2 decimal places.',
    ],
    [
      { record: bundle, field: "amount", line: 0, message: "x.", allowed: "y. " },
      "Bundle on usage 12 of contract 3, line 1, amount: x; allowed: y.",
    ],
    [
      { record: commit, field: "name", message: "the name has 251 characters", allowed: "text of 1 to 250 characters" },
      'Prepaid commit 7 ("Q1 credits") of contract 3, name: the name has 251 characters; allowed: text of 1 to 250 characters.',
    ],
  ])("%#", (issue, text) => {
    expect(formatIssue(issue)).toBe(text);
  });
});
