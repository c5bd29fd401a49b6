import {
  MESSAGE_CELL_MAX,
  asRead,
  dateCell,
  dateTimeCell,
  decimalCell,
  messageCell,
  sameCell,
  showCell,
  textCell,
} from "../../../src/domain/sheet/cell-writers";
import { CellTextTooLongError } from "../../../src/domain/cell-readers";

describe("cells as written and as Excel reports them", () => {
  // No apostrophe prefix: the adapter writes every string into a Text ("@") cell, which keeps it as it is.
  it.each<[string | null | undefined, string]>([
    [null, ""],
    [undefined, ""],
    ["", ""],
    ["Q1 credits", "Q1 credits"],
    ["=SUM(A1:A9)", "=SUM(A1:A9)"],
    ["+1", "+1"],
    ["-1", "-1"],
    ["@x", "@x"],
    ["00123", "00123"],
    ["2024-01-05", "2024-01-05"],
    ["TRUE", "TRUE"],
    ["'quoted", "'quoted"],
  ])("textCell(%p) → %p", (text, cell) => {
    expect(textCell(text)).toBe(cell);
  });

  it("refuses text longer than a cell holds instead of cutting it", () => {
    expect(textCell("x".repeat(32767))).toBe("x".repeat(32767));
    expect(() => textCell("x".repeat(32768))).toThrow(CellTextTooLongError);
    expect(() => textCell("x".repeat(32768))).toThrow("the text has 32768 characters; an Excel cell holds at most 32767");
  });

  it.each([
    // Text lands in a Text cell exactly as written, a leading apostrophe included.
    ["'=SUM(1)", "'=SUM(1)"],
    ["=SUM(1)", "=SUM(1)"],
    ["plain", "plain"],
    [0.1 + 0.2, 0.3],
    [33333.34, 33333.34],
    [true, true],
    ["", ""],
  ])("asRead(%p) → %p", (written, read) => {
    expect(asRead(written)).toBe(read);
  });

  it.each([
    // Parsed from text: the literal has more digits than a double keeps, which is the point.
    [Number("46055.586935763889"), 46055.5869357639, true],
    [1, 1.000000000000001, true],
    [1, 1.00000000000001, false],
    ["1", 1, false],
    ["a", "a", true],
    ["", false, false],
  ])("sameCell(%p, %p) is %p", (a, b, same) => {
    expect(sameCell(a, b)).toBe(same);
  });

  it.each([
    ["", "(empty)"],
    [1e21, "1000000000000000000000"],
    [false, "FALSE"],
    ["x", '"x"'],
  ])("showCell(%p) → %s", (cell, shown) => {
    expect(showCell(cell)).toBe(shown);
  });

  it("dates Excel cannot show stay readable as text", () => {
    expect(dateCell("1899-12-31")).toBe("1899-12-31");
    expect(dateCell("2026-03-01")).toBe(46082);
    expect(dateCell(null)).toBe("");
    expect(dateTimeCell("2026-03-01T18:00:00Z", () => -360)).toBe(46082.5);
    expect(dateTimeCell("not a time")).toBe("not a time");
  });

  it("decimal strings from the API become numbers", () => {
    expect(decimalCell("33.33")).toBe(33.33);
    expect(decimalCell(null)).toBe("");
    expect(decimalCell("n/a")).toBe("n/a");
  });

  it("a very long message is cut to fit, never refused", () => {
    const cell = messageCell("x".repeat(40000));
    expect(typeof cell === "string" && [...cell].length).toBe(MESSAGE_CELL_MAX);
    expect(String(cell).endsWith("…")).toBe(true);
    expect(messageCell("line 1 is off")).toBe("line 1 is off");
  });
});
