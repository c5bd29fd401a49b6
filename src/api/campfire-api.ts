/**
 * What the rest of the add-in may ask of Campfire. `createCampfireClient` (client.ts) implements it over HTTP;
 * the task pane, the custom functions and the tests all depend on this interface only.
 */
import type {
  Bundle,
  BundlePatch,
  BundleUpdate,
  CommitPatch,
  CommitWrite,
  Contract,
  Entity,
  ItemType,
  Milestone,
  PrepaidCommit,
  Product,
  Subscription,
  Usage,
} from "../model/records";
import type { RetryPolicy } from "./http";

export interface CampfireApi {
  /** Bundle allocations of one contract item. */
  getAllocations(contractId: number, itemType: ItemType, itemId: number): Promise<Bundle>;
  putAllocations(contractId: number, itemType: ItemType, itemId: number, body: BundleUpdate): Promise<Bundle>;
  patchAllocations(contractId: number, itemType: ItemType, itemId: number, body: BundlePatch): Promise<Bundle>;

  /** Prepaid commits of one contract; lists follow `next` across all pages. */
  listPrepaidCommits(contractId: number): Promise<PrepaidCommit[]>;
  getPrepaidCommit(contractId: number, commitId: number): Promise<PrepaidCommit>;
  createPrepaidCommit(contractId: number, body: CommitWrite): Promise<PrepaidCommit>;
  putPrepaidCommit(contractId: number, commitId: number, body: CommitWrite): Promise<PrepaidCommit>;
  patchPrepaidCommit(contractId: number, commitId: number, body: CommitPatch): Promise<PrepaidCommit>;
  deletePrepaidCommit(contractId: number, commitId: number): Promise<void>;

  listContracts(): Promise<Contract[]>;
  getContract(contractId: number): Promise<Contract>;
  /** Plain array in the API (not paginated). */
  listSubscriptions(contractId: number): Promise<Subscription[]>;
  listUsage(contractId: number): Promise<Usage[]>;
  listMilestones(contractId: number): Promise<Milestone[]>;

  listProducts(): Promise<Product[]>;
  getProduct(productId: number): Promise<Product>;
  /** Plain array in the API (not paginated). */
  listEntities(): Promise<Entity[]>;
}

export interface ClientOptions {
  /** e.g. "https://api.meetcampfire.com", "http://127.0.0.1:4010" or "/campfire" behind the add-in host. */
  baseUrl: string;
  token: string;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, for the failures `retryPolicy` allows; default 3. */
  retries?: number;
  /** Which failed attempts are retried; default DEFAULT_RETRY_POLICY (see http.ts). */
  retryPolicy?: RetryPolicy;
  /** First backoff delay; doubles each retry; default 300 ms. Retry-After on a 429 wins. */
  backoffMs?: number;
  /** Longest wait between retries; default 30 s. A Retry-After asking for longer fails the call at once. */
  maxDelayMs?: number;
  fetch?: typeof fetch;
  /** Called for every HTTP request actually sent (after retries count individually) — for benchmarks and tests. */
  onRequest?: (method: string, url: string) => void;
  /** `limit` asked for on paginated lists; default 500. */
  pageSize?: number;
  /** Waits between retries; default setTimeout. Tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Runs each HTTP attempt (not the waits between them). The session passes one limiter to every client of the
   * runtime, so the task pane and the custom functions together keep at most 6 requests in flight — what a
   * browser allows per origin — and take turns in the order they asked.
   */
  limit?: <T>(task: () => Promise<T>) => Promise<T>;
}
