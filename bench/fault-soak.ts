/**
 * SLOT for the fault soak of issue 10 (to be filled by the write-path work of issue 7): push N records while
 * the sandbox answers a share of requests with 5xx or drops them (`startSandbox({ failRate, failStatus,
 * dropRate })`), then count, per record, what happened. Until `measureFaultSoak` measures something it returns
 * null, and the bench prints its rows as "not measured" (never as OK).
 */

export interface FaultSoakCounts {
  /** Records pushed, and the share of requests the sandbox failed (0.2 = 20 %). */
  records: number;
  failRate: number;
  /** Records whose first push attempt reported a failure although a retry of a read would have carried it. */
  failedFirstPush: number;
  /** Records whose change is not in Campfire after the push and its follow-up (push again). */
  lost: number;
  /** Records written twice with different outcomes, or prepaid commits created twice. */
  duplicated: number;
}

export async function measureFaultSoak(): Promise<FaultSoakCounts | null> {
  return null;
}
