/** The adapter's words for the user, exactly: what blocks a pull, damaged kept data, a cell to select that is gone. */
import {
  cellGoneMessage,
  snapshotDirectoryMessage,
  snapshotPieceMessage,
  tableBlockedMessage,
  type Blocked,
} from "../../src/excel/excel-messages";

const below = { row: 3, column: 0, rowCount: 3, columnCount: 8 };
const right = { row: 0, column: 8, rowCount: 4, columnCount: 2 };

test.each<[string, Blocked, string]>([
  [
    "one cell below",
    { sheetName: "Allocations", below, right: null, cells: ["C5"], tables: [] },
    "Campfire needs rows 4–6 below the Allocations table, but C5 holds your data; move it or clear it, then pull again.",
  ],
  [
    "a range and a table, below and to the right",
    { sheetName: "Allocations", below: { ...below, rowCount: 1 }, right, cells: ["A4:B4"], tables: [{ name: "Other", address: "J1:K2" }] },
    "Campfire needs row 4 below and columns I–J to the right of the Allocations table, but A4:B4 hold your data, and the table Other is at J1:K2; move it or clear it, then pull again.",
  ],
  [
    "two cells to the right",
    { sheetName: "Prepaid commits", below: null, right: { ...right, columnCount: 1 }, cells: ["I1", "I3"], tables: [] },
    "Campfire needs column I to the right of the Prepaid commits table, but I1 and I3 hold your data; move it or clear it, then pull again.",
  ],
])("a pull blocked by %s", (_what, blocked, message) => {
  expect(tableBlockedMessage(blocked)).toBe(message);
});

test("kept data damaged, and a cell gone", () => {
  expect(snapshotDirectoryMessage("CampfireData", "not JSON")).toBe(
    "The add-in's data kept in this workbook (the hidden sheet CampfireData) is damaged (not JSON), so what was pulled cannot be read " +
      "and nothing can be compared or pushed. Pull each Campfire table again, choosing to discard edits, to rebuild it (the data of every table is rebuilt from its own pull).",
  );
  expect(snapshotPieceMessage("allocations", 2, 3)).toBe(
    'The saved pull "allocations" is damaged (piece 2 of 3 was changed); pull the table again.',
  );
  expect(cellGoneMessage("CampfireAllocations", { column: "amount" })).toBe(
    'the table CampfireAllocations has no column "amount" any more',
  );
  expect(cellGoneMessage("CampfireAllocations", { row: 4 })).toBe("the table CampfireAllocations has no row 5 any more");
});
