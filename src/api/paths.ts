/**
 * Campfire URL paths, relative to the base URL. Ids are checked here, so no request can be built
 * from an id that is not a positive integer (an id of 0 or "12abc" would otherwise reach another URL).
 */
import { ITEM_TYPES, type ItemType } from "../model/records";
import { ArgumentError } from "./errors";

const RR = "/rr/api/v1";
/** The allocation path segment per item type (usage is singular in Campfire's URLs). */
const ITEM_SEGMENTS: Record<ItemType, string> = { usage: "usage", subscription: "subscriptions", milestone: "milestones" };

export function checkId(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new ArgumentError(`${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

export function checkItemType(value: unknown): ItemType {
  if (!ITEM_TYPES.includes(value as ItemType)) {
    throw new ArgumentError(`itemType must be one of ${ITEM_TYPES.join(", ")}, got ${describeValue(value)}`);
  }
  return value as ItemType;
}

export const contractsPath = () => `${RR}/contracts`;
export const contractPath = (contractId: number) => `${RR}/contracts/${checkId("contractId", contractId)}`;
export const allocationsPath = (contractId: number, itemType: ItemType, itemId: number) =>
  `${contractPath(contractId)}/${ITEM_SEGMENTS[checkItemType(itemType)]}/${checkId("itemId", itemId)}/allocations`;
export const prepaidCommitsPath = (contractId: number) => `${contractPath(contractId)}/prepaid-commits`;
export const prepaidCommitPath = (contractId: number, commitId: number) =>
  `${prepaidCommitsPath(contractId)}/${checkId("commitId", commitId)}`;
export const subscriptionsPath = (contractId: number) => `${contractPath(contractId)}/subscriptions`;
export const usagePath = (contractId: number) => `${contractPath(contractId)}/usage`;
export const milestonesPath = (contractId: number) => `${contractPath(contractId)}/milestones`;
export const productsPath = () => `${RR}/product`;
export const productPath = (productId: number) => `${productsPath()}/${checkId("productId", productId)}`;
export const entitiesPath = () => "/coa/api/entity";

function describeValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : String(value);
}
