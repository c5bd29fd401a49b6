/**
 * Prepaid-commit drawdown, as a what-if for finance models (CAMPFIRE.DRAWDOWN). Pure and exact: every amount is a
 * bigint count of the currency's minor unit. It follows Campfire's consumption record (gross usage, discount =
 * gross × discount%, net = what the pool is drawn down by, overage beyond the pool at the full rate).
 *
 * The rules, exactly:
 * 1. Periods are taken in date order (ISO "YYYY-MM-DD"; periods on the same date keep their input order). Each
 *    period's gross usage is first rounded to the minor unit, ties to even (usage is often a computed number).
 * 2. Commits are drawn in this order: lower `priority` first; on equal priority the earlier `start_date`; then the
 *    lower id.
 * 3. A commit can be drawn in a period when start_date ≤ period ≤ expiration_date (no expiration: open-ended).
 *    Use one date per period consistently, e.g. the first of the month like Campfire's `period_month`.
 * 4. Walking the commits in order, each active commit with a balance above 0 covers as much of the period's
 *    remaining gross as it can:
 *      - discount = gross × discount% ÷ 100, computed exactly from the percentage as written (33.333333 is
 *        33,333,333 ÷ 1,000,000, not a binary fraction) and rounded once to the minor unit (ties to even);
 *        net = gross − discount;
 *      - when net fits in the balance, the commit covers all the remaining gross;
 *      - otherwise it draws its whole balance: it covers gross = balance ÷ (1 − discount%) rounded to the minor
 *        unit (ties to even, never more than what remains), and discount = that gross − balance;
 *      - a 100% discount covers everything and draws nothing.
 *    So on every row gross = discount + net exactly, and balance after = balance before − net.
 * 5. Gross left after every commit (none active, all exhausted) is overage, billed at the full rate (no
 *    discount). It is reported once per period, on the period's last row; other rows show 0 — so summing the
 *    overage column gives the total overage.
 * 6. Every commit gets one row per period, with status "not started" (period before start_date), "expired"
 *    (period after expiration_date) or "active"; inactive rows draw nothing and carry the balance unchanged.
 */
import {
  divideHalfEven,
  EXCEL_SIGNIFICANT_DIGITS,
  minorUnitsOf,
  MoneyPrecisionError,
  MoneyRangeError,
  roundHalfEvenToScale,
  toMinor,
  toPlainDecimal,
} from "./money";

export interface CommitTerms {
  id: number;
  name: string;
  /** Lower is drawn first (Campfire's rule). */
  priority: number;
  /** "YYYY-MM-DD". */
  startDate: string;
  expirationDate: string | null;
  /** The pool at the first period: total_value for a whole-life model, remaining_value for a forecast. Exact. */
  opening: number | string;
  /** 20 means 20%; any number from 0 to 100, held exactly as its shortest decimal text. */
  discountPercentage: number | string;
}

export interface UsagePeriod {
  /** "YYYY-MM-DD". */
  period: string;
  /** Gross usage at list price, ≥ 0; rounded to the minor unit (ties to even). */
  gross: number;
}

export type DrawdownStatus = "not started" | "active" | "expired";

export interface DrawdownRow {
  period: string;
  commitId: number;
  commitName: string;
  status: DrawdownStatus;
  /** Gross usage this commit covered in the period. */
  gross: bigint;
  discount: bigint;
  net: bigint;
  balanceBefore: bigint;
  balanceAfter: bigint;
  /** The period's uncovered gross on its last row, 0 on the others. */
  overage: bigint;
}

export interface DrawdownResult {
  currency: string;
  /** Decimals of the minor unit: amounts are value × 10^scale. */
  scale: number;
  /** Commits in drawing order. */
  commits: CommitTerms[];
  rows: DrawdownRow[];
}

/** Bad drawdown input; the message names the commit or usage row and what is allowed. */
export class DrawdownInputError extends Error {
  override name = "DrawdownInputError";
}

/**
 * A discount as the exact fraction of the gross it takes off: `part / whole` (20% = 20 / 100, 33.333333% =
 * 33,333,333 / 100,000,000). Campfire accepts any number from 0 to 100, so the percentage keeps every decimal its
 * shortest text has; rounding happens once, on the amount.
 */
interface Fraction {
  part: bigint;
  whole: bigint;
}

export function drawdown(commits: readonly CommitTerms[], usage: readonly UsagePeriod[], currency: string): DrawdownResult {
  const scale = minorUnitsOf(currency);
  const seen = new Set<number>();
  for (const commit of commits) {
    // The same pool twice would be drawn twice: twice the balance the customer really has.
    if (seen.has(commit.id)) throw new DrawdownInputError(`Commit ${commit.id} appears twice; list each commit once`);
    seen.add(commit.id);
  }
  const ordered = orderForDrawing(commits);
  const terms = ordered.map((commit) => ({ commit, ...checkCommit(commit, scale, currency) }));
  const periods = usage
    .map((row, index) => ({ period: checkPeriod(row, index), gross: checkGross(row, index, scale), index }))
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.index - b.index));

  const balances = terms.map((t) => t.opening);
  const rows: DrawdownRow[] = [];
  for (const { period, gross } of periods) {
    let remaining = gross;
    const periodRows: DrawdownRow[] = terms.map(({ commit, discount }, i) => {
      const before = balances[i]!;
      const status = statusIn(commit, period);
      const row: DrawdownRow = {
        period,
        commitId: commit.id,
        commitName: commit.name,
        status,
        gross: 0n,
        discount: 0n,
        net: 0n,
        balanceBefore: before,
        balanceAfter: before,
        overage: 0n,
      };
      if (status !== "active" || remaining === 0n || before <= 0n) return row;
      const draw = drawOne(remaining, before, discount);
      remaining -= draw.gross;
      balances[i] = before - draw.net;
      return { ...row, ...draw, balanceAfter: before - draw.net };
    });
    const last = periodRows[periodRows.length - 1];
    if (last) last.overage = remaining;
    rows.push(...periodRows);
  }
  return { currency, scale, commits: ordered, rows };
}

/** Priority, then earlier start date, then lower id. Returns a new array. */
export function orderForDrawing<T extends Pick<CommitTerms, "id" | "priority" | "startDate">>(commits: readonly T[]): T[] {
  return [...commits].sort(
    (a, b) => a.priority - b.priority || (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0) || a.id - b.id,
  );
}

/** How one commit covers `remaining` gross from `balance` at `discount` (rule 4). */
function drawOne(remaining: bigint, balance: bigint, discount: Fraction): { gross: bigint; discount: bigint; net: bigint } {
  const { part, whole } = discount;
  if (part === whole) return { gross: remaining, discount: remaining, net: 0n };
  const fullDiscount = divideHalfEven(remaining * part, whole);
  const fullNet = remaining - fullDiscount;
  if (fullNet <= balance) return { gross: remaining, discount: fullDiscount, net: fullNet };
  let covered = divideHalfEven(balance * whole, whole - part);
  if (covered > remaining) covered = remaining;
  return { gross: covered, discount: covered - balance, net: balance };
}

function statusIn(commit: CommitTerms, period: string): DrawdownStatus {
  if (period < commit.startDate) return "not started";
  if (commit.expirationDate !== null && period > commit.expirationDate) return "expired";
  return "active";
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkCommit(commit: CommitTerms, scale: number, currency: string): { opening: bigint; discount: Fraction } {
  const where = `Commit ${commit.id}`;
  if (!ISO_DATE.test(commit.startDate)) throw new DrawdownInputError(`${where}: start_date must be a date`);
  if (commit.expirationDate !== null && !ISO_DATE.test(commit.expirationDate)) {
    throw new DrawdownInputError(`${where}: expiration_date must be a date or empty`);
  }
  if (!Number.isInteger(commit.priority)) throw new DrawdownInputError(`${where}: priority must be a whole number`);
  let opening: bigint;
  try {
    opening = toMinor(commit.opening, scale);
  } catch (error) {
    const why =
      error instanceof MoneyPrecisionError
        ? `has more than the ${scale} decimals ${currency} allows`
        : error instanceof MoneyRangeError
          ? `has more than ${EXCEL_SIGNIFICANT_DIGITS} significant digits`
          : "is not a number";
    throw new DrawdownInputError(`${where}: the balance ${String(commit.opening)} ${why}`);
  }
  const discount = discountFraction(commit.discountPercentage);
  if (!discount) throw new DrawdownInputError(`${where}: discount_percentage must be a number from 0 to 100`);
  return { opening, discount };
}

/** The percentage as an exact fraction of the gross, or null when it is not a number from 0 to 100. */
function discountFraction(percentage: number | string): Fraction | null {
  let text: string;
  try {
    // The number's shortest decimal text (what the user typed and Campfire stored), without exponent notation.
    text = toPlainDecimal(percentage);
  } catch {
    return null;
  }
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null; // negative
  const decimals = match[2] ?? "";
  const part = BigInt(match[1]! + decimals);
  const whole = 100n * 10n ** BigInt(decimals.length);
  return part <= whole ? { part, whole } : null;
}

function checkPeriod(row: UsagePeriod, index: number): string {
  if (!ISO_DATE.test(row.period)) throw new DrawdownInputError(`Usage row ${index + 1}: the period must be a date`);
  return row.period;
}

function checkGross(row: UsagePeriod, index: number, scale: number): bigint {
  if (typeof row.gross !== "number" || !Number.isFinite(row.gross) || row.gross < 0) {
    throw new DrawdownInputError(`Usage row ${index + 1}: gross usage must be a number ≥ 0`);
  }
  return roundHalfEvenToScale(row.gross, scale);
}
