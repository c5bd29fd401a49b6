/**
 * Shares Campfire answers between the cells of a workbook. Excel calls a custom function once per cell, often all
 * at once during a recalculation: 1,000 cells over 100 bundles must cost 100 requests, not 1,000, and must not open
 * 1,000 connections at once.
 *
 * - Identical keys asked while a request is in flight share its promise.
 * - A success is reused for `ttlMs` (default 30 s): long enough to cover one recalculation and the ones the user
 *   triggers right after by editing, short enough that the sheet does not go stale for long. A push from the task
 *   pane clears the cache anyway (the functions module wires `session.onDataChanged` to `clear()`).
 * - A failure is remembered only `errorTtlMs` (default 2 s) so the cells of one recalculation share it, while a
 *   Refresh after the network came back asks again.
 * - At most `maxConcurrent` loads run at once (default 6, what a browser allows per host); the rest queue.
 *
 * Pure: no Office, no network; the caller passes the loader.
 */
import { createLimiter, type Limiter } from "./concurrency";

export interface RequestCacheOptions {
  /** How long a successful answer is reused, in ms; default 30,000. */
  ttlMs?: number;
  /** How long a failure is reused, in ms; default 2,000. 0 forgets it as soon as it settles. */
  errorTtlMs?: number;
  /** Loads running at once; default 6. */
  maxConcurrent?: number;
  /** Clock in ms; injectable so tests move time instead of waiting for it. */
  now?: () => number;
}

export const DEFAULT_TTL_MS = 30_000;
export const DEFAULT_ERROR_TTL_MS = 2_000;
export const DEFAULT_MAX_CONCURRENT = 6;

interface Entry {
  promise: Promise<unknown>;
  /** Set when the load settled; undefined while in flight. */
  expiresAt?: number;
}

export class RequestCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly errorTtlMs: number;
  private readonly now: () => number;
  private readonly limit: Limiter;
  private nextPruneAt = 0;

  constructor(options: RequestCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.errorTtlMs = options.errorTtlMs ?? DEFAULT_ERROR_TTL_MS;
    this.now = options.now ?? Date.now;
    this.limit = createLimiter(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  }

  /** The answer for `key`: shared with a load in flight, reused while fresh, otherwise loaded (queued if busy). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key);
    if (existing && (existing.expiresAt === undefined || existing.expiresAt > this.now())) {
      return existing.promise as Promise<T>;
    }
    this.prune();
    const entry: Entry = { promise: this.limit(load) };
    this.entries.set(key, entry);
    const settle = (ttl: number) => {
      // After a clear() (or a newer load of the same key) this entry is no longer the one in the map: its answer
      // still reaches the cells that asked for it, but is not kept for later ones.
      if (this.entries.get(key) !== entry) return;
      if (ttl <= 0) this.entries.delete(key);
      else entry.expiresAt = this.now() + ttl;
    };
    entry.promise.then(
      () => settle(this.ttlMs),
      () => settle(this.errorTtlMs),
    );
    return entry.promise as Promise<T>;
  }

  /** Forget everything (after a push, a sign-in, or the user's Refresh). Loads in flight finish but are not kept. */
  clear(): void {
    this.entries.clear();
  }

  /** Keys held, in flight or fresh or expired-but-not-yet-pruned. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries, at most once per TTL so that a burst of misses does not scan the map each time. */
  private prune() {
    const now = this.now();
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + Math.max(1, Math.min(this.ttlMs, this.errorTtlMs || this.ttlMs));
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
