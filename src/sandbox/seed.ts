/**
 * The sandbox's default data: a small, deterministic, realistic tenant ("Northwind Analytics") whose
 * records exercise every rule the add-in must respect — totals that only balance to the cent, a JPY
 * bundle (no minor unit), a EUR and a GBP bundle, negative credit lines, items without a bundle,
 * prepaid commits in every status, a name starting with "=" and names outside ASCII.
 *
 * Line amounts are written in whole minor units (cents) and converted once, so every bundle balances
 * exactly by construction; test/sandbox/seed.test.ts checks it.
 */
import type { BundleData, BundleLineData, CommitData, SandboxData } from "./data";
import { COMMIT_DEFAULTS } from "./commit-rules";
import { currencyDecimals } from "./money";

type ComponentType = NonNullable<BundleLineData["component_type"]>;

const T0 = "2026-01-15T09:30:00.000000Z";
const T1 = "2026-02-02T14:05:11.250000Z";
const T2 = "2026-03-10T08:00:00.000000Z";

function amountOf(minor: number, currency: string): number {
  return minor / 10 ** currencyDecimals(currency);
}

/** Builds a bundle from lines given in minor units; total = the sum (bundles balance by construction). */
function makeBundle(
  id: number,
  firstLineId: number,
  currency: string,
  lines: [product: number, minor: number, componentType?: ComponentType | null][],
  extra: Partial<Pick<BundleData, "source_bundle" | "source_bundle_name" | "license_term_start_date">> = {},
  stamps: [string, string] = [T0, T1],
): BundleData {
  const totalMinor = lines.reduce((s, [, m]) => s + m, 0);
  return {
    id,
    source_bundle: extra.source_bundle ?? null,
    source_bundle_name: extra.source_bundle_name ?? null,
    total_amount: amountOf(totalMinor, currency),
    currency,
    ...(extra.license_term_start_date !== undefined ? { license_term_start_date: extra.license_term_start_date } : {}),
    lines: lines.map(([product, minor, componentType], i) => ({
      id: firstLineId + i,
      product,
      amount: amountOf(minor, currency),
      // The template's split, kept for audit: rounded to 3 places as Campfire shows it.
      original_percentage: totalMinor === 0 ? null : Math.round((minor / totalMinor) * 100000) / 1000,
      ...(componentType !== undefined ? { component_type: componentType } : {}),
    })),
    created_at: stamps[0],
    last_modified_at: stamps[1],
  };
}

const ENTITIES: SandboxData["entities"] = [
  { id: 1, name: "Northwind Analytics, Inc.", currency: "USD", active: true, parent: null, parent_name: null, is_adjusting: false },
  {
    id: 2,
    name: "Northwind Analytics GmbH",
    currency: "EUR",
    active: true,
    parent: 1,
    parent_name: "Northwind Analytics, Inc.",
    is_adjusting: false,
  },
  {
    id: 3,
    name: "Northwind Analytics K.K.",
    currency: "JPY",
    active: true,
    parent: 1,
    parent_name: "Northwind Analytics, Inc.",
    is_adjusting: false,
  },
  {
    id: 4,
    name: "Northwind Analytics Ltd",
    currency: "GBP",
    active: true,
    parent: 1,
    parent_name: "Northwind Analytics, Inc.",
    is_adjusting: false,
  },
  { id: 5, name: "Northwind Legacy Holdings", currency: "USD", active: false, parent: null, parent_name: null, is_adjusting: false },
];

const PRODUCT_ROWS: [id: number, code: string, name: string, currency: string | null][] = [
  [101, "PLAT-ENT", "Platform — Enterprise", "USD"],
  [102, "PLAT-PRO", "Platform — Professional", "USD"],
  [103, "API-CALLS", "API Calls (per 1,000)", "USD"],
  [104, "STOR-TB", "Storage (per TB-month)", "USD"],
  [105, "SUP-PREM", "Premium Support", "USD"],
  [106, "SUP-STD", "Standard Support", "USD"],
  [107, "IMPL-SVC", "Implementation Services", "USD"],
  [108, "TRAIN-ONS", "On-site Training", "USD"],
  [109, "SSO-ADDON", "SSO & SCIM Add-on", "USD"],
  [110, "AUDIT-LOG", "Audit Log Retention", "USD"],
  [111, "CREDIT-PROMO", "Promotional Credit", null],
  [112, "DATA-EXPORT", "Data Export Connector", "USD"],
  [113, "ANALYTICS-ADV", "Advanced Analytics", "EUR"],
  [114, "HOSTING-EU", "EU Data Residency", "EUR"],
  [115, "PLAT-JP", "Platform — Japan Edition", "JPY"],
];

const PRODUCTS: SandboxData["products"] = PRODUCT_ROWS.map(([id, code, name, currency]) => ({
  id,
  product_id: code,
  product_name: name,
  display_name: `${name} (${code})`,
  product_description: null,
  currency,
  department: null,
  department_name: null,
  is_deleted: false,
  last_modified_at: T0,
}));

const DEPARTMENTS: SandboxData["departments"] = [
  { id: 201, code: "SALES", name: "Sales", display_name: "SALES - Sales", active: true, parent: null, parent_name: null },
  { id: 202, code: "CS", name: "Customer Success", display_name: "CS - Customer Success", active: true, parent: null, parent_name: null },
  {
    id: 203,
    code: "PS",
    name: "Professional Services",
    display_name: "PS - Professional Services",
    active: true,
    parent: null,
    parent_name: null,
  },
];

function contract(
  id: number,
  deal_name: string,
  client: [number, string],
  entity: number,
  fields: { status: string; source: string; billing_frequency: string; start: string; end: string; tcv: number },
): SandboxData["contracts"][number] {
  const e = ENTITIES.find((x) => x.id === entity);
  return {
    id,
    deal_name,
    deal_id: `D-2026-${String(id).padStart(4, "0")}`,
    client: client[0],
    client_name: client[1],
    entity,
    entity_name: e?.name ?? null,
    department: 201,
    department_name: "Sales",
    currency: e?.currency ?? "USD",
    entity_currency: e?.currency ?? "USD",
    status: fields.status,
    source: fields.source,
    billing_frequency: fields.billing_frequency,
    contract_start_date: fields.start,
    contract_end_date: fields.end,
    closed_date: fields.start,
    total_contract_value: fields.tcv,
    total_revenue: 0,
    total_mrr: 0,
    total_deferred_revenue: 0,
    tags: "",
    is_deleted: false,
    deleted_at: null,
    created_at: T0,
    last_modified_at: T1,
  };
}

const CONTRACTS: SandboxData["contracts"] = [
  contract(1, "Acme Corp — 2026 Platform Renewal", [501, "Acme Corp"], 1, {
    status: "ACTIVE",
    source: "SALESFORCE",
    billing_frequency: "annual",
    start: "2026-01-01",
    end: "2026-12-31",
    tcv: 160000,
  }),
  contract(2, "Globex GmbH — Analytics Expansion", [502, "Globex GmbH"], 2, {
    status: "ACTIVE",
    source: "HUBSPOT",
    billing_frequency: "quarterly",
    start: "2026-03-01",
    end: "2027-02-28",
    tcv: 60000,
  }),
  contract(3, "Initech — Usage Commit 2026–2030", [503, "Initech LLC"], 1, {
    status: "ACTIVE",
    source: "MANUAL",
    billing_frequency: "monthly",
    start: "2026-01-01",
    end: "2030-12-31",
    tcv: 180000,
  }),
  contract(4, "Umbrella K.K. — Enterprise Suite", [504, "Umbrella K.K."], 3, {
    status: "ACTIVE",
    source: "SALESFORCE",
    billing_frequency: "annual",
    start: "2026-04-01",
    end: "2027-03-31",
    tcv: 13000000,
  }),
  contract(5, "Soylent Ltd — Implementation & Support", [505, "Soylent Ltd"], 4, {
    status: "ACTIVE",
    source: "STRIPE",
    billing_frequency: "one_time",
    start: "2026-02-01",
    end: "2026-11-30",
    tcv: 17500,
  }),
  contract(6, "Hooli — Pilot (no bundles)", [506, "Hooli"], 1, {
    status: "PENDING",
    source: "MANUAL",
    billing_frequency: "monthly",
    start: "2026-06-01",
    end: "2026-08-31",
    tcv: 4500,
  }),
  contract(7, "Stark Industries — Multi-year Platform", [507, "Stark Industries"], 1, {
    status: "ACTIVE",
    source: "SALESFORCE",
    billing_frequency: "annual",
    start: "2026-04-01",
    end: "2029-03-31",
    tcv: 251000,
  }),
];

const productName = (id: number) => PRODUCT_ROWS.find(([pid]) => pid === id)?.[2] ?? null;

function subscription(
  id: number,
  contractId: number,
  name: string,
  bundle: BundleData | null,
  product: number | null,
  total_value: number,
  dates: [string, string],
): SandboxData["subscriptions"][number] {
  return {
    id,
    contract: contractId,
    product,
    product_name: product !== null ? (productName(product) ?? name) : name,
    product_bundle: bundle ? name : null,
    product_bundle_name: bundle ? name : null,
    total_value,
    start_date: dates[0],
    end_date: dates[1],
    mrr: Math.round((total_value / 12) * 100) / 100,
    is_deleted: false,
    deleted_at: null,
    created_at: T0,
    last_modified_at: T1,
    bundle,
  };
}

const SUBSCRIPTIONS: SandboxData["subscriptions"] = [
  // 100,000.00 split three ways only balances with one line a cent higher.
  subscription(
    1001,
    1,
    "Enterprise Platform Bundle",
    makeBundle(
      5001,
      7001,
      "USD",
      [
        [101, 3333333, "SUBSCRIPTION"],
        [105, 3333333, "SUBSCRIPTION"],
        [109, 3333334, "SUBSCRIPTION"],
      ],
      { source_bundle: 301, source_bundle_name: "Enterprise Platform Bundle" },
    ),
    null,
    100000,
    ["2026-01-01", "2026-12-31"],
  ),
  // Includes a negative promotional credit line.
  subscription(
    1002,
    1,
    "Growth Bundle",
    makeBundle(
      5002,
      7011,
      "USD",
      [
        [102, 3000000],
        [103, 1000050],
        [104, 599950],
        [110, 400000],
        [111, -200000],
      ],
      { source_bundle: 302, source_bundle_name: "Growth Bundle" },
    ),
    null,
    48000,
    ["2026-01-01", "2026-12-31"],
  ),
  subscription(1003, 1, "Standard Support", null, 106, 12000, ["2026-01-01", "2026-12-31"]),
  subscription(
    1004,
    2,
    "Analytics Expansion Bundle",
    makeBundle(
      5004,
      7031,
      "EUR",
      [
        [113, 2999999],
        [112, 1800000],
        [114, 1200001],
      ],
      { source_bundle: 304, source_bundle_name: "Analytics Expansion Bundle" },
    ),
    null,
    60000,
    ["2026-03-01", "2027-02-28"],
  ),
  // Eight JPY lines (no minor unit), one of them a credit.
  subscription(
    1005,
    4,
    "Umbrella Enterprise Suite",
    makeBundle(
      5005,
      7041,
      "JPY",
      [
        [115, 4800000],
        [105, 1800000],
        [109, 1200000],
        [110, 900000],
        [112, 1100000],
        [113, 1500000],
        [107, 900000],
        [111, -200000],
      ],
      { source_bundle: 305, source_bundle_name: "Enterprise Suite (Japan)" },
    ),
    null,
    12000000,
    ["2026-04-01", "2027-03-31"],
  ),
  subscription(
    1006,
    7,
    "Stark Support Bundle",
    makeBundle(5006, 7051, "USD", [
      [106, 33333],
      [110, 33333],
      [112, 33334],
    ]),
    null,
    1000,
    ["2026-04-01", "2027-03-31"],
  ),
  subscription(1007, 6, "Platform — Professional", null, 102, 4500, ["2026-06-01", "2026-08-31"]),
];

function usage(
  id: number,
  contractId: number,
  name: string,
  bundle: BundleData | null,
  product: number | null,
  description: string | null,
  dates: [string, string],
): SandboxData["usage"][number] {
  return {
    id,
    contract: contractId,
    product,
    product_name: product !== null ? (productName(product) ?? name) : name,
    product_bundle: bundle ? name : null,
    product_bundle_name: bundle ? name : null,
    usage_group: null,
    usage_group_name: null,
    department: null,
    description,
    start_date: dates[0],
    end_date: dates[1],
    created_at: T0,
    last_modified_at: T1,
    bundle,
  };
}

const USAGE: SandboxData["usage"] = [
  usage(
    2001,
    3,
    "Usage Bundle",
    makeBundle(
      5011,
      7101,
      "USD",
      [
        [103, 1875000, "USAGE"],
        [104, 625000, "USAGE"],
      ],
      { source_bundle: 311, source_bundle_name: "Usage Bundle" },
    ),
    null,
    "API and storage usage, billed monthly in arrears",
    ["2026-01-01", "2030-12-31"],
  ),
  usage(2002, 3, "API Calls (per 1,000)", null, 103, "Overage usage beyond the prepaid commit", ["2026-01-01", "2030-12-31"]),
  // 1,000,000 JPY in three lines: 333,333 + 333,333 + 333,334.
  usage(
    2003,
    4,
    "Usage Bundle (Japan)",
    makeBundle(5012, 7111, "JPY", [
      [103, 333333, "USAGE"],
      [104, 333333, "USAGE"],
      [110, 333334, "USAGE"],
    ]),
    null,
    null,
    ["2026-04-01", "2027-03-31"],
  ),
];

function milestone(
  id: number,
  contractId: number,
  milestone_name: string,
  milestone_date: string,
  bundle: BundleData | null,
  product: number | null,
  amount: number,
  bundleName: string | null,
): SandboxData["milestones"][number] {
  return {
    id,
    contract: contractId,
    product,
    product_name: product !== null ? productName(product) : bundleName,
    product_bundle_name: bundleName,
    milestone_name,
    milestone_date,
    amount,
    last_modified_at: T1,
    bundle,
  };
}

const MILESTONES: SandboxData["milestones"] = [
  milestone(
    3001,
    5,
    "Go-live",
    "2026-05-15",
    makeBundle(5021, 7201, "GBP", [
      [107, 1000000, "MILESTONE"],
      [108, 500000, "MILESTONE"],
    ]),
    null,
    15000,
    "Implementation Package",
  ),
  milestone(3002, 5, "Hypercare sign-off", "2026-07-01", null, 107, 2500, null),
  // Eight lines across component types, with a credit; a mixed Salesforce bundle, so it has a license term start.
  milestone(
    3003,
    7,
    "Phase 1 acceptance",
    "2026-06-30",
    makeBundle(
      5022,
      7211,
      "USD",
      [
        [101, 12000000, "SUBSCRIPTION"],
        [105, 2500000, "SUBSCRIPTION"],
        [107, 4000000, "MILESTONE"],
        [108, 750000, "MILESTONE"],
        [109, 1500000, "SUBSCRIPTION"],
        [110, 1250000, "SUBSCRIPTION"],
        [103, 3500000, "USAGE"],
        [111, -500000, null],
      ],
      { source_bundle: 322, source_bundle_name: "Stark Platform Program", license_term_start_date: "2026-04-01" },
      [T0, T2],
    ),
    null,
    250000,
    "Stark Platform Program",
  ),
];

function commit(c: Partial<CommitData> & Pick<CommitData, "id" | "contract" | "name" | "total_value" | "start_date">): CommitData {
  return {
    ...COMMIT_DEFAULTS,
    consumed_value: 0,
    is_invoiced: false,
    invoice: null,
    created_at: T0,
    last_modified_at: T1,
    ...c,
  };
}

// Expiration dates of ACTIVE and EXHAUSTED commits lie far ahead so their status does not change as time passes.
const PREPAID_COMMITS: CommitData[] = [
  commit({
    id: 9001,
    contract: 3,
    name: "Initech Usage Commit 2026–2030",
    description: "Prepaid API usage, drawn down at list rate less 20%.",
    total_value: 120000,
    consumed_value: 45250.75,
    currency: "USD",
    start_date: "2026-01-01",
    expiration_date: "2030-12-31",
    discount_percentage: 20,
    rate: 0.25,
    priority: 1,
    entity: 1,
    product: 103,
    department: 202,
    subledger: 42,
    exchange_rate: 1,
    exchange_rate_book: 1,
    overage_invoice_cadence: "quarterly",
    auto_send_overage_invoices: true,
    overage_invoice_start_month: "2026-04-01",
    tags: "usage,api",
    is_invoiced: true,
    invoice: 880001,
  }),
  // Same priority as 9001: the drawdown order between them is a tie the add-in must not guess at.
  commit({
    id: 9002,
    contract: 3,
    name: "Burst Capacity Pool",
    total_value: 30000,
    start_date: "2026-01-01",
    discount_percentage: 10,
    rate: 0.3,
    priority: 1,
    entity: 1,
    product: 104,
    tags: "storage",
  }),
  commit({
    id: 9003,
    contract: 3,
    name: "Initech Usage Commit 2025",
    description: "Previous term; kept for reporting.",
    total_value: 80000,
    consumed_value: 61200.4,
    start_date: "2025-01-01",
    expiration_date: "2025-12-31",
    discount_percentage: 15,
    rate: 0.25,
    priority: 0,
    entity: 1,
    product: 103,
    overage_invoice_cadence: "annual",
    is_invoiced: true,
    invoice: 870412,
  }),
  commit({
    id: 9004,
    contract: 3,
    name: "Q1 Overage Credit",
    total_value: 5000,
    consumed_value: 5000,
    start_date: "2026-01-01",
    expiration_date: "2030-03-31",
    priority: 2,
    entity: 1,
    overage_invoice_cadence: "one_time",
  }),
  commit({
    id: 9005,
    contract: 2,
    name: "=SUM(A1:A9) Analytics Credits",
    description: '=HYPERLINK("http://example.invalid") must stay text',
    total_value: 25000,
    consumed_value: 1234.56,
    currency: "EUR",
    start_date: "2026-03-01",
    expiration_date: "2031-02-28",
    entity: 2,
    product: 113,
    exchange_rate: 1.0842,
    exchange_rate_book: 1,
    overage_invoice_cadence: "annual",
    department: 201,
  }),
  commit({
    id: 9006,
    contract: 4,
    name: "年間コミット — Umbrella 東京 ✓",
    description: "前払いコミット（円建て）",
    total_value: 5000000,
    consumed_value: 1250000,
    currency: "JPY",
    start_date: "2026-04-01",
    expiration_date: "2031-03-31",
    entity: 3,
    product: 115,
    exchange_rate: 0.0067,
    exchange_rate_book: 1,
    rate: 12,
    discount_percentage: 5.5,
    overage_invoice_cadence: "biannual",
  }),
  commit({
    id: 9007,
    contract: 1,
    name: "Acme Support Credits",
    description: "",
    total_value: 10000,
    consumed_value: 2500.5,
    start_date: "2026-01-01",
    expiration_date: "2030-12-31",
    priority: 2,
    entity: 1,
    product: 105,
    overage_invoice_cadence: "one_time",
    auto_send_overage_invoices: true,
  }),
  // Over-consumed: remaining is negative, so EXHAUSTED.
  commit({
    id: 9008,
    contract: 5,
    name: "Soylent Training Hours",
    total_value: 3000,
    consumed_value: 3150.25,
    currency: "GBP",
    start_date: "2026-02-01",
    expiration_date: "2030-11-30",
    entity: 4,
    product: 108,
    rate: 150,
    priority: -1,
    overage_invoice_cadence: "biannual",
    exchange_rate: 1.27,
    exchange_rate_book: 1,
    department: 203,
  }),
];

/** A fresh deep copy of the default data each call; callers may mutate it. */
export function seedData(): SandboxData {
  return structuredClone({
    entities: ENTITIES,
    products: PRODUCTS,
    departments: DEPARTMENTS,
    contracts: CONTRACTS,
    subscriptions: SUBSCRIPTIONS,
    usage: USAGE,
    milestones: MILESTONES,
    prepaidCommits: PREPAID_COMMITS,
  });
}

/**
 * Benchmark data: the seed's lookups plus `nBundles` bundle-backed items of `linesPerBundle` lines
 * each, spread over contracts of 50 items and rotating through subscriptions, usage and milestones.
 * Amounts vary by line so a diff or sum mistake shows; every bundle balances exactly.
 */
export function makeLargeData(nBundles: number, linesPerBundle: number): SandboxData {
  if (!Number.isInteger(nBundles) || nBundles < 0) throw new RangeError(`nBundles must be a non-negative integer, got ${nBundles}`);
  if (!Number.isInteger(linesPerBundle) || linesPerBundle < 1)
    throw new RangeError(`linesPerBundle must be a positive integer, got ${linesPerBundle}`);
  const seed = seedData();
  const products = [...seed.products];
  for (let i = products.length; i < linesPerBundle; i++) {
    const id = 1000 + i;
    products.push({
      id,
      product_id: `BENCH-${id}`,
      product_name: `Bench Product ${id}`,
      display_name: `Bench Product ${id}`,
      currency: "USD",
      last_modified_at: T0,
    });
  }
  const perContract = 50;
  const nContracts = Math.max(1, Math.ceil(nBundles / perContract));
  const contracts = Array.from({ length: nContracts }, (_, c) =>
    contract(100 + c, `Bench Customer ${c + 1} — Platform Agreement`, [1000 + c, `Bench Customer ${c + 1}`], 1, {
      status: "ACTIVE",
      source: "MANUAL",
      billing_frequency: "annual",
      start: "2026-01-01",
      end: "2026-12-31",
      tcv: 0,
    }),
  );
  const data: SandboxData = { ...seed, products, contracts, subscriptions: [], usage: [], milestones: [], prepaidCommits: [] };
  let lineId = 100000;
  for (let b = 0; b < nBundles; b++) {
    const contractId = 100 + Math.floor(b / perContract);
    const lines: [number, number, ComponentType | null][] = [];
    for (let l = 0; l < linesPerBundle; l++) {
      const product = products[l]!.id;
      lines.push([product, 100000 + ((b * 7919 + l * 104729) % 900000) + (l === 0 ? 1 : 0), null]);
    }
    const bundle = makeBundle(50000 + b, lineId, "USD", lines);
    lineId += linesPerBundle;
    const total = bundle.total_amount;
    const name = `Bench Bundle ${b + 1}`;
    const itemId = 100000 + b;
    if (b % 3 === 0) data.subscriptions.push(subscription(itemId, contractId, name, bundle, null, total, ["2026-01-01", "2026-12-31"]));
    else if (b % 3 === 1) data.usage.push(usage(itemId, contractId, name, bundle, null, null, ["2026-01-01", "2026-12-31"]));
    else data.milestones.push(milestone(itemId, contractId, name, "2026-06-30", bundle, null, total, name));
  }
  contracts.forEach((c, i) => {
    data.prepaidCommits.push(
      commit({
        id: 900000 + i,
        contract: c.id,
        name: `Bench Commit ${i + 1}`,
        total_value: 50000,
        consumed_value: 1234.5,
        start_date: "2026-01-01",
        expiration_date: "2030-12-31",
        entity: 1,
      }),
    );
  });
  return data;
}
