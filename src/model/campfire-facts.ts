/**
 * Campfire's facts, once: the limits, enums, field ranges and currency decimals its API reference states
 * (docs/ and /work/shared/campfire-api: README.md and openapi.yaml). The client's schemas and rules, the
 * messages' "allowed" text, and the local sandbox all read them from here, and test/model/campfire-facts.test.ts
 * pins every one of them to the line of the reference it comes from — so a wrong constant fails a test instead
 * of being wrong, unnoticed, on both sides at once.
 *
 * Only facts live here, never logic: the sandbox keeps its own arithmetic and checks (so it still catches what a
 * buggy client lets through), but a number such as "priority is an int32" has one home.
 */

/** Amounts (bundle totals, line amounts, total_value, remaining_value): -1e18 < x < 1e18. */
export const AMOUNT_LIMIT = 1e18;
/** exchange_rate, exchange_rate_book: -1e14 < x < 1e14; rate: 0 ≤ x < 1e14. */
export const RATE_LIMIT = 1e14;
/** original_percentage: -1000 < x < 1000. */
export const ORIGINAL_PERCENTAGE_LIMIT = 1000;
/** priority is an integer in the int32 range. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
/** name: at most 250 characters. */
export const NAME_MAX = 250;
/** currency: at most 3 characters. */
export const CURRENCY_MAX = 3;
/** discount_percentage: 0 ≤ x ≤ 100, where 20.00 means 20%. */
export const DISCOUNT_MIN = 0;
export const DISCOUNT_MAX = 100;
/**
 * Ids (contract, item, line, product, entity, department, subledger): the reference types them as integers;
 * they are Django primary keys, which start at 1. The add-in reads ids as positive whole numbers it can hold
 * exactly (JavaScript's safe-integer range).
 */
export const ID_MIN = 1;
export const ID_MAX = Number.MAX_SAFE_INTEGER;

export const OVERAGE_INVOICE_CADENCES = ["monthly", "quarterly", "biannual", "annual", "one_time"] as const;
export const COMMIT_STATUSES = ["ACTIVE", "EXHAUSTED", "EXPIRED"] as const;
export const ITEM_TYPES = ["usage", "subscription", "milestone"] as const;
export const COMPONENT_TYPES = ["SUBSCRIPTION", "MILESTONE", "USAGE"] as const;

/** A numeric field's range as the reference states it ("a < x < b" exclusive, "≤" inclusive). */
export interface FieldRange {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
  integer: boolean;
}

const exclusive = (limit: number): FieldRange => ({ min: -limit, max: limit, minExclusive: true, maxExclusive: true, integer: false });
const id: FieldRange = { min: ID_MIN, max: ID_MAX, minExclusive: false, maxExclusive: false, integer: true };

/** Every numeric field the add-in reads or writes, by the API's field name. */
export const FIELD_RANGES = {
  amount: exclusive(AMOUNT_LIMIT),
  total_amount: exclusive(AMOUNT_LIMIT),
  total_value: exclusive(AMOUNT_LIMIT),
  remaining_value: exclusive(AMOUNT_LIMIT),
  original_percentage: exclusive(ORIGINAL_PERCENTAGE_LIMIT),
  exchange_rate: exclusive(RATE_LIMIT),
  exchange_rate_book: exclusive(RATE_LIMIT),
  rate: { min: 0, max: RATE_LIMIT, minExclusive: false, maxExclusive: true, integer: false },
  discount_percentage: { min: DISCOUNT_MIN, max: DISCOUNT_MAX, minExclusive: false, maxExclusive: false, integer: false },
  priority: { min: INT32_MIN, max: INT32_MAX, minExclusive: false, maxExclusive: false, integer: true },
  id,
  contract: id,
  product: id,
  entity: id,
  department: id,
  subledger: id,
  invoice: id,
} as const satisfies Record<string, FieldRange>;

/**
 * ISO 4217 minor units that differ from 2; any other code, known or not, uses 2. The reference says to keep
 * amounts to the currency's decimals (README, "Rounding is not documented ... Keep amounts to the currency's
 * decimals"); the exponents are ISO 4217's.
 */
export const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Decimals of a currency's minor unit: 2 for USD and anything unknown, 0 for JPY, 3 for KWD. */
export function currencyDecimals(currency: string): number {
  return MINOR_UNITS[currency.trim().toUpperCase()] ?? 2;
}
