/**
 * Writing cells (their reading is ../cell-readers.ts): values as they go into cells and as Excel gives them back; comparisons are made against what Excel will
 * report. Text goes in exactly as Campfire has it: the workbook adapter puts every string it writes into a
 * cell formatted as Text ("@"), which keeps it from being re-typed as a formula, number, date or boolean.
 * No apostrophe prefix is added — in a cell already formatted as Text, Excel may keep it as part of the value.
 */
import { CELL_TEXT_MAX, CellTextTooLongError, isoDateTimeToSerial, isoDateToSerial } from "../cell-readers";
import { toPlainDecimal } from "../money";
import type { SheetCell } from "./layout";

/** Excel keeps 15 significant digits of a number. */
const EXCEL_DIGITS = 15;

/** Campfire text for a cell: null is empty; text longer than a cell holds is refused rather than cut. */
export function textCell(value: string | null | undefined): SheetCell {
  if (value === null || value === undefined) return "";
  if (value.length > CELL_TEXT_MAX) throw new CellTextTooLongError(value.length);
  return value;
}

/** Longest message the add-in writes into a cell it owns (Excel's own limit is 32,767). */
export const MESSAGE_CELL_MAX = 2000;

/** A message for an owned cell (Check, Status, log): cut short rather than refused when very long. */
export function messageCell(text: string): SheetCell {
  const chars = [...text];
  return textCell(chars.length > MESSAGE_CELL_MAX ? chars.slice(0, MESSAGE_CELL_MAX - 1).join("") + "…" : text);
}

export function numberCell(value: number | null | undefined): SheetCell {
  return value === null || value === undefined ? "" : value;
}

/** The API sends some decimals as strings ("33.33"); the cell holds the number. */
export function decimalCell(value: string | number | null | undefined): SheetCell {
  if (value === null || value === undefined || value === "") return "";
  const n = Number(value);
  return Number.isFinite(n) ? n : textCell(String(value));
}

export function dateCell(iso: string | null | undefined): SheetCell {
  if (!iso) return "";
  try {
    return isoDateToSerial(iso);
  } catch {
    // A date Excel cannot show (before 1900) stays readable as text rather than disappearing.
    return textCell(iso);
  }
}

/** Offset from UTC in minutes at that instant, for showing server times as the user's wall clock. */
export type UtcOffset = (iso: string) => number;

export const localOffset: UtcOffset = (iso) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : -new Date(t).getTimezoneOffset();
};

/**
 * Serials already computed, by offset function and ISO text: a check compares every line's Last modified, and
 * the lines of a bundle share one. Bounded, so a long session does not keep every time it ever saw.
 */
const SERIALS = new WeakMap<UtcOffset, Map<string, SheetCell>>();
const SERIALS_KEPT = 10_000;

export function dateTimeCell(iso: string | null | undefined, offset: UtcOffset = localOffset): SheetCell {
  if (!iso) return "";
  let known = SERIALS.get(offset);
  if (!known) SERIALS.set(offset, (known = new Map()));
  const hit = known.get(iso);
  if (hit !== undefined) return hit;
  let cell: SheetCell;
  try {
    cell = isoDateTimeToSerial(iso, offset(iso));
  } catch {
    cell = textCell(iso);
  }
  if (known.size >= SERIALS_KEPT) known.clear();
  known.set(iso, cell);
  return cell;
}

export function booleanCell(value: boolean | null | undefined): SheetCell {
  return value === null || value === undefined ? "" : value;
}

/** What Excel reports for a value this add-in wrote: text as written (it lands in a Text cell), numbers to 15 digits. */
export function asRead(written: SheetCell): SheetCell {
  if (typeof written === "number") return excelDigits(written);
  return written;
}

/** A number as Excel holds it (15 significant digits); a whole number under 10^15 is that already. */
function excelDigits(n: number): number {
  if (fitsInCell(n)) return n === 0 ? 0 : n;
  return Number(n.toPrecision(EXCEL_DIGITS));
}

/**
 * Whether a number certainly has at most 15 significant digits, without formatting it: a whole number under
 * 10^15, or one under 10^13 that is the double nearest to a decimal with at most 2 places (amounts, percentages).
 * False says nothing: the caller then asks toPrecision.
 */
export function fitsInCell(n: number): boolean {
  const size = Math.abs(n);
  if (size < 1e15 && Number.isInteger(n)) return true;
  return size < 1e13 && Math.round(n * 100) / 100 === n;
}

/** Same cell content as Excel holds it: numbers to 15 significant digits, text exactly. */
export function sameCell(a: SheetCell, b: SheetCell): boolean {
  // Equal values are the same cell whatever the rounding (the common case: a cell left as it was pulled).
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return excelDigits(a) === excelDigits(b);
  return false;
}

export function isBlankCell(cell: SheetCell | undefined): boolean {
  return cell === undefined || (typeof cell === "string" && cell.trim() === "");
}

/** A cell's content in a message: numbers in plain decimals, text quoted, "(empty)". */
export function showCell(cell: SheetCell | undefined): string {
  if (cell === undefined || cell === "") return "(empty)";
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (typeof cell === "number") return Number.isFinite(cell) ? toPlainDecimal(cell) : String(cell);
  return JSON.stringify(cell.length > 60 ? cell.slice(0, 60) + "…" : cell);
}
