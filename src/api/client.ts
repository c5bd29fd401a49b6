/**
 * `CampfireApi` over HTTP. Every argument is checked before anything is sent, every answer is parsed with its
 * record schema, and lists are read to the end.
 */
import { z } from "zod/mini";
import {
  BundlePatchSchema,
  BundleSchema,
  BundleUpdateSchema,
  CommitPatchSchema,
  CommitWriteSchema,
  ContractSchema,
  EntitySchema,
  MilestoneSchema,
  PrepaidCommitSchema,
  ProductSchema,
  SubscriptionSchema,
  UsageSchema,
  pageOf,
} from "../model/records";
import type { CampfireApi, ClientOptions } from "./campfire-api";
import { ArgumentError, ResponseShapeError, issuesFromZod, type RequestContext } from "./errors";
import { createHttp, type Http, type Method } from "./http";
import * as p from "./paths";

export const DEFAULT_PAGE_SIZE = 500;

export function createCampfireClient(opts: ClientOptions): CampfireApi {
  const http = createHttp(opts);
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new ArgumentError(`pageSize must be a positive integer, got ${pageSize}`);
  }

  async function call<S extends z.ZodMiniType>(schema: S, method: Method, path: string, json?: unknown) {
    const response = await http.send(method, path, json);
    return parseResponse(schema, response.body, { method, path: response.path, status: response.status });
  }

  /** Checks the body first: a body that breaks the write schema is never sent. Sends the parsed copy (unknown keys dropped). */
  function write<S extends z.ZodMiniType, B extends z.ZodMiniType>(schema: S, method: Method, path: string, bodySchema: B, body: unknown) {
    const checked = bodySchema.safeParse(body);
    if (!checked.success) {
      throw new ArgumentError(`Not sent: the body for ${method} ${path} is invalid`, issuesFromZod(checked.error), {
        method,
        path,
      });
    }
    return call(schema, method, path, checked.data);
  }

  /**
   * Every item of a paginated list, following `next` until it is null. A server whose `next` never ends would
   * otherwise be read forever, so the walk stops with a ResponseShapeError naming the list when
   * - a page offers a `next` but has no results (an offset running on past the end), or
   * - `next` points to a page already read, or
   * - more pages are offered than `count` allows: ceil(count / length of the first page) + 1, the spare page
   *   for records added while the list is read. The first page's length, not our `limit`, because Campfire
   *   may cap the limit.
   */
  async function listAll<S extends z.ZodMiniType>(item: S, path: string): Promise<z.output<S>[]> {
    const schema = pageOf(item);
    const items: z.output<S>[] = [];
    const seen = new Set<string>();
    const context = { method: "GET", path: new URL(relative(path), http.baseUrl).pathname };
    const stop = (message: string) => new ResponseShapeError([{ path: "next", message }], context);
    let firstLength = 0;
    let input: string | undefined = `${relative(path)}?limit=${pageSize}`;
    for (let pages = 1; input !== undefined; pages++) {
      seen.add(input);
      const page: z.output<typeof schema> = await call(schema, "GET", input);
      items.push(...page.results);
      if (pages === 1) firstLength = page.results.length;
      input = page.next ? nextInput(http, path, page.next) : undefined;
      if (input === undefined) break;
      if (page.results.length === 0) throw stop(`page ${pages} has no results but still points to a next page`);
      if (seen.has(input)) throw stop("points back to a page already read");
      const maxPages = Math.ceil(page.count / firstLength) + 1;
      if (pages >= maxPages) {
        throw stop(`points to page ${pages + 1}, but count ${page.count} in pages of ${firstLength} allows at most ${maxPages}`);
      }
    }
    return items;
  }

  // async throughout, so a bad argument is a rejected promise like any other failure.
  return {
    getAllocations: async (c, type, item) => call(BundleSchema, "GET", p.allocationsPath(c, type, item)),
    putAllocations: async (c, type, item, body) => write(BundleSchema, "PUT", p.allocationsPath(c, type, item), BundleUpdateSchema, body),
    patchAllocations: async (c, type, item, body) =>
      write(BundleSchema, "PATCH", p.allocationsPath(c, type, item), BundlePatchSchema, body),

    listPrepaidCommits: async (c) => listAll(PrepaidCommitSchema, p.prepaidCommitsPath(c)),
    getPrepaidCommit: async (c, id) => call(PrepaidCommitSchema, "GET", p.prepaidCommitPath(c, id)),
    createPrepaidCommit: async (c, body) => write(PrepaidCommitSchema, "POST", p.prepaidCommitsPath(c), CommitWriteSchema, body),
    putPrepaidCommit: async (c, id, body) => write(PrepaidCommitSchema, "PUT", p.prepaidCommitPath(c, id), CommitWriteSchema, body),
    patchPrepaidCommit: async (c, id, body) => write(PrepaidCommitSchema, "PATCH", p.prepaidCommitPath(c, id), CommitPatchSchema, body),
    deletePrepaidCommit: async (c, id) => {
      await http.send("DELETE", p.prepaidCommitPath(c, id));
    },

    listContracts: async () => listAll(ContractSchema, p.contractsPath()),
    getContract: async (c) => call(ContractSchema, "GET", p.contractPath(c)),
    listSubscriptions: async (c) => call(z.array(SubscriptionSchema), "GET", p.subscriptionsPath(c)),
    listUsage: async (c) => listAll(UsageSchema, p.usagePath(c)),
    listMilestones: async (c) => listAll(MilestoneSchema, p.milestonesPath(c)),

    listProducts: async () => listAll(ProductSchema, p.productsPath()),
    getProduct: async (id) => call(ProductSchema, "GET", p.productPath(id)),
    listEntities: async () => call(z.array(EntitySchema), "GET", p.entitiesPath()),
  };
}

export function parseResponse<S extends z.ZodMiniType>(schema: S, body: unknown, context: RequestContext): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ResponseShapeError(issuesFromZod(parsed.error), context);
  return parsed.data;
}

/**
 * Where to read the page `next` points to, relative to the base URL. The server builds `next` from the host it
 * saw, which behind the add-in's proxy is Campfire's own host: the URL is used as-is only when it is under our
 * base URL; otherwise only its query (limit/offset) is kept, on our own path, so the token never goes elsewhere.
 */
export function nextInput(http: Pick<Http, "baseUrl">, listPath: string, next: string): string {
  let url: URL;
  try {
    url = new URL(next, http.baseUrl);
  } catch {
    throw new ResponseShapeError([{ path: "next", message: "is not a URL" }], { method: "GET", path: listPath });
  }
  const base = http.baseUrl;
  if (url.origin === base.origin && url.pathname.startsWith(base.pathname)) {
    return url.pathname.slice(base.pathname.length) + url.search;
  }
  return relative(listPath) + url.search;
}

/** Inputs are compared as written, so they are always written without a leading "/". */
const relative = (path: string) => path.replace(/^\/+/, "");
