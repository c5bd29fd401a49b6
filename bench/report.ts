/**
 * The bench's verdicts: one row per goal of issue 10, each a measured number against a bound taken from first
 * principles (what the work needs at the least: one request per resource, one write per record, waves of
 * latency, bytes per round trip), never from the implementation's own formula. A row is OK when the measured
 * number is within its bound, SHORT when not, and "not measured" when nothing measured it (a slot still empty).
 */

export type Verdict = "OK" | "SHORT" | "not measured";

export interface GoalRow {
  /** Stable identifier, for results.json readers (e.g. "push.wall-time"). */
  id: string;
  goal: string;
  /** null: not measured. */
  measured: number | null;
  /** The largest acceptable value (at most this). */
  bound: number;
  unit?: string;
  decimals?: number;
  /** measured / bound; null when the bound is 0 or nothing was measured. */
  ratio: number | null;
  verdict: Verdict;
  /** How the bound was derived, and what was run. */
  note: string;
}

/** A row whose measured value must be at most `bound`. */
export function atMost(
  id: string,
  goal: string,
  measured: number | null,
  bound: number,
  note: string,
  format: { unit?: string; decimals?: number } = {},
): GoalRow {
  const verdict: Verdict = measured === null ? "not measured" : measured <= bound ? "OK" : "SHORT";
  const ratio = measured === null || bound === 0 ? null : measured / bound;
  return { id, goal, measured, bound, ratio, verdict, note, ...format };
}

/** Details a scenario prints above the verdict table (sizes, waves): informative, no verdicts. */
export interface Grid {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export function fmt(n: number | null | undefined, unit?: string, decimals?: number): string {
  if (n === null || n === undefined) return "—";
  if (!Number.isFinite(n)) return String(n);
  const digits = decimals ?? (Number.isInteger(n) ? 0 : 2);
  const text = n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

/** First column and `leftFrom` onwards (free text) are left-aligned; numbers in between right-aligned. */
export function table(columns: string[], rows: string[][], leftFrom = columns.length): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i >= leftFrom ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function renderGrid(g: Grid): string {
  return `${g.title}\n${table(
    g.columns,
    g.rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c))),
  )}`;
}

export function renderVerdicts(rows: readonly GoalRow[]): string {
  return table(
    ["goal", "measured", "bound", "ratio", "verdict", "bound from"],
    rows.map((r) => [
      r.goal,
      fmt(r.measured, r.unit, r.decimals),
      fmt(r.bound, r.unit, r.decimals),
      r.ratio === null ? "" : r.ratio.toFixed(2),
      r.verdict,
      r.note,
    ]),
    4,
  );
}

/** The same table in Markdown, for the README. */
export function verdictsMarkdown(rows: readonly GoalRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "| goal | measured | bound | ratio | verdict |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${cell(r.goal)} | ${fmt(r.measured, r.unit, r.decimals)} | ${fmt(r.bound, r.unit, r.decimals)} | ${r.ratio === null ? "" : r.ratio.toFixed(2)} | ${r.verdict} |`,
    ),
  ].join("\n");
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
