/**
 * A contract's item lists — subscriptions, usage, milestones, in the order Campfire's app shows them — whose rows
 * carry a compact copy of their bundle: what a pull lists to find the bundles, and what the review and the read
 * just before a write compare (table-kinds.ts `readContract`).
 */
import type { CampfireApi } from "../api/campfire-api";
import type { CompactBundle, ItemType } from "../model/records";

export interface ItemList {
  itemType: ItemType;
  list(api: CampfireApi, contractId: number): Promise<{ id: number; contract_product_bundle?: CompactBundle | null | undefined }[]>;
}

export const ITEM_LISTS: readonly ItemList[] = [
  { itemType: "subscription", list: (api, contractId) => api.listSubscriptions(contractId) },
  { itemType: "usage", list: (api, contractId) => api.listUsage(contractId) },
  { itemType: "milestone", list: (api, contractId) => api.listMilestones(contractId) },
];
