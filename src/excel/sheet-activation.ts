/**
 * Keeps the task pane's table tabs and Excel's sheet tabs together: the pane activates a sheet, and hears
 * when the user activates one. Also tells the pane which row of a table the user has selected, so the balance
 * picker can default to the line the user is on. The only Excel calls the task pane makes besides the
 * workbook port.
 */

import type { SheetActivationPort, TableSelection } from "../app/ports";

export class ExcelSheetActivation implements SheetActivationPort {
  async activate(sheetName: string): Promise<boolean> {
    return Excel.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName).load("visibility");
      await ctx.sync();
      if (sheet.isNullObject || sheet.visibility !== "Visible") return false;
      sheet.activate();
      await ctx.sync();
      return true;
    });
  }

  async onActivated(listener: (sheetName: string) => void): Promise<() => Promise<void>> {
    const handler = async () => {
      // The event names the sheet by id; the active sheet's name is one read away and works on every host.
      const name = await Excel.run(async (ctx) => {
        const sheet = ctx.workbook.worksheets.getActiveWorksheet().load("name");
        await ctx.sync();
        return sheet.name;
      });
      listener(name);
    };
    const registered = await Excel.run(async (ctx) => {
      const result = ctx.workbook.worksheets.onActivated.add(handler);
      await ctx.sync();
      return result;
    });
    return async () => {
      await Excel.run(registered.context, async (ctx) => {
        registered.remove();
        await ctx.sync();
      });
    };
  }

  async tableSelection(tableName: string): Promise<TableSelection | null> {
    return Excel.run(async (ctx) => {
      const table = ctx.workbook.tables.getItemOrNullObject(tableName);
      await ctx.sync();
      if (table.isNullObject) return null;
      const header = table.getHeaderRowRange().load("rowIndex");
      const body = table.getDataBodyRange().load("rowIndex,rowCount");
      const tableSheet = table.worksheet.load("name");
      const selected = ctx.workbook.getSelectedRange().load("rowIndex");
      const selectedSheet = ctx.workbook.getSelectedRange().worksheet.load("name");
      await ctx.sync();
      const row = selected.rowIndex - body.rowIndex;
      const inside = selectedSheet.name === tableSheet.name && row >= 0 && row < body.rowCount;
      return { headerRow: header.rowIndex + 1, selectedRow: inside ? row : null };
    });
  }
}
