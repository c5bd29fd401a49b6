/**
 * What a write did when its answer never came (a timeout, a dropped connection, a 5xx after Campfire may have
 * acted): the record is read again and compared with what was sent and with what was read just before sending.
 * Campfire documents no ETag or conditional write, so these two comparisons are all a client can observe.
 */
export type ReadBack =
  /** Campfire holds exactly what was sent: the write went through (or something else wrote the same values). */
  | "applied"
  /** Campfire still holds the version read before sending: the write did not happen; it may be sent again. */
  | "not-applied"
  /** Campfire holds something else: another user changed the record; retrying would overwrite them. */
  | "changed";

export function classifyReadBack(p: {
  /** Every value the write sends is what Campfire holds now. */
  holdsSent: boolean;
  /** Campfire's version (last_modified_at) and values are those read just before the first attempt. */
  unchangedSinceRead: boolean;
}): ReadBack {
  if (p.holdsSent) return "applied";
  return p.unchangedSinceRead ? "not-applied" : "changed";
}
