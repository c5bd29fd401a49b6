/**
 * The last push of each table, kept with the workbook next to the snapshot, so "Undo last push" and "Push
 * again" still work after the add-in reloads and whichever of the ribbon or the pane asks. It holds only what
 * those two need: which records failed (and which conflicts the user chose to overwrite), and for each record
 * that went through its old and new values and the last_modified_at Campfire answered with. Never the token.
 * Parsed with schemas on load, like the snapshot: a record damaged by hand is reported, never half-trusted.
 */
import { z } from "zod/mini";
import { BundleLineSchema, COMMIT_WRITABLE_FIELDS, ITEM_TYPES } from "../../model/records";

export const LAST_PUSH_VERSION = 1;

type Kind = "allocations" | "commits";

/** What every pushed record keeps, whatever the table. */
export interface PushedBase {
  key: string;
  label: string;
  /** What Campfire answered our push with: undo refuses (conflict) once someone else changed the record. */
  lastModifiedAt: string | null;
  /** Fields the push changed: undo puts back only these. */
  fields: string[];
}

const LineValueSchema = z.pick(BundleLineSchema, { id: true, product: true, product_name: true, amount: true });

export const PushedBundleSchema = z.object({
  key: z.string(),
  label: z.string(),
  lastModifiedAt: z.nullable(z.string()),
  fields: z.array(z.literal("lines")),
  ref: z.object({ contractId: z.int(), dealName: z.nullable(z.string()), itemType: z.enum(ITEM_TYPES), itemId: z.int() }),
  currency: z.string(),
  old: z.object({ lines: z.array(LineValueSchema) }),
  new: z.object({ lines: z.array(LineValueSchema) }),
});
export type PushedBundle = z.output<typeof PushedBundleSchema>;
export type BundleLineValue = z.output<typeof LineValueSchema>;

const FieldValuesSchema = z.partialRecord(z.enum(COMMIT_WRITABLE_FIELDS), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const PushedCommitSchema = z.object({
  key: z.string(),
  label: z.string(),
  lastModifiedAt: z.nullable(z.string()),
  fields: z.array(z.enum(COMMIT_WRITABLE_FIELDS)),
  ref: z.object({ contract: z.int(), id: z.int() }),
  currency: z.string(),
  /** A field absent here was absent in Campfire's record too. */
  old: FieldValuesSchema,
  new: FieldValuesSchema,
});
export type PushedCommit = z.output<typeof PushedCommitSchema>;

/**
 * The user's choice to overwrite one record, tied to the version of it they saw (Campfire's last_modified_at in
 * the plan or the skipped result): a later change by someone else is a new conflict, never covered by it.
 */
export interface OverwriteConsent {
  key: string;
  serverAt: string;
}

const ConsentSchema = z.object({ key: z.string(), serverAt: z.string() });

/**
 * A mark a push left on a cell of a record that did not go through (Campfire's refusal, or a conflict). It is
 * kept so that every later check shows it too, until the record goes through, is pulled again or no longer
 * differs. The row is named by its identity, never its number: a sort must not move the mark to another record.
 */
export interface PushMark {
  key: string;
  /** The row's identity (its identity columns, and which copy of them), as the workbench computes it. */
  row: string;
  column: string;
  kind: "error" | "conflict";
  message: string;
}

const PushMarkSchema = z.object({
  key: z.string(),
  row: z.string(),
  column: z.string(),
  kind: z.enum(["error", "conflict"]),
  message: z.string(),
});

export interface LastPush<Entry extends PushedBase = PushedBase> {
  version: typeof LAST_PUSH_VERSION;
  kind: Kind;
  /** Records that failed: "Push again" sends these. */
  failed: string[];
  /** Conflicts the user chose to overwrite in that push, each for the version they saw: "Push again" keeps the choice. */
  overwrite: OverwriteConsent[];
  /** Records that went through: "Undo last push" reverts these. */
  pushed: Entry[];
  /** Where the records that did not go through are marked. */
  marks: PushMark[];
  /**
   * Writes whose answer was lost and whose record could not be read back: Campfire's record as read just before
   * each (JSON, the table kind's record). A later review that finds Campfire holding the values settles such a
   * record as pushed — and undoable, to these values. Absent when there is none.
   */
  unconfirmed?: { key: string; before: unknown }[];
}

export class LastPushError extends Error {
  override name = "LastPushError";
  constructor(kind: Kind, detail: string) {
    super(
      `The record of the last ${kind === "commits" ? "prepaid commits" : "allocations"} push kept with this workbook cannot be read (${detail}); ` +
        `undo and push again are not available for that push — check the values in Campfire`,
    );
  }
}

/** Where each table's last push is kept in the workbook. */
export function lastPushKey(kind: Kind): string {
  return `campfire.last-push.${kind}`;
}

export function emptyLastPush<Entry extends PushedBase>(kind: Kind): LastPush<Entry> {
  return { version: LAST_PUSH_VERSION, kind, failed: [], overwrite: [], pushed: [], marks: [] };
}

function envelope<S extends z.ZodMiniType>(kind: Kind, entry: S) {
  return z.object({
    version: z.literal(LAST_PUSH_VERSION),
    kind: z.literal(kind),
    failed: z.array(z.string()),
    // A bare key (kept by an earlier version of the add-in) names no version, so it is dropped: no consent.
    overwrite: z.pipe(
      z.array(z.union([ConsentSchema, z.string()])),
      z.transform((list: (OverwriteConsent | string)[]) => list.filter((c): c is OverwriteConsent => typeof c !== "string")),
    ),
    pushed: z.array(entry),
    // Kept by earlier versions of the add-in without marks: nothing to mark.
    marks: z._default(z.array(PushMarkSchema), []),
    unconfirmed: z.optional(z.array(z.object({ key: z.string(), before: z.unknown() }))),
  });
}

const SCHEMAS = {
  allocations: envelope("allocations", PushedBundleSchema),
  commits: envelope("commits", PushedCommitSchema),
} as const;

/** null or "" (nothing kept, or cleared by a pull) is an empty last push. */
export function parseLastPush(kind: "allocations", json: string | null): LastPush<PushedBundle>;
export function parseLastPush(kind: "commits", json: string | null): LastPush<PushedCommit>;
export function parseLastPush(kind: Kind, json: string | null): LastPush;
export function parseLastPush(kind: Kind, json: string | null): LastPush {
  if (json === null || json === "") return emptyLastPush(kind);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new LastPushError(kind, "it is not JSON");
  }
  const parsed = SCHEMAS[kind].safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new LastPushError(kind, first ? `${first.path.join(".") || "top level"}: ${first.message}` : "invalid");
  }
  return parsed.data as LastPush;
}
