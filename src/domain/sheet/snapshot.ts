/**
 * The records as pulled, kept with the workbook so a push next week still knows what the user changed
 * and what Campfire's last_modified_at was at the time. Parsed with the record schemas on load: a snapshot
 * damaged by hand is reported, never half-trusted.
 */
import { z } from "zod/mini";
import { BundleSchema, ITEM_TYPES, PrepaidCommitSchema, type PrepaidCommit } from "../../model/records";
import { pulledBundleKey, type PulledBundle } from "./allocation-table";
import { commitKey } from "./commit-table";

export const SNAPSHOT_VERSION = 1;

const PulledBundleSchema = z.object({
  contractId: z.int(),
  dealName: z.nullable(z.string()),
  itemType: z.enum(ITEM_TYPES),
  itemId: z.int(),
  bundle: BundleSchema,
});

/**
 * When the table was last pulled (any contracts) and refreshed in place, and which contracts it holds ("all": every
 * contract, so a refresh also brings contracts created since). Absent in data kept by earlier versions.
 */
// Written in zod's functional forms, which zod/mini shares.
const Stamps = {
  refreshedAt: z.optional(z.string()),
  scope: z.optional(z.union([z.literal("all"), z.array(z.int())])),
};

export type SnapshotScope = "all" | number[];

const AllocationSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  kind: z.literal("allocations"),
  pulledAt: z.string(),
  ...Stamps,
  records: z.record(z.string(), PulledBundleSchema),
});

const CommitSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  kind: z.literal("commits"),
  pulledAt: z.string(),
  ...Stamps,
  records: z.record(z.string(), PrepaidCommitSchema),
});

export type AllocationSnapshot = z.output<typeof AllocationSnapshotSchema>;
export type CommitSnapshot = z.output<typeof CommitSnapshotSchema>;

export class SnapshotError extends Error {
  override name = "SnapshotError";
  constructor(
    readonly kind: string,
    detail: string,
    message = `The ${kind} pulled with this workbook cannot be read (${detail}); pull the table again before pushing`,
  ) {
    super(message);
  }

  /**
   * The table is there but what was pulled into it is not kept: without it no cell can be told edited or not,
   * so nothing may be sent and a pull must ask first. `title` names the table ("Allocations").
   */
  static missing(kind: string, title: string): SnapshotError {
    return new SnapshotError(kind, "missing", `This workbook has no pulled Campfire data kept for the ${title} table; pull again.`);
  }
}

/** Where each table's snapshot is kept in the workbook. */
export function snapshotKey(kind: "allocations" | "commits"): string {
  return `campfire.snapshot.${kind}`;
}

/** Stamps beyond pulledAt, set only when known (so data kept without them reads back the same). */
export interface SnapshotStamps {
  refreshedAt?: string;
  scope?: SnapshotScope;
}

function stamps(extra: SnapshotStamps): SnapshotStamps {
  const out: SnapshotStamps = {};
  if (extra.refreshedAt !== undefined) out.refreshedAt = extra.refreshedAt;
  if (extra.scope !== undefined) out.scope = extra.scope === "all" ? "all" : [...new Set(extra.scope)].sort((a, b) => a - b);
  return out;
}

export function allocationSnapshot(bundles: readonly PulledBundle[], pulledAt: string, extra: SnapshotStamps = {}): AllocationSnapshot {
  const records: Record<string, PulledBundle> = {};
  for (const b of bundles) records[pulledBundleKey(b)] = b;
  return { version: SNAPSHOT_VERSION, kind: "allocations", pulledAt, ...stamps(extra), records };
}

export function commitSnapshot(commits: readonly PrepaidCommit[], pulledAt: string, extra: SnapshotStamps = {}): CommitSnapshot {
  const records: Record<string, PrepaidCommit> = {};
  for (const c of commits) records[commitKey(c.contract, c.id)] = c;
  return { version: SNAPSHOT_VERSION, kind: "commits", pulledAt, ...stamps(extra), records };
}

function parse<S extends z.ZodMiniType>(schema: S, kind: string, json: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new SnapshotError(kind, "it is not JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new SnapshotError(kind, first ? `${first.path.join(".") || "top level"}: ${first.message}` : "invalid");
  }
  return parsed.data;
}

export function parseAllocationSnapshot(json: string): AllocationSnapshot {
  return parse(AllocationSnapshotSchema, "allocations", json);
}

export function parseCommitSnapshot(json: string): CommitSnapshot {
  return parse(CommitSnapshotSchema, "prepaid commits", json);
}

export function emptyAllocationSnapshot(): AllocationSnapshot {
  return { version: SNAPSHOT_VERSION, kind: "allocations", pulledAt: "", records: {} };
}

export function emptyCommitSnapshot(): CommitSnapshot {
  return { version: SNAPSHOT_VERSION, kind: "commits", pulledAt: "", records: {} };
}
