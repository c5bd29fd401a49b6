/**
 * The pulled data kept with the workbook (never the token): each snapshot's JSON cut into pieces, one piece per
 * cell down a column of the very hidden sheet CampfireData, with a directory in its A1 that says where each
 * snapshot is. Saves put the new pieces in free columns and switch the directory last, so a save that fails half-way
 * leaves the previous snapshots readable. A directory that cannot be read is an error, never "nothing saved".
 *
 * The functions queue on the caller's request context, so a snapshot read can share round trips with a table read.
 */
import type { Budget, Context } from "./excel-context";
import { takeFitting } from "./read-slices";
import { itemNotFound } from "./excel-context";
import { snapshotDirectoryMessage } from "./excel-messages";
import { jsonByteLength, sliceByBytes } from "./payload";
import { CELL_TEXT_LIMIT, SnapshotCorruptError, joinCells, splitForCells } from "./snapshot-cells";

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
  /**
   * The rows of the pieces, in order, as runs of [first row, count]; absent when they are rows 0, 1, … (a save that
   * wrote every piece, and every directory saved before pieces were kept across saves).
   */
  rows?: [number, number][];
  /**
   * A hash of the text saved (see `textHash`); absent in directories saved before it was recorded. A load checks the
   * pieces against it, so pieces changed behind the directory's back (another tool, another instance's save racing
   * this one, a directory put back by an undo) are an error, never another text. It also tells two saves apart that
   * the rest of the entry cannot: a stamp can come again once the directory is put back to an older one.
   */
  hash?: string;
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

/**
 * The pieces of each snapshot as this adapter last read or wrote them, with the directory entry they were under:
 * a save whose entry is still that one writes only the pieces that changed (a push changes a few records of a
 * pull of many), and keeps the others where they are.
 */
export type PieceCache = Map<string, { tag: string; pieces: string[] }>;

function tagOf(entry: DirectoryEntry): string | null {
  // Without the hash, a stamp seen before may name other pieces (the directory put back, then saved again elsewhere).
  return entry.stamp === undefined || entry.hash === undefined
    ? null
    : JSON.stringify([entry.column, entry.pieces, entry.stamp, entry.rows ?? null, entry.hash]);
}

/**
 * A 53-bit hash of a snapshot's text (cyrb53), as base 36: not a defence against anyone, only a check that the pieces
 * read are the text that was saved (a few milliseconds for megabytes).
 */
export function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The row of each piece, in order. */
function pieceRows(entry: DirectoryEntry): number[] {
  if (!entry.rows) return Array.from({ length: entry.pieces }, (_, i) => i);
  return entry.rows.flatMap(([start, count]) => Array.from({ length: count }, (_, i) => start + i));
}

/** Rows as runs of consecutive rows, [first row, count]. */
function runsOf(rows: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === row) last[1]++;
    else runs.push([row, 1]);
  }
  return runs;
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
 * sync, `requeue` gives back what a failed sync did not bring, `readAll` reads the rest (and reads again, up to
 * `retries` times, when pieces do not make the saved text because a save moved the directory meanwhile).
 */
export function queuePieces(budget: Budget, data: DataSheet | null, keys: readonly string[], cache?: PieceCache, retries = 2) {
  if (data?.damaged) throw new SnapshotDirectoryError(data.damaged);
  // One entry per piece, so that pieces fill whatever room a table read leaves; a batch reads each run of
  // consecutive rows as one range.
  type Piece = { key: string; column: number; row: number; bytes: number };
  type Batch = { pieces: Piece[]; ranges: { key: string; range: Excel.Range }[] };
  const reads: Piece[] = [];
  const got = new Map<string, unknown[]>();
  for (const key of keys) {
    const entry = data?.directory[key];
    if (!entry) continue;
    got.set(key, []);
    // Sized by the largest piece as saved; a directory written before that was recorded gets the worst case
    // (32,000 characters at up to 6 bytes each once escaped), which always stays in budget.
    const bytes = (entry.pieceBytes ?? WORST_PIECE_BYTES) + PIECE_FRAMING_BYTES;
    for (const row of pieceRows(entry)) reads.push({ key, column: entry.column, row, bytes });
  }
  const queue = (room: number, atLeastOne = false): Batch => {
    const batch: Batch = { pieces: data ? takeFitting(reads, room, atLeastOne) : [], ranges: [] };
    for (let i = 0; i < batch.pieces.length;) {
      const first = batch.pieces[i] as Piece;
      let count = 1;
      while (i + count < batch.pieces.length) {
        const piece = batch.pieces[i + count] as Piece;
        if (piece.key !== first.key || piece.row !== first.row + count) break;
        count++;
      }
      const range = (data as DataSheet).sheet.getRangeByIndexes(first.row, first.column, count, 1).load("values");
      batch.ranges.push({ key: first.key, range });
      i += count;
    }
    return batch;
  };
  const collect = (batch: Batch) => {
    for (const { key, range } of batch.ranges) got.get(key)?.push(...range.values.map((r) => r[0]));
  };
  return {
    queue: (room: number) => queue(room),
    collect,
    requeue: (batch: Batch) => reads.unshift(...batch.pieces),
    readAll: async (ctx: Context): Promise<Record<string, string | null>> => {
      while (reads.length > 0) {
        const queued = queue(budget.readBytes, true);
        await ctx.sync();
        collect(queued);
      }
      const out: Record<string, string | null> = {};
      for (const key of keys) {
        const entry = data?.directory[key];
        const pieces = got.get(key) ?? [];
        let text: string | null;
        try {
          text = !entry ? null : entry.pieces === 0 ? "" : joinCells(key, pieces);
          if (entry?.hash !== undefined && text !== null && textHash(text) !== entry.hash) {
            throw new SnapshotDirectoryError(`the pieces of ${key} are not the text saved under it`);
          }
        } catch (error) {
          // What this adapter remembers of the pieces is not what the sheet holds: the next save writes them all.
          cache?.delete(key);
          if (!(error instanceof SnapshotCorruptError || error instanceof SnapshotDirectoryError) || retries === 0) throw error;
          // A save that finished after the directory was read (a push saving while a check reads) clears or reuses
          // rows of the pieces it names: read again under the directory as it is now; damaged only if it is unchanged.
          const now = await dataSheet(ctx, false);
          const moved = (d: DataSheet | null) => JSON.stringify(keys.map((k) => d?.directory[k] ?? null));
          if (!now || now.damaged || moved(now) === moved(data)) throw error;
          return queuePieces(budget, now, keys, cache, retries - 1).readAll(ctx);
        }
        out[key] = text;
        const tag = entry ? tagOf(entry) : null;
        if (cache && tag !== null) cache.set(key, { tag, pieces: pieces as string[] });
      }
      return out;
    },
  };
}

/** The most pieces a snapshot may have, kept across saves, before a save writes them all again in a fresh column. */
function tooFragmented(pieces: number, textLength: number): boolean {
  return pieces > 2 * Math.ceil(textLength / (CELL_TEXT_LIMIT - 1)) + 4;
}

/**
 * The pieces of `json` given the pieces saved before (prefix included): the leading and trailing old pieces it
 * still holds, exactly and in place, and the text between them cut into new pieces. Null when nothing is kept.
 */
export function keptPieces(old: readonly string[], json: string): { head: number; tail: number; middle: string[] } | null {
  let head = 0;
  let start = 0;
  while (head < old.length && json.startsWith((old[head] as string).slice(1), start)) start += (old[head++] as string).length - 1;
  let tail = 0;
  let end = json.length;
  while (head + tail < old.length) {
    const text = (old[old.length - 1 - tail] as string).slice(1);
    if (end - text.length < start || !json.startsWith(text, end - text.length)) break;
    end -= text.length;
    tail++;
  }
  if (head + tail === 0) return null;
  return { head, tail, middle: start < end ? splitForCells(json.slice(start, end)) : [] };
}

/**
 * Several snapshots: one round trip reads the directory, then the pieces and the new directory go together (more
 * round trips only for pieces larger than a batch). A snapshot whose saved pieces this adapter knows (it read or
 * wrote them under the entry still in the directory) keeps those it still holds and writes only the others, to
 * rows of its column no piece uses; any other is written whole to a free column. Either way the directory moves
 * over at the end and only then are the pieces it no longer names cleared, so a failure half-way leaves the
 * previous snapshots readable.
 */
export async function saveSnapshots(
  ctx: Context,
  budget: Budget,
  entries: Readonly<Record<string, string>>,
  cache?: PieceCache,
): Promise<void> {
  if (!cache) return saveNow(ctx, budget, entries);
  // One save at a time per adapter: two saves that read the same directory (the pane pushing one table while the
  // ribbon pushes the other) would each write it back without the other's entries, after clearing pieces those name.
  const run = (saving.get(cache) ?? Promise.resolve()).catch(() => undefined).then(() => saveNow(ctx, budget, entries, cache));
  saving.set(cache, run);
  return run;
}

/** The save in progress (or last made) of each adapter's pieces. */
const saving = new WeakMap<PieceCache, Promise<void>>();

async function saveNow(ctx: Context, budget: Budget, entries: Readonly<Record<string, string>>, cache?: PieceCache): Promise<void> {
  const keys = Object.keys(entries);
  if (keys.length === 0) return;
  const { sheet, directory } = await dataSheet(ctx, true);
  const taken = new Set(Object.values(directory).map((e) => e.column));
  const stamp = Object.values(directory).reduce((max, e) => Math.max(max, e.stamp ?? 0), 0) + 1;
  const next: Directory = { ...directory };
  const saved = new Map<string, string[]>();
  /** Rows of old pieces to clear once the directory no longer names them, by column. */
  const freed: { column: number; rows: number[] }[] = [];
  let pending = 0;
  const write = async (column: number, rows: readonly number[], pieces: readonly string[]) => {
    // Pieces are sized exactly (as JSON, escapes included), so their batches may go as close to the limit as reads.
    for (const [start, end] of sliceByBytes(pieces, budget.readBytes)) {
      const bytes = jsonByteLength(pieces.slice(start, end).map((p) => [p]));
      if (pending > 0 && pending + bytes > budget.readBytes) {
        await ctx.sync();
        pending = 0;
      }
      let at = start;
      for (const [first, count] of runsOf(rows.slice(start, end))) {
        const range = sheet.getRangeByIndexes(first, column, count, 1);
        range.numberFormat = [["@"]];
        range.values = pieces.slice(at, at + count).map((p) => [p]);
        at += count;
      }
      pending += bytes;
    }
  };
  for (const key of keys) {
    const json = entries[key] as string;
    const old = directory[key];
    const tag = old ? tagOf(old) : null;
    const known = old && tag !== null && cache?.get(key)?.tag === tag ? cache.get(key)?.pieces : undefined;
    const kept = old && known ? keptPieces(known, json) : null;
    if (old && known && kept && !tooFragmented(kept.head + kept.middle.length + kept.tail, json.length)) {
      const oldRows = pieceRows(old);
      const inUse = new Set(oldRows);
      const free: number[] = [];
      for (let row = 0; free.length < kept.middle.length; row++) if (!inUse.has(row)) free.push(row);
      await write(old.column, free, kept.middle);
      const rows = [...oldRows.slice(0, kept.head), ...free, ...oldRows.slice(oldRows.length - kept.tail)];
      const pieces = [...known.slice(0, kept.head), ...kept.middle, ...known.slice(known.length - kept.tail)];
      const stays = new Set(rows);
      freed.push({ column: old.column, rows: oldRows.filter((r) => !stays.has(r)) });
      // The old largest piece bounds the kept ones (reads are sized by it; a bound too large only reads less at once).
      const pieceBytes = Math.max(
        old.pieceBytes ?? Math.max(0, ...pieces.map((p) => jsonByteLength(p))),
        ...kept.middle.map((p) => jsonByteLength(p)),
      );
      const contiguous = rows.every((r, i) => r === i);
      next[key] = {
        column: old.column,
        pieces: pieces.length,
        pieceBytes,
        stamp,
        hash: textHash(json),
        ...(contiguous ? {} : { rows: runsOf(rows) }),
      };
      saved.set(key, pieces);
      continue;
    }
    const pieces = splitForCells(json);
    let column = 1;
    while (taken.has(column)) column++;
    taken.add(column);
    await write(
      column,
      pieces.map((_, i) => i),
      pieces,
    );
    if (old) freed.push({ column: old.column, rows: pieceRows(old) });
    // The largest piece as it travels back (JSON-escaped UTF-8), so a load can size its reads to the budget.
    const pieceBytes = pieces.reduce((max, p) => Math.max(max, jsonByteLength(p)), 0);
    next[key] = { column, pieces: pieces.length, pieceBytes, stamp, hash: textHash(json) };
    saved.set(key, pieces);
  }
  sheet.getRange("A1").values = [[JSON.stringify(next)]];
  for (const { column, rows } of freed) {
    for (const [first, count] of runsOf([...rows].sort((x, y) => x - y))) sheet.getRangeByIndexes(first, column, count, 1).clear("All");
  }
  await ctx.sync();
  for (const [key, pieces] of saved) {
    const tag = tagOf(next[key] as DirectoryEntry);
    if (cache && tag !== null) cache.set(key, { tag, pieces });
  }
}

/** Several snapshots: the directory, then the pieces of all of them, as many as fit a batch. */
export async function loadSnapshots(
  ctx: Context,
  budget: Budget,
  keys: readonly string[],
  cache?: PieceCache,
): Promise<Record<string, string | null>> {
  const data = await dataSheet(ctx, false);
  return queuePieces(budget, data, keys, cache).readAll(ctx);
}

/** What changes with every save of a snapshot (null when there is none), so a reader can tell it has the latest. */
export function stampsOf(directory: Directory, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of keys) {
    const e = directory[key];
    // With the hash when the entry has one: stamp, column and piece count alone can name other text (see tagOf).
    out[key] = e ? (tagOf(e) ?? `${e.stamp ?? 0}:${e.column}:${e.pieces}`) : null;
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
    parsed as Record<string, { column?: unknown; pieces?: unknown; pieceBytes?: unknown; stamp?: unknown; rows?: unknown; hash?: unknown }>,
  )) {
    if (!(Number.isInteger(v?.column) && Number.isInteger(v?.pieces) && (v.column as number) >= 1)) {
      return { directory: {}, damaged: `the entry for ${k} has no valid column and piece count` };
    }
    const entry: DirectoryEntry = { column: v.column as number, pieces: v.pieces as number };
    if (Number.isInteger(v.pieceBytes) && (v.pieceBytes as number) > 0) entry.pieceBytes = v.pieceBytes as number;
    if (Number.isInteger(v.stamp) && (v.stamp as number) > 0) entry.stamp = v.stamp as number;
    if (typeof v.hash === "string" && v.hash !== "") entry.hash = v.hash;
    if (v.rows !== undefined) {
      const rows = validRuns(v.rows, entry.pieces);
      if (!rows) return { directory: {}, damaged: `the entry for ${k} has no valid rows for its ${entry.pieces} pieces` };
      entry.rows = rows;
    }
    out[k] = entry;
  }
  return { directory: out, damaged: null };
}

/** Runs of [first row, count] that name exactly `pieces` distinct rows; null when they do not. */
function validRuns(raw: unknown, pieces: number): [number, number][] | null {
  if (!Array.isArray(raw)) return null;
  const runs: [number, number][] = [];
  const seen = new Set<number>();
  for (const run of raw as unknown[]) {
    if (!Array.isArray(run) || run.length !== 2) return null;
    const [first, count] = run as unknown[];
    if (!Number.isInteger(first) || !Number.isInteger(count) || (first as number) < 0 || (count as number) < 1) return null;
    for (let r = first as number; r < (first as number) + (count as number); r++) {
      if (seen.has(r)) return null;
      seen.add(r);
    }
    runs.push([first as number, count as number]);
  }
  return seen.size === pieces ? runs : null;
}
