/**
 * The pulled data kept with the workbook (never the token): each snapshot's JSON cut into pieces, one piece per
 * cell down a column of the very hidden sheet CampfireData, with a directory in its A1 that says where each
 * snapshot is. Saves put the new pieces in free columns and switch the directory last, so a save that fails half-way
 * leaves the previous snapshots readable. A directory that cannot be read is an error, never "nothing saved".
 *
 * The functions queue on the caller's request context, so a snapshot read can share round trips with a table read.
 */
import type { Budget, Context } from "./excel-context";
import { itemNotFound } from "./excel-context";
import { snapshotDirectoryMessage } from "./excel-messages";
import { jsonByteLength, sliceByBytes } from "./payload";
import { joinCells, splitForCells } from "./snapshot-cells";

/** The very hidden sheet that keeps pulled values with the workbook (never the token). */
export const DATA_SHEET = "CampfireData";

/** Where a snapshot's pieces are on the data sheet (column B onwards, one piece per row), kept in A1. */
interface DirectoryEntry {
  column: number;
  pieces: number;
  /** The largest piece's size as JSON (escaped, UTF-8); absent in directories saved before it was recorded. */
  pieceBytes?: number;
  /** Counts saves (one more than the directory's highest when saved), so a reader can tell a snapshot changed. */
  stamp?: number;
}
export type Directory = Record<string, DirectoryEntry>;
export interface DataSheet {
  sheet: Excel.Worksheet;
  directory: Directory;
  /** Why the directory cannot be read (damaged by hand or by another tool); null when it reads. */
  damaged: string | null;
}

/**
 * The directory of the pulled data kept in the workbook cannot be read. Reading it as empty would make every
 * snapshot look missing — and the next save would overwrite what is left — so it is an error the user sees.
 */
export class SnapshotDirectoryError extends Error {
  override name = "SnapshotDirectoryError";
  constructor(reason: string) {
    super(snapshotDirectoryMessage(DATA_SHEET, reason));
  }
}

/** A 32,000-character piece at the worst JSON escaping (\u0000-style, 6 bytes a character). */
const WORST_PIECE_BYTES = 6 * 32_000;
/** `[` `]` `,` around each piece in the values matrix that comes back. */
const PIECE_FRAMING_BYTES = 3;

/** Queues the directory's cell; the sync fails with ItemNotFound when there is no data sheet yet. */
export function queueDirectory(ctx: Context): { sheet: Excel.Worksheet; a1: Excel.Range } {
  const sheet = ctx.workbook.worksheets.getItem(DATA_SHEET);
  return { sheet, a1: sheet.getRange("A1").load("values") };
}

/** The data sheet with its directory as read by `queueDirectory`'s sync. */
export function dataSheetOf(queued: { sheet: Excel.Worksheet; a1: Excel.Range }): DataSheet {
  return { sheet: queued.sheet, ...parseDirectory(queued.a1.values[0]?.[0]) };
}

/** The data sheet and its directory (one round trip); created, very hidden, when `create` and there is none. */
export async function dataSheet(ctx: Context, create: true): Promise<DataSheet>;
export async function dataSheet(ctx: Context, create: false): Promise<DataSheet | null>;
export async function dataSheet(ctx: Context, create: boolean): Promise<DataSheet | null> {
  const { sheet, a1 } = queueDirectory(ctx);
  try {
    await ctx.sync();
    return { sheet, ...parseDirectory(a1.values[0]?.[0]) };
  } catch (error) {
    if (!itemNotFound(error)) throw error;
  }
  if (!create) return null;
  const added = ctx.workbook.worksheets.add(DATA_SHEET);
  // Very hidden: not listed under Unhide, so nobody edits the pieces by accident.
  added.visibility = "VeryHidden";
  return { sheet: added, directory: {}, damaged: null };
}

/**
 * Reads snapshot pieces, a budget's worth at a time, alone or riding along with other reads: `queue` loads what
 * fits the budget (at least one read when nothing else is in the batch), `collect` takes the values after the
 * sync, `requeue` gives back what a failed sync did not bring, `readAll` reads the rest.
 */
export function queuePieces(budget: Budget, data: DataSheet | null, keys: readonly string[]) {
  if (data?.damaged) throw new SnapshotDirectoryError(data.damaged);
  type Read = { key: string; start: number; count: number; bytes: number; range?: Excel.Range };
  const reads: Read[] = [];
  const got = new Map<string, unknown[]>();
  for (const key of keys) {
    const entry = data?.directory[key];
    if (!entry) continue;
    got.set(key, []);
    // Sized by the largest piece as saved; a directory written before that was recorded gets the worst case
    // (32,000 characters at up to 6 bytes each once escaped), which always stays in budget.
    const perPiece = (entry.pieceBytes ?? WORST_PIECE_BYTES) + PIECE_FRAMING_BYTES;
    const perRead = Math.max(1, Math.floor(budget.readBytes / perPiece));
    for (let start = 0; start < entry.pieces; start += perRead) {
      const count = Math.min(perRead, entry.pieces - start);
      reads.push({ key, start, count, bytes: count * perPiece });
    }
  }
  const queue = (room: number, atLeastOne = false): Read[] => {
    const queued: Read[] = [];
    let used = 0;
    while (reads.length > 0 && data) {
      const next = reads[0] as Read;
      if (used + next.bytes > room && !(atLeastOne && queued.length === 0)) break;
      reads.shift();
      const entry = data.directory[next.key] as DirectoryEntry;
      next.range = data.sheet.getRangeByIndexes(next.start, entry.column, next.count, 1).load("values");
      queued.push(next);
      used += next.bytes;
    }
    return queued;
  };
  const collect = (queued: readonly Read[]) => {
    for (const read of queued) got.get(read.key)?.push(...(read.range as Excel.Range).values.map((r) => r[0]));
  };
  return {
    queue: (room: number) => queue(room),
    collect,
    requeue: (queued: readonly Read[]) => reads.unshift(...queued),
    readAll: async (ctx: Context): Promise<Record<string, string | null>> => {
      while (reads.length > 0) {
        const queued = queue(budget.readBytes, true);
        await ctx.sync();
        collect(queued);
      }
      const out: Record<string, string | null> = {};
      for (const key of keys) {
        const entry = data?.directory[key];
        out[key] = !entry ? null : entry.pieces === 0 ? "" : joinCells(key, got.get(key) ?? []);
      }
      return out;
    },
  };
}

/**
 * Several snapshots: one round trip reads the directory, then the pieces and the new directory go
 * together (more round trips only for pieces larger than a batch).
 */
export async function saveSnapshots(ctx: Context, budget: Budget, entries: Readonly<Record<string, string>>): Promise<void> {
  const keys = Object.keys(entries);
  if (keys.length === 0) return;
  const { sheet, directory } = await dataSheet(ctx, true);
  // The new pieces go to free columns and the directory moves over at the end, so a failure half-way
  // leaves the previous snapshots readable.
  const taken = new Set(Object.values(directory).map((e) => e.column));
  const stamp = Object.values(directory).reduce((max, e) => Math.max(max, e.stamp ?? 0), 0) + 1;
  const next: Directory = { ...directory };
  let pending = 0;
  for (const key of keys) {
    const pieces = splitForCells(entries[key] as string);
    let column = 1;
    while (taken.has(column)) column++;
    taken.add(column);
    // Pieces are sized exactly (as JSON, escapes included), so their batches may go as close to the limit as reads.
    for (const [start, end] of sliceByBytes(pieces, budget.readBytes)) {
      const values = pieces.slice(start, end).map((p) => [p]);
      const bytes = jsonByteLength(values);
      if (pending > 0 && pending + bytes > budget.readBytes) {
        await ctx.sync();
        pending = 0;
      }
      const range = sheet.getRangeByIndexes(start, column, end - start, 1);
      range.numberFormat = [["@"]];
      range.values = values;
      pending += bytes;
    }
    // The largest piece as it travels back (JSON-escaped UTF-8), so a load can size its reads to the budget.
    const pieceBytes = pieces.reduce((max, p) => Math.max(max, jsonByteLength(p)), 0);
    next[key] = { column, pieces: pieces.length, pieceBytes, stamp };
  }
  sheet.getRange("A1").values = [[JSON.stringify(next)]];
  for (const key of keys) {
    const old = directory[key];
    if (old && old.pieces > 0) sheet.getRangeByIndexes(0, old.column, old.pieces, 1).clear("All");
  }
  await ctx.sync();
}

/** Several snapshots: the directory, then the pieces of all of them, as many as fit a batch. */
export async function loadSnapshots(ctx: Context, budget: Budget, keys: readonly string[]): Promise<Record<string, string | null>> {
  const data = await dataSheet(ctx, false);
  return queuePieces(budget, data, keys).readAll(ctx);
}

/** What changes with every save of a snapshot (null when there is none), so a reader can tell it has the latest. */
export function stampsOf(directory: Directory, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of keys) {
    const e = directory[key];
    out[key] = e ? `${e.stamp ?? 0}:${e.column}:${e.pieces}` : null;
  }
  return out;
}

/** The directory as saved; a value that is not the directory this add-in writes is reported, never read as empty. */
export function parseDirectory(raw: unknown): { directory: Directory; damaged: string | null } {
  if (raw === "" || raw === null || raw === undefined) return { directory: {}, damaged: null };
  if (typeof raw !== "string") return { directory: {}, damaged: `cell A1 holds ${typeof raw} ${String(raw)}, not the directory` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { directory: {}, damaged: "cell A1 is not the directory the add-in wrote (not JSON)" };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { directory: {}, damaged: "cell A1 is not the directory the add-in wrote" };
  }
  const out: Directory = {};
  for (const [k, v] of Object.entries(
    parsed as Record<string, { column?: unknown; pieces?: unknown; pieceBytes?: unknown; stamp?: unknown }>,
  )) {
    if (!(Number.isInteger(v?.column) && Number.isInteger(v?.pieces) && (v.column as number) >= 1)) {
      return { directory: {}, damaged: `the entry for ${k} has no valid column and piece count` };
    }
    const entry: DirectoryEntry = { column: v.column as number, pieces: v.pieces as number };
    if (Number.isInteger(v.pieceBytes) && (v.pieceBytes as number) > 0) entry.pieceBytes = v.pieceBytes as number;
    if (Number.isInteger(v.stamp) && (v.stamp as number) > 0) entry.stamp = v.stamp as number;
    out[k] = entry;
  }
  return { directory: out, damaged: null };
}
