/**
 * Every CampfireApi method against a running sandbox, over HTTP.
 */
import { createCampfireClient, type CampfireApi, type ClientOptions } from "../../src/api";
import { ArgumentError, AuthError, NotFoundError, ValidationError } from "../../src/api/errors";
import { createHttp } from "../../src/api/http";
import { allocationsPath } from "../../src/api/paths";
import {
  COMMIT_WRITABLE_FIELDS,
  ITEM_TYPES,
  type CommitWrite,
  type CompactBundle,
  type ItemType,
  type PrepaidCommit,
} from "../../src/model/records";
import { useSandbox } from "../helpers/sandbox";

type Env = Awaited<ReturnType<typeof useSandbox>>;
let env: Env;
let api: CampfireApi;
let sent: string[];

const options = (extra: Partial<ClientOptions> = {}): ClientOptions => ({
  baseUrl: env.baseUrl,
  token: env.token,
  backoffMs: 5,
  ...extra,
});

beforeAll(async () => {
  env = await useSandbox();
});
afterAll(() => env.close());
beforeEach(() => {
  env.sandbox?.reset();
  sent = [];
  api = createCampfireClient(options({ onRequest: (method, url) => sent.push(`${method} ${new URL(url).pathname}`) }));
});

interface BundledItem {
  contractId: number;
  itemType: ItemType;
  itemId: number;
  bundle: CompactBundle;
}

/** The first bundle-backed item of each type, found the way the add-in finds them: through the item lists. */
async function findBundledItems(client: CampfireApi): Promise<Map<ItemType, BundledItem>> {
  const found = new Map<ItemType, BundledItem>();
  for (const contract of await client.listContracts()) {
    const rows: [ItemType, { id: number; contract_product_bundle?: CompactBundle | null | undefined }[]][] = [
      ["subscription", await client.listSubscriptions(contract.id)],
      ["usage", await client.listUsage(contract.id)],
      ["milestone", await client.listMilestones(contract.id)],
    ];
    for (const [itemType, items] of rows) {
      const row = items.find((item) => item.contract_product_bundle && item.contract_product_bundle.lines.length >= 2);
      if (row && !found.has(itemType)) {
        found.set(itemType, { contractId: contract.id, itemType, itemId: row.id, bundle: row.contract_product_bundle! });
      }
    }
    if (found.size === ITEM_TYPES.length) break;
  }
  return found;
}

async function firstCommit(client: CampfireApi): Promise<PrepaidCommit> {
  for (const contract of await client.listContracts()) {
    const commits = await client.listPrepaidCommits(contract.id);
    if (commits[0]) return commits[0];
  }
  throw new Error("the sandbox seed has no prepaid commit");
}

function writableCopy(commit: PrepaidCommit): CommitWrite {
  const entries = COMMIT_WRITABLE_FIELDS.map((field) => [field, commit[field]] as const).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as CommitWrite;
}

/** Decimal amount ± whole cents, through integers so the result prints as the decimal it is. */
const plusCents = (amount: number, cents: number) => (Math.round(amount * 100) + cents) / 100;

describe("reading the seed", () => {
  test("contracts, one contract, products, one product, entities", async () => {
    const contracts = await api.listContracts();
    expect(contracts.length).toBeGreaterThan(0);
    const first = contracts[0]!;
    expect(await api.getContract(first.id)).toEqual(first);

    const products = await api.listProducts();
    expect(products.length).toBeGreaterThan(0);
    const product = products[products.length - 1]!;
    expect(await api.getProduct(product.id)).toEqual(product);

    const entities = await api.listEntities();
    expect(entities.length).toBeGreaterThan(0);
    expect(new Set(entities.map((e) => e.id)).size).toBe(entities.length);
  });

  test.each(ITEM_TYPES)("the %s allocations match the bundle embedded in its item row", async (itemType) => {
    const item = (await findBundledItems(api)).get(itemType);
    expect(item).toBeDefined();
    const { contractId, itemId, bundle } = item!;
    const full = await api.getAllocations(contractId, itemType, itemId);
    expect(full.id).toBe(bundle.id);
    expect(full.total_amount).toBe(bundle.total_amount);
    expect(full.lines.map((l) => [l.id, l.product, l.amount, l.percentage])).toEqual(
      bundle.lines.map((l) => [l.id, l.product, l.amount, l.percentage]),
    );
  });

  test("prepaid commits: the list entry equals the single read", async () => {
    const commit = await firstCommit(api);
    expect(await api.getPrepaidCommit(commit.contract, commit.id)).toEqual(commit);
  });
});

describe("writing allocations", () => {
  test("PATCH moving half of line 1 to line 2 keeps the total and changes percentage and last_modified_at", async () => {
    const { contractId, itemType, itemId } = (await findBundledItems(api)).values().next().value!;
    const before = await api.getAllocations(contractId, itemType, itemId);
    // Whole currency units, so the move is valid in any currency (JPY has no minor unit).
    const moved = Math.floor(before.lines[0]!.amount / 2);
    expect(moved).toBeGreaterThan(0);
    const lines = before.lines.map((l, i) => ({
      product: l.product,
      amount: i === 0 ? plusCents(l.amount, -100 * moved) : i === 1 ? plusCents(l.amount, 100 * moved) : l.amount,
    }));

    const after = await api.patchAllocations(contractId, itemType, itemId, { lines });

    expect(after.lines.map((l) => ({ product: l.product, amount: l.amount }))).toEqual(lines);
    expect(after.total_amount).toBe(before.total_amount);
    expect(after.lines[0]!.percentage).not.toBe(before.lines[0]!.percentage);
    expect(after.last_modified_at).not.toBe(before.last_modified_at);
    expect(await api.getAllocations(contractId, itemType, itemId)).toEqual(after);
  });

  test("PUT with every line answers the bundle with those amounts", async () => {
    const { contractId, itemType, itemId } = (await findBundledItems(api)).get("subscription")!;
    const before = await api.getAllocations(contractId, itemType, itemId);
    const last = before.lines.length - 1;
    const lines = before.lines.map((l, i) => ({
      product: l.product,
      amount: i === 0 ? plusCents(l.amount, 100) : i === last ? plusCents(l.amount, -100) : l.amount,
    }));
    const after = await api.putAllocations(contractId, itemType, itemId, { lines });
    expect(after.lines.map((l) => l.amount)).toEqual(lines.map((l) => l.amount));
  });

  test("amounts that do not add up: the server's 400 becomes a ValidationError", async () => {
    const { contractId, itemType, itemId } = (await findBundledItems(api)).get("usage")!;
    const before = await api.getAllocations(contractId, itemType, itemId);
    const lines = before.lines.map((l, i) => ({ product: l.product, amount: i === 0 ? plusCents(l.amount, 100) : l.amount }));
    const error = await api.patchAllocations(contractId, itemType, itemId, { lines }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).method).toBe("PATCH");
    expect((error as ValidationError).path).toBe(allocationsPath(contractId, itemType, itemId));
    const [issue, ...more] = (error as ValidationError).issues;
    expect(more).toEqual([]);
    expect(issue!.path).toBe("non_field_errors");
    expect(issue!.message).toMatch(/^Line amounts sum to [\d.,]+ but the bundle total is [\d.,]+ \(difference 1(\.0+)?\)\.$/);
    expect(await api.getAllocations(contractId, itemType, itemId)).toEqual(before);
  });

  test("a line error from the server carries its path and line index", async () => {
    const { contractId, itemType, itemId } = (await findBundledItems(api)).get("subscription")!;
    const before = await api.getAllocations(contractId, itemType, itemId);
    // Bypass the client's own check to see how a server-side rejection is reported.
    const raw = createHttp(options());
    const badLines = before.lines.map((l, i) => ({ product: l.product, amount: i === 1 ? "lots" : l.amount }));
    const error = await raw.send("PATCH", allocationsPath(contractId, itemType, itemId), { lines: badLines }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues).toEqual([{ path: "lines[1].amount", message: "A valid number is required.", lineIndex: 1 }]);
  });
});

describe("writing prepaid commits", () => {
  test("PUT replaces the writable fields", async () => {
    const commit = await firstCommit(api);
    const body = { ...writableCopy(commit), name: `${commit.name} (renamed)`, priority: 7 };
    const after = await api.putPrepaidCommit(commit.contract, commit.id, body);
    expect(after.name).toBe(`${commit.name} (renamed)`);
    expect(after.priority).toBe(7);
    expect(after.total_value).toBe(commit.total_value);
    expect(await api.getPrepaidCommit(commit.contract, commit.id)).toEqual(after);
  });

  test("PATCH changes only what it names", async () => {
    const commit = await firstCommit(api);
    const after = await api.patchPrepaidCommit(commit.contract, commit.id, { description: "patched" });
    expect(after.description).toBe("patched");
    expect(after.name).toBe(commit.name);
  });

  describe("text is trimmed as Campfire (DRF's CharField) trims it, before the length check, and sent trimmed", () => {
    const long = "b".repeat(250);
    /** The real fetch, recording each request body on the way. */
    const bodies: unknown[] = [];
    const recording = () =>
      createCampfireClient(
        options({
          fetch: async (input, init) => {
            if (typeof input === "object" && "clone" in input) bodies.push(JSON.parse(await input.clone().text()));
            return fetch(input, init);
          },
        }),
      );
    beforeEach(() => {
      bodies.length = 0;
    });

    test("PUT: a 250-character name with spaces around it, and padded description, currency and tags", async () => {
      const commit = await firstCommit(api);
      const padded = {
        ...writableCopy(commit),
        name: `  ${long}  `,
        description: " Renewal terms\n",
        currency: ` ${commit.currency} `,
        tags: "\tq3, enterprise ",
      };
      const after = await recording().putPrepaidCommit(commit.contract, commit.id, padded);
      const trimmed = { name: long, description: "Renewal terms", currency: commit.currency, tags: "q3, enterprise" };
      expect(bodies).toEqual([expect.objectContaining(trimmed)]);
      expect(after).toMatchObject(trimmed);
    });

    test("PATCH: the padded name alone", async () => {
      const commit = await firstCommit(api);
      const after = await recording().patchPrepaidCommit(commit.contract, commit.id, { name: ` ${long}\t` });
      expect(bodies).toEqual([{ name: long }]);
      expect(after.name).toBe(long);
    });

    test("a name of spaces only is empty once trimmed: refused before sending", async () => {
      const error = await recording()
        .patchPrepaidCommit(1, 2, { name: "   " })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).issues).toEqual([{ path: "name", message: "Too small: expected string to have >=1 characters" }]);
      expect(bodies).toEqual([]);
    });

    test("251 characters once trimmed is still too long", async () => {
      const error = await recording()
        .patchPrepaidCommit(1, 2, { name: ` ${long}b ` })
        .catch((e: unknown) => e);
      expect((error as ArgumentError).issues).toEqual([{ path: "name", message: "Too big: expected string to have <=250 characters" }]);
      expect(bodies).toEqual([]);
    });
  });

  test("POST creates a commit that DELETE removes", async () => {
    const contractId = (await api.listContracts())[0]!.id;
    const created = await api.createPrepaidCommit(contractId, {
      name: "Client test commit",
      total_value: 1234.5,
      start_date: "2026-05-01",
    });
    expect(created).toMatchObject({ contract: contractId, name: "Client test commit", total_value: 1234.5 });
    expect((await api.listPrepaidCommits(contractId)).map((c) => c.id)).toContain(created.id);

    await expect(api.deletePrepaidCommit(contractId, created.id)).resolves.toBeUndefined();
    await expect(api.getPrepaidCommit(contractId, created.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("pagination", () => {
  test("a small page size walks every page and yields the same list as one big page", async () => {
    const whole = await api.listProducts();
    expect(whole.length).toBeGreaterThan(10);

    sent = [];
    const paged = await createCampfireClient(
      options({ pageSize: 3, onRequest: (method, url) => sent.push(`${method} ${url}`) }),
    ).listProducts();

    expect(paged).toEqual(whole);
    expect(sent).toHaveLength(Math.ceil(whole.length / 3));
    expect(sent[0]).toBe(`GET ${env.baseUrl.replace(/\/$/, "")}/rr/api/v1/product?limit=3`);
  });

  test.each(["listContracts", "listUsage", "listMilestones", "listPrepaidCommits"] as const)(
    "%s gives the same records at page size 1 and 500",
    async (method) => {
      const contractId = (await firstCommit(api)).contract;
      const small = createCampfireClient(options({ pageSize: 1 }));
      expect(await small[method](contractId)).toEqual(await api[method](contractId));
    },
  );
});

describe("errors the server decides", () => {
  test("a wrong token is an AuthError with status 401", async () => {
    const wrong = createCampfireClient(options({ token: "not-the-right-token" }));
    const error = await wrong.listContracts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
    expect((error as AuthError).path).toBe("/rr/api/v1/contracts");
  });

  test("an unknown id is a NotFoundError", async () => {
    const error = await api.getContract(987654321).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    expect((error as NotFoundError).path).toBe("/rr/api/v1/contracts/987654321");
  });
});

describe("errors caught before sending", () => {
  test.each([
    ["contract id 0", (a: CampfireApi) => a.getContract(0), "contractId must be a positive integer, got 0"],
    ["negative item id", (a: CampfireApi) => a.getAllocations(1, "usage", -3), "itemId must be a positive integer, got -3"],
    ["fractional commit id", (a: CampfireApi) => a.getPrepaidCommit(1, 1.5), "commitId must be a positive integer, got 1.5"],
    ["NaN product id", (a: CampfireApi) => a.getProduct(NaN), "productId must be a positive integer, got NaN"],
    [
      "unknown item type",
      (a: CampfireApi) => a.getAllocations(1, "invoice" as ItemType, 1),
      'itemType must be one of usage, subscription, milestone, got "invoice"',
    ],
    [
      "a line amount that is not a number",
      (a: CampfireApi) => a.patchAllocations(1, "usage", 1, { lines: [{ product: 1, amount: "5" as unknown as number }] }),
      "Not sent: the body for PATCH /rr/api/v1/contracts/1/usage/1/allocations is invalid: lines[0].amount: expected number, received string",
    ],
    [
      "a commit without a name",
      (a: CampfireApi) => a.createPrepaidCommit(1, { total_value: 1, start_date: "2026-01-01" } as CommitWrite),
      "Not sent: the body for POST /rr/api/v1/contracts/1/prepaid-commits is invalid: name: expected string, received undefined",
    ],
    [
      "a cadence outside the list",
      (a: CampfireApi) => a.patchPrepaidCommit(1, 2, { overage_invoice_cadence: "weekly" as "monthly" }),
      'Not sent: the body for PATCH /rr/api/v1/contracts/1/prepaid-commits/2 is invalid: overage_invoice_cadence: expected one of "monthly"|"quarterly"|"biannual"|"annual"|"one_time"',
    ],
  ])("%s", async (_, call, message) => {
    const error = await call(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).message).toBe(message);
    expect(sent).toEqual([]);
  });

  test("a PUT body without lines lists the missing field", async () => {
    const error = await api.putAllocations(1, "usage", 1, {} as { lines: [] }).catch((e: unknown) => e);
    expect((error as ArgumentError).issues).toEqual([{ path: "lines", message: "expected array, received undefined" }]);
    expect(sent).toEqual([]);
  });

  test("bad options are refused at creation", () => {
    expect(() => createCampfireClient(options({ pageSize: 0 }))).toThrow("pageSize must be a positive integer, got 0");
    expect(() => createCampfireClient(options({ retries: -1 }))).toThrow("retries must be a number from 0 to 20, got -1");
    expect(() => createCampfireClient(options({ token: "" }))).toThrow(ArgumentError);
  });
});
