/**
 * How the add-in's tables look: number formats per column format, which columns read as editable, and the
 * colours of the marks (conditional formats) it lays over cells.
 */
import type { ColumnFormat, MarkKind } from "../app/ports";

/** Excel number format per column format. Text columns get "@" so a value never re-types (no "=", no dates). */
export const NUMBER_FORMATS: Record<ColumnFormat, string> = {
  text: "@",
  enum: "@",
  integer: "0",
  amount: "#,##0.00;[Red]-#,##0.00",
  percent: "0.00%",
  number: "General",
  date: "yyyy-mm-dd",
  datetime: "yyyy-mm-dd hh:mm",
  boolean: "General",
};

/**
 * An amount's format for a currency with `decimals` minor-unit digits: JPY 4,800,000, USD 1,234.50, KWD 1.250.
 * The table's column format (NUMBER_FORMATS.amount) is the 2-decimal one.
 */
export function amountFormat(decimals: number): string {
  const body = decimals > 0 ? `#,##0.${"0".repeat(decimals)}` : "#,##0";
  return `${body};[Red]-${body}`;
}

/**
 * Whether a number format shows the value as a percent: a "%" that is not inside quotes, not escaped with a
 * backslash and not inside [brackets] (Excel multiplies by 100 only then; "0.0\"%\"" shows a literal sign).
 */
export function isPercentFormat(format: string): boolean {
  const stripped = format
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "");
  return stripped.includes("%");
}

/** Header fill and font: editable columns stand out; read-only ones are grey. */
export const HEADER_STYLE = {
  editable: { fill: "#1F6F43", font: "#FFFFFF" },
  readOnly: { fill: "#D9D9D9", font: "#404040" },
} as const;

/** A light grey body for read-only columns, so people see where typing has no effect on Campfire. */
export const READ_ONLY_BODY_FILL = "#F2F2F2";

export const MARK_STYLE: Record<MarkKind, { fill: string; font: string }> = {
  error: { fill: "#FFC7CE", font: "#9C0006" },
  edited: { fill: "#FFEB9C", font: "#7A5A00" },
  conflict: { fill: "#F4B183", font: "#833C0B" },
};

/**
 * The rule formula of a mark. It is always TRUE (ISTEXT of a text), and its text names the add-in, so the
 * add-in finds its own conditional formats again — and people see what they are in Excel's rules manager.
 */
export function markFormula(kind: MarkKind): string {
  return `=ISTEXT("Campfire mark: ${kind}")`;
}

export function isMarkFormula(formula: unknown): boolean {
  return typeof formula === "string" && formula.startsWith('=ISTEXT("Campfire mark: ');
}

/** A dropdown's inline source; Excel caps it at 255 characters and a comma would split a value. */
export function listSource(values: readonly string[]): string | null {
  if (values.length === 0 || values.some((v) => v.includes(",") || v.trim() !== v || v === "")) return null;
  const source = values.join(",");
  return source.length <= 255 ? source : null;
}
