/** How the fake shows values (the preview grid) and parses typed input, table-driven. */
import { formatValue, parseTyped, WorkbookModel } from "../../excel-fake/model";

const AMOUNT = "#,##0.00;[Red]-#,##0.00";

test.each([
  [1234.5, AMOUNT, "1,234.50", false],
  [-2000, AMOUNT, "-2,000.00", true],
  [0, AMOUNT, "0.00", false],
  [0.25, "0.00%", "25.00%", false],
  [-5, "0", "-5", false],
  [45296, "yyyy-mm-dd", "2024-01-05", false],
  [45296.5, "yyyy-mm-dd hh:mm", "2024-01-05 12:00", false],
  [45296, "m/d/yyyy", "1/5/2024", false],
  [12.5, "General", "12.5", false],
  [0.1 + 0.2, "General", "0.3", false],
  [true, "General", "TRUE", false],
  ["=text", "@", "=text", false],
  [1234, "$#,##0", "$1,234", false],
])("%j under %j shows %j", (value, format, text, red) => {
  expect(formatValue(value, format)).toEqual({ text, red });
});

test.each([
  ["42", { value: 42 }],
  [" -1,234.5 ", { value: -1234.5 }],
  ["1e3", { value: 1000 }],
  ["12.5%", { value: 0.125, numberFormat: "0.00%" }],
  ["FALSE", { value: false }],
  ["2024-02-29", { value: 45351, numberFormat: "yyyy-mm-dd" }],
  ["2024-02-30", { value: "2024-02-30" }],
  ["2024-01-05 09:30", { value: 45296 + 9.5 / 24, numberFormat: "yyyy-mm-dd hh:mm" }],
  ["3/31/2026", { value: 46112, numberFormat: "m/d/yyyy" }],
  ["12 apples", { value: "12 apples" }],
  ["1,23", { value: "1,23" }],
])("typing %j gives %j", (text, parsed) => {
  expect(parseTyped(text)).toEqual(parsed);
});

test("usedRect looks only inside the given rectangle when there is one", () => {
  const model = new WorkbookModel();
  const sheet = model.addSheet("S");
  model.put(sheet, 0, 0, "a");
  model.put(sheet, 5, 3, 1);
  model.put(sheet, 9, 1, "b");
  expect(model.usedRect(sheet, true)).toEqual({ row: 0, column: 0, rowCount: 10, columnCount: 4 });
  expect(model.usedRect(sheet, true, { row: 4, column: 0, rowCount: 6, columnCount: 4 })).toEqual({
    row: 5,
    column: 1,
    rowCount: 5,
    columnCount: 3,
  });
  expect(model.usedRect(sheet, true, { row: 1, column: 0, rowCount: 3, columnCount: 9 })).toBeNull();
});
