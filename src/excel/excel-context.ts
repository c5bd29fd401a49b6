/**
 * What every part of the adapter shares: the request context it queues work on, the byte budgets of a round trip,
 * and the two errors Excel reports that the parts act on.
 */

import { READ_BUDGET_BYTES } from "./read-slices";

export type Context = Excel.RequestContext;

/** Most cells in one read of a table, however light (slices go by bytes, see read-slices.ts). */
export const DEFAULT_READ_CELLS = 1_000_000;
/**
 * Bytes a read may bring back (see read-slices.ts). Reads can go closer to the limit than writes: a snapshot's
 * pieces are sized exactly when saved, and a table slice Excel refuses is read again in halves.
 */
export const DEFAULT_READ_BYTES = READ_BUDGET_BYTES;

/** How much one round trip may carry (see ExcelWorkbookOptions). */
export interface Budget {
  /** Estimated bytes per write round trip. */
  batchBytes: number;
  /** Bytes per round trip of a table's rows written by exact size (see write-slices.ts). */
  tableWriteBytes: number;
  /** Cells in the first read of a table. */
  readCells: number;
  /** Bytes per read round trip (and per write of exactly sized snapshot pieces). */
  readBytes: number;
}

export function itemNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ItemNotFound";
}

/** Excel on the web's 5 MB limit, as office.js reports it for a request or a response. */
export function payloadTooLarge(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}
