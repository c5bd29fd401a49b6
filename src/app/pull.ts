/**
 * Pull: reads what Campfire holds for the chosen contracts, writes it as one table body in one call, and
 * keeps the records as pulled (the snapshot) with the workbook. Nothing is written until every request
 * has succeeded, so a failed pull leaves the previous table and snapshot as they were.
 */
import type { CampfireApi } from "../api/campfire-api";
import { type Contract, type ItemType, type PrepaidCommit } from "../model/records";
import { allocationRows, type PulledBundle } from "../domain/sheet/allocation-table";
import type { UtcOffset } from "../domain/sheet/cell-writers";
import { commitRows } from "../domain/sheet/commit-table";
import { allocationSnapshot, commitSnapshot } from "../domain/sheet/snapshot";
import { mapLimit } from "./concurrency";
import { ITEM_LISTS } from "./item-lists";
import type { CellValue, Progress } from "./ports";

export interface Pulled {
  rows: CellValue[][];
  snapshotJson: string;
  records: number;
  contracts: number;
  message: string;
}

export interface PullContext {
  api: CampfireApi;
  concurrency: number;
  progress?: Progress | undefined;
  pulledAt: string;
  offset?: UtcOffset | undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

async function contractsOf(ctx: PullContext, ids: readonly number[] | "all"): Promise<{ id: number; dealName: string | null }[]> {
  if (ids === "all") {
    const all: Contract[] = await ctx.api.listContracts();
    return all.map((c) => ({ id: c.id, dealName: c.deal_name ?? null }));
  }
  const unique = [...new Set(ids)];
  return mapLimit(unique, ctx.concurrency, async (id) => {
    const c = await ctx.api.getContract(id);
    return { id: c.id, dealName: c.deal_name ?? null };
  });
}

/** Rows come in the order Campfire's app lists a contract's items (the order of ITEM_LISTS). */
const ITEM_ORDER = Object.fromEntries(ITEM_LISTS.map((l, i) => [l.itemType, i])) as Record<ItemType, number>;

/** What a pull read from Campfire: records in the order the sheet shows them, and the contracts read. */
export interface Fetched<R> {
  records: R[];
  contracts: number[];
}

export async function fetchAllocations(ctx: PullContext, contractIds: readonly number[] | "all"): Promise<Fetched<PulledBundle>> {
  ctx.progress?.(0, 1, "Reading contracts");
  const contracts = await contractsOf(ctx, contractIds);
  const items: Omit<PulledBundle, "bundle">[] = [];
  const lists = contracts.flatMap((contract) => ITEM_LISTS.map((itemList) => ({ contract, itemList })));
  await mapLimit(
    lists,
    ctx.concurrency,
    async ({ contract, itemList: { itemType, list } }) => {
      for (const item of await list(ctx.api, contract.id)) {
        if (item.contract_product_bundle) {
          items.push({ contractId: contract.id, dealName: contract.dealName, itemType, itemId: item.id });
        }
      }
    },
    (done, total) => ctx.progress?.(done, total, `Listing contract items ${done} of ${total}`),
  );
  items.sort((a, b) => a.contractId - b.contractId || ITEM_ORDER[a.itemType] - ITEM_ORDER[b.itemType] || a.itemId - b.itemId);

  // The compact bundle on each item lacks product codes and last_modified_at, so each bundle is read in full.
  const bundles = await mapLimit(
    items,
    ctx.concurrency,
    async (item): Promise<PulledBundle> => ({
      ...item,
      bundle: await ctx.api.getAllocations(item.contractId, item.itemType, item.itemId),
    }),
    (done, total) => ctx.progress?.(done, total, `Reading bundle ${done} of ${total}`),
  );
  return { records: bundles, contracts: contracts.map((c) => c.id) };
}

export async function fetchCommits(ctx: PullContext, contractIds: readonly number[] | "all"): Promise<Fetched<PrepaidCommit>> {
  ctx.progress?.(0, 1, "Reading contracts");
  const ids = contractIds === "all" ? (await ctx.api.listContracts()).map((c) => c.id) : [...new Set(contractIds)];
  const lists = await mapLimit(
    ids,
    ctx.concurrency,
    (id) => ctx.api.listPrepaidCommits(id),
    (done, total) => ctx.progress?.(done, total, `Reading prepaid commits: contract ${done} of ${total}`),
  );
  const commits: PrepaidCommit[] = lists.flat().sort((a, b) => a.contract - b.contract || a.id - b.id);
  return { records: commits, contracts: ids };
}

export function allocationsMessage(bundles: readonly PulledBundle[], contracts: number): string {
  const lines = bundles.reduce((n, b) => n + b.bundle.lines.length, 0);
  return `Pulled ${plural(bundles.length, "bundle")} (${plural(lines, "line")}) from ${plural(contracts, "contract")}`;
}

export function commitsMessage(commits: readonly PrepaidCommit[], contracts: number): string {
  return `Pulled ${plural(commits.length, "prepaid commit")} from ${plural(contracts, "contract")}`;
}

export async function pullAllocations(ctx: PullContext, contractIds: readonly number[] | "all"): Promise<Pulled> {
  const { records: bundles, contracts } = await fetchAllocations(ctx, contractIds);
  const rows = allocationRows(bundles, ctx.offset);
  return {
    rows,
    snapshotJson: JSON.stringify(allocationSnapshot(bundles, ctx.pulledAt)),
    records: bundles.length,
    contracts: contracts.length,
    message: allocationsMessage(bundles, contracts.length),
  };
}

export async function pullCommits(ctx: PullContext, contractIds: readonly number[] | "all"): Promise<Pulled> {
  const { records: commits, contracts } = await fetchCommits(ctx, contractIds);
  return {
    rows: commitRows(commits, ctx.offset),
    snapshotJson: JSON.stringify(commitSnapshot(commits, ctx.pulledAt)),
    records: commits.length,
    contracts: contracts.length,
    message: commitsMessage(commits, contracts.length),
  };
}
