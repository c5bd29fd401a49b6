/**
 * What each CAMPFIRE.* function computes, apart from Excel's calling convention (functions.ts holds the thin
 * JSDoc wrappers the metadata is generated from). Every function answers a 2-D array of cells or throws a
 * CustomFunctions.Error; one failing cell never affects another.
 *
 * Campfire is read through the shared cache, keyed by request, so cells asking for the same bundle, commit list
 * or contract list share one HTTP request.
 */
import type { CampfireApi } from "../api/campfire-api";
import { NotFoundError, ValidationError } from "../api/errors";
import type { RequestCache } from "../app/request-cache";
import { readDate, readInteger, readNumber, readText, type CellValue } from "../domain/cell-readers";
import { drawdown, type CommitTerms, type UsagePeriod } from "../domain/drawdown";
import { fromMinor } from "../domain/money";
import { INT32_MAX, ITEM_TYPES, type Bundle, type Contract, type ItemType, type PrepaidCommit } from "../model/records";
import { FunctionArgumentError, NotAvailableError, toExcelError } from "./excel-errors";
import {
  BUNDLE_COLUMNS,
  COMMIT_COLUMNS,
  CONTRACT_COLUMNS,
  findColumn,
  headerOf,
  ITEM_COLUMNS,
  LINE_COLUMNS,
  rowOf,
  toCell,
  type Cell,
  type Column,
  type ItemRow,
} from "./record-cells";

export type Matrix = Cell[][];

/** What the functions need from the runtime: the signed-in client and the shared cache. */
export interface FunctionsContext {
  api(): Promise<CampfireApi>;
  readonly cache: RequestCache;
}

export const DRAWDOWN_HEADER = [
  "period",
  "commit_id",
  "commit_name",
  "status",
  "gross",
  "discount",
  "net_drawn",
  "balance_before",
  "balance_after",
  "overage",
] as const;

export const BALANCE_FROM = ["total", "remaining"] as const;
export type BalanceFrom = (typeof BALANCE_FROM)[number];

export interface CampfireFunctions {
  allocations(contractId: unknown, itemId: unknown, itemType?: unknown, showHeader?: unknown): Promise<Matrix>;
  bundle(contractId: unknown, itemId: unknown, itemType?: unknown, field?: unknown): Promise<Matrix>;
  prepaidCommits(contractId: unknown, showHeader?: unknown): Promise<Matrix>;
  prepaidCommit(contractId: unknown, commitId: unknown, field?: unknown): Promise<Matrix>;
  contracts(showHeader?: unknown): Promise<Matrix>;
  items(contractId: unknown, itemType?: unknown, showHeader?: unknown): Promise<Matrix>;
  drawdown(commits: unknown, usage: unknown, balanceFrom?: unknown, showHeader?: unknown): Promise<Matrix>;
}

export function createCampfireFunctions(context: FunctionsContext): CampfireFunctions {
  const { cache } = context;
  const load = <T>(key: string, read: (api: CampfireApi) => Promise<T>): Promise<T> =>
    cache.get(key, async () => read(await context.api()));

  const itemsOf = (contractId: number, type: ItemType) =>
    load(`items:${type}:${contractId}`, (api) =>
      type === "usage"
        ? api.listUsage(contractId)
        : type === "subscription"
          ? api.listSubscriptions(contractId)
          : api.listMilestones(contractId),
    );

  const commitsOf = (contractId: number): Promise<PrepaidCommit[]> =>
    load(`commits:${contractId}`, (api) => api.listPrepaidCommits(contractId)).catch((error: unknown) => {
      throw error instanceof NotFoundError ? contractNotFound(contractId) : error;
    });

  async function bundleOf(contractId: number, type: ItemType, itemId: number): Promise<Bundle> {
    try {
      return await load(`allocations:${type}:${contractId}:${itemId}`, (api) => api.getAllocations(contractId, type, itemId));
    } catch (error) {
      // Campfire does not document what it answers for an item without a bundle (404 or 400): the item lists
      // tell an unknown contract, an unknown item and an item without a bundle apart.
      if (error instanceof NotFoundError || error instanceof ValidationError) {
        throw await explainMissingBundle(contractId, type, itemId, error);
      }
      throw error;
    }
  }

  async function explainMissingBundle(contractId: number, type: ItemType, itemId: number, original: Error) {
    let items;
    try {
      items = await itemsOf(contractId, type);
    } catch (error) {
      return error instanceof NotFoundError ? contractNotFound(contractId) : original;
    }
    const item = items.find((row) => row.id === itemId);
    if (!item) {
      return new NotAvailableError(`Contract ${contractId} has no ${type} item ${itemId}. =CAMPFIRE.ITEMS(${contractId}) lists its items.`);
    }
    if (!item.contract_product_bundle) return new NotAvailableError(`${capital(type)} item ${itemId} has no product bundle.`);
    return original;
  }

  /** Runs one function: arguments checked first, every failure turned into an Excel error for this cell only. */
  const run = async (body: () => Promise<Matrix>): Promise<Matrix> => {
    try {
      return await body();
    } catch (error) {
      throw toExcelError(error);
    }
  };

  return {
    allocations: (contractArg, itemArg, typeArg, headerArg) =>
      run(async () => {
        const contractId = idArg("contract_id", contractArg);
        const itemId = idArg("item_id", itemArg);
        const type = itemTypeArg(typeArg);
        const header = flagArg("show_header", headerArg);
        const bundle = await bundleOf(contractId, type, itemId);
        return table(bundle.lines, LINE_COLUMNS, header, `The bundle of ${type} item ${itemId} has no lines.`);
      }),

    bundle: (contractArg, itemArg, typeArg, fieldArg) =>
      run(async () => {
        const contractId = idArg("contract_id", contractArg);
        const itemId = idArg("item_id", itemArg);
        const type = itemTypeArg(typeArg);
        const column = fieldOf(fieldArg, BUNDLE_COLUMNS);
        return record(await bundleOf(contractId, type, itemId), BUNDLE_COLUMNS, column);
      }),

    prepaidCommits: (contractArg, headerArg) =>
      run(async () => {
        const contractId = idArg("contract_id", contractArg);
        const header = flagArg("show_header", headerArg);
        return table(await commitsOf(contractId), COMMIT_COLUMNS, header, `Contract ${contractId} has no prepaid commits.`);
      }),

    prepaidCommit: (contractArg, commitArg, fieldArg) =>
      run(async () => {
        const contractId = idArg("contract_id", contractArg);
        const commitId = idArg("id", commitArg);
        const column = fieldOf(fieldArg, COMMIT_COLUMNS);
        // The contract's list, not GET one commit: cells showing several commits of a contract share one request.
        const commit = (await commitsOf(contractId)).find((c) => c.id === commitId);
        if (!commit) throw new NotAvailableError(`Contract ${contractId} has no prepaid commit ${commitId}.`);
        return record(commit, COMMIT_COLUMNS, column);
      }),

    contracts: (headerArg) =>
      run(async () => {
        const header = flagArg("show_header", headerArg);
        const contracts: Contract[] = await load("contracts", (api) => api.listContracts());
        return table(contracts, CONTRACT_COLUMNS, header, "Campfire has no contracts.");
      }),

    items: (contractArg, typeArg, headerArg) =>
      run(async () => {
        const contractId = idArg("contract_id", contractArg);
        const types = isOmitted(typeArg) ? ITEM_TYPES : [itemTypeArg(typeArg)];
        const header = flagArg("show_header", headerArg);
        const lists = await Promise.all(
          types.map(async (itemType) => {
            try {
              return (await itemsOf(contractId, itemType)).map((item): ItemRow => ({ itemType, item }));
            } catch (error) {
              throw error instanceof NotFoundError ? contractNotFound(contractId) : error;
            }
          }),
        );
        const what = types.length === 1 ? `${types[0]} items` : "usage, subscription or milestone items";
        return table(lists.flat(), ITEM_COLUMNS, header, `Contract ${contractId} has no ${what}.`);
      }),

    drawdown: (commitsArg, usageArg, balanceArg, headerArg) =>
      run(async () => {
        const balanceFrom = balanceFromArg(balanceArg);
        const header = flagArg("show_header", headerArg);
        const usage = usageFromRange(usageArg);
        const contractId = contractIdIn(commitsArg);
        const { terms, currency } =
          contractId === null
            ? commitsFromRange(commitsArg, balanceFrom)
            : commitsFromRecords(await commitsOf(contractId), balanceFrom, contractId);
        if (terms.length === 0) throw new FunctionArgumentError("commits: no prepaid commits to draw from.");
        if (usage.length === 0) throw new FunctionArgumentError("usage: no periods. Give a range of period dates and gross usage.");
        const result = drawdown(terms, usage, currency);
        const amount = (minor: bigint) => fromMinor(minor, result.scale);
        const rows: Matrix = result.rows.map((r) => [
          toCell(r.period, "date"),
          r.commitId,
          r.commitName,
          r.status,
          amount(r.gross),
          amount(r.discount),
          amount(r.net),
          amount(r.balanceBefore),
          amount(r.balanceAfter),
          amount(r.overage),
        ]);
        return header ? [[...DRAWDOWN_HEADER], ...rows] : rows;
      }),
  };
}

/** What a 404 on one of a contract's lists means: the contract is unknown. */
function contractNotFound(contractId: number): NotAvailableError {
  return new NotAvailableError(`Contract ${contractId} not found in Campfire.`);
}

// ---------- results ----------

/** Rows of the records, with the header first when asked; no rows and no header is #N/A (Excel cannot spill nothing). */
function table<R>(records: readonly R[], columns: readonly Column<R>[], header: boolean, emptyMessage: string): Matrix {
  const rows = records.map((r) => rowOf(r, columns));
  if (header) return [headerOf(columns), ...rows];
  if (rows.length === 0) throw new NotAvailableError(emptyMessage);
  return rows;
}

/** One record as a row, or the one field asked for. */
function record<R>(value: R, columns: readonly Column<R>[], column: Column<R> | null): Matrix {
  return column ? [[toCell(column.get(value), column.kind)]] : [rowOf(value, columns)];
}

// ---------- arguments ----------

/** Excel passes an omitted optional argument as null or undefined (it differs by platform). */
function isOmitted(value: unknown): value is null | undefined | "" {
  return value === null || value === undefined || value === "";
}

function idArg(name: string, value: unknown): number {
  if (isOmitted(value)) throw new FunctionArgumentError(`${name} is empty. Give a Campfire id such as 1042.`);
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > INT32_MAX) {
    throw new FunctionArgumentError(`${name} must be a whole number from 1 (got ${describe(value)}).`);
  }
  return n;
}

function itemTypeArg(value: unknown): ItemType {
  if (isOmitted(value)) return "usage";
  const text = String(value).trim().toLowerCase();
  const match = ITEM_TYPES.find((t) => t === text);
  if (!match) throw new FunctionArgumentError(`item_type ${describe(value)} is not usage, subscription or milestone.`);
  return match;
}

function flagArg(name: string, value: unknown): boolean {
  if (isOmitted(value)) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  const text = String(value).trim().toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  throw new FunctionArgumentError(`${name} must be TRUE or FALSE (got ${describe(value)}).`);
}

function fieldOf<R>(value: unknown, columns: readonly Column<R>[]): Column<R> | null {
  if (isOmitted(value)) return null;
  const column = typeof value === "string" ? findColumn(columns, value) : undefined;
  if (!column) {
    const sample = columns
      .slice(0, 4)
      .map((c) => c.name)
      .join(", ");
    throw new FunctionArgumentError(`Unknown field ${describe(value)}. Use a column name such as ${sample}.`);
  }
  return column;
}

function balanceFromArg(value: unknown): BalanceFrom {
  if (isOmitted(value)) return "total";
  const text = String(value).trim().toLowerCase();
  const match = BALANCE_FROM.find((b) => b === text);
  if (!match) throw new FunctionArgumentError(`balance_from ${describe(value)} is not "total" or "remaining".`);
  return match;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify([...value].length > 30 ? [...value].slice(0, 30).join("") + "…" : value);
  if (value === null || value === undefined) return "nothing";
  return String(value);
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------- DRAWDOWN's ranges ----------

type Grid = CellValue[][];

function asGrid(name: string, value: unknown): Grid {
  if (!Array.isArray(value)) return [[value as CellValue]];
  if (!value.every((row) => Array.isArray(row))) throw new FunctionArgumentError(`${name} must be a range.`);
  return value as Grid;
}

/**
 * An empty cell of a range argument does not reach a custom function the same way everywhere: Excel on the web
 * passes null (or ""), Excel desktop passed 0 until a fix (OfficeDev/office-js #4702), and 0 is still reported for
 * matrix arguments (#1951, #5262). Such a 0 cannot be told from a typed 0. So, one rule: 0 counts as empty
 * wherever 0 cannot be a real value — a whole row (id 0 and period 0 are invalid), a date cell (serial 0 is no
 * date), a text cell (name, currency). Where 0 is a real value it stays 0: a discount of 0 is what an empty one
 * means anyway, a balance or usage of 0 is an amount, and priority 0 is a valid Campfire priority (reading it as
 * the empty default 1 would silently reorder real priority-0 commits).
 */
function isEmptyCell(cell: CellValue): boolean {
  return cell === null || cell === undefined || cell === "" || cell === 0;
}

function isBlankRow(row: readonly CellValue[]): boolean {
  return row.every(isEmptyCell);
}

/** A date or text cell as read: an empty cell passed as 0 reads as empty (see isEmptyCell). */
function orEmpty(cell: CellValue): CellValue {
  return cell === 0 ? null : cell;
}

/** A single number (or a one-cell range holding one) is a contract id. */
function contractIdIn(value: unknown): number | null {
  const grid = asGrid("commits", value);
  if (grid.length !== 1 || grid[0]!.length !== 1) return null;
  const cell = grid[0]![0];
  if (typeof cell === "number") return idArg("commits (a contract id)", cell);
  if (typeof cell === "string" && /^\s*\d+\s*$/.test(cell)) return idArg("commits (a contract id)", cell);
  throw new FunctionArgumentError("commits must be a contract id or the PREPAIDCOMMITS range.");
}

function usageFromRange(value: unknown): UsagePeriod[] {
  const grid = asGrid("usage", value);
  const out: UsagePeriod[] = [];
  // Like the commits range, the header is the first row that is not blank (the range may start above the table).
  const firstRow = grid.findIndex((row) => !isBlankRow(row));
  grid.forEach((row, i) => {
    if (isBlankRow(row)) return;
    if (row.length < 2) throw new FunctionArgumentError("usage must have two columns: period date and gross usage.");
    const [periodCell, grossCell] = row;
    // A header row (two texts) on top is skipped.
    if (i === firstRow && typeof periodCell === "string" && typeof grossCell === "string" && !readDate(periodCell).ok) return;
    const period = readDate(orEmpty(periodCell));
    if (!period.ok) throw cellProblem("usage", i, "period", period);
    const gross = readNumber(grossCell, { min: 0 });
    if (!gross.ok) throw cellProblem("usage", i, "gross", gross);
    out.push({ period: period.value, gross: gross.value });
  });
  return out;
}

function cellProblem(range: string, rowIndex: number, column: string, failure: { message: string; allowed: string }) {
  return new FunctionArgumentError(`${range} row ${rowIndex + 1}, ${column}: ${failure.message}. Use ${failure.allowed}.`);
}

function commitsFromRecords(commits: PrepaidCommit[], balanceFrom: BalanceFrom, contractId: number) {
  if (commits.length === 0) throw new NotAvailableError(`Contract ${contractId} has no prepaid commits.`);
  const terms = commits.map((c): CommitTerms => ({
    id: c.id,
    name: c.name,
    priority: c.priority ?? 1,
    startDate: c.start_date,
    expirationDate: c.expiration_date ?? null,
    opening: balanceFrom === "total" ? c.total_value : c.remaining_value,
    discountPercentage: c.discount_percentage ?? 0,
  }));
  return { terms, currency: oneCurrency(commits.map((c) => c.currency ?? null)) };
}

/** Columns DRAWDOWN reads from a commits range; the rest of the PREPAIDCOMMITS columns are ignored. */
const NEEDED = [
  "id",
  "name",
  "currency",
  "total_value",
  "remaining_value",
  "discount_percentage",
  "start_date",
  "expiration_date",
  "priority",
] as const;
type Needed = (typeof NEEDED)[number];

function commitsFromRange(value: unknown, balanceFrom: BalanceFrom) {
  const grid = asGrid("commits", value);
  const firstRow = grid.findIndex((row) => !isBlankRow(row));
  if (firstRow < 0) throw new FunctionArgumentError("commits: the range is empty.");
  const first = grid[firstRow]!;
  const hasHeader = first.some((cell) => typeof cell === "string" && cell.trim().toLowerCase() === "id");
  const names = hasHeader
    ? first.map((cell) => (typeof cell === "string" ? cell.trim().toLowerCase() : ""))
    : COMMIT_COLUMNS.map((c) => c.name);
  const index = {} as Record<Needed, number>;
  for (const name of NEEDED) index[name] = names.indexOf(name);
  const balanceColumn = balanceFrom === "total" ? "total_value" : "remaining_value";
  const width = grid.reduce((widest, row) => Math.max(widest, row.length), 0);
  for (const required of ["id", "start_date", balanceColumn] as const) {
    if (index[required] < 0 || index[required] >= width) {
      throw new FunctionArgumentError(
        hasHeader
          ? `commits: no "${required}" column. Use the PREPAIDCOMMITS output or a range with that header.`
          : "commits: not the PREPAIDCOMMITS layout. Give a contract id, or add a header row (id, start_date, total_value, ...).",
      );
    }
  }
  const terms: CommitTerms[] = [];
  const currencies: (string | null)[] = [];
  const rowOfId = new Map<number, number>();
  grid.forEach((row, i) => {
    if (i < firstRow || (hasHeader && i === firstRow) || isBlankRow(row)) return;
    const cell = (name: Needed): CellValue => (index[name] < 0 ? null : row[index[name]]);
    const need = <T>(name: string, result: { ok: true; value: T } | { ok: false; message: string; allowed: string }): T => {
      if (!result.ok) throw cellProblem("commits", i, name, result);
      return result.value;
    };
    const id = need("id", readInteger(cell("id"), { min: 1, max: INT32_MAX }));
    const earlier = rowOfId.get(id);
    if (earlier !== undefined) {
      // Drawn twice, the pool would count twice its balance.
      throw new FunctionArgumentError(`commits row ${i + 1}: commit id ${id} appears twice (rows ${earlier + 1} and ${i + 1}).`);
    }
    rowOfId.set(id, i);
    const opening = need(balanceColumn, readNumber(cell(balanceColumn)));
    terms.push({
      id,
      name: need("name", readText(orEmpty(cell("name")))),
      priority: need("priority", readInteger(cell("priority"), { nullable: true })) ?? 1,
      startDate: need("start_date", readDate(orEmpty(cell("start_date")))),
      expirationDate: need("expiration_date", readDate(orEmpty(cell("expiration_date")), { nullable: true })),
      opening,
      discountPercentage: need("discount_percentage", readNumber(cell("discount_percentage"), { min: 0, max: 100, nullable: true })) ?? 0,
    });
    currencies.push(need("currency", readText(orEmpty(cell("currency")), { nullable: true })));
  });
  return { terms, currency: oneCurrency(currencies) };
}

/** The commits' currency; one model is one currency. Missing everywhere: USD's two decimals. */
function oneCurrency(currencies: (string | null)[]): string {
  const distinct = [...new Set(currencies.filter((c): c is string => !!c && c.trim() !== "").map((c) => c.trim().toUpperCase()))];
  if (distinct.length > 1) {
    throw new FunctionArgumentError(`commits mix currencies (${distinct.join(", ")}). Model one currency at a time.`);
  }
  return distinct[0] ?? "USD";
}
