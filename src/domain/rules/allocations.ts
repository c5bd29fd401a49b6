/**
 * What a bundle allocation must satisfy before it is sent: every line names a product once and carries an
 * exact amount, and the line amounts add up to the bundle total to the last minor unit.
 */
import { AMOUNT_LIMIT, ID_MAX, ID_MIN } from "../../model/campfire-facts";
import { readAmount, readInteger, type CellValue } from "../cell-readers";
import type { Issue, RecordRef } from "../issues";
import {
  MoneyPrecisionError,
  MoneyRangeError,
  formatMinorGrouped,
  minorUnitsOf,
  roundHalfEvenToScale,
  sumMinor,
  toMinorExact,
  EXCEL_ROUNDING_LIMIT,
} from "../money";

export interface BundleDraftLine {
  lineId?: number | undefined;
  /** A product id, as a number or as a raw cell value. */
  product: unknown;
  /** An amount, as a number or as a raw cell value. */
  amount: unknown;
  /**
   * The line's amount as Campfire holds it, in minor units, when its cell is unchanged since the pull: then that is
   * the amount (exact, even where a cell shows it rounded to 15 digits), and the cell is not read.
   */
  heldMinor?: bigint;
}

export interface BundleDraft {
  ref: RecordRef & { kind: "bundle" };
  currency: string;
  totalAmount: number;
  lines: BundleDraftLine[];
}

export interface BundleCheck {
  issues: Issue[];
  /** Sum of the line amounts; null while any amount is invalid. */
  sumMinor: bigint | null;
  totalMinor: bigint;
  /** sum − total; null while any amount is invalid. */
  differenceMinor: bigint | null;
  scale: number;
  /** e.g. "Sums to 99,999.99 of 100,000.00 USD: 0.01 short". */
  summary: string;
}

export const PRODUCT_ID_ALLOWED = "a product id, which is a whole number such as 12";
const PRODUCT_RANGE = { min: ID_MIN, max: ID_MAX };

function asCell(value: unknown): CellValue {
  if (value === null || value === undefined) return value;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}

function exactAmount(value: unknown, scale: number): bigint | null {
  // Only where that reading would round (below 1e15); larger values keep the cell's significant-digit check.
  if (typeof value !== "number" || !Number.isFinite(value) || !(Math.abs(value) < EXCEL_ROUNDING_LIMIT)) return null;
  try {
    return toMinorExact(value, scale);
  } catch {
    return null;
  }
}

type AddIssue = (field: string, message: string, allowed: string, line?: number, value?: unknown) => void;

/** A line's amount in minor units, or null (and its issue) when the amount is not valid. */
function lineAmount(line: BundleDraftLine, i: number, scale: number, currency: string, issue: AddIssue): bigint | null {
  // A number that already fits the currency is taken exactly: Excel's 15-digit reading forgives binary noise
  // beyond the currency's decimals (=0.1+0.2), and a value that has none — Campfire's own 1234567890123.456
  // BHD, handed back in a send — is not noise.
  const exact = exactAmount(line.amount, scale);
  if (exact !== null) return exact;
  const amount = readAmount(asCell(line.amount), scale, { limit: AMOUNT_LIMIT, currency: currency || undefined });
  if (!amount.ok) {
    issue("amount", amount.message, amount.allowed, i, line.amount);
    return null;
  }
  return amount.minor;
}

function moneyOf(scale: number, minor: bigint): string {
  return formatMinorGrouped(minor, scale);
}

function withCurrencyOf(currency: string, text: string): string {
  return currency ? `${text} ${currency}` : text;
}

function addIssue(
  issues: Issue[],
  record: RecordRef,
  field: string,
  message: string,
  allowed: string,
  line?: number,
  value?: unknown,
): void {
  const i: Issue = { record, field, message, allowed };
  if (line !== undefined) i.line = line;
  if (value !== undefined) i.value = value;
  issues.push(i);
}

export function checkBundleDraft(draft: BundleDraft): BundleCheck {
  const currency = draft.currency.trim().toUpperCase();
  const scale = minorUnitsOf(currency);
  // Bound helpers rather than closures made per call: a check runs this for thousands of bundles.
  const money = moneyOf.bind(null, scale);
  const withCurrency = withCurrencyOf.bind(null, currency);
  const issues: Issue[] = [];
  const issue: AddIssue = addIssue.bind(null, issues, draft.ref);

  let totalMinor: bigint;
  try {
    // The total is Campfire's and never goes through a cell: exact, whatever its number of digits.
    totalMinor = toMinorExact(draft.totalAmount, scale);
  } catch (e) {
    // More decimals than the currency has: compare against it rounded and say so.
    if (!(e instanceof MoneyPrecisionError || e instanceof MoneyRangeError)) throw e;
    totalMinor = roundHalfEvenToScale(draft.totalAmount, scale);
    const decimals = scale === 0 ? "no decimal places" : `at most ${scale} decimal places`;
    issue(
      "total_amount",
      e instanceof MoneyPrecisionError
        ? `the bundle total ${e.value} has more decimal places than ${currency || "the currency"} allows`
        : `the bundle total ${e.value} has more digits than a cell holds exactly`,
      `a total with ${decimals} and at most 15 significant digits (refresh the bundle from Campfire)`,
      undefined,
      draft.totalAmount,
    );
  }

  if (draft.lines.length === 0) {
    issue("lines", "the bundle has no lines", "at least one line with a product and an amount");
    return {
      issues,
      sumMinor: null,
      totalMinor,
      differenceMinor: null,
      scale,
      summary: `No lines; the total is ${withCurrency(money(totalMinor))}`,
    };
  }

  const firstLineOf = new Map<number, number>();
  const amounts: (bigint | null)[] = [];
  for (let i = 0; i < draft.lines.length; i++) {
    const line = draft.lines[i]!;
    const product = readInteger(asCell(line.product), PRODUCT_RANGE);
    if (!product.ok) {
      issue("product", product.message, PRODUCT_ID_ALLOWED, i, line.product);
    } else {
      const first = firstLineOf.get(product.value);
      if (first === undefined) firstLineOf.set(product.value, i);
      else {
        issue(
          "product",
          `product ${product.value} is on both line ${first + 1} and line ${i + 1}`,
          "each product at most once in a bundle (put its amounts on one line)",
          i,
          line.product,
        );
      }
    }
    amounts.push(line.heldMinor ?? lineAmount(line, i, scale, currency, issue));
  }

  if (amounts.includes(null)) {
    const bad = amounts.flatMap((a, i) => (a === null ? [i + 1] : []));
    const which = bad.length === 1 ? `line ${bad[0]} has` : `lines ${bad.join(", ")} have`;
    return {
      issues,
      sumMinor: null,
      totalMinor,
      differenceMinor: null,
      scale,
      summary: `Cannot add up the lines: ${which} no valid amount; the total is ${withCurrency(money(totalMinor))}`,
    };
  }

  const sum = sumMinor(amounts as bigint[]);
  const difference = sum - totalMinor;
  const abs = difference < 0n ? -difference : difference;
  const shortOrOver = difference < 0n ? "short" : "over";
  if (difference !== 0n) {
    issue(
      "lines",
      `The lines sum to ${withCurrency(money(sum))}, ${money(abs)} ${difference < 0n ? "short of" : "over"} the bundle total ${withCurrency(money(totalMinor))}.`,
      `line amounts that add up to exactly the bundle total, ${withCurrency(money(totalMinor))}`,
    );
  }
  return {
    issues,
    sumMinor: sum,
    totalMinor,
    differenceMinor: difference,
    scale,
    // Written when read: a check runs this for every bundle and shows its own words for a balanced one.
    get summary() {
      const verdict = difference === 0n ? "balanced" : `${money(abs)} ${shortOrOver}`;
      return `Sums to ${money(sum)} of ${withCurrency(money(totalMinor))}: ${verdict}`;
    },
  };
}
