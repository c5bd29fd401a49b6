/**
 * The sandbox's in-memory state and the views that turn it into API records. Tests reach it through
 * `RunningSandbox.store`, e.g. to change a record as "another user" between a pull and a push.
 */
import type { Bundle, CompactBundle, ItemType, PrepaidCommit } from "../model/records";
import type { BundleData, CommitData, ItemData, SandboxData } from "./data";
import type { CommitFields } from "./commit-rules";
import { currencyDecimals, percentageOf, subtractExact, toMinorUnits } from "./money";

/** A lookup that found nothing; `detail` is what the API answers with its 404. */
export class SandboxNotFoundError extends Error {
  override name = "SandboxNotFoundError";
  constructor(
    message: string,
    readonly detail = "Not found.",
  ) {
    super(message);
  }
}

/** A "another user" edit (touch) that cannot be applied as asked. */
export class SandboxTouchError extends Error {
  override name = "SandboxTouchError";
}

const ITEM_KEY = { subscription: "subscriptions", usage: "usage", milestone: "milestones" } as const;

/** Path segment of an item type in the API ("subscriptions", "usage", "milestones"). */
export const ITEM_PATH_SEGMENT: Record<ItemType, string> = ITEM_KEY;

function microsOf(iso: string): bigint | null {
  const ms = Date.parse(iso); // keeps milliseconds, drops any further digits
  if (Number.isNaN(ms)) return null;
  const frac = /\.(\d+)/.exec(iso)?.[1] ?? "";
  return BigInt(ms) * 1000n + BigInt(Number((frac + "000000").slice(3, 6)));
}

function isoOfMicros(micros: bigint): string {
  const seconds = micros / 1000000n;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${(micros % 1000000n).toString().padStart(6, "0")}Z`;
}

export class SandboxStore {
  private state: SandboxData;
  private lastMicros = 0n;
  /** Called after every change (the server persists the state here). */
  onChange: (() => void) | undefined;

  constructor(private readonly initial: SandboxData) {
    this.state = structuredClone(initial);
  }

  /** The live state. Mutating it directly is allowed in tests; call `changed()` afterwards to persist. */
  get data(): SandboxData {
    return this.state;
  }

  /** Replaces the current state (e.g. with a persisted file) without changing what reset() returns to. */
  load(data: SandboxData): void {
    this.state = structuredClone(data);
  }

  reset(): void {
    this.state = structuredClone(this.initial);
    this.changed();
  }

  changed(): void {
    this.onChange?.();
  }

  /**
   * A timestamp with microseconds (as Django writes them), strictly later than any this store handed out
   * before and than `after`, even when called twice in the same millisecond.
   */
  nextTimestamp(after?: string | null): string {
    let micros = BigInt(Date.now()) * 1000n;
    const floor = after ? microsOf(after) : null;
    if (floor !== null && micros <= floor) micros = floor + 1n;
    if (micros <= this.lastMicros) micros = this.lastMicros + 1n;
    this.lastMicros = micros;
    return isoOfMicros(micros);
  }

  /** Today's date in UTC, which decides whether a commit has EXPIRED. */
  today(): string {
    return new Date().toISOString().slice(0, 10);
  }

  // ---------- lookups ----------

  contract(id: number): SandboxData["contracts"][number] {
    const c = this.state.contracts.find((x) => x.id === id);
    if (!c) throw new SandboxNotFoundError(`No contract ${id}.`);
    return c;
  }

  items(type: ItemType, contractId: number): ItemData[] {
    this.contract(contractId);
    return (this.state[ITEM_KEY[type]] as ItemData[]).filter((i) => i.contract === contractId);
  }

  item(type: ItemType, contractId: number, itemId: number): ItemData {
    const row = this.items(type, contractId).find((i) => i.id === itemId);
    if (!row) throw new SandboxNotFoundError(`No ${type} ${itemId} on contract ${contractId}.`);
    return row;
  }

  commits(contractId: number): CommitData[] {
    this.contract(contractId);
    return this.state.prepaidCommits.filter((c) => c.contract === contractId);
  }

  commit(contractId: number, commitId: number): CommitData {
    const c = this.commits(contractId).find((x) => x.id === commitId);
    if (!c) throw new SandboxNotFoundError(`No prepaid commit ${commitId} on contract ${contractId}.`);
    return c;
  }

  product(id: number): SandboxData["products"][number] | undefined {
    return this.state.products.find((p) => p.id === id);
  }

  entityName(id: number | null): string | null {
    return id === null ? null : (this.state.entities.find((e) => e.id === id)?.name ?? null);
  }

  departmentName(id: number | null): string | null {
    return id === null ? null : (this.state.departments.find((d) => d.id === id)?.name ?? null);
  }

  productName(id: number | null): string | null {
    if (id === null) return null;
    const p = this.product(id);
    return p ? (p.product_name ?? p.display_name ?? null) : null;
  }

  // ---------- views (what the API serves) ----------

  bundleView(b: BundleData): Bundle {
    const decimals = currencyDecimals(b.currency);
    const totalMinor = toMinorUnits(b.total_amount, decimals) ?? 0n;
    return {
      id: b.id,
      source_bundle: b.source_bundle,
      source_bundle_name: b.source_bundle_name,
      total_amount: b.total_amount,
      currency: b.currency,
      ...(b.license_term_start_date !== undefined ? { license_term_start_date: b.license_term_start_date } : {}),
      lines: b.lines.map((l) => ({
        id: l.id,
        product: l.product,
        product_name: this.productName(l.product) ?? "",
        product_id_str: this.product(l.product)?.product_id ?? "",
        amount: l.amount,
        percentage: percentageOf(toMinorUnits(l.amount, decimals) ?? 0n, totalMinor),
        original_percentage: l.original_percentage,
        ...(l.component_type !== undefined ? { component_type: l.component_type } : {}),
      })),
      created_at: b.created_at,
      last_modified_at: b.last_modified_at,
    };
  }

  compactBundleView(b: BundleData): CompactBundle {
    const full = this.bundleView(b);
    return {
      id: full.id,
      source_bundle: full.source_bundle,
      source_bundle_name: full.source_bundle_name,
      total_amount: full.total_amount,
      currency: full.currency,
      lines: full.lines.map((l) => ({
        id: l.id,
        product: l.product,
        product_name: l.product_name,
        amount: l.amount,
        percentage: l.percentage,
        original_percentage: l.original_percentage,
      })),
    };
  }

  itemView(row: ItemData): Record<string, unknown> {
    const { bundle, ...rest } = row;
    return { ...rest, contract_product_bundle: bundle ? this.compactBundleView(bundle) : null };
  }

  commitView(c: CommitData): PrepaidCommit {
    const remaining = subtractExact(c.total_value, c.consumed_value);
    const status = c.expiration_date !== null && c.expiration_date < this.today() ? "EXPIRED" : remaining <= 0 ? "EXHAUSTED" : "ACTIVE";
    // consumed_value is internal; everything else in the order Campfire lists it.
    return {
      id: c.id,
      contract: c.contract,
      entity: c.entity,
      entity_name: this.entityName(c.entity),
      product: c.product,
      product_name: this.productName(c.product),
      name: c.name,
      description: c.description,
      currency: c.currency,
      exchange_rate: c.exchange_rate,
      exchange_rate_book: c.exchange_rate_book,
      total_value: c.total_value,
      remaining_value: remaining,
      discount_percentage: c.discount_percentage,
      rate: c.rate,
      start_date: c.start_date,
      expiration_date: c.expiration_date,
      status,
      priority: c.priority,
      is_invoiced: c.is_invoiced,
      invoice: c.invoice,
      subledger: c.subledger,
      overage_invoice_cadence: c.overage_invoice_cadence,
      auto_send_overage_invoices: c.auto_send_overage_invoices,
      overage_invoice_start_month: c.overage_invoice_start_month,
      department: c.department,
      department_name: this.departmentName(c.department),
      tags: c.tags,
      created_at: c.created_at,
      last_modified_at: c.last_modified_at,
    };
  }

  // ---------- writes ----------

  bundleOf(type: ItemType, contractId: number, itemId: number): BundleData {
    const b = this.item(type, contractId, itemId).bundle;
    if (!b) throw new SandboxNotFoundError(`${type} ${itemId} has no product bundle.`, "This item has no product bundle.");
    return b;
  }

  setLineAmounts(bundle: BundleData, amounts: ReadonlyMap<number, number>): void {
    for (const line of bundle.lines) {
      const a = amounts.get(line.product);
      if (a !== undefined) line.amount = a;
    }
    bundle.last_modified_at = this.nextTimestamp(bundle.last_modified_at);
    this.changed();
  }

  createCommit(contractId: number, fields: CommitFields): CommitData {
    this.contract(contractId);
    const id = this.state.prepaidCommits.reduce((m, c) => Math.max(m, c.id), 0) + 1;
    const now = this.nextTimestamp();
    const c: CommitData = {
      id,
      contract: contractId,
      ...fields,
      consumed_value: 0,
      is_invoiced: false,
      invoice: null,
      created_at: now,
      last_modified_at: now,
    };
    this.state.prepaidCommits.push(c);
    this.changed();
    return c;
  }

  updateCommit(c: CommitData, fields: CommitFields): CommitData {
    Object.assign(c, fields);
    c.last_modified_at = this.nextTimestamp(c.last_modified_at);
    this.changed();
    return c;
  }

  deleteCommit(contractId: number, commitId: number): void {
    const c = this.commit(contractId, commitId);
    this.state.prepaidCommits = this.state.prepaidCommits.filter((x) => x !== c);
    this.changed();
  }

  /**
   * "Another user" edits a bundle: sets the given line amounts (no rule checks — tests may want a state
   * the API would refuse) and advances last_modified_at.
   */
  touchBundle(
    contractId: number,
    type: ItemType,
    itemId: number,
    patch?: { lines?: { product: number; amount: number }[] | undefined; total_amount?: number | undefined },
  ): Bundle {
    const b = this.bundleOf(type, contractId, itemId);
    if (patch?.total_amount !== undefined) b.total_amount = patch.total_amount;
    const amounts = new Map((patch?.lines ?? []).map((l) => [l.product, l.amount]));
    for (const product of amounts.keys()) {
      if (!b.lines.some((l) => l.product === product)) {
        throw new SandboxTouchError(`Product ${product} is not a line of bundle ${b.id}.`);
      }
    }
    this.setLineAmounts(b, amounts);
    return this.bundleView(b);
  }

  /**
   * "Another user" edits a commit: merges `patch` without rule checks (consumed_value included, so a test
   * can exhaust a commit) and advances last_modified_at. Only stored fields may be named.
   */
  touchCommit(contractId: number, commitId: number, patch?: Partial<Omit<CommitData, "id" | "contract">>): PrepaidCommit {
    const c = this.commit(contractId, commitId);
    const entries = Object.entries(patch ?? {});
    for (const [key] of entries) {
      if (!Object.hasOwn(c, key) || key === "id" || key === "contract" || key === "created_at") {
        throw new SandboxTouchError(`"${key}" is not a field a touch may change.`);
      }
    }
    for (const [key, value] of entries) (c as Record<string, unknown>)[key] = value;
    c.last_modified_at = this.nextTimestamp(c.last_modified_at);
    this.changed();
    return this.commitView(c);
  }
}
