/**
 * A1 addresses ⇄ 0-based rectangles, column letters and Excel's quoting of sheet names. Pure: the one copy used by
 * the domain (cell addresses in messages), the Excel adapter and the Excel fake.
 */

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/** 0-based position and size of a block of cells. */
export interface Rect {
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

export class AddressError extends Error {
  override name = "AddressError";
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`"${address}" is not a cell address (${reason}); expected e.g. A1, B2:D9, C:C or 3:5`);
  }
}

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnName(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_COLUMNS) throw new RangeError(`column index ${index} is outside A..XFD`);
  let n = index + 1;
  let name = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** "A" → 0, "xfd" → 16383; -1 when the letters are not a column. */
export function columnIndex(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return -1;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1 < MAX_COLUMNS ? n - 1 : -1;
}

interface Corner {
  row: number | null;
  column: number | null;
}

function parseCorner(text: string, whole: string): Corner {
  const m = /^\$?([A-Za-z]{0,3})\$?(\d{0,7})$/.exec(text);
  if (!m || (m[1] === "" && m[2] === "")) throw new AddressError(whole, `"${text}" is not a cell`);
  const column = m[1] ? columnIndex(m[1]) : null;
  if (column === -1) throw new AddressError(whole, `column "${m[1]}" is beyond XFD`);
  const row = m[2] ? Number(m[2]) - 1 : null;
  if (row !== null && (row < 0 || row >= MAX_ROWS)) throw new AddressError(whole, `row ${m[2]} is outside 1..${MAX_ROWS}`);
  return { row, column };
}

/** Splits "'My sheet'!A1:B2" into the sheet name (unquoted) and the local address. */
export function splitSheet(address: string): { sheet: string | null; local: string } {
  const bang = address.lastIndexOf("!");
  if (bang === -1) return { sheet: null, local: address.trim() };
  let sheet = address.slice(0, bang).trim();
  if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length >= 2) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, local: address.slice(bang + 1).trim() };
}

/** "B2:D9" (no sheet) → rectangle. Whole columns ("C:C") and whole rows ("3:5") span the sheet. */
export function parseLocalAddress(local: string): Rect {
  const parts = local.split(":");
  if (parts.length > 2 || parts[0] === "") throw new AddressError(local, "wrong shape");
  const a = parseCorner(parts[0] ?? "", local);
  const b = parts.length === 2 ? parseCorner(parts[1] ?? "", local) : a;
  const wholeColumns = a.row === null && b.row === null;
  const wholeRows = a.column === null && b.column === null;
  if (parts.length === 1 && (a.row === null || a.column === null)) throw new AddressError(local, "a single cell needs a column and a row");
  if (!wholeColumns && !wholeRows && (a.row === null || a.column === null || b.row === null || b.column === null)) {
    throw new AddressError(local, "mixes a cell with a whole row or column");
  }
  const r1 = a.row ?? 0;
  const r2 = b.row ?? MAX_ROWS - 1;
  const c1 = a.column ?? 0;
  const c2 = b.column ?? MAX_COLUMNS - 1;
  const row = Math.min(r1, r2);
  const column = Math.min(c1, c2);
  return { row, column, rowCount: Math.abs(r2 - r1) + 1, columnCount: Math.abs(c2 - c1) + 1 };
}

export function parseAddress(address: string): { sheet: string | null; rect: Rect } {
  const { sheet, local } = splitSheet(address);
  return { sheet, rect: parseLocalAddress(local) };
}

/** Rectangle → "B2:D9", or "B2" for one cell. */
export function formatLocalAddress(rect: Rect): string {
  const first = `${columnName(rect.column)}${rect.row + 1}`;
  if (rect.rowCount === 1 && rect.columnCount === 1) return first;
  return `${first}:${columnName(rect.column + rect.columnCount - 1)}${rect.row + rect.rowCount}`;
}

/**
 * A sheet name as Excel writes it in a reference: as is, or in single quotes with quotes doubled. Excel's rules
 * (checked against the names Excel itself writes; the table is in test/domain/a1.test.ts) quote a name that
 *   1. holds anything but letters, digits, "_" and "." (any script: "été" stays bare, "Sheet 1" does not);
 *   2. starts with a digit or ".";
 *   3. is an A1 reference inside the grid, in any case ("A1", "xfd1048576"; not "XFE1", "A0" or "AB");
 *   4. starts with an R1C1 reference inside the grid ("R1C1", "R5C", "C8", "RC2z", and "R", "C", "RC" alone);
 *   5. reads as a boolean ("TRUE", "false").
 * Quoting is always accepted, so a doubtful name errs on the quoted side.
 */
export function quoteSheetName(name: string): string {
  return needsQuotes(name) ? `'${name.replace(/'/g, "''")}'` : name;
}

function needsQuotes(name: string): boolean {
  if (name === "" || /[^\p{L}\p{N}\p{Extended_Pictographic}_.]/u.test(name)) return true; // rule 1
  if (/^[\p{N}.\p{Extended_Pictographic}]/u.test(name)) return true; // rule 2
  const upper = name.toUpperCase();
  const a1 = /^([A-Z]{1,3})(\d+)$/.exec(upper);
  if (a1 && columnIndex(a1[1]!) !== -1 && inRows(a1[2]!)) return true; // rule 3
  const row = /^R(\d+)/.exec(upper);
  if (row && inRows(row[1]!)) return true; // rule 4: R1…
  const column = /^R?C(\d+)/.exec(upper);
  if (column && inRange(column[1]!, MAX_COLUMNS)) return true; // rule 4: C1…, RC1…
  if (upper === "R" || upper === "C" || upper === "RC") return true; // rule 4: the current row/column alone
  return upper === "TRUE" || upper === "FALSE"; // rule 5
}

/** "1".."1048576" (digits only; leading zeros allowed, as Excel reads "XFD01048576" as a cell). */
function inRows(digits: string): boolean {
  return inRange(digits, MAX_ROWS);
}

function inRange(digits: string, max: number): boolean {
  const n = Number(digits); // beyond 2^53 it is far past max either way
  return n >= 1 && n <= max;
}

export function formatAddress(sheet: string, rect: Rect): string {
  return `${quoteSheetName(sheet)}!${formatLocalAddress(rect)}`;
}

export function intersect(a: Rect, b: Rect): Rect | null {
  const row = Math.max(a.row, b.row);
  const column = Math.max(a.column, b.column);
  const rowEnd = Math.min(a.row + a.rowCount, b.row + b.rowCount);
  const columnEnd = Math.min(a.column + a.columnCount, b.column + b.columnCount);
  if (rowEnd <= row || columnEnd <= column) return null;
  return { row, column, rowCount: rowEnd - row, columnCount: columnEnd - column };
}

export function contains(outer: Rect, row: number, column: number): boolean {
  return row >= outer.row && row < outer.row + outer.rowCount && column >= outer.column && column < outer.column + outer.columnCount;
}
