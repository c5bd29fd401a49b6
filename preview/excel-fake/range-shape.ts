/**
 * Where a range points, and the shape rules Excel applies to it: a rectangle must lie on the sheet; what is written
 * to `values`, `formulas` or `numberFormat` must match the range's rows and columns; a format read over cells that
 * differ is null.
 */
import { MAX_COLUMNS, MAX_ROWS, parseAddress, type Rect } from "../../src/domain/a1";
import { FakeRichApiError, type CellModel, type SheetModel, type WorkbookModel } from "./model";
import { notFound } from "./proxy";
import type { RangeProxy } from "./range";

export interface RangeTarget {
  sheet: SheetModel;
  rect: Rect;
}

export function checkedRect(rect: Rect): Rect {
  const ok =
    Number.isInteger(rect.row) &&
    Number.isInteger(rect.column) &&
    Number.isInteger(rect.rowCount) &&
    Number.isInteger(rect.columnCount) &&
    rect.row >= 0 &&
    rect.column >= 0 &&
    rect.rowCount >= 1 &&
    rect.columnCount >= 1 &&
    rect.row + rect.rowCount <= MAX_ROWS &&
    rect.column + rect.columnCount <= MAX_COLUMNS;
  if (!ok) throw new FakeRichApiError("InvalidArgument", "The range is outside the sheet or has no cells.");
  return rect;
}

/**
 * Expands a `values`/`formulas`/`numberFormat` input to one entry per cell, checking the shape as Excel does.
 * A 1x1 number format applies to every cell (Microsoft's own tutorial formats a table column that way);
 * values and formulas must match the range exactly.
 */
export function perCell(input: unknown, rect: Rect, prop: string): (r: number, c: number) => unknown {
  const broadcast =
    prop === "numberFormat" && Array.isArray(input) && input.length === 1 && Array.isArray(input[0]) && input[0].length === 1;
  if (broadcast) return () => (input as unknown[][])[0]?.[0];
  const shapeOk =
    Array.isArray(input) && input.length === rect.rowCount && input.every((row) => Array.isArray(row) && row.length === rect.columnCount);
  if (!shapeOk) {
    const rows = Array.isArray(input) ? input.length : 0;
    const cols = Array.isArray(input) && Array.isArray(input[0]) ? (input[0] as unknown[]).length : 0;
    throw new FakeRichApiError(
      "InvalidArgument",
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range ` +
        `(${prop}: ${rows}x${cols} given for ${rect.rowCount}x${rect.columnCount}).`,
    );
  }
  return (r, c) => ((input as unknown[][])[r] as unknown[])[c];
}

export function uniform<T>(rect: Rect, read: (r: number, c: number) => T): T | null {
  let first: T | undefined;
  for (let r = 0; r < rect.rowCount; r++) {
    for (let c = 0; c < rect.columnCount; c++) {
      const v = read(rect.row + r, rect.column + c);
      if (first === undefined) first = v;
      else if (v !== first) return null;
    }
  }
  return first ?? null;
}

export function matrix<T>(rect: Rect, read: (r: number, c: number) => T): T[][] {
  if (rect.rowCount * rect.columnCount > 5_000_000) throw new FakeRichApiError("InvalidArgument", "The range is too large to read.");
  const out: T[][] = [];
  for (let r = 0; r < rect.rowCount; r++) {
    const row: T[] = [];
    for (let c = 0; c < rect.columnCount; c++) row.push(read(rect.row + r, rect.column + c));
    out.push(row);
  }
  return out;
}

/** Applies `fn` to every existing-or-new cell of a rectangle (rectangles here are table-sized, not sheet-sized). */
export function eachCell(model: WorkbookModel, t: RangeTarget, fn: (cell: CellModel) => void): void {
  if (t.rect.rowCount * t.rect.columnCount > 5_000_000) throw new FakeRichApiError("InvalidArgument", "The range is too large.");
  for (let r = 0; r < t.rect.rowCount; r++) {
    for (let c = 0; c < t.rect.columnCount; c++) fn(model.cellForWrite(t.sheet, t.rect.row + r, t.rect.column + c));
  }
}

/** Where a Range-or-address argument points; an address without a sheet name means the active sheet. */
export function rangeArgument(model: WorkbookModel, arg: string | RangeProxy): RangeTarget {
  if (typeof arg !== "string") return (arg as unknown as { target(): RangeTarget }).target();
  const parsed = parseAddress(arg);
  const sheet = parsed.sheet === null ? model.activeSheet : model.sheetByName(parsed.sheet);
  if (!sheet) throw notFound(`worksheet of "${arg}"`);
  return { sheet, rect: parsed.rect };
}
