/**
 * Campfire's facts, pinned to the API reference they come from (README.md and openapi.yaml of the Campfire API
 * reference the project was built from; section and schema named on each row). A constant changed in
 * campfire-facts.ts fails here, whichever side — client or sandbox — it was changed for.
 */
import {
  AMOUNT_LIMIT,
  COMMIT_STATUSES,
  COMPONENT_TYPES,
  CURRENCY_MAX,
  FIELD_RANGES,
  ID_MAX,
  ID_MIN,
  INT32_MAX,
  INT32_MIN,
  ITEM_TYPES,
  MINOR_UNITS,
  NAME_MAX,
  ORIGINAL_PERCENTAGE_LIMIT,
  OVERAGE_INVOICE_CADENCES,
  RATE_LIMIT,
  currencyDecimals,
} from "../../src/model/campfire-facts";
import { COMMIT_FIELD_RULES } from "../../src/domain/rules/prepaid-commits";
import { minorUnitsOf } from "../../src/domain/money";
import { currencyDecimals as sandboxCurrencyDecimals } from "../../src/sandbox/money";

describe("limits", () => {
  test.each<[string, unknown, unknown, string]>([
    [
      "AMOUNT_LIMIT",
      AMOUNT_LIMIT,
      1e18,
      "README §1 lines: -1e18 < amount < 1e18; openapi ContractProductBundleLine.amount minimum/maximum ±1000000000000000000, exclusive",
    ],
    ["RATE_LIMIT", RATE_LIMIT, 1e14, "README §2 exchange_rate, exchange_rate_book: -1e14 < x < 1e14; rate: 0 ≤ x < 1e14"],
    ["ORIGINAL_PERCENTAGE_LIMIT", ORIGINAL_PERCENTAGE_LIMIT, 1000, "README §1 original_percentage number|null (-1000 < x < 1000)"],
    [
      "INT32_MIN",
      INT32_MIN,
      -2147483648,
      "README §2 priority integer, int32 range; openapi ContractPrepaidCommitWrite.priority minimum -2147483648",
    ],
    ["INT32_MAX", INT32_MAX, 2147483647, "openapi ContractPrepaidCommitWrite.priority maximum 2147483647"],
    ["NAME_MAX", NAME_MAX, 250, "README §2 name string, ≤250 chars; openapi ContractPrepaidCommitWrite.name maxLength 250"],
    ["CURRENCY_MAX", CURRENCY_MAX, 3, "README §2 currency string, ≤3 chars; openapi currency maxLength 3"],
    ["ID_MIN", ID_MIN, 1, "README Endpoints: each {..._id} is an integer; ids are Django primary keys, which start at 1 [I]"],
    ["ID_MAX", ID_MAX, 9007199254740991, "the largest id the add-in holds exactly (a JSON number read into a double)"],
  ])("%s is %p", (_, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe("field ranges", () => {
  test.each<[string, [number, number, boolean, boolean, boolean], string]>([
    ["amount", [-1e18, 1e18, true, true, false], "README §1 PUT lines: -1e18 < amount < 1e18 (both bounds exclusive)"],
    ["total_amount", [-1e18, 1e18, true, true, false], "README §1 response total_amount (read-only, -1e18 < x < 1e18)"],
    ["total_value", [-1e18, 1e18, true, true, false], "README §2 total_value number, -1e18 < x < 1e18, required"],
    ["remaining_value", [-1e18, 1e18, true, true, false], "openapi ContractPrepaidCommit.remaining_value, as total_value"],
    [
      "original_percentage",
      [-1000, 1000, true, true, false],
      "openapi ContractProductBundleLine.original_percentage minimum -1000, maximum 1000, exclusive",
    ],
    ["exchange_rate", [-1e14, 1e14, true, true, false], "README §2 exchange_rate: -1e14 < x < 1e14"],
    ["exchange_rate_book", [-1e14, 1e14, true, true, false], "README §2 exchange_rate_book: -1e14 < x < 1e14"],
    ["rate", [0, 1e14, false, true, false], "README §2 rate number|null, 0 ≤ x < 1e14"],
    ["discount_percentage", [0, 100, false, false, false], "README §2 discount_percentage number, 0 ≤ x ≤ 100 (20.00 means 20%)"],
    ["priority", [-2147483648, 2147483647, false, false, true], "README §2 priority integer, int32 range"],
    ["id", [1, Number.MAX_SAFE_INTEGER, false, false, true], "README Endpoints: ids are integers; positive [I]"],
    ["entity", [1, Number.MAX_SAFE_INTEGER, false, false, true], "README §2 entity, product, department, subledger: integer|null (ids)"],
    ["product", [1, Number.MAX_SAFE_INTEGER, false, false, true], "README §2 (ids)"],
    ["department", [1, Number.MAX_SAFE_INTEGER, false, false, true], "README §2 (ids)"],
    ["subledger", [1, Number.MAX_SAFE_INTEGER, false, false, true], "README §2 (ids)"],
    ["invoice", [1, Number.MAX_SAFE_INTEGER, false, false, true], "README §2 read-only invoice int|null"],
  ])("%s: [min, max, minExclusive, maxExclusive, integer] = %j", (field, [min, max, minExclusive, maxExclusive, integer]) => {
    expect(FIELD_RANGES[field as keyof typeof FIELD_RANGES]).toEqual({ min, max, minExclusive, maxExclusive, integer });
  });

  test("the commit rules' ranges are the facts' (what every message's 'allowed' is written from)", () => {
    for (const field of [
      "rate",
      "discount_percentage",
      "exchange_rate",
      "exchange_rate_book",
      "priority",
      "entity",
      "product",
      "department",
      "subledger",
    ] as const) {
      const rule = COMMIT_FIELD_RULES[field];
      const range = FIELD_RANGES[field];
      expect([field, rule.min, rule.max]).toEqual([field, range.min, range.max]);
    }
  });
});

describe("enums", () => {
  test.each<[string, readonly string[], string[], string]>([
    [
      "OVERAGE_INVOICE_CADENCES",
      OVERAGE_INVOICE_CADENCES,
      ["monthly", "quarterly", "biannual", "annual", "one_time"],
      "README §2 overage_invoice_cadence per the docs pages ([S] adds custom, which the add-in shows but does not write)",
    ],
    ["COMMIT_STATUSES", COMMIT_STATUSES, ["ACTIVE", "EXHAUSTED", "EXPIRED"], "README §2 read-only status ACTIVE|EXHAUSTED|EXPIRED"],
    ["ITEM_TYPES", ITEM_TYPES, ["usage", "subscription", "milestone"], "README §1 allocation paths: usage, subscriptions, milestones"],
    [
      "COMPONENT_TYPES",
      COMPONENT_TYPES,
      ["SUBSCRIPTION", "MILESTONE", "USAGE"],
      "README §1 component_type SUBSCRIPTION|MILESTONE|USAGE|null",
    ],
  ])("%s", (_, actual, expected) => {
    expect([...actual]).toEqual(expected);
  });
});

describe("currency decimals (ISO 4217 minor units; README §1: keep amounts to the currency's decimals)", () => {
  test("the exceptions to 2, exactly", () => {
    expect(MINOR_UNITS).toEqual({
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
    });
  });

  test.each([
    ["USD", 2],
    ["jpy", 0],
    [" KWD ", 3],
    ["BHD", 3],
    ["CLF", 4],
    ["XTS", 2],
    ["", 2],
  ])("%j has %i decimals — for the client's money and the sandbox's checks alike", (currency, decimals) => {
    expect([currencyDecimals(currency), minorUnitsOf(currency), sandboxCurrencyDecimals(currency)]).toEqual([decimals, decimals, decimals]);
  });
});
