/**
 * The CAMPFIRE.* custom functions as Excel sees them. The JSDoc below IS the metadata: webpack's
 * CustomFunctionsMetadataPlugin generates functions.json from it and registers each function (it adds the
 * CustomFunctions.associate calls itself; adding them here would register every function twice).
 * The work is in campfire-functions.ts; these wrappers only pass Excel's arguments on.
 * Results are `any[][]` because the generator maps no union type: cells mix numbers, text and booleans.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the metadata generator needs `any` for mixed cells */
import { addin } from "../composition-root";
import { createCampfireFunctions, type CampfireFunctions } from "./campfire-functions";

let implementation: CampfireFunctions | undefined;
function campfire(): CampfireFunctions {
  implementation ??= createCampfireFunctions(addin().functions);
  return implementation;
}

/**
 * Allocation lines of a contract item's product bundle, one row per line: line_id, product_id, product_code, product_name, amount, percentage (33.33 means 33.33%), original_percentage.
 * @customfunction ALLOCATIONS
 * @param contract_id Campfire contract id, e.g. 1042.
 * @param item_id Id of the usage, subscription or milestone item that owns the bundle (see CAMPFIRE.ITEMS).
 * @param [item_type] "usage" (default), "subscription" or "milestone".
 * @param [show_header] TRUE adds a header row. Default FALSE.
 * @returns One row per bundle line.
 */
export async function allocations(contract_id: number, item_id: number, item_type?: string, show_header?: boolean): Promise<any[][]> {
  return campfire().allocations(contract_id, item_id, item_type, show_header);
}

/**
 * A contract item's product bundle as one row: bundle_id, source_bundle, source_bundle_name, total_amount, currency, line_count, license_term_start_date, created_at, last_modified_at (UTC); or one of these fields.
 * @customfunction BUNDLE
 * @param contract_id Campfire contract id.
 * @param item_id Id of the usage, subscription or milestone item that owns the bundle.
 * @param [item_type] "usage" (default), "subscription" or "milestone".
 * @param [field] One column name, e.g. "total_amount"; omit for the whole row.
 * @returns The bundle's row, or the one field.
 */
export async function bundle(contract_id: number, item_id: number, item_type?: string, field?: string): Promise<any[][]> {
  return campfire().bundle(contract_id, item_id, item_type, field);
}

/**
 * Every prepaid commit of a contract (all pages), one row each with every field of the record: id, contract, entity, ..., name, ..., total_value, remaining_value, discount_percentage, rate, start_date, expiration_date, status, priority, ... (dates as dates, times in UTC).
 * @customfunction PREPAIDCOMMITS
 * @param contract_id Campfire contract id.
 * @param [show_header] TRUE adds a header row with the field names. Default FALSE.
 * @returns One row per prepaid commit.
 */
export async function prepaidCommits(contract_id: number, show_header?: boolean): Promise<any[][]> {
  return campfire().prepaidCommits(contract_id, show_header);
}

/**
 * One prepaid commit as a row (the PREPAIDCOMMITS columns), or one field of it.
 * @customfunction PREPAIDCOMMIT
 * @param contract_id Campfire contract id.
 * @param id The prepaid commit's id.
 * @param [field] One field name, e.g. "remaining_value"; omit for the whole row.
 * @returns The commit's row, or the one field.
 */
export async function prepaidCommit(contract_id: number, id: number, field?: string): Promise<any[][]> {
  return campfire().prepaidCommit(contract_id, id, field);
}

/**
 * Every Campfire contract (all pages), one row each: id, deal_name, deal_id, client, client_name, entity, entity_name, currency, status, contract_start_date, contract_end_date, total_contract_value, last_modified_at.
 * @customfunction CONTRACTS
 * @param [show_header] TRUE adds a header row. Default FALSE.
 * @returns One row per contract.
 */
export async function contracts(show_header?: boolean): Promise<any[][]> {
  return campfire().contracts(show_header);
}

/**
 * A contract's usage, subscription and milestone items with their bundle, to find the item_id for ALLOCATIONS: item_type, item_id, product_id, product_name, description, start_date, end_date, bundle_id, bundle_name, bundle_total, bundle_currency.
 * @customfunction ITEMS
 * @param contract_id Campfire contract id.
 * @param [item_type] "usage", "subscription" or "milestone"; omit for all three.
 * @param [show_header] TRUE adds a header row. Default FALSE.
 * @returns One row per item.
 */
export async function items(contract_id: number, item_type?: string, show_header?: boolean): Promise<any[][]> {
  return campfire().items(contract_id, item_type, show_header);
}

/**
 * What-if drawdown of prepaid commits, computed locally and exactly, one row per period and commit: period, commit_id, commit_name, status, gross, discount, net_drawn, balance_before, balance_after, overage. Rules: periods in date order; commits drawn lower priority first (no priority counts as 1), then earlier start_date, then lower id; a commit draws only when start_date <= period <= expiration_date. Discount = gross x discount% and net = gross - discount, rounded to the cent (ties to even). When a pool runs short it covers balance / (1 - discount%) of gross. Gross left after all pools is overage at the full rate, shown on the period's last row.
 * @customfunction DRAWDOWN
 * @param {any[][]} commits A contract id, or a range shaped like the PREPAIDCOMMITS output (with or without its header; needs id, start_date and total_value or remaining_value).
 * @param {any[][]} usage Two columns: the period's date (e.g. the 1st of each month) and its gross usage at list price (>= 0). A header row is allowed.
 * @param [balance_from] "total" (default): each pool starts at total_value, for the whole term. "remaining": starts at remaining_value, for a forecast from today.
 * @param [show_header] TRUE adds a header row. Default FALSE.
 * @returns One row per period and commit.
 */
export async function drawdownModel(commits: any[][], usage: any[][], balance_from?: string, show_header?: boolean): Promise<any[][]> {
  return campfire().drawdown(commits, usage, balance_from, show_header);
}
