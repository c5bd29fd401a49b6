/**
 * Pulls that merge and refreshes in place. Both read some contracts from Campfire again and rewrite only the rows
 * of the records concerned, step by step (write in place, insert, delete), so every other row keeps exactly what it
 * holds — the user's edits, a formula they typed, their own columns.
 *
 * - A pull of some contracts replaces those contracts' rows and their records in the kept pulled data; the
 *   unpushed-edits refusal covers only those contracts.
 * - A refresh re-reads every contract the table holds: records nobody edited take Campfire's current values (and
 *   the kept pulled data follows); edited records keep the user's values and their pulled base, so the write
 *   path's three-way merge still shows pulled → Campfire now → will send. Where Campfire changed a record under
 *   an edit, its rows are marked as a conflict and say so in Status.
 */
import type { CampfireApi } from "../api/campfire-api";
import type { PrepaidCommit } from "../model/records";
import { allocationRows, bundleKey, pulledBundleKey, type PulledBundle } from "../domain/sheet/allocation-table";
import { asRead, localOffset, sameCell, type UtcOffset } from "../domain/sheet/cell-writers";
import { commitKey, commitRows } from "../domain/sheet/commit-table";
import type { PushMark, PushedBase } from "../domain/sheet/last-push";
import { locateColumns, type SheetCell } from "../domain/sheet/layout";
import type { SheetAnalysis, TableRead } from "../domain/sheet/sheet-view";
import { allocationSnapshot, commitSnapshot, type SnapshotScope, type SnapshotStamps } from "../domain/sheet/snapshot";
import { checkTable } from "./check";
import type { CellUpdate, Progress, RowEdit } from "./ports";
import { allocationsMessage, commitsMessage, fetchAllocations, fetchCommits, type Fetched, type PullContext } from "./pull";
import { asSpec, type TableIO } from "./table-io";
import type { Snapshot, TableKindOps } from "./table-kinds";
import {
  UnpushedEditsError,
  type PullOptions,
  type PullResult,
  type RefreshResult,
  type TableKind,
  type TableStamps,
} from "./workbench-interface";

/** What merging needs of a table kind, beside its TableKindOps. */
interface MergeKind<R> {
  fetch(ctx: PullContext, ids: readonly number[] | "all"): Promise<Fetched<R>>;
  key(rec: R): string;
  contract(rec: R): number;
  rows(records: readonly R[], offset?: UtcOffset): SheetCell[][];
  /** The record (and its contract) a row names, from its identity cells; null when they name none. */
  rowRecord(cell: (key: string) => SheetCell | undefined): { key: string; contract: number } | null;
  snapshotJson(records: readonly R[], pulledAt: string, stamps: SnapshotStamps): string;
  message(records: readonly R[], contracts: number): string;
}

const isId = (v: SheetCell | undefined): v is number => typeof v === "number" && Number.isInteger(v);

const ALLOCATIONS: MergeKind<PulledBundle> = {
  fetch: fetchAllocations,
  key: pulledBundleKey,
  contract: (b) => b.contractId,
  rows: allocationRows,
  rowRecord(cell) {
    const contract = cell("contract_id");
    const itemType = cell("item_type");
    const item = cell("item_id");
    if (!isId(contract) || !isId(item) || typeof itemType !== "string") return null;
    return { key: bundleKey(contract, itemType.trim() as PulledBundle["itemType"], item), contract };
  },
  snapshotJson: (records, pulledAt, stamps) => JSON.stringify(allocationSnapshot(records, pulledAt, stamps)),
  message: allocationsMessage,
};

const COMMITS: MergeKind<PrepaidCommit> = {
  fetch: fetchCommits,
  key: (c) => commitKey(c.contract, c.id),
  contract: (c) => c.contract,
  rows: commitRows,
  rowRecord(cell) {
    const contract = cell("contract_id");
    const commit = cell("commit_id");
    return isId(contract) && isId(commit) ? { key: commitKey(contract, commit), contract } : null;
  },
  snapshotJson: (records, pulledAt, stamps) => JSON.stringify(commitSnapshot(records, pulledAt, stamps)),
  message: commitsMessage,
};

function mergeKind(kind: TableKind): MergeKind<unknown> {
  return (kind === "allocations" ? ALLOCATIONS : COMMITS) as MergeKind<unknown>;
}

export interface MergeContext {
  io: TableIO;
  api: () => CampfireApi;
  concurrency: number;
  now: () => Date;
  offset?: UtcOffset | undefined;
}

/** A row of the target table: a row the table has now (by index), or a new one (spec column order). */
type Target = { old: number } | { fresh: SheetCell[]; contract?: number };

/**
 * The steps that turn the table's rows into the target. Between two rows that stay, the rows that go are matched
 * with the new ones by identity (`idOf`: the row's identity cells; null when it has none): a match is overwritten
 * in place unless it already holds the same values (`same`), a row with no match is deleted, a new row with none
 * is inserted there. `current[i]` is row i in spec column order. Consecutive steps of a kind are one step.
 */
export function planRowEdits(
  current: readonly (readonly SheetCell[])[],
  target: readonly Target[],
  same: (a: readonly SheetCell[], b: readonly SheetCell[]) => boolean,
  idOf: (row: readonly SheetCell[]) => string | null = () => null,
): RowEdit[] {
  const keptRows = new Set(target.flatMap((t) => ("old" in t ? [t.old] : [])));
  const edits: RowEdit[] = [];
  let pos = 0;
  const emit = (edit: RowEdit) => {
    const last = edits[edits.length - 1];
    if (last && last.kind === edit.kind) {
      if (last.kind === "delete" && edit.kind === "delete" && last.row === edit.row) return void (last.count += edit.count);
      if (last.kind !== "delete" && edit.kind !== "delete" && last.row + last.rows.length === edit.row)
        return void last.rows.push(...edit.rows);
    }
    edits.push(edit);
  };
  let i = 0;
  let t = 0;
  while (i < current.length || t < target.length) {
    const removed: SheetCell[][] = [];
    while (i < current.length && !keptRows.has(i)) removed.push(current[i++] as SheetCell[]);
    const added: SheetCell[][] = [];
    for (let next = target[t]; next && "fresh" in next; next = target[++t]) added.push(next.fresh);
    const removedIds = removed.map(idOf);
    const addedIds = added.map(idOf);
    const lastIn = (ids: (string | null)[]) => {
      const at = new Map<string, number>();
      ids.forEach((id, k) => id !== null && at.set(id, k));
      return at;
    };
    const lastRemoved = lastIn(removedIds);
    const lastAdded = lastIn(addedIds);
    const later = (id: string | null, last: Map<string, number>, from: number) => id !== null && (last.get(id) ?? -1) >= from;
    let a = 0;
    let b = 0;
    while (a < removed.length || b < added.length) {
      const matched = a < removed.length && b < added.length && removedIds[a] !== null && removedIds[a] === addedIds[b];
      const orphan = a < removed.length && !later(removedIds[a] ?? null, lastAdded, b);
      const fresh = b < added.length && !later(addedIds[b] ?? null, lastRemoved, a);
      if (!matched && orphan) {
        emit({ kind: "delete", row: pos, count: 1 });
        a++;
      } else if (!matched && fresh) {
        emit({ kind: "insert", row: pos, rows: [added[b++] as SheetCell[]] });
        pos++;
      } else if (a < removed.length && b < added.length) {
        // The same record's row (or rows met in another order): overwritten in place when it differs.
        if (!same(removed[a] as SheetCell[], added[b] as SheetCell[])) emit({ kind: "write", row: pos, rows: [added[b] as SheetCell[]] });
        a++;
        b++;
        pos++;
      } else if (a < removed.length) {
        emit({ kind: "delete", row: pos, count: 1 });
        a++;
      } else {
        emit({ kind: "insert", row: pos, rows: [added[b++] as SheetCell[]] });
        pos++;
      }
    }
    if (i < current.length) {
      // Row i stays, and it is the next target row by construction.
      pos++;
      i++;
      t++;
    }
  }
  return edits;
}

interface RowsNow {
  /** Each row in spec column order ("" for a column the user removed). */
  cells: SheetCell[][];
  records: ({ key: string; contract: number } | null)[];
}

function rowsNow<R>(kind: MergeKind<R>, ops: TableKindOps<unknown, unknown>, table: TableRead): RowsNow {
  const index = locateColumns(ops.layout, table.headers).index;
  const cells = table.rows.map((row) =>
    ops.layout.columns.map((c) => {
      const at = index.get(c.key);
      return at === undefined ? "" : (row[at] ?? "");
    }),
  );
  const records = table.rows.map((row) =>
    kind.rowRecord((key) => {
      const at = index.get(key);
      return at === undefined ? undefined : row[at];
    }),
  );
  return { cells, records };
}

/**
 * The target rows: every row stays except those `replace` picks. A record's new rows go where its replaced rows
 * were; a record new to the sheet goes after the one before it in Campfire's order (or where its contract's first
 * replaced row was), and a contract with no replaced rows after its last row that stays, else at the end.
 */
function targetRows(
  now: RowsNow,
  replace: (row: number) => boolean,
  fresh: { key: string; contract: number; rows: SheetCell[][] }[],
): Target[] {
  const onSheet = new Set(now.records.flatMap((r, i) => (r && replace(i) ? [r.key] : [])));
  const at = new Map(fresh.map((f, k) => [f.key, k]));
  const placed = new Set<number>();
  const target: Target[] = [];
  const place = (k: number) => {
    placed.add(k);
    const f = fresh[k] as (typeof fresh)[number];
    for (const row of f.rows) target.push({ fresh: row, contract: f.contract });
  };
  /** Records new to the sheet right after fresh[k] (same contract), in Campfire's order. */
  const placeNewAfter = (k: number) => {
    for (let n = k + 1; n < fresh.length; n++) {
      const f = fresh[n] as (typeof fresh)[number];
      if (f.contract !== fresh[k]?.contract || onSheet.has(f.key) || placed.has(n)) break;
      place(n);
    }
  };
  const contractsSeen = new Set<number>();
  now.cells.forEach((_, i) => {
    if (!replace(i)) {
      target.push({ old: i });
      return;
    }
    const record = now.records[i] as { key: string; contract: number };
    if (!contractsSeen.has(record.contract)) {
      contractsSeen.add(record.contract);
      // New records that come before any of the contract's records on the sheet.
      for (let n = 0; n < fresh.length; n++) {
        const f = fresh[n] as (typeof fresh)[number];
        if (f.contract !== record.contract) continue;
        if (onSheet.has(f.key)) break;
        if (!placed.has(n)) place(n);
      }
    }
    const k = at.get(record.key);
    if (k !== undefined && !placed.has(k)) {
      place(k);
      placeNewAfter(k);
    }
  });
  // The rest, by contract in Campfire's order: after the contract's last row, else at the end. One pass finds where
  // each contract ends; groups go in from the bottom up so the positions found stay true.
  const rest = new Map<number, Target[]>();
  fresh.forEach((f, k) => {
    if (placed.has(k)) return;
    rest.set(f.contract, [...(rest.get(f.contract) ?? []), ...f.rows.map((row) => ({ fresh: row, contract: f.contract }))]);
  });
  if (rest.size === 0) return target;
  const lastOf = new Map<number, number>();
  target.forEach((t, n) => {
    const contract = "old" in t ? now.records[t.old]?.contract : t.contract;
    if (contract !== undefined) lastOf.set(contract, n);
  });
  const atEnd: Target[] = [];
  const inside: [number, Target[]][] = [];
  for (const [contract, rows] of rest) {
    const last = lastOf.get(contract);
    if (last === undefined) atEnd.push(...rows);
    else inside.push([last + 1, rows]);
  }
  inside.sort((a, b) => b[0] - a[0]);
  for (const [at, rows] of inside) target.splice(at, 0, ...rows);
  target.push(...atEnd);
  return target;
}

/** A row's identity cells (spec column order) as one string; null when one of them is empty. */
function identityOf(ops: TableKindOps<unknown, unknown>): (row: readonly SheetCell[]) => string | null {
  const at = ops.identity.map((key) => ops.layout.columns.findIndex((c) => c.key === key));
  return (row) => {
    const cells = at.map((j) => asRead(row[j] ?? ""));
    return cells.some((c) => c === "") ? null : cells.map(String).join("\u0000");
  };
}

/** Rows equal for a refresh: the add-in's own columns (Status, Check) do not count. */
function sameRow(ops: TableKindOps<unknown, unknown>): (a: readonly SheetCell[], b: readonly SheetCell[]) => boolean {
  const owned = ops.layout.columns.map((c) => c.owned === true);
  return (a, b) => a.every((v, j) => owned[j] || sameCell(v, asRead(b[j] ?? "")));
}

function contractOfKey(key: string): number {
  return Number(key.split(":")[0]);
}

function hasEveryColumn(ops: TableKindOps<unknown, unknown>, table: TableRead): boolean {
  const { index } = locateColumns({ ...ops.layout, columns: ops.layout.columns.map((c) => ({ ...c, required: true })) }, table.headers);
  return index.size === ops.layout.columns.length;
}

/** Pull: a merge when some contracts go into a table that has rows, its pulled data and every column; else a whole rewrite. */
export async function pullTable<R, S, P extends PushedBase>(
  ctx: MergeContext,
  ops: TableKindOps<R, S, P>,
  contractIds: readonly number[] | "all",
  progress: Progress | undefined,
  options: PullOptions,
): Promise<PullResult> {
  const { io } = ctx;
  const kind = mergeKind(ops.kind) as MergeKind<R>;
  const spec = asSpec(ops.layout);
  const table = await io.workbook.readTable(spec);
  let snapshot: (Snapshot<R> & { scope?: SnapshotScope }) | null = null;
  let unreadable: unknown = null;
  if (table) {
    try {
      snapshot = await io.snapshot(ops);
    } catch (error) {
      unreadable = error;
    }
  }
  const ids = contractIds === "all" ? null : new Set(contractIds);
  const merging =
    ids !== null &&
    table !== null &&
    table.rows.length > 0 &&
    snapshot !== null &&
    hasEveryColumn(ops as TableKindOps<unknown, unknown>, table);

  if (!options.discardEdits && table) {
    // Checked before any request: refusing is cheap, and the user decides with nothing fetched in vain.
    let analysis: SheetAnalysis<S>;
    try {
      if (!snapshot) throw unreadable;
      analysis = io.analyze(ops, table, snapshot);
    } catch (error) {
      throw new UnpushedEditsError(ops.title, 0, 0, error instanceof Error ? error.message : String(error));
    }
    const concerned = [...analysis.changed.values()].filter((c) => !merging || ids.has(c.ref.contractId));
    const cells = concerned.reduce((n, c) => n + c.cells.length, 0);
    if (cells > 0 || concerned.length > 0) throw new UnpushedEditsError(ops.title, cells, concerned.length);
  }

  const pulledAt = ctx.now().toISOString();
  const fetched = await kind.fetch({ api: ctx.api(), concurrency: ctx.concurrency, progress, pulledAt, offset: ctx.offset }, contractIds);
  const message = kind.message(fetched.records, fetched.contracts.length);

  if (!merging || !table || !snapshot || !ids) {
    const rows = kind.rows(fetched.records, ctx.offset);
    await io.workbook.writeTable(spec, rows);
    await io.workbook.saveSnapshot(
      ops.snapshotKey,
      kind.snapshotJson(fetched.records, pulledAt, { scope: contractIds === "all" ? "all" : [...contractIds] }),
    );
    // A push before this pull is not undone from the new table: its rows were just replaced.
    await io.workbook.saveSnapshot(ops.lastPushKey, JSON.stringify(ops.parseLastPush(null)));
    await io.workbook.setMarks(spec, []);
    return { kind: ops.kind, records: fetched.records.length, rows: rows.length, message };
  }

  const now = rowsNow(kind, ops as TableKindOps<unknown, unknown>, table);
  const replace = (row: number) => {
    const record = now.records[row];
    return record !== null && record !== undefined && ids.has(record.contract);
  };
  const fresh = fetched.records.map((rec) => ({ key: kind.key(rec), contract: kind.contract(rec), rows: kind.rows([rec], ctx.offset) }));
  const target = targetRows(now, replace, fresh);
  const kept = Object.values(snapshot.records).filter((rec) => !ids.has(kind.contract(rec)));
  const records = [...kept, ...fetched.records];
  const scope: SnapshotScope = snapshot.scope === "all" ? "all" : [...(snapshot.scope ?? kept.map(kind.contract)), ...ids];
  const rows = await applyTarget(ctx, ops, now, target);
  await io.workbook.saveSnapshot(ops.snapshotKey, kind.snapshotJson(records, pulledAt, { scope }));
  await forgetPushes(io, ops, (key) => ids.has(contractOfKey(key)));
  await checkTable(io, ops);
  const others = new Set(kept.map(kind.contract)).size;
  const note = others ? `; the rows of ${others === 1 ? "1 other contract are" : `${others} other contracts are`} as they were` : "";
  return { kind: ops.kind, records: fetched.records.length, rows, message: `${message}${note}` };
}

/** Writes the target (a whole rewrite when nothing would be left), returns its row count. */
async function applyTarget<R, S, P extends PushedBase>(
  ctx: MergeContext,
  ops: TableKindOps<R, S, P>,
  now: RowsNow,
  target: readonly Target[],
): Promise<number> {
  const spec = asSpec(ops.layout);
  if (target.length === 0) {
    await ctx.io.workbook.writeTable(spec, []);
    return 0;
  }
  const edits = planRowEdits(
    now.cells,
    target,
    sameRow(ops as TableKindOps<unknown, unknown>),
    identityOf(ops as TableKindOps<unknown, unknown>),
  );
  if (edits.length) await ctx.io.workbook.editRows(spec, edits);
  return target.length;
}

/** Drops what the last push kept about the given records: their rows were just replaced. */
async function forgetPushes<R, S, P extends PushedBase>(
  io: TableIO,
  ops: TableKindOps<R, S, P>,
  gone: (key: string) => boolean,
): Promise<void> {
  const last = await io.lastPushOrEmpty(ops);
  const next = {
    ...last,
    failed: last.failed.filter((k) => !gone(k)),
    overwrite: last.overwrite.filter((c) => !gone(c.key)),
    pushed: last.pushed.filter((p) => !gone(p.key)),
    marks: last.marks.filter((m) => !gone(m.key)),
  };
  await io.workbook.saveSnapshot(ops.lastPushKey, JSON.stringify(next));
}

function clock(iso: string, offset?: UtcOffset): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const minutes = (offset ?? localOffset)(iso);
  const local = new Date(at.getTime() + minutes * 60_000);
  return `${String(local.getUTCHours()).padStart(2, "0")}:${String(local.getUTCMinutes()).padStart(2, "0")}`;
}

/** Refresh in place: see the file's comment. */
export async function refreshTable<R, S, P extends PushedBase>(
  ctx: MergeContext,
  ops: TableKindOps<R, S, P>,
  progress?: Progress,
): Promise<RefreshResult> {
  const { io } = ctx;
  const kind = mergeKind(ops.kind) as MergeKind<R>;
  const table = await io.read(ops);
  const snapshot = (await io.snapshot(ops)) as Snapshot<R> & { scope?: SnapshotScope; refreshedAt?: string };
  const analysis = io.analyze(ops, table, snapshot);
  const pulled = Object.values(snapshot.records);
  const scope: SnapshotScope = snapshot.scope ?? [...new Set(pulled.map(kind.contract))];
  if (scope !== "all" && scope.length === 0) {
    return { kind: ops.kind, updatedRows: 0, kept: 0, conflicts: 0, message: "Nothing to refresh: the table holds no pulled records." };
  }
  const refreshedAt = ctx.now().toISOString();
  const fetched = await kind.fetch(
    { api: ctx.api(), concurrency: ctx.concurrency, progress, pulledAt: refreshedAt, offset: ctx.offset },
    scope,
  );
  const freshByKey = new Map(fetched.records.map((rec) => [kind.key(rec), rec]));
  const edited = new Set(analysis.changed.keys());
  const inScope = scope === "all" ? () => true : (contract: number) => scope.includes(contract);

  const now = rowsNow(kind, ops as TableKindOps<unknown, unknown>, table);
  const replace = (row: number) => {
    const record = now.records[row];
    return record !== null && record !== undefined && inScope(record.contract) && !edited.has(record.key) && record.key in snapshot.records;
  };
  const fresh = fetched.records.filter((rec) => !edited.has(kind.key(rec)));
  const target = targetRows(
    now,
    replace,
    fresh.map((rec) => ({ key: kind.key(rec), contract: kind.contract(rec), rows: kind.rows([rec], ctx.offset) })),
  );
  const changedRows = planRowEdits(
    now.cells,
    target,
    sameRow(ops as TableKindOps<unknown, unknown>),
    identityOf(ops as TableKindOps<unknown, unknown>),
  ).reduce((n, e) => n + (e.kind === "delete" ? e.count : e.rows.length), 0);

  // Edited records keep their pulled base; Campfire's change under an edit is a conflict the review will show.
  const notes = new Map<string, string>();
  for (const key of edited) {
    const base = snapshot.records[key];
    if (!base) continue;
    const current = freshByKey.get(key);
    if (!current) notes.set(key, "Deleted in Campfire since your pull; your edits are kept here.");
    else if (ops.lastModified(current) !== ops.lastModified(base)) {
      const at = ops.lastModified(current);
      notes.set(
        key,
        `Conflict: changed in Campfire${at ? ` at ${clock(at, ctx.offset)}` : ""} under your edits; your edits are kept. Review push shows pulled → Campfire now → will send.`,
      );
    }
  }
  const records = [
    ...pulled.filter((rec) => edited.has(kind.key(rec))),
    ...fresh,
    // Records of contracts outside the scope (none in a table this add-in wrote) stay as they are.
    ...pulled.filter((rec) => !inScope(kind.contract(rec)) && !freshByKey.has(kind.key(rec)) && !edited.has(kind.key(rec))),
  ];
  await applyTarget(ctx, ops, now, target);
  await io.workbook.saveSnapshot(
    ops.snapshotKey,
    kind.snapshotJson(records, snapshot.pulledAt, { refreshedAt, ...(snapshot.scope !== undefined ? { scope } : {}) }),
  );

  // Status and a conflict mark on each row of an edited record Campfire changed; the marks are kept with the last
  // push's, so every later check shows them until the record is pushed, pulled again or no longer edited.
  if (notes.size) {
    const after = await io.read(ops);
    const ids = io.identities(ops, after);
    const rowsOf = new Map<string, number[]>();
    rowsNow(kind, ops as TableKindOps<unknown, unknown>, after).records.forEach((r, i) => {
      if (r && notes.has(r.key)) rowsOf.set(r.key, [...(rowsOf.get(r.key) ?? []), i]);
    });
    const updates: CellUpdate[] = [];
    const marks: PushMark[] = [];
    for (const [key, message] of notes) {
      for (const row of rowsOf.get(key) ?? []) {
        updates.push({ row, column: "status", value: message });
        const identity = ids[row];
        if (identity) marks.push({ key, row: identity, column: "status", kind: "conflict", message });
      }
      const change = analysis.changed.get(key);
      const beforeIds = io.identities(ops, table);
      for (const cell of change?.cells ?? []) {
        const identity = beforeIds[cell.row];
        if (identity) marks.push({ key, row: identity, column: cell.column, kind: "conflict", message });
      }
    }
    await io.workbook.writeCells(asSpec(ops.layout), updates);
    const last = await io.lastPushOrEmpty(ops);
    await io.workbook.saveSnapshot(
      ops.lastPushKey,
      JSON.stringify({ ...last, marks: [...last.marks.filter((m) => !notes.has(m.key)), ...marks] }),
    );
  }
  await checkTable(io, ops);

  const conflicts = [...notes.values()].filter((n) => n.startsWith("Conflict")).length;
  const keptCount = [...edited].filter((k) => k in snapshot.records).length;
  const parts = [
    `Refreshed: ${changedRows === 0 ? "no row changed in Campfire" : `${changedRows} ${changedRows === 1 ? "row" : "rows"} updated from Campfire`}`,
  ];
  if (keptCount) parts.push(`${keptCount} edited ${keptCount === 1 ? "record" : "records"} kept`);
  if (conflicts)
    parts.push(`${conflicts} changed in Campfire under your edits (marked as ${conflicts === 1 ? "a conflict" : "conflicts"})`);
  return { kind: ops.kind, updatedRows: changedRows, kept: keptCount, conflicts, message: `${parts.join("; ")}.` };
}

/** When the table was pulled and refreshed; null when it was never pulled (or its pulled data cannot be read). */
export async function tableStamps<R, S, P extends PushedBase>(io: TableIO, ops: TableKindOps<R, S, P>): Promise<TableStamps | null> {
  const json = await io.workbook.loadSnapshot(ops.snapshotKey);
  if (json === null) return null;
  try {
    const snapshot = ops.parseSnapshot(json) as Snapshot<R> & { refreshedAt?: string };
    if (!snapshot.pulledAt) return null;
    return { pulledAt: snapshot.pulledAt, refreshedAt: snapshot.refreshedAt ?? null };
  } catch {
    return null;
  }
}
