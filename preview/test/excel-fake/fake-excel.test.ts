/**
 * The Excel fake behaves like Excel where the add-in depends on it: proxies and sync, shapes, typed-input
 * parsing, null objects, payload limits and change events.
 */
import { EXCEL_WEB_PAYLOAD_LIMIT_BYTES, FakeValidationError, installExcelFake, type FakeExcel } from "../../excel-fake/fake-excel";

let fake: FakeExcel;

beforeEach(() => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
});

const sheet1 = (ctx: Excel.RequestContext) => ctx.workbook.worksheets.getItem("Sheet1");

describe("proxies", () => {
  test("reading a property before load and sync throws PropertyNotLoaded", async () => {
    await Excel.run(async (ctx) => {
      const range = sheet1(ctx).getRange("A1:B2");
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded", name: "RichApi.Error" }));
      range.load("values");
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await ctx.sync();
      expect(range.values).toEqual([
        ["", ""],
        ["", ""],
      ]);
      expect(() => range.address).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  test("writes wait for sync; a value set on a proxy reads back from it, as in office.js", async () => {
    await Excel.run(async (ctx) => {
      const range = sheet1(ctx).getRange("A1");
      range.values = [[5]];
      expect(range.values).toEqual([[5]]);
      expect(fake.values("Sheet1", "A1")).toEqual([[""]]);
      await ctx.sync();
      expect(fake.values("Sheet1", "A1")).toEqual([[5]]);
    });
  });

  test("a values matrix of the wrong shape rejects the sync with InvalidArgument and writes nothing", async () => {
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1:B2").values = [[1, 2, 3]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1:B2").values = 7 as unknown as unknown[][];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(fake.values("Sheet1", "A1:B2")).toEqual([
      ["", ""],
      ["", ""],
    ]);
  });

  test("a 1x1 number format applies to a whole range; other shapes must match", async () => {
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("A1:A3").numberFormat = [["0.00"]];
      await ctx.sync();
    });
    expect(fake.numberFormats("Sheet1", "A1:A3")).toEqual([["0.00"], ["0.00"], ["0.00"]]);
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1:A3").numberFormat = [["0"], ["0"]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  test("getItemOrNullObject gives a null object; getItem of a missing item fails the sync with ItemNotFound", async () => {
    await Excel.run(async (ctx) => {
      const missing = ctx.workbook.worksheets.getItemOrNullObject("Nope");
      const there = ctx.workbook.worksheets.getItemOrNullObject("sheet1");
      expect(() => missing.isNullObject).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await ctx.sync();
      expect(missing.isNullObject).toBe(true);
      expect(there.isNullObject).toBe(false);
    });
    await expect(
      Excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("Nope");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ItemNotFound" });
  });

  test("Excel.run syncs what is still queued when the batch ends", async () => {
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("B2").values = [["left in the queue"]];
    });
    expect(fake.values("Sheet1", "B2")).toEqual([["left in the queue"]]);
    expect(fake.syncCount).toBe(1);
  });

  test("addresses carry the sheet name, quoted when needed", async () => {
    await Excel.run(async (ctx) => {
      const log = ctx.workbook.worksheets.add("Campfire log");
      const a = log.getRange("B2:C3").load("address");
      const b = sheet1(ctx).getCell(4, 2).load("address,rowIndex,columnIndex");
      await ctx.sync();
      expect(a.address).toBe("'Campfire log'!B2:C3");
      expect([b.address, b.rowIndex, b.columnIndex]).toEqual(["Sheet1!C5", 4, 2]);
    });
  });
});

describe("values as Excel takes them", () => {
  test.each([
    ["=1+2", 3, "=1+2"],
    ["=SUM(A1:A2)", 0, "=SUM(A1:A2)"],
    ["'=1+2", "=1+2", "=1+2"],
    ["12", 12, 12],
    ["1,250.50", 1250.5, 1250.5],
    ["15%", 0.15, 0.15],
    ["2024-01-05", 45296, 45296],
    ["true", true, true],
    ["00123", 123, 123],
    ["=1/0", "#DIV/0!", "=1/0"],
    ["=NOPE(1)", "#NAME?", "=NOPE(1)"],
    ["plain text", "plain text", "plain text"],
  ])("%j in a General cell reads back as %j (formulas %j)", async (input, value, formula) => {
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("C1").values = [[input]];
      await ctx.sync();
    });
    expect(fake.values("Sheet1", "C1")).toEqual([[value]]);
    expect(fake.formulas("Sheet1", "C1")).toEqual([[formula]]);
  });

  test.each([
    ["=1+2", "=1+2"],
    ["00123", "00123"],
    ["2024-01-05", "2024-01-05"],
    ["TRUE", "TRUE"],
    // Conservative model of real Excel: in a cell already Text the apostrophe is part of the value.
    ["'kept", "'kept"],
  ])("%j in a Text (@) cell reads back as %j", async (input, value) => {
    await Excel.run(async (ctx) => {
      const cell = sheet1(ctx).getRange("D1");
      cell.numberFormat = [["@"]];
      cell.values = [[input]];
      await ctx.sync();
    });
    expect(fake.values("Sheet1", "D1")).toEqual([[value]]);
  });

  test("formulas see other cells and other sheets", async () => {
    await Excel.run(async (ctx) => {
      const other = ctx.workbook.worksheets.add("My data");
      other.getRange("A1:A2").values = [[10], [5.5]];
      sheet1(ctx).getRange("A1:A2").values = [["=SUM('My data'!A1:A2)"], ["=ROUND(A1/3,2)"]];
      await ctx.sync();
    });
    expect(fake.values("Sheet1", "A1:A2")).toEqual([[15.5], [5.17]]);
  });

  test("a table turns its header cells into unique text", async () => {
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("A1:C1").values = [["Amount", 2024, "Amount"]];
      ctx.workbook.tables.add("Sheet1!A1:C3", true).name = "Things";
      await ctx.sync();
    });
    expect(fake.table("Things")).toEqual({ sheet: "Sheet1", address: "A1:C3", headers: ["Amount", "2024", "Amount2"] });
    await expect(
      Excel.run(async (ctx) => {
        ctx.workbook.tables.add("Sheet1!B2:D4", true);
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidOperation" });
  });
});

describe("limits", () => {
  test("a request over 5 MB is refused with RequestPayloadSizeLimitExceeded", async () => {
    const big = Array.from({ length: 60_000 }, () => ["x".repeat(100)]);
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1:A60000").values = big;
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
    expect(fake.syncs[0]?.requestBytes).toBeGreaterThan(EXCEL_WEB_PAYLOAD_LIMIT_BYTES);
    expect(fake.values("Sheet1", "A1")).toEqual([[""]]);
  });

  test("a response over 5 MB is refused too", async () => {
    await Excel.run(async (ctx) => {
      for (let i = 0; i < 3; i++) {
        sheet1(ctx).getRange(`A${i * 20000 + 1}:A${(i + 1) * 20000}`).values = Array.from({ length: 20000 }, () => ["y".repeat(100)]);
        await ctx.sync();
      }
    });
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1:A60000").load("values");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
  });

  test("a workbook keeps one visible sheet", async () => {
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).visibility = "VeryHidden";
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidOperation" });
  });
});

describe("events", () => {
  test("onChanged hears a person's edit and the add-in's own writes, told apart by triggerSource", async () => {
    const heard: { address: string; triggerSource: string; changeType: string }[] = [];
    const registration = await Excel.run(async (ctx) => {
      const result = sheet1(ctx).onChanged.add(async (e) => {
        heard.push({ address: e.address, triggerSource: e.triggerSource, changeType: e.changeType });
      });
      await ctx.sync();
      return result;
    });
    await fake.edit("Sheet1", "B3", "42");
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("C1:D2").values = [
        [1, 2],
        [3, 4],
      ];
      await ctx.sync();
    });
    await fake.settled();
    expect(heard).toEqual([
      { address: "B3", triggerSource: "Unknown", changeType: "RangeEdited" },
      { address: "C1:D2", triggerSource: "ThisLocalAddin", changeType: "RangeEdited" },
    ]);
    await Excel.run(registration.context, async (ctx) => {
      registration.remove();
      await ctx.sync();
    });
    await fake.edit("Sheet1", "B4", "1");
    expect(heard).toHaveLength(2);
    expect(fake.values("Sheet1", "B3")).toEqual([[42]]);
  });

  test("typing a value outside a cell's dropdown list is refused", async () => {
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("A1:A3").dataValidation.rule = { list: { inCellDropDown: true, source: "monthly,annual" } };
      await ctx.sync();
    });
    await expect(fake.edit("Sheet1", "A2", "weekly")).rejects.toBeInstanceOf(FakeValidationError);
    await fake.edit("Sheet1", "A2", "Annual");
    expect(fake.values("Sheet1", "A2")).toEqual([["Annual"]]);
  });
});

describe("conditional formats", () => {
  test("a custom rule colours its cells over the cell's own fill; clearAll on part of it keeps the rest", async () => {
    fake.userFill("Sheet1", "B2", "#00B0F0");
    await Excel.run(async (ctx) => {
      const cf = sheet1(ctx).getRanges("B2:B4,D2").conditionalFormats.add("Custom");
      cf.custom.rule.formula = '=ISTEXT("x")';
      cf.custom.format.fill.color = "#FFC7CE";
      await ctx.sync();
    });
    expect(fake.gridCell("Sheet1", 1, 1).fill).toBe("#FFC7CE");
    expect(fake.gridCell("Sheet1", 1, 3).fill).toBe("#FFC7CE");
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("B2").conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(fake.conditionalFormats("Sheet1").map((cf) => cf.address)).toEqual(["B3:B4,D2"]);
    expect(fake.gridCell("Sheet1", 1, 1).fill).toBe("#00B0F0");
  });
});

describe("where Excel is strict", () => {
  test("a batch is not a transaction: commands before the failing one stay done, the ones after never run", async () => {
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1").values = [["before"]];
        ctx.workbook.tables.getItem("NoSuchTable").resize("Sheet1!A1:B3");
        sheet1(ctx).getRange("A2").values = [["after"]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ItemNotFound" });
    expect(fake.values("Sheet1", "A1:A2")).toEqual([["before"], [""]]);
  });

  test("an address without a sheet name means the active sheet, for tables.add and resize; a Range says where", async () => {
    await Excel.run(async (ctx) => {
      const data = ctx.workbook.worksheets.add("Data");
      data.tables.add("A1:B3", true).name = "Loose"; // Sheet1 is active: the table lands there
      data.tables.add(data.getRange("D1:E3"), true).name = "Placed";
      ctx.workbook.tables.add("Data!G1:H3", true).name = "Qualified";
      await ctx.sync();
    });
    expect([fake.table("Loose")?.sheet, fake.table("Placed")?.sheet, fake.table("Qualified")?.sheet]).toEqual(["Sheet1", "Data", "Data"]);
    await expect(
      Excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("Placed").resize("D1:E5");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument", message: "A table can't move to another sheet." });
    await Excel.run(async (ctx) => {
      ctx.workbook.tables.getItem("Placed").resize(ctx.workbook.worksheets.getItem("Data").getRange("D1:E5"));
      ctx.workbook.tables.getItem("Qualified").resize("Data!G1:H4");
      await ctx.sync();
    });
    expect([fake.table("Placed")?.address, fake.table("Qualified")?.address]).toEqual(["D1:E5", "G1:H4"]);
  });

  test("a list rule over cells whose validation differs is refused until the range is cleared (office-js#2594)", async () => {
    const rule = { list: { inCellDropDown: true, source: "monthly,annual" } };
    await Excel.run(async (ctx) => {
      sheet1(ctx).getRange("A2").dataValidation.rule = { list: { inCellDropDown: true, source: "x,y" } };
      sheet1(ctx).getRange("B1:B3").dataValidation.rule = rule;
      await ctx.sync();
      sheet1(ctx).getRange("B1:B3").dataValidation.rule = rule; // the same rule throughout is fine
      await ctx.sync();
    });
    await expect(
      Excel.run(async (ctx) => {
        sheet1(ctx).getRange("A1:A3").dataValidation.rule = rule;
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    await Excel.run(async (ctx) => {
      const range = sheet1(ctx).getRange("A1:A3");
      range.dataValidation.clear();
      range.dataValidation.rule = rule;
      await ctx.sync();
    });
    expect(["A1", "A2", "A3"].map((a) => fake.validation("Sheet1", a))).toEqual([
      ["monthly", "annual"],
      ["monthly", "annual"],
      ["monthly", "annual"],
    ]);
  });

  test("a range's used range is the part holding values, or a null object", async () => {
    await fake.edit("Sheet1", "C4", "x");
    await fake.edit("Sheet1", "E6", "1");
    fake.userFill("Sheet1", "B2", "#00B0F0");
    const [some, formatted, none] = await Excel.run(async (ctx) => {
      const a = sheet1(ctx).getRange("B2:F9").getUsedRangeOrNullObject(true).load("address");
      const b = sheet1(ctx).getRange("B2:F9").getUsedRangeOrNullObject(false).load("address");
      const c = sheet1(ctx).getRange("A7:F9").getUsedRangeOrNullObject(true);
      await ctx.sync();
      return [a.address, b.address, c.isNullObject];
    });
    expect([some, formatted, none]).toEqual(["Sheet1!C4:E6", "Sheet1!B2:E6", true]);
  });
});
