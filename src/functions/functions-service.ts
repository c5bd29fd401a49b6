/**
 * What the custom functions share in the shared runtime (one page for pane, ribbon and functions): the signed-in
 * session and one request cache. One per page (src/composition-root.ts): the ribbon's Refresh runs in another
 * bundle of the same page, and it must clear the very cache the functions read.
 */
import type { CampfireApi } from "../api/campfire-api";
import { RequestCache, type RequestCacheOptions } from "../app/request-cache";
import type { Session } from "../app/session";

export interface FunctionsServiceOptions {
  /** Asks Excel to recalculate every formula (Excel does not re-run a custom function whose arguments did not change). */
  recalculate?: (() => Promise<void>) | undefined;
  cache?: RequestCacheOptions | undefined;
}

export class FunctionsService {
  readonly cache: RequestCache;
  private readonly recalculate: () => Promise<void>;
  /** True while the functions restore a saved connection themselves (see api()). */
  private restoring = false;
  /** The restore in flight, shared by every cell asking meanwhile (see restore()). */
  private restoration: Promise<boolean> | null = null;
  private recalcScheduled = false;

  constructor(
    readonly session: Session,
    options: FunctionsServiceOptions = {},
  ) {
    this.cache = new RequestCache(options.cache);
    this.recalculate = options.recalculate ?? (async () => {});
    session.onDataChanged(() => this.dataChanged());
    // A sign-out must not leave values readable for another 30 s.
    session.onConnectionChange(() => {
      if (!this.restoring) this.cache.clear();
    });
  }

  /**
   * The signed-in client. With the task pane closed (Excel just opened a workbook with CAMPFIRE formulas), no one
   * has signed in yet in this runtime: the saved connection is restored first, once for all the cells asking.
   */
  async api(): Promise<CampfireApi> {
    // Not through the cache: its loads hold one of the limiter's slots while they wait for api(), so a restore
    // queued behind them would never start (six cells loading at once would hang for good).
    if (!this.session.signedIn) await this.restore();
    return this.session.api();
  }

  /** The user's Refresh: forget every answer and have Excel run the formulas again. */
  async refresh(): Promise<void> {
    this.cache.clear();
    await this.recalculate();
  }

  /**
   * One restore for all the cells asking at once. Kept only while it runs: afterwards either the session is signed
   * in (and no cell asks again), or it failed or found nothing saved, and the next cell must look again rather
   * than be told a stale answer (the store read is local and cheap).
   */
  private restore(): Promise<boolean> {
    this.restoration ??= this.restoreQuietly().finally(() => {
      this.restoration = null;
    });
    return this.restoration;
  }

  private async restoreQuietly(): Promise<boolean> {
    // Restoring announces a data change; the cells asking are about to get fresh data anyway, so clearing the
    // cache and recalculating the workbook for it would only fetch everything twice.
    this.restoring = true;
    try {
      return await this.session.restore();
    } finally {
      this.restoring = false;
    }
  }

  /** After a push or a sign-in from the task pane: drop answers and recalculate so the sheet shows fresh values. */
  private dataChanged() {
    if (this.restoring) return;
    this.cache.clear();
    if (this.recalcScheduled) return;
    // A push may announce several changes in a row: one recalculation for all of them.
    this.recalcScheduled = true;
    setTimeout(() => {
      this.recalcScheduled = false;
      // Best effort: the cache is already clear, so the next recalculation (any edit) shows fresh values even if
      // this request to Excel fails (e.g. in a plain browser preview without Excel).
      this.recalculate().catch(() => undefined);
    }, 0);
  }
}
