/**
 * What a bench scenario hands back and how it is printed. Every number is measured; `limit` is what the design
 * promises, and `ratio` is measured / limit, so 1.00 means "exactly at the bound" and above 1 means over it.
 */

export interface Metric {
  name: string;
  value: number;
  unit?: string;
  /** Fixed decimals for value and limit, for numbers that are themselves ratios (1.00 rather than 1). */
  decimals?: number;
  /** The bound the design promises; omitted for numbers that are only informative. */
  limit?: number;
  /** value / limit (or a ratio the scenario defines, explained in `note`). */
  ratio?: number;
  note?: string;
}

export interface Grid {
  columns: string[];
  rows: (string | number)[][];
}

export interface Section {
  id: string;
  title: string;
  /** What was set up: sizes, latency, concurrency. */
  setup: Record<string, string | number>;
  metrics: Metric[];
  grid?: Grid;
  /** How a formula (an "ideal" or a limit) was derived. */
  notes?: string[];
  seconds: number;
}

export function ratio(value: number, limit: number): number {
  return limit === 0 ? (value === 0 ? 1 : Number.POSITIVE_INFINITY) : value / limit;
}

function fmt(n: number | undefined, unit?: string, decimals?: number): string {
  if (n === undefined) return "";
  if (!Number.isFinite(n)) return String(n);
  const digits = decimals ?? (Number.isInteger(n) ? 0 : 2);
  const text = n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

/** First column and `leftFrom` onwards (free text) are left-aligned; numbers in between right-aligned. */
function table(columns: string[], rows: string[][], leftFrom = columns.length): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 || i >= leftFrom ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function renderSection(s: Section): string {
  const out: string[] = [`${s.id}. ${s.title}  (${fmt(s.seconds)} s)`];
  out.push(`   setup: ${Object.entries(s.setup).map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v) : v}`).join(", ")}`);
  if (s.grid) {
    out.push(table(s.grid.columns, s.grid.rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))));
    out.push("");
  }
  if (s.metrics.length) {
    out.push(
      table(
        ["metric", "measured", "limit", "ratio", "note"],
        s.metrics.map((m) => [m.name, fmt(m.value, m.unit, m.decimals), fmt(m.limit, m.unit, m.decimals), m.ratio === undefined ? "" : m.ratio.toFixed(2), m.note ?? ""]),
        4,
      ),
    );
  }
  for (const note of s.notes ?? []) out.push(`   * ${note}`);
  return out.join("\n");
}
