/**
 * A bundle's compact copy — the one each subscription, usage and milestone row of a contract's item lists
 * carries — set against the bundle as a read of the bundle returned it. The compact copy has no
 * last_modified_at, product codes or component types, so it can only say "every value I show is the same";
 * that is enough for the check just before a write, which sends line amounts only: three item lists per contract
 * then stand in for one read per bundle.
 */
import type { Bundle, CompactBundle } from "../../model/records";
import { toPlainDecimal } from "../money";

/** Exact text of a number Campfire sent (identity of two readings, not arithmetic). */
function exact(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : toPlainDecimal(value);
}

/** Whether every value the compact copy shows equals the bundle's (same lines, products, names, amounts, total). */
export function compactShowsBundle(compact: CompactBundle, bundle: Bundle): boolean {
  if (
    compact.id !== bundle.id ||
    (compact.source_bundle ?? null) !== bundle.source_bundle ||
    compact.source_bundle_name !== bundle.source_bundle_name ||
    exact(compact.total_amount) !== exact(bundle.total_amount) ||
    (compact.currency !== undefined && compact.currency !== bundle.currency) ||
    compact.lines.length !== bundle.lines.length
  ) {
    return false;
  }
  const byId = new Map(bundle.lines.map((l) => [l.id, l]));
  return compact.lines.every((line) => {
    const held = byId.get(line.id);
    return (
      held !== undefined &&
      held.product === line.product &&
      held.product_name === line.product_name &&
      exact(held.amount) === exact(line.amount) &&
      held.percentage === line.percentage &&
      exact(held.original_percentage) === exact(line.original_percentage)
    );
  });
}
