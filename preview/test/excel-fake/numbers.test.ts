/**
 * The Excel fake stores numbers as Excel does, written from Microsoft's documentation:
 * - Microsoft KB 269370, "Last digits are changed to zeros when you type long numbers in cells of Excel": Excel
 *   stores only 15 significant digits and changes digits typed after the fifteenth place to zeros
 *   (1111222233334444 is stored as 1111222233334440); a cell formatted as Text keeps every character.
 * - Microsoft Support, "Format numbers as percentages": typing 10% makes the cell 0.1 with a percentage format;
 *   typing into a cell already formatted as a percentage, numbers of 1 and more are taken as percents and numbers
 *   smaller than 1 as the fraction (typing 10 or 0.1 both give 10%).
 * - A number written through `range.values` is held to the same 15 significant digits, rounded (Excel shows and
 *   keeps 0.1 + 0.2 as 0.3, and 99,999,999,999,999.98 as 1E+14, the values issue 8 saw come back from Excel).
 */
import { installExcelFake, type FakeExcel } from "../../excel-fake/fake-excel";

let fake: FakeExcel;

beforeEach(() => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
});

async function write(address: string, value: unknown, numberFormat?: string): Promise<void> {
  await Excel.run(async (ctx) => {
    const range = ctx.workbook.worksheets.getItem("Sheet1").getRange(address);
    if (numberFormat !== undefined) range.numberFormat = [[numberFormat]];
    range.values = [[value as string]];
    await ctx.sync();
  });
}

describe("typed digits after the fifteenth become zeros (KB 269370)", () => {
  test.each([
    ["1111222233334444", 1111222233334440],
    ["25127680876675435", 25127680876675400],
    ["123456789123456789", 123456789123456000],
    ["1.0869565217391304", 1.08695652173913],
    ["0.30000000000000004", 0.3],
    ["-99999999999999.98", -99999999999999.9],
    ["123456789012345", 123456789012345],
    ["0.000123456789012345678", 0.000123456789012345],
  ])("typing %s stores %p", async (typed, stored) => {
    await fake.edit("Sheet1", "A1", typed);
    expect(fake.values("Sheet1", "A1")).toEqual([[stored]]);
  });

  test("in a cell formatted as Text every character stays, as text", async () => {
    await write("A1", "", "@");
    await fake.edit("Sheet1", "A1", "1111222233334444");
    expect(fake.values("Sheet1", "A1")).toEqual([["1111222233334444"]]);
  });
});

describe("numbers written through range.values keep 15 significant digits", () => {
  test.each([
    [0.1 + 0.2, 0.3],
    [1 / 0.92, 1.08695652173913],
    [100 / 3, 33.3333333333333],
    [99999999999999.98, 1e14],
    [1234567890123.456, 1234567890123.46],
    // eslint-disable-next-line no-loss-of-precision -- the point: more digits than a cell holds
    [9007199254740993, 9007199254740990],
    [33333.33, 33333.33],
    [-0.005, -0.005],
  ])("%p is stored as %p", async (written, stored) => {
    await write("A1", written);
    expect(fake.values("Sheet1", "A1")).toEqual([[stored]]);
  });

  test("a formula's result is not rounded: Excel calculates in doubles (=0.1+0.2 gives 0.30000000000000004)", async () => {
    await write("A1", "=0.1+0.2");
    expect(fake.values("Sheet1", "A1")).toEqual([[0.1 + 0.2]]);
  });
});

describe("percent entry (Format numbers as percentages)", () => {
  test.each([
    ["20%", 0.2, "0%"],
    ["12.5%", 0.125, "0.00%"],
    ["33.33%", 0.3333, "0.00%"],
    ["-7%", -0.07, "0%"],
    ["1,000%", 10, "0%"],
  ])("typing %s into a General cell stores %p with the format %s", async (typed, stored, format) => {
    await fake.edit("Sheet1", "A1", typed);
    expect(fake.values("Sheet1", "A1")).toEqual([[stored]]);
    expect(fake.numberFormats("Sheet1", "A1")).toEqual([[format]]);
  });

  test("typing into a cell formatted as a percent: 10 and 0.1 both mean 10%", async () => {
    await write("A1", "", "0%");
    await write("A2", "", "0%");
    await fake.edit("Sheet1", "A1", "10");
    await fake.edit("Sheet1", "A2", "0.1");
    expect(fake.values("Sheet1", "A1:A2")).toEqual([[0.1], [0.1]]);
    expect(fake.gridCell("Sheet1", 0, 0).text).toBe("10%");
  });

  test("a cell with a number format of its own keeps it; the value is still the fraction", async () => {
    await write("A1", "", "0.00");
    await fake.edit("Sheet1", "A1", "20%");
    expect([fake.values("Sheet1", "A1"), fake.numberFormats("Sheet1", "A1")]).toEqual([[[0.2]], [["0.00"]]]);
  });

  test("a number written through range.values into a percent cell is not divided: 20 shows as 2000%", async () => {
    await write("A1", 20, "0%");
    expect(fake.values("Sheet1", "A1")).toEqual([[20]]);
    expect(fake.gridCell("Sheet1", 0, 0).text).toBe("2000%");
  });

  test("in a Text cell 20% stays text", async () => {
    await write("A1", "", "@");
    await fake.edit("Sheet1", "A1", "20%");
    expect(fake.values("Sheet1", "A1")).toEqual([["20%"]]);
  });
});
