/**
 * The server's own check of an allocation write (PUT/PATCH `{lines: [{product, amount}]}`), independent
 * of the add-in's domain rules so it catches what a buggy client lets through.
 *
 * PUT must name every line of the bundle; PATCH replaces the amounts of the products it names and keeps
 * the others. Either way the resulting amounts must sum to `total_amount` exactly in the currency's minor
 * unit, and no amount may carry more decimal places than the currency has.
 */
import { AMOUNT_LIMIT } from "../model/campfire-facts";
import type { BundleData } from "./data";
import { MSG, isPlainObject, type FieldErrors } from "./drf";
import { currencyDecimals, formatUnits, toMinorUnits } from "./money";

export type AllocationResult = { ok: true; amounts: Map<number, number> } | { ok: false; errors: FieldErrors };

export interface ProductLookup {
  exists(id: number): boolean;
  code(id: number): string | null;
}

export function checkAllocationWrite(
  body: unknown,
  bundle: BundleData,
  products: ProductLookup,
  method: "PUT" | "PATCH",
): AllocationResult {
  if (body === null || body === undefined) return { ok: false, errors: { non_field_errors: [MSG.noData] } };
  if (!isPlainObject(body)) return { ok: false, errors: { non_field_errors: [MSG.notDict(body)] } };

  const amounts = new Map(bundle.lines.map((l) => [l.product, l.amount]));
  if (!("lines" in body)) {
    return method === "PUT" ? { ok: false, errors: { lines: [MSG.required] } } : { ok: true, amounts };
  }
  const lines = body.lines;
  if (lines === null) return { ok: false, errors: { lines: [MSG.notNull] } };
  if (!Array.isArray(lines)) return { ok: false, errors: { lines: [MSG.notList(lines)] } };

  const decimals = currencyDecimals(bundle.currency);
  const inBundle = new Set(bundle.lines.map((l) => l.product));
  const seen = new Set<number>();
  const lineErrors: FieldErrors[] = [];
  const given = new Map<number, number>();
  for (const line of lines) {
    if (!isPlainObject(line)) {
      lineErrors.push({ non_field_errors: [MSG.notDict(line)] });
      continue;
    }
    const errs: FieldErrors = {};
    const product = checkLineProduct(line, inBundle, seen, products);
    if (typeof product === "string") errs.product = [product];
    const amount = checkLineAmount(line, decimals);
    if (typeof amount === "string") errs.amount = [amount];
    if (typeof product === "number" && typeof amount === "number") given.set(product, amount);
    lineErrors.push(errs);
  }
  if (lineErrors.some((e) => Object.keys(e).length > 0)) return { ok: false, errors: { lines: lineErrors } };

  if (method === "PUT") {
    const missing = bundle.lines.filter((l) => !given.has(l.product));
    if (missing.length) {
      const names = missing.map((l) => `${l.product} (${products.code(l.product) ?? "unknown code"})`).join(", ");
      return {
        ok: false,
        errors: { lines: [`PUT must send every line of the bundle; missing product${missing.length > 1 ? "s" : ""} ${names}.`] },
      };
    }
  }
  for (const [product, amount] of given) amounts.set(product, amount);

  const totalMinor = toMinorUnits(bundle.total_amount, decimals);
  let sumMinor = 0n;
  for (const amount of amounts.values()) {
    // Stored amounts written by this server always fit; a hand-made data file may not, so fail loudly.
    const minor = toMinorUnits(amount, decimals);
    if (minor === null)
      return {
        ok: false,
        errors: { non_field_errors: [`Stored amount ${amount} has more than ${decimals} decimal places for ${bundle.currency}.`] },
      };
    sumMinor += minor;
  }
  if (totalMinor === null) {
    return {
      ok: false,
      errors: {
        non_field_errors: [`Bundle total ${bundle.total_amount} has more than ${decimals} decimal places for ${bundle.currency}.`],
      },
    };
  }
  if (sumMinor !== totalMinor) {
    const f = (u: bigint) => formatUnits(u, decimals);
    return {
      ok: false,
      errors: {
        non_field_errors: [
          `Line amounts sum to ${f(sumMinor)} but the bundle total is ${f(totalMinor)} (difference ${f(sumMinor - totalMinor)}).`,
        ],
      },
    };
  }
  return { ok: true, amounts };
}

function checkLineProduct(
  line: Record<string, unknown>,
  inBundle: Set<number>,
  seen: Set<number>,
  products: ProductLookup,
): number | string {
  if (!("product" in line)) return MSG.required;
  const p = line.product;
  if (p === null) return MSG.notNull;
  if (typeof p !== "number" || !Number.isInteger(p)) return MSG.pkType(p);
  if (!products.exists(p)) return MSG.pkMissing(p);
  const code = products.code(p);
  if (!inBundle.has(p)) return `Product ${p}${code ? ` (${code})` : ""} is not a line of this bundle.`;
  if (seen.has(p)) return `Product ${p}${code ? ` (${code})` : ""} appears more than once in lines.`;
  seen.add(p);
  return p;
}

function checkLineAmount(line: Record<string, unknown>, decimals: number): number | string {
  if (!("amount" in line)) return MSG.required;
  const a = line.amount;
  if (a === null) return MSG.notNull;
  if (typeof a !== "number" || !Number.isFinite(a)) return MSG.number;
  if (!(a > -AMOUNT_LIMIT)) return MSG.gt(BigInt(-AMOUNT_LIMIT).toString());
  if (!(a < AMOUNT_LIMIT)) return MSG.lt(BigInt(AMOUNT_LIMIT).toString());
  if (toMinorUnits(a, decimals) === null) return MSG.decimalPlaces(decimals);
  return a;
}
