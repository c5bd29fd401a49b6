/**
 * What differs between the two tables, behind one shape, so pull/check/push/undo are written once:
 * how a record is fetched and sent, how its rows are rewritten from Campfire's answer, and where a
 * server error on one field or line belongs on the sheet.
 */
import type { CampfireApi } from "../api/campfire-api";
import type { FieldIssue } from "../api/errors";
import {
  COMMIT_WRITABLE_FIELDS,
  CommitWriteSchema,
  type CommitWritableField,
  type CommitWrite,
  type PrepaidCommit,
} from "../model/records";
import { compactShowsBundle } from "../domain/write/compact";
import { ITEM_LISTS } from "./item-lists";
import { analyzeAllocations, type AllocationAnalysis, type BundleSend } from "../domain/sheet/allocation-analysis";
import { recheckAllocations } from "../domain/sheet/allocation-recheck";
import {
  ALLOCATIONS_LAYOUT,
  ALLOCATION_IDENTITY,
  allocationCells,
  bundleKey,
  bundleRef,
  pulledBundleKey,
  type PulledBundle,
} from "../domain/sheet/allocation-table";
import type { UtcOffset } from "../domain/sheet/cell-writers";
import { analyzeCommits, unsendableHeld, type CommitSend } from "../domain/sheet/commit-analysis";
import {
  COMMITS_LAYOUT,
  COMMIT_IDENTITY,
  commitCells,
  commitKey,
  commitPutBody,
  commitRef,
  fieldHeader,
  sameFieldValue,
} from "../domain/sheet/commit-table";
import type { SheetCell, SheetLayout } from "../domain/sheet/layout";
import type { ChangedRecord, SheetAnalysis, TableRead } from "../domain/sheet/sheet-view";
import { bundleHolds, commitHolds, heldMinor, mergeBundle, mergeCommit, type Merge } from "../domain/write/merge";
import {
  lastPushKey,
  parseLastPush,
  type BundleLineValue,
  type LastPush,
  type PushedBase,
  type PushedBundle,
  type PushedCommit,
} from "../domain/sheet/last-push";
import {
  emptyAllocationSnapshot,
  emptyCommitSnapshot,
  parseAllocationSnapshot,
  parseCommitSnapshot,
  snapshotKey,
  SnapshotError,
} from "../domain/sheet/snapshot";
import { formatMinorGrouped, minorUnitsOf } from "../domain/money";
import { formatIssue } from "../domain/issues";
import { checkBundleDraft } from "../domain/rules/allocations";
import { checkCommitDraft } from "../domain/rules/prepaid-commits";
import type { TableKind } from "./workbench-interface";

export interface Snapshot<Rec> {
  pulledAt: string;
  records: Record<string, Rec>;
}

/** Where a server message belongs: a data row and a column key. */
export interface Place {
  row: number;
  column: string;
}

export interface TableKindOps<Rec, Send, Pushed extends PushedBase = PushedBase> {
  kind: TableKind;
  /** "Allocations", "Prepaid commits": for the log. */
  title: string;
  layout: SheetLayout;
  /** Column keys that name a row's record (and line): results find their row again by these after a sort. */
  identity: readonly string[];
  snapshotKey: string;
  /** Throws SnapshotError when nothing is kept (null): only called for a table that is on the sheet. */
  parseSnapshot(json: string | null): Snapshot<Rec> & { version: number; kind: string };
  lastPushKey: string;
  parseLastPush(json: string | null): LastPush<Pushed>;
  analyze(table: TableRead, snapshot: Snapshot<Rec>, offset?: UtcOffset): SheetAnalysis<Send>;
  /**
   * The analysis after an edit to the rows in `before` (each row's cells as they were) only, from the previous one:
   * equal to `analyze` of `table`, with the rows whose findings may differ; null when only a whole analysis will do.
   * Absent: every live check analyses the whole table.
   */
  recheck?(
    previous: SheetAnalysis<Send>,
    table: TableRead,
    before: ReadonlyMap<number, readonly SheetCell[]>,
    snapshot: Snapshot<Rec>,
    offset?: UtcOffset,
  ): { analysis: SheetAnalysis<Send>; rows: number[] } | null;
  lastModified(rec: Rec): string | null;
  fetch(api: CampfireApi, pulled: Rec): Promise<Rec>;
  /**
   * The check just before writing, for the records of one contract at once: each as Campfire holds it now, read
   * in `requests` requests whatever their number. A record the lists show with fewer fields than a read of it
   * (a bundle's compact copy has no last_modified_at) is returned as `reviewed` only when every value the lists
   * show is the reviewed one, and is absent otherwise — as is a record the lists do not hold: it is read alone.
   */
  readContract?: {
    requests: number;
    contractOf(rec: Rec): number;
    read(api: CampfireApi, contractId: number, reviewed: ReadonlyMap<string, Rec>): Promise<Map<string, Rec>>;
  };
  /**
   * The three-way merge of a push: the user's edited fields or lines (`change`, read from the sheet) over
   * Campfire's record as it is now (`now`), against the pulled record (`pulled`).
   */
  mergePush(pulled: Rec, change: ChangedRecord<Send>, now: Rec, analysis: SheetAnalysis<Send>): Merge<Send>;
  /** The merge of an undo: what the push replaced, over Campfire's record now, for the fields the push changed. */
  mergeUndo(pushed: Pushed, now: Rec): Merge<Send>;
  /** What goes on the wire for `send` over Campfire's record `now` (its fingerprint is what the user confirms). */
  payload(send: Send, now: Rec): unknown;
  /** Sends exactly `payload` (made by `payload`); `now` gives the answer its context. */
  write(api: CampfireApi, send: Send, payload: unknown, now: Rec): Promise<Rec>;
  /** Whether Campfire's record holds every value of `payload` (a write whose answer was lost is read back). */
  holds(rec: Rec, payload: unknown): boolean;
  /** The record's writable values as a payload with no edits (to tell a change that kept last_modified_at). */
  valuesOf(rec: Rec): unknown;
  /**
   * Whether Campfire's record holds what `payload` changes against `before` (the record read just before the write):
   * a write whose answer was lost went through even if someone else changed another field right after it.
   */
  holdsChanges(rec: Rec, payload: unknown, before: Rec): boolean;
  /** Field names a send changes (for undo). */
  fieldsOf(send: Send): string[];
  /** What undo needs of a record that went through, kept with the workbook: its old and new values. */
  remember(key: string, label: string, before: Rec, after: Rec, fields: readonly string[]): Pushed;
  /** Campfire's record now, for a record pushed earlier. */
  fetchPushed(api: CampfireApi, pushed: Pushed): Promise<Rec>;
  /**
   * Cells to rewrite from Campfire's answer, by row (identity and owned columns excluded). `always`: columns written
   * even when the cell already holds the value (see CellUpdate.always).
   */
  rowUpdates(
    rec: Rec,
    rows: readonly number[],
    analysis: SheetAnalysis<Send>,
    offset?: UtcOffset,
  ): { row: number; cells: Record<string, SheetCell>; always?: readonly string[] }[];
  /** Where a 400's field issue belongs. */
  placeIssue(issue: FieldIssue, send: Send, key: string, rows: readonly number[], analysis: SheetAnalysis<Send>): Place;
  /** How a field issue reads in the Status column. */
  describeIssue(issue: FieldIssue, send: Send, pulled: Rec): string;
  /**
   * Why what `send` would put on the wire, given Campfire's record as it is now, must not go out (null when it
   * may): another user's change can make the user's edits invalid, and an overwrite must not send that.
   */
  refuse(send: Send, current: Rec, key: string, rows: readonly number[], analysis: SheetAnalysis<Send>): Refusal | null;
}

/** A send stopped before it left: the Status text ("Not sent: …") and the cell it belongs to, when there is one. */
export interface Refusal {
  message: string;
  place?: Place;
}

function editableAndReadOnly<K extends string>(layout: SheetLayout<K>, identity: readonly K[]): K[] {
  return layout.columns.filter((c) => !c.owned && !identity.includes(c.key)).map((c) => c.key);
}

const ALLOCATION_WRITTEN = editableAndReadOnly(ALLOCATIONS_LAYOUT, ALLOCATION_IDENTITY);
const COMMIT_WRITTEN = editableAndReadOnly(COMMITS_LAYOUT, COMMIT_IDENTITY);

function pick(cells: Record<string, SheetCell>, keys: readonly string[]): Record<string, SheetCell> {
  const out: Record<string, SheetCell> = {};
  for (const k of keys) if (k in cells) out[k] = cells[k] as SheetCell;
  return out;
}

function lineValues(bundle: PulledBundle): BundleLineValue[] {
  return bundle.bundle.lines.map(({ id, product, product_name, amount }) => ({ id, product, product_name, amount }));
}

export const allocationOps: TableKindOps<PulledBundle, BundleSend, PushedBundle> = {
  kind: "allocations",
  title: "Allocations",
  layout: ALLOCATIONS_LAYOUT,
  identity: ALLOCATION_IDENTITY,
  snapshotKey: snapshotKey("allocations"),
  parseSnapshot: (json) => {
    if (json === null) throw SnapshotError.missing("allocations", "Allocations");
    return parseAllocationSnapshot(json);
  },
  lastPushKey: lastPushKey("allocations"),
  parseLastPush: (json) => parseLastPush("allocations", json),
  analyze: (table, snapshot, offset) => analyzeAllocations(table, { ...emptyAllocationSnapshot(), ...snapshot }, offset),
  recheck: (previous, table, before, snapshot, offset) =>
    recheckAllocations(previous as AllocationAnalysis, table, before, { ...emptyAllocationSnapshot(), ...snapshot }, offset),
  lastModified: (b) => b.bundle.last_modified_at,
  async fetch(api, pulled) {
    const bundle = await api.getAllocations(pulled.contractId, pulled.itemType, pulled.itemId);
    return { ...pulled, bundle };
  },
  // Each subscription, usage and milestone row carries its bundle's compact copy: three lists per contract.
  readContract: {
    requests: ITEM_LISTS.length,
    contractOf: (b) => b.contractId,
    async read(api, contractId, reviewed) {
      const lists = await Promise.all(ITEM_LISTS.map(async ({ itemType, list }) => ({ itemType, items: await list(api, contractId) })));
      const current = new Map<string, PulledBundle>();
      // An item can be on two pages (one added in front of it while the pages were read): its bundle is
      // unchanged only if every copy shows it so, the later copy being the newer.
      const changed = new Set<string>();
      lists.forEach(({ itemType, items }) => {
        for (const item of items) {
          const key = bundleKey(contractId, itemType, item.id);
          const known = reviewed.get(key);
          if (known && item.contract_product_bundle && compactShowsBundle(item.contract_product_bundle, known.bundle)) {
            current.set(key, known);
          } else changed.add(key);
        }
      });
      for (const key of changed) current.delete(key);
      return current;
    },
  },
  mergePush(pulled, change, now, analysis) {
    const lineRows = (analysis as AllocationAnalysis).lineRows.get(change.key);
    const editedRows = new Set(change.cells.map((c) => c.row));
    const edits = new Map<number, number>();
    if (change.send) {
      change.send.lineIds.forEach((lineId, i) => {
        const row = lineRows?.get(lineId);
        const amount = change.send!.lines[i]?.amount;
        if (row !== undefined && editedRows.has(row) && amount !== undefined) edits.set(lineId, amount);
      });
    }
    return mergeBundle({ ref: pulled, base: lineValues(pulled), baseCurrency: pulled.bundle.currency, now: now.bundle, edits });
  },
  mergeUndo(pushed, now) {
    const scale = minorUnitsOf(pushed.currency);
    const wrote = new Map(pushed.new.lines.map((l) => [l.id, l]));
    // Only the lines this push changed go back; a line it sent as Campfire held it is not the push's to undo.
    const edits = new Map<number, number>();
    for (const old of pushed.old.lines) {
      const written = wrote.get(old.id);
      if (!written || heldMinor(written.amount, scale) !== heldMinor(old.amount, scale)) edits.set(old.id, old.amount);
    }
    const { contractId, itemType, itemId } = pushed.ref;
    return mergeBundle({
      ref: { contractId, itemType, itemId },
      base: pushed.new.lines,
      baseCurrency: pushed.currency,
      now: now.bundle,
      edits,
    });
  },
  payload: (send) => ({ lines: send.lines }),
  async write(api, send, payload, now) {
    const bundle = await api.patchAllocations(send.contractId, send.itemType, send.itemId, payload as { lines: BundleSend["lines"] });
    return { ...now, bundle };
  },
  holds: (rec, payload) => {
    const { lines } = payload as { lines: BundleSend["lines"] };
    return bundleHolds(rec.bundle, {
      contractId: rec.contractId,
      itemType: rec.itemType,
      itemId: rec.itemId,
      lines,
      lineIds: rec.bundle.lines.map((l) => l.id),
    });
  },
  fieldsOf: () => ["lines"],
  valuesOf: (rec) => ({ lines: rec.bundle.lines.map((l) => ({ product: l.product, amount: l.amount })) }),
  holdsChanges(rec, payload, before) {
    const scale = minorUnitsOf(rec.bundle.currency);
    const { lines } = payload as { lines: BundleSend["lines"] };
    return lines.every((line) => {
      const was = before.bundle.lines.find((l) => l.product === line.product);
      if (was && heldMinor(was.amount, scale) === heldMinor(line.amount, scale)) return true; // not changed by this write
      const held = rec.bundle.lines.find((l) => l.product === line.product);
      return held !== undefined && heldMinor(held.amount, scale) === heldMinor(line.amount, scale);
    });
  },
  remember(key, label, before, after) {
    const { contractId, dealName, itemType, itemId } = before;
    return {
      key,
      label,
      lastModifiedAt: after.bundle.last_modified_at,
      fields: ["lines"],
      ref: { contractId, dealName, itemType, itemId },
      currency: after.bundle.currency,
      old: { lines: lineValues(before) },
      new: { lines: lineValues(after) },
    };
  },
  async fetchPushed(api, pushed) {
    const { contractId, dealName, itemType, itemId } = pushed.ref;
    const bundle = await api.getAllocations(contractId, itemType, itemId);
    return { contractId, dealName, itemType, itemId, bundle };
  },
  rowUpdates(rec, rows, analysis, offset) {
    const lineRows = (analysis as AllocationAnalysis).lineRows.get(pulledBundleKey(rec));
    const updates: { row: number; cells: Record<string, SheetCell> }[] = [];
    for (const line of rec.bundle.lines) {
      const row = lineRows?.get(line.id);
      if (row === undefined || !rows.includes(row)) continue;
      updates.push({ row, cells: pick(allocationCells(rec, line, offset), ALLOCATION_WRITTEN) });
    }
    return updates;
  },
  placeIssue(issue, send, key, rows, analysis) {
    const lineRows = (analysis as AllocationAnalysis).lineRows.get(key);
    const lineId = issue.lineIndex === undefined ? undefined : send.lineIds[issue.lineIndex];
    const row = (lineId === undefined ? undefined : lineRows?.get(lineId)) ?? rows[0] ?? 0;
    const column = /\.product$/.test(issue.path) ? "product_id" : "amount";
    return { row, column };
  },
  describeIssue(issue, send, pulled) {
    const lineId = issue.lineIndex === undefined ? undefined : send.lineIds[issue.lineIndex];
    const line = pulled.bundle.lines.find((l) => l.id === lineId);
    if (line) return `line ${line.id} (${line.product_name}) ${issue.path.replace(/^lines\[\d+\]\.?/, "") || "line"}: ${issue.message}`;
    return issue.path === "non_field_errors" ? issue.message : `${issue.path}: ${issue.message}`;
  },
  refuse(send, current, key, rows, analysis) {
    const bundle = current.bundle;
    const lineRows = (analysis as AllocationAnalysis).lineRows.get(key);
    const place = { row: rows[0] ?? 0, column: "amount" };
    const products = (ids: readonly number[]) => [...ids].sort((a, b) => a - b).join(", ");
    const serverProducts = bundle.lines.map((l) => l.product);
    const sentProducts = send.lines.map((l) => l.product);
    const sameProducts = serverProducts.length === sentProducts.length && sentProducts.every((p) => serverProducts.includes(p));
    if (!sameProducts) {
      return {
        place,
        message: `Not sent: Campfire's bundle now has lines for products ${products(serverProducts)}; your lines are for products ${products(sentProducts)}. Pull again.`,
      };
    }
    const check = checkBundleDraft({
      ref: bundleRef(current),
      currency: bundle.currency,
      totalAmount: bundle.total_amount,
      lines: send.lines.map((l, i) => ({ lineId: send.lineIds[i], product: l.product, amount: l.amount })),
    });
    if (check.issues.length === 0) return null;
    const currency = bundle.currency.trim().toUpperCase();
    const money = (minor: bigint) => `${formatMinorGrouped(minor, check.scale)}${currency ? ` ${currency}` : ""}`;
    if (check.differenceMinor !== null && check.differenceMinor !== 0n && check.sumMinor !== null) {
      const difference = check.differenceMinor;
      const gap = `${formatMinorGrouped(difference < 0n ? -difference : difference, check.scale)} ${difference < 0n ? "short" : "over"}`;
      return {
        place,
        message: `Not sent: Campfire's bundle total is now ${money(check.totalMinor)}; your lines sum to ${money(check.sumMinor)} (${gap}). Pull again or balance.`,
      };
    }
    // Anything else (an amount with more decimals than a new currency allows, a total that is not exact).
    const first = check.issues[0]!;
    const lineId = first.line === undefined ? undefined : send.lineIds[first.line];
    return {
      place: { row: (lineId === undefined ? undefined : lineRows?.get(lineId)) ?? place.row, column: "amount" },
      message: `Not sent: against Campfire's bundle as it is now (${currency || "no currency"}): ${formatIssue(first)} Pull again.`,
    };
  },
};

const WRITABLE_COMMIT_FIELDS = new Set<string>(COMMITS_LAYOUT.columns.filter((c) => c.editable).map((c) => c.key));

type FieldValues = PushedCommit["old"];

function fieldValues(commit: PrepaidCommit, fields: readonly CommitWritableField[]): FieldValues {
  const values: FieldValues = {};
  // An optional field Campfire did not send stays absent, so undo does not invent a value for it either.
  for (const field of fields) if (commit[field] !== undefined) values[field] = commit[field] as string | number | boolean | null;
  return values;
}

export const commitOps: TableKindOps<PrepaidCommit, CommitSend, PushedCommit> = {
  kind: "commits",
  title: "Prepaid commits",
  layout: COMMITS_LAYOUT,
  identity: COMMIT_IDENTITY,
  snapshotKey: snapshotKey("commits"),
  parseSnapshot: (json) => {
    if (json === null) throw SnapshotError.missing("prepaid commits", "Prepaid commits");
    return parseCommitSnapshot(json);
  },
  lastPushKey: lastPushKey("commits"),
  parseLastPush: (json) => parseLastPush("commits", json),
  analyze: (table, snapshot, offset) => analyzeCommits(table, { ...emptyCommitSnapshot(), ...snapshot }, offset),
  lastModified: (c) => c.last_modified_at,
  fetch: (api, pulled) => api.getPrepaidCommit(pulled.contract, pulled.id),
  // A contract's commit list carries each commit whole, last_modified_at included: K requests for N commits.
  readContract: {
    requests: 1,
    contractOf: (c) => c.contract,
    async read(api, contractId) {
      const list = await api.listPrepaidCommits(contractId);
      return new Map(list.map((c) => [commitKey(c.contract, c.id), c]));
    },
  },
  mergePush: (pulled, change, now) => mergeCommit({ base: pulled, now, edits: change.send?.edits ?? {} }),
  mergeUndo(pushed, now) {
    // Only the fields this push changed go back.
    const edits: Partial<Record<CommitWritableField, unknown>> = {};
    for (const field of pushed.fields) {
      if (!sameFieldValue(field, pushed.old[field], pushed.new[field], pushed.currency)) edits[field] = pushed.old[field];
    }
    return mergeCommit({ base: pushed.new, now, edits });
  },
  // The body starts from what Campfire holds right now, so a PUT never clears a field the user did not edit.
  payload: (send, now) => {
    // What the client will put on the wire (its schema trims text): the fingerprint and the read-back compare that.
    const body = commitPutBody(now, send.edits);
    const wire = CommitWriteSchema.safeParse(body);
    return wire.success ? wire.data : body;
  },
  write: (api, send, payload) => api.putPrepaidCommit(send.contractId, send.commitId, payload as CommitWrite),
  holds: (rec, payload) => commitHolds(rec, payload as Record<string, unknown>),
  fieldsOf: (send) => Object.keys(send.edits),
  valuesOf: (rec) => commitPutBody(rec, {}),
  holdsChanges(rec, payload, before) {
    const currency = before.currency ?? "";
    return Object.entries(payload as Record<string, unknown>).every(([name, value]) => {
      const field = name as CommitWritableField;
      return sameFieldValue(field, before[field], value, currency) || sameFieldValue(field, rec[field], value, rec.currency ?? currency);
    });
  },
  remember(key, label, before, after, fields) {
    const written = fields.filter((f): f is CommitWritableField => WRITABLE_COMMIT_FIELDS.has(f));
    return {
      key,
      label,
      lastModifiedAt: after.last_modified_at,
      fields: written,
      ref: { contract: before.contract, id: before.id },
      currency: before.currency ?? "",
      old: fieldValues(before, written),
      new: fieldValues(after, written),
    };
  },
  fetchPushed: (api, pushed) => api.getPrepaidCommit(pushed.ref.contract, pushed.ref.id),
  // The currency is written again even when the user typed it: the adapter then gives the row's amounts that
  // currency's decimals (a currency changed by the push, its amounts unchanged, would keep the old ones).
  rowUpdates: (rec, rows, _analysis, offset) =>
    rows.map((row) => ({ row, cells: pick(commitCells(rec, offset), COMMIT_WRITTEN), always: ["currency"] })),
  placeIssue(issue, _send, _key, rows) {
    const field = issue.path.split(/[.[]/)[0] ?? "";
    return { row: rows[0] ?? 0, column: WRITABLE_COMMIT_FIELDS.has(field) ? field : "status" };
  },
  describeIssue(issue) {
    const field = issue.path.split(/[.[]/)[0] ?? "";
    if (WRITABLE_COMMIT_FIELDS.has(field)) return `${fieldHeader(field as CommitWritableField)}: ${issue.message}`;
    return issue.path === "non_field_errors" ? issue.message : `${issue.path}: ${issue.message}`;
  },
  refuse(send, current, _key, rows) {
    const ref = commitRef(current.contract, current.id, current.name);
    const options = { currency: current.currency ?? undefined };
    const body = commitPutBody(current, send.edits) as Record<string, unknown>;
    // Problems the edits bring to the record as it is now are the user's, and reported as such first; a rule
    // Campfire's own values already break across fields (dates out of order) is Campfire's to judge.
    const already = new Set(
      checkCommitDraft(ref, commitPutBody(current, {}) as Record<string, unknown>, options).map((i) => `${i.field}\u0000${i.message}`),
    );
    const issue = checkCommitDraft(ref, body, options).find((i) => !already.has(`${i.field}\u0000${i.message}`));
    if (!issue) {
      // A value it holds that the write schema refuses, in a field the user did not edit, still cannot go out
      // (see unsendableHeld): stopped here on its cell rather than failing in the client with no place.
      const untouched = COMMIT_WRITABLE_FIELDS.filter((f) => !(f in send.edits));
      const held = unsendableHeld(ref, current, untouched)[0];
      if (!held) return null;
      return {
        place: { row: rows[0] ?? 0, column: held.field },
        message: `Not sent: ${held.message}; allowed: ${held.allowed.replace(/[.\s]+$/, "")}. Choose one in the row and push again.`,
      };
    }
    const field = WRITABLE_COMMIT_FIELDS.has(issue.field) ? (issue.field as CommitWritableField) : null;
    const where = field ? fieldHeader(field) : issue.field;
    const message = issue.message.replace(/[.\s]+$/, "");
    const allowed = issue.allowed.replace(/[.\s]+$/, "");
    return {
      place: { row: rows[0] ?? 0, column: field ?? "status" },
      message: `Not sent: with Campfire's current values, ${where}: ${message}; allowed: ${allowed}. Pull again or change the row.`,
    };
  },
};

/** A use-case written once for every table kind: called with the kind's ops, its types intact. */
export interface OpsUser<T> {
  <Rec, Send, Pushed extends PushedBase>(ops: TableKindOps<Rec, Send, Pushed>): T;
}

export function withOps<T>(kind: TableKind, use: OpsUser<T>): T {
  return kind === "allocations" ? use(allocationOps) : use(commitOps);
}
