/**
 * The one model of a change: per field or line, what was *pulled* (the base), what *Campfire holds now*, what the
 * user made it (*yours*), and what will be *sent*. A write is a three-way merge: only the fields and lines the user
 * edited take the user's value; everything else takes Campfire's current value, so a colleague's change to a
 * line the user never touched survives an overwrite. The same merge serves undo, with "what the push wrote" as
 * the base and "what was there before it" as the user's values.
 */
import { COMMIT_WRITABLE_FIELDS, type Bundle, type CommitWritableField, type PrepaidCommit } from "../../model/records";
import { formatMinorGrouped, minorUnitsOf, roundHalfEvenToScale, sumMinor, toMinor } from "../money";
import type { BundleSend } from "../sheet/allocation-analysis";
import type { CommitSend } from "../sheet/commit-analysis";
import { fieldHeader, sameFieldValue, showFieldValue } from "../sheet/commit-table";

/** One field or line of a record in a review: pulled → Campfire now → will send. */
export interface PlannedField {
  /** "Amount of Platform — Enterprise (line 7001)", "Discount %". */
  field: string;
  pulled: string;
  now: string;
  send: string;
  /** The user changed it: it takes the user's value. */
  edited: boolean;
  /** Campfire's value differs from the pulled one: someone changed it in Campfire since. */
  changedInCampfire: boolean;
  /** The user's value replaces a value someone else set in Campfire since the pull. */
  overwrites: boolean;
}

export interface Merge<S> {
  /** What goes out; null when the merge cannot be sent (`blocked` says why). */
  send: S | null;
  /** Every field or line that the user edited or someone changed in Campfire. */
  fields: PlannedField[];
  blocked: string | null;
  /** Campfire already holds every value the user edited: there is nothing to send. */
  inSync: boolean;
}

/** A bundle line as the merge needs it (a pulled line, or a line kept with the last push). */
export interface LineValue {
  id: number;
  product: number;
  product_name: string;
  amount: number;
}

/** Minor units of an amount Campfire holds; an amount finer than the currency is rounded only for comparison. */
export function heldMinor(amount: number, scale: number): bigint {
  try {
    return toMinor(amount, scale);
  } catch {
    return roundHalfEvenToScale(amount, scale);
  }
}

function lineLabel(line: { id: number; product_name: string }): string {
  return `Amount of ${line.product_name} (line ${line.id})`;
}

/**
 * Merges the user's amounts (`edits`: line id → amount, for the lines the user changed only) over Campfire's
 * bundle as it is now. The result must still add up to Campfire's current total to the cent; a bundle whose lines
 * Campfire changed (added, removed, another product) cannot be merged line by line and is blocked.
 */
export function mergeBundle(p: {
  ref: { contractId: number; itemType: BundleSend["itemType"]; itemId: number };
  base: readonly LineValue[];
  baseCurrency: string;
  now: Bundle;
  edits: ReadonlyMap<number, number>;
}): Merge<BundleSend> {
  const { now } = p;
  const scale = minorUnitsOf(now.currency);
  const money = (minor: bigint) => formatMinorGrouped(minor, scale);
  const baseById = new Map(p.base.map((l) => [l.id, l]));
  const nowById = new Map(now.lines.map((l) => [l.id, l]));
  const fields: PlannedField[] = [];

  const sameLines = p.base.length === now.lines.length && now.lines.every((l) => baseById.get(l.id)?.product === l.product);
  const sameCurrency = p.baseCurrency.trim().toUpperCase() === now.currency.trim().toUpperCase();
  if (!sameLines || !sameCurrency) {
    for (const line of p.base) {
      const held = nowById.get(line.id);
      const edit = p.edits.get(line.id);
      fields.push({
        field: lineLabel(line),
        pulled: money(heldMinor(line.amount, scale)),
        now: held ? money(heldMinor(held.amount, scale)) : "(no such line now)",
        send: "(not sent)",
        edited: edit !== undefined,
        changedInCampfire: true,
        overwrites: false,
      });
    }
    const why = sameCurrency
      ? `Campfire's bundle now has other lines (${now.lines.map((l) => `line ${l.id}: product ${l.product}`).join(", ") || "none"}) than when pulled`
      : `Campfire's bundle is now in ${now.currency || "no currency"}, not ${p.baseCurrency || "no currency"} as pulled`;
    return { send: null, fields, blocked: `${why}; pull again to see them`, inSync: false };
  }

  const lines: { product: number; amount: number }[] = [];
  const sendMinor: bigint[] = [];
  let inSync = true;
  for (const held of now.lines) {
    const base = baseById.get(held.id)!;
    const edit = p.edits.get(held.id);
    const nowMinor = heldMinor(held.amount, scale);
    const pulledMinor = heldMinor(base.amount, scale);
    const edited = edit !== undefined;
    const amount = edited ? edit : held.amount;
    const minor = edited ? heldMinor(edit, scale) : nowMinor;
    lines.push({ product: held.product, amount });
    sendMinor.push(minor);
    if (minor !== nowMinor) inSync = false;
    const changedInCampfire = nowMinor !== pulledMinor;
    if (edited || changedInCampfire) {
      fields.push({
        field: lineLabel(base),
        pulled: money(pulledMinor),
        now: money(nowMinor),
        send: money(minor),
        edited,
        changedInCampfire,
        overwrites: edited && changedInCampfire && minor !== nowMinor,
      });
    }
  }

  const totalMinor = heldMinor(now.total_amount, scale);
  const difference = sumMinor(sendMinor) - totalMinor;
  const send: BundleSend = { ...p.ref, lines, lineIds: now.lines.map((l) => l.id) };
  if (difference !== 0n && !inSync) {
    const gap = `${money(difference < 0n ? -difference : difference)} ${difference < 0n ? "short" : "over"}`;
    return {
      send: null,
      fields,
      blocked:
        `with Campfire's current lines your amounts make the bundle sum to ${money(sumMinor(sendMinor))}, ` +
        `not its total ${money(totalMinor)} ${now.currency} (${gap}); balance the bundle on the sheet or pull again`,
      inSync,
    };
  }
  return { send, fields, blocked: null, inSync };
}

/** Whether Campfire's bundle holds every amount a write sends (to the minor unit). */
export function bundleHolds(bundle: Bundle, send: BundleSend): boolean {
  const scale = minorUnitsOf(bundle.currency);
  const byId = new Map(bundle.lines.map((l) => [l.id, l]));
  return (
    bundle.lines.length === send.lines.length &&
    send.lines.every((line, i) => {
      const held = byId.get(send.lineIds[i]!);
      return held !== undefined && held.product === line.product && heldMinor(held.amount, scale) === heldMinor(line.amount, scale);
    })
  );
}

type FieldValues = Partial<Record<CommitWritableField, unknown>>;

/**
 * Merges the user's edited fields over Campfire's commit as it is now: the PUT carries Campfire's current value
 * for every other field, so nothing the user did not edit changes. `base` holds the pulled values (for undo,
 * what the push wrote); a field absent from it is not compared.
 */
export function mergeCommit(p: { base: FieldValues; now: PrepaidCommit; edits: FieldValues }): Merge<CommitSend> {
  const { now } = p;
  const currency = now.currency ?? "";
  const fields: PlannedField[] = [];
  let inSync = true;
  for (const field of COMMIT_WRITABLE_FIELDS) {
    const edited = field in p.edits;
    const compared = field in p.base;
    const changedInCampfire = compared && !sameFieldValue(field, now[field], p.base[field], currency);
    if (!edited && !changedInCampfire) continue;
    const send = edited ? p.edits[field] : now[field];
    const sameAsNow = sameFieldValue(field, send, now[field], currency);
    if (edited && !sameAsNow) inSync = false;
    fields.push({
      field: fieldHeader(field),
      pulled: compared ? showFieldValue(field, p.base[field], currency) : "",
      now: showFieldValue(field, now[field], currency),
      send: showFieldValue(field, send, currency),
      edited,
      changedInCampfire,
      overwrites: edited && changedInCampfire && !sameAsNow,
    });
  }
  return { send: { contractId: now.contract, commitId: now.id, edits: { ...p.edits } }, fields, blocked: null, inSync };
}

/** Whether Campfire's commit holds every value of a PUT body. */
export function commitHolds(commit: PrepaidCommit, body: Record<string, unknown>): boolean {
  const currency = commit.currency ?? "";
  return Object.entries(body).every(([field, value]) =>
    sameFieldValue(field as CommitWritableField, commit[field as CommitWritableField], value, currency),
  );
}
