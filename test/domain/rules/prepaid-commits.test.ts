import { formatIssue, type RecordRef } from "../../../src/domain/issues";
import {
  AMOUNT_LIMIT,
  COMMIT_WRITABLE_FIELDS,
  INT32_MAX,
  INT32_MIN,
  NAME_MAX,
  OVERAGE_INVOICE_CADENCES,
  RATE_LIMIT,
  type CommitWritableField,
} from "../../../src/model/records";
import { COMMIT_FIELD_RULES, checkCommitDraft, describeCommitRule } from "../../../src/domain/rules/prepaid-commits";

const ref: RecordRef = { kind: "commit", contractId: 3, commitId: 7, label: "Q1 credits" };
const VALID = { name: "Q1 credits", total_value: 100000, start_date: "2026-01-01", currency: "USD" };

/** The only issue for `field` when the valid draft gets `value` there, or [] when it passes. */
function check(field: string, value: unknown, extra: Record<string, unknown> = {}) {
  return checkCommitDraft(ref, { ...VALID, ...extra, [field]: value });
}

describe("the rules table", () => {
  it("has exactly one rule for every writable field", () => {
    expect(Object.keys(COMMIT_FIELD_RULES).sort()).toEqual([...COMMIT_WRITABLE_FIELDS].sort());
  });

  it("takes its limits from the record schema", () => {
    expect(COMMIT_FIELD_RULES.name.maxLength).toBe(NAME_MAX);
    expect(COMMIT_FIELD_RULES.total_value.limit).toBe(AMOUNT_LIMIT);
    expect([COMMIT_FIELD_RULES.priority.min, COMMIT_FIELD_RULES.priority.max]).toEqual([INT32_MIN, INT32_MAX]);
    expect(COMMIT_FIELD_RULES.rate.max).toBe(RATE_LIMIT);
    expect([COMMIT_FIELD_RULES.exchange_rate.min, COMMIT_FIELD_RULES.exchange_rate.max]).toEqual([-RATE_LIMIT, RATE_LIMIT]);
    expect([COMMIT_FIELD_RULES.exchange_rate_book.min, COMMIT_FIELD_RULES.exchange_rate_book.max]).toEqual([-RATE_LIMIT, RATE_LIMIT]);
    expect(COMMIT_FIELD_RULES.overage_invoice_cadence.values).toBe(OVERAGE_INVOICE_CADENCES);
  });

  it.each<[CommitWritableField, string]>([
    ["name", "text of 1 to 250 characters"],
    ["description", "text, or empty"],
    [
      "total_value",
      "an amount in USD greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000, with at most 2 decimal places",
    ],
    ["currency", "a currency code of at most 3 characters, such as USD"],
    ["start_date", "a date such as 2026-03-01"],
    ["expiration_date", "a date such as 2026-03-01, or empty"],
    ["discount_percentage", "a number from 0 to 100"],
    ["rate", "a number from 0 up to but not including 100,000,000,000,000, or empty"],
    ["priority", "a whole number from -2,147,483,648 to 2,147,483,647"],
    ["entity", "an entity id: a positive whole number such as 12, or empty"],
    ["product", "a product id: a positive whole number such as 12, or empty"],
    ["department", "a department id: a positive whole number such as 12, or empty"],
    ["subledger", "a subledger id: a positive whole number such as 12, or empty"],
    ["exchange_rate", "a number greater than -100,000,000,000,000 and less than 100,000,000,000,000, or empty"],
    ["exchange_rate_book", "a number greater than -100,000,000,000,000 and less than 100,000,000,000,000, or empty"],
    ["overage_invoice_cadence", "one of: monthly, quarterly, biannual, annual, one_time"],
    ["auto_send_overage_invoices", "true or false"],
    ["overage_invoice_start_month", "a date such as 2026-03-01, or empty"],
    ["tags", "text, or empty"],
  ])("%s allows %s", (field, allowed) => {
    expect(describeCommitRule(COMMIT_FIELD_RULES[field], 2, "USD")).toBe(allowed);
  });

  it("describes total_value for other currencies' decimals", () => {
    expect(describeCommitRule(COMMIT_FIELD_RULES.total_value, 0, "JPY")).toBe(
      "an amount in JPY greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000, with no decimal places",
    );
    expect(describeCommitRule(COMMIT_FIELD_RULES.total_value, 3)).toBe(
      "an amount greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000, with at most 3 decimal places",
    );
  });
});

describe("a valid commit has no issues", () => {
  it("with only the required fields", () => {
    expect(checkCommitDraft(ref, { name: "Q1 credits", total_value: 100000, start_date: "2026-01-01" })).toEqual([]);
  });

  it("with every field set", () => {
    const full = {
      name: "Q1 credits",
      description: "Prepaid usage pool",
      total_value: 1234567890123.45,
      currency: "USD",
      start_date: "2026-01-01",
      expiration_date: "2026-12-31",
      discount_percentage: 20,
      rate: 0.25,
      priority: 1,
      entity: 1,
      product: 12,
      department: 4,
      subledger: 9,
      exchange_rate: 1.08,
      exchange_rate_book: 0.92,
      overage_invoice_cadence: "monthly",
      auto_send_overage_invoices: true,
      overage_invoice_start_month: "2026-01-01",
      tags: "growth",
    };
    expect(Object.keys(full).sort()).toEqual([...COMMIT_WRITABLE_FIELDS].sort());
    expect(checkCommitDraft(ref, full)).toEqual([]);
  });
});

/** [field, value, expected message or null when valid, extra fields merged into the draft]. */
type Case = [CommitWritableField, unknown, string | null, Record<string, unknown>?];

const AMOUNT_RANGE = "an amount greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000";

describe.each<[string, Case[]]>([
  [
    "name",
    [
      ["name", "x".repeat(250), null],
      ["name", "x", null],
      ["name", "x".repeat(251), "the name has 251 characters"],
      ["name", "é".repeat(250), null],
      ["name", "", "the name is empty"],
      ["name", "   ", "the name is empty"],
      ["name", null, "the name is empty"],
      ["name", 12, "12 is not text"],
    ],
  ],
  [
    "description and tags",
    [
      ["description", null, null],
      ["description", "", null],
      ["description", "x".repeat(5000), null],
      ["description", 5, "5 is not text"],
      ["tags", null, null],
      ["tags", "a,b", null],
      ["tags", [1, 2], "a list is not text"],
    ],
  ],
  [
    "total_value",
    [
      ["total_value", 0, null],
      ["total_value", -0.01, null],
      ["total_value", 1234567890123.45, null],
      ["total_value", -1234567890123.45, null],
      ["total_value", 999999999999999, null],
      ["total_value", 1e18, "1000000000000000000 is too large"],
      ["total_value", -1e18, "-1000000000000000000 is too small"],
      ["total_value", 0.001, "0.001 has 3 decimal places"],
      ["total_value", 0.1 + 0.2, "0.30000000000000004 has 17 decimal places"],
      // As sent, only Campfire's limits apply: 15 significant digits is a cell's limit, checked when the sheet is read.
      ["total_value", 1e16, null],
      ["total_value", 1234567890123.456, "1234567890123.456 has 3 decimal places"],
      ["total_value", 1234567890123.456, null, { currency: "BHD" }],
      ["total_value", 1.5, "1.5 has 1 decimal place", { currency: "JPY" }],
      ["total_value", 1500, null, { currency: "JPY" }],
      ["total_value", 1.234, null, { currency: "KWD" }],
      ["total_value", 1.2345, "1.2345 has 4 decimal places", { currency: "KWD" }],
      ["total_value", "100", 'the text "100" is not a number'],
      ["total_value", Number.NaN, "NaN is not a finite number"],
      ["total_value", null, "the total value is empty"],
    ],
  ],
  [
    "start_date",
    [
      ["start_date", "2026-03-01", null],
      ["start_date", "2024-02-29", null],
      ["start_date", "2026-02-30", "2026-02-30 is not a real date: February 2026 has 28 days"],
      ["start_date", "2025-02-29", "2025-02-29 is not a real date: February 2025 has 28 days"],
      ["start_date", "2026-03-01T00:00:00Z", '"2026-03-01T00:00:00Z" is not a date written as year-month-day'],
      ["start_date", 46082, "46082 is not a date"],
      ["start_date", null, "the start date is empty"],
    ],
  ],
  [
    "currency",
    [
      ["currency", "USD", null],
      ["currency", "JPY", null],
      // Campfire's schema says only "string, at most 3 characters": case, shorter codes and "" are its business.
      ["currency", "usd", null],
      ["currency", "US", null],
      ["currency", "U$D", null],
      ["currency", "", null],
      ["currency", "€", null],
      ["currency", "USDX", 'the currency "USDX" has 4 characters'],
      ["currency", "EURO", 'the currency "EURO" has 4 characters'],
      ["currency", "€€€€", 'the currency "€€€€" has 4 characters'],
      ["currency", " USD", 'the currency " USD" has 4 characters'],
      ["currency", 840, "840 is not a currency code"],
      ["currency", null, "the currency is empty"],
    ],
  ],
  [
    "exchange rates",
    [
      ["exchange_rate", null, null],
      ["exchange_rate", 0, null],
      ["exchange_rate", 99999999999999, null],
      ["exchange_rate", -99999999999999, null],
      ["exchange_rate", 1e14, "100000000000000 is too large"],
      ["exchange_rate", -1e14, "-100000000000000 is too small"],
      ["exchange_rate", "1.08", 'the text "1.08" is not a number'],
      ["exchange_rate_book", null, null],
      ["exchange_rate_book", 99999999999999.9, null],
      ["exchange_rate_book", 1e14, "100000000000000 is too large"],
      ["exchange_rate_book", -1e14, "-100000000000000 is too small"],
    ],
  ],
  [
    "discount_percentage",
    [
      ["discount_percentage", 0, null],
      ["discount_percentage", 100, null],
      ["discount_percentage", 20.5, null],
      ["discount_percentage", 100.0001, "100.0001 is too large"],
      ["discount_percentage", -0.0001, "-0.0001 is too small"],
      ["discount_percentage", null, "the discount percentage is empty"],
    ],
  ],
  [
    "rate",
    [
      ["rate", null, null],
      ["rate", 0, null],
      ["rate", 99999999999999.9, null],
      ["rate", 1e14, "100000000000000 is too large"],
      ["rate", -0.0001, "-0.0001 is too small"],
    ],
  ],
  [
    "priority",
    [
      ["priority", 0, null],
      ["priority", 2147483647, null],
      ["priority", -2147483648, null],
      ["priority", 2147483648, "2147483648 is too large"],
      ["priority", -2147483649, "-2147483649 is too small"],
      ["priority", 1.5, "1.5 is not a whole number"],
      ["priority", null, "the priority is empty"],
    ],
  ],
  [
    "ids",
    [
      ["entity", null, null],
      ["entity", 1, null],
      ["entity", 0, "0 is too small"],
      ["entity", 1.5, "1.5 is not a whole number"],
      ["entity", "12", 'the text "12" is not a number'],
      ["product", 12, null],
      ["product", -3, "-3 is too small"],
      ["department", null, null],
      ["department", 2.5, "2.5 is not a whole number"],
      ["subledger", 9, null],
      ["subledger", true, "true is not a number"],
    ],
  ],
  [
    "overage invoicing",
    [
      ...OVERAGE_INVOICE_CADENCES.map((c): Case => ["overage_invoice_cadence", c, null]),
      ["overage_invoice_cadence", "custom", '"custom" is not one of the choices'],
      ["overage_invoice_cadence", "Monthly", '"Monthly" is not one of the choices'],
      ["overage_invoice_cadence", null, "the overage invoice cadence is empty"],
      ["auto_send_overage_invoices", true, null],
      ["auto_send_overage_invoices", false, null],
      ["auto_send_overage_invoices", "true", 'the text "true" is not true or false'],
      ["auto_send_overage_invoices", 1, "1 is not true or false"],
      ["auto_send_overage_invoices", null, "the auto-send overage invoices is empty"],
      ["overage_invoice_start_month", null, null],
      ["overage_invoice_start_month", "2026-04-01", null],
      ["overage_invoice_start_month", "2026-04-31", "2026-04-31 is not a real date: April 2026 has 30 days"],
    ],
  ],
  [
    "expiration_date",
    [
      ["expiration_date", null, null],
      ["expiration_date", "2026-12-31", null],
      ["expiration_date", "2026-01-01", null],
      ["expiration_date", "2026-02-29", "2026-02-29 is not a real date: February 2026 has 28 days"],
    ],
  ],
])("%s", (_, cases) => {
  // Rest parameters keep the function's arity at 0: jest would take a 4th declared parameter for a `done` callback.
  it.each(cases)("%s = %p → %p", (...[field, value, message, extra]: Case) => {
    const issues = check(field, value, extra);
    if (message === null) {
      expect(issues).toEqual([]);
      return;
    }
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ record: ref, field, message, value });
    expect(issues[0]?.line).toBeUndefined();
  });
});

describe("what is allowed comes with each issue", () => {
  it.each<[CommitWritableField, unknown, string, Record<string, unknown>?]>([
    ["name", "x".repeat(251), "text of 1 to 250 characters"],
    ["discount_percentage", 100.0001, "a number from 0 to 100"],
    ["priority", 2147483648, "a whole number from -2,147,483,648 to 2,147,483,647"],
    ["rate", 1e14, "a number from 0 up to but not including 100,000,000,000,000, or empty"],
    ["total_value", 1e18, AMOUNT_RANGE],
    ["total_value", 0.001, "an amount in USD with at most 2 decimal places"],
    ["total_value", 1.5, "a whole amount in JPY, with no decimal places", { currency: "JPY" }],
    [
      "total_value",
      null,
      "an amount in USD greater than -1,000,000,000,000,000,000 and less than 1,000,000,000,000,000,000, with at most 2 decimal places",
    ],
  ])("%s = %p", (...[field, value, allowed, extra]: [CommitWritableField, unknown, string, Record<string, unknown>?]) => {
    expect(check(field, value, extra).map((i) => i.allowed)).toEqual([allowed]);
  });

  it("reads as one plain sentence", () => {
    expect(check("name", "x".repeat(251)).map(formatIssue)).toEqual([
      'Prepaid commit 7 ("Q1 credits") of contract 3, name: the name has 251 characters; allowed: text of 1 to 250 characters.',
    ]);

    expect(check("currency", "EURO").map(formatIssue)).toEqual([
      'Prepaid commit 7 ("Q1 credits") of contract 3, currency: the currency "EURO" has 4 characters; allowed: a currency code of at most 3 characters, such as USD.',
    ]);
  });
});

describe("required fields", () => {
  it.each<[CommitWritableField, string]>([
    ["name", "the name is missing"],
    ["total_value", "the total value is missing"],
    ["start_date", "the start date is missing"],
  ])("%s missing → %s", (field, message) => {
    const draft: Record<string, unknown> = { ...VALID };
    delete draft[field];
    expect(checkCommitDraft(ref, draft)).toEqual([
      { record: ref, field, message, allowed: describeCommitRule(COMMIT_FIELD_RULES[field], 2, "USD") },
    ]);
  });

  it("are not required for a partial update (PATCH), but what is sent is still checked", () => {
    expect(checkCommitDraft(ref, {}, { partial: true })).toEqual([]);
    expect(checkCommitDraft(ref, { priority: 5 }, { partial: true })).toEqual([]);
    expect(checkCommitDraft(ref, { name: "" }, { partial: true }).map((i) => i.message)).toEqual(["the name is empty"]);
  });

  it("uses the commit's currency from the options when the draft has none", () => {
    expect(checkCommitDraft(ref, { total_value: 1.5 }, { partial: true, currency: "JPY" }).map((i) => i.message)).toEqual([
      "1.5 has 1 decimal place",
    ]);
    expect(checkCommitDraft(ref, { total_value: 1.5 }, { partial: true })).toEqual([]);
  });
});

describe("expiration before start", () => {
  it("is flagged on expiration_date", () => {
    expect(checkCommitDraft(ref, { ...VALID, start_date: "2026-02-01", expiration_date: "2026-01-31" })).toEqual([
      {
        record: ref,
        field: "expiration_date",
        message: "the expiration date 2026-01-31 is before the start date 2026-02-01",
        allowed: "a date on or after the start date (2026-02-01), or empty",
        value: "2026-01-31",
      },
    ]);
  });

  it("allows the same day, and is not compared when either date is invalid", () => {
    expect(checkCommitDraft(ref, { ...VALID, start_date: "2026-02-01", expiration_date: "2026-02-01" })).toEqual([]);
    const issues = checkCommitDraft(ref, { ...VALID, start_date: "2026-02-30", expiration_date: "2026-01-31" });
    expect(issues.map((i) => i.field)).toEqual(["start_date"]);
  });
});

it("flags fields that cannot be written", () => {
  expect(checkCommitDraft(ref, { ...VALID, remaining_value: 5 })).toEqual([
    {
      record: ref,
      field: "remaining_value",
      message: "remaining_value cannot be changed from Excel",
      allowed: `only these fields: ${COMMIT_WRITABLE_FIELDS.join(", ")}`,
      value: 5,
    },
  ]);
});
