/**
 * Reading many records of a push in as few requests as the API allows: where a contract's lists carry its records
 * (commits whole, bundles as compact copies in the three item lists), the records of one contract are read
 * together; elsewhere, and whenever the lists fail or lack a record, one GET per record.
 *
 * Two readers: the review's (every record at once) and the read just before each write. Campfire has no
 * conditional write, so each record is read right before it is written and must still be what the user reviewed
 * (send-record.ts); one GET per record would double a push's requests. Those lists are read per chunk (a
 * contract's records within RECORDS_PER_LIST_READ entries of the push), each while the entries before it are
 * written, so a record's read is never more than about two chunks of writes older than its write, whatever the
 * order of the sheet.
 */
import type { CampfireApi } from "../api/campfire-api";
import { CampfireError } from "../api/errors";
import type { PushedBase } from "../domain/sheet/last-push";
import type { PlanEntry } from "./review";
import type { TableKindOps } from "./table-kinds";

/**
 * Records read by one set of lists at most, and how many entries of the push a chunk spans at most: ten waves of
 * six writes, so the lists cost a few percent of the requests.
 */
export const RECORDS_PER_LIST_READ = 60;

/** Whether reading `count` records of one contract by its lists costs fewer requests than one read each. */
function listsPay(reader: { requests: number }, count: number): boolean {
  return count > reader.requests;
}

function byContract<T, R>(items: readonly T[], recordOf: (item: T) => R | null, contractOf: (rec: R) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const rec = recordOf(item);
    if (rec === null) continue;
    const contractId = contractOf(rec);
    const group = groups.get(contractId) ?? [];
    group.push(item);
    groups.set(contractId, group);
  }
  return groups;
}

/**
 * The review's read: Campfire's records now, by key, for the contracts whose lists pay (a record whose list
 * entry is not enough, or whose lists failed, is absent and is read alone). `known` gives each record as pulled:
 * a bundle the lists show unchanged is that record.
 */
export async function readContracts<R, S, P extends PushedBase>(
  ops: TableKindOps<R, S, P>,
  api: CampfireApi,
  known: ReadonlyMap<string, R>,
): Promise<Map<string, R>> {
  const reader = ops.readContract;
  const found = new Map<string, R>();
  if (!reader) return found;
  const groups = byContract([...known], ([, rec]) => rec, reader.contractOf);
  await Promise.all(
    [...groups].map(async ([contractId, group]) => {
      if (!listsPay(reader, group.length)) return;
      try {
        const current = await reader.read(api, contractId, new Map(group));
        for (const [key] of group) if (current.has(key)) found.set(key, current.get(key)!);
      } catch (error) {
        // A failed list is not an answer about any record: each is then read alone, which says why if it fails.
        if (!(error instanceof CampfireError)) throw error;
      }
    }),
  );
  return found;
}

interface Chunk<R> {
  contractId: number;
  /** Where its first record is in the push. */
  first: number;
  reviewed: Map<string, R>;
  read: Promise<Map<string, R> | null> | null;
}

/**
 * Returns how to read each entry just before its write: from its contract's lists when the review read it from
 * them (so both reads see the same fields, and a record the review found unchanged is not refused for a field
 * the lists do not show), on its own otherwise, and whenever the lists fail or lack it.
 */
export function prewriteReads<R, S, P extends PushedBase>(
  ops: TableKindOps<R, S, P>,
  entries: readonly PlanEntry<R, S>[],
  api: () => CampfireApi,
): (entry: PlanEntry<R, S>) => Promise<R> {
  const alone = (entry: PlanEntry<R, S>) => entry.fetch(api());
  const reader = ops.readContract;
  if (!reader) return alone;

  // A chunk is a contract's records within RECORDS_PER_LIST_READ entries of the push (in the order they are sent),
  // not a contract's next 60 records wherever they are: on a sheet sorted so that contracts alternate, those would
  // span the whole push and be read at its start. Read by the lists however few they are: the review read them so.
  const chunks: Chunk<R>[] = [];
  const chunkOf = new Map<PlanEntry<R, S>, number>();
  const positionOf = new Map<PlanEntry<R, S>, number>();
  /** Each contract's chunk that still takes records. */
  const taking = new Map<number, number>();
  entries.forEach((entry, position) => {
    positionOf.set(entry, position);
    if (!entry.fromLists || entry.now === null) return;
    const contractId = reader.contractOf(entry.now);
    let index = taking.get(contractId);
    const open = index === undefined ? undefined : chunks[index];
    if (!open || open.reviewed.size >= RECORDS_PER_LIST_READ || position - open.first >= RECORDS_PER_LIST_READ) {
      index = chunks.length;
      chunks.push({ contractId, first: position, reviewed: new Map(), read: null });
      taking.set(contractId, index);
    }
    chunks[index!]!.reviewed.set(entry.record.key, entry.now);
    chunkOf.set(entry, index!);
  });
  /** The first chunk (by its first record's place) not yet started. */
  let ahead = 0;
  const start = (index: number | undefined) => {
    const chunk = index === undefined ? undefined : chunks[index];
    if (!chunk || chunk.read) return;
    // A failed list is not an answer about any record: each of them is then read alone, which says why if it fails.
    chunk.read = reader.read(api(), chunk.contractId, chunk.reviewed).catch((error: unknown) => {
      if (error instanceof CampfireError) return null;
      throw error;
    });
    // A chunk read ahead may fail before anyone awaits it: it is awaited (and its error seen) when its turn comes.
    chunk.read.catch(() => undefined);
  };

  return async (entry) => {
    const index = chunkOf.get(entry);
    start(index);
    // Chunks starting within the next RECORDS_PER_LIST_READ entries are read while these are written.
    const position = positionOf.get(entry) ?? -Infinity;
    while (ahead < chunks.length && chunks[ahead]!.first <= position + RECORDS_PER_LIST_READ) start(ahead++);
    if (index === undefined) return alone(entry);
    const current = await chunks[index]!.read;
    return current?.get(entry.record.key) ?? alone(entry);
  };
}
