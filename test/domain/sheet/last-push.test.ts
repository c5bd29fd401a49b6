/** The last push kept with the workbook: read back exactly, refused when damaged, empty when absent or cleared. */
import { LastPushError, emptyLastPush, lastPushKey, parseLastPush } from "../../../src/domain/sheet/last-push";

const commitEntry = {
  key: "3:9001",
  label: "Prepaid commit 9001 of contract 3",
  lastModifiedAt: "2026-03-01T10:00:00Z",
  fields: ["rate", "expiration_date"],
  ref: { contract: 3, id: 9001 },
  currency: "USD",
  old: { rate: 0.3, expiration_date: "2030-12-31" },
  new: { rate: 0.35, expiration_date: null },
};

describe("last push", () => {
  it("is kept under its own key per table", () => {
    expect([lastPushKey("allocations"), lastPushKey("commits")]).toEqual(["campfire.last-push.allocations", "campfire.last-push.commits"]);
  });

  it.each([null, ""])("%j reads as no push", (json) => {
    expect(parseLastPush("commits", json)).toEqual({ version: 1, kind: "commits", failed: [], overwrite: [], pushed: [], marks: [] });
  });

  it("round-trips what undo and push again need", () => {
    const kept = {
      ...emptyLastPush("commits"),
      failed: ["3:9002"],
      overwrite: [{ key: "3:9002", serverAt: "2026-02-03T09:00:00.000000Z" }],
      pushed: [commitEntry],
    };
    expect(parseLastPush("commits", JSON.stringify(kept))).toEqual(kept);
  });

  const start = "The record of the last prepaid commits push kept with this workbook cannot be read (";
  const end = "); undo and push again are not available for that push — check the values in Campfire";
  it.each([
    ["not JSON", "{", "it is not JSON"],
    ["another table's", JSON.stringify(emptyLastPush("allocations")), 'kind: Invalid input: expected "commits"'],
    [
      "a field that is not writable",
      JSON.stringify({ ...emptyLastPush("commits"), pushed: [{ ...commitEntry, fields: ["remaining_value"] }] }),
      "pushed.0.fields.0: Invalid option: expected one of",
    ],
    [
      "an old value of the wrong kind",
      JSON.stringify({ ...emptyLastPush("commits"), pushed: [{ ...commitEntry, old: { rate: [1] } }] }),
      "pushed.0.old.rate: Invalid input",
    ],
  ])("%s is refused with where it is damaged", (_, json, detail) => {
    let caught: unknown;
    try {
      parseLastPush("commits", json);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LastPushError);
    const message = (caught as Error).message;
    expect(message.startsWith(start + detail)).toBe(true);
    expect(message.endsWith(end)).toBe(true);
  });
});
