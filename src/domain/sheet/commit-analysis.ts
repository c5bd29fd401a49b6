/**
 * Reads the Prepaid commits table against the pulled commits: what each row says, whether it is valid, which
 * fields the user changed (only those are sent), and which rows are not pulled commits at all.
 */
import { COMMIT_WRITABLE_FIELDS, type CommitWritableField, type PrepaidCommit } from "../../model/records";
import { ID_MAX, ID_MIN } from "../../model/campfire-facts";
import { formatLimit, readInteger } from "../cell-readers";
import { describeRecord, type Issue, type RecordRef } from "../issues";
import { checkCommitDraft } from "../rules/prepaid-commits";
import { asRead, sameCell, showCell, type UtcOffset } from "./cell-writers";
import { bestRow, heldBeyondCell, heldNote, IDENTITY_MESSAGE, matchCount } from "./row-identity";
import type { SheetCell } from "./layout";
import {
  COMMITS_LAYOUT,
  COMMIT_IDENTITY,
  commitCells,
  commitKey,
  commitRef,
  fieldHeader,
  readCommitField,
  sameFieldValue,
  showFieldValue,
  type CommitColumnKey,
} from "./commit-table";
import type { CommitSnapshot } from "./snapshot";
import { Findings, SheetView, type ChangedRecord, type FieldChange, type SheetAnalysis, type TableRead } from "./sheet-view";

/** The user's changed fields of one commit; the push adds Campfire's current values for the rest. */
export interface CommitSend {
  contractId: number;
  commitId: number;
  edits: Partial<Record<CommitWritableField, unknown>>;
}

export type CommitAnalysis = SheetAnalysis<CommitSend>;

const WRITABLE = new Set<string>(COMMIT_WRITABLE_FIELDS);
const READ_ONLY_COMPARED = COMMITS_LAYOUT.columns.filter((c) => !c.editable && !c.owned && !COMMIT_IDENTITY.includes(c.key));

function columnOfField(field: string): CommitColumnKey {
  return WRITABLE.has(field) ? (field as CommitWritableField) : "commit_id";
}

/** Compared to tell which row is which record: every column but the identity and the add-in's own. */
const MATCHED = COMMITS_LAYOUT.columns.filter((c) => !c.owned && !COMMIT_IDENTITY.includes(c.key)).map((c) => c.key);

export function analyzeCommits(table: TableRead, snapshot: CommitSnapshot, offset?: UtcOffset): CommitAnalysis {
  const view = new SheetView(COMMITS_LAYOUT, table);
  const found = new Findings<CommitColumnKey>(view);
  const changed = new Map<string, ChangedRecord<CommitSend>>();
  const rowsByKey = new Map<string, number[]>();
  const id = { min: ID_MIN, max: ID_MAX };
  const claims = new Map<string, { row: number; ref: RecordRef; contract: number; commit: number }[]>();

  for (let row = 0; row < view.rowCount; row++) {
    if (view.isBlankRow(row)) continue;
    const contract = readInteger(view.cell(row, "contract_id"), id);
    if (!contract.ok) {
      const ref = commitRef(0, null);
      found.add(`row:${row}`, keyIssue(ref, "Contract ID", contract.message, contract.allowed), row, "contract_id", "contract_id");
      continue;
    }
    const commitCell = view.cell(row, "commit_id");
    const commit = readInteger(commitCell, id);
    const name = view.cell(row, "name");
    const ref = commitRef(contract.value, commit.ok ? commit.value : null, typeof name === "string" ? name : null);
    if (!commit.ok) {
      const blank = commitCell === undefined || commitCell === "";
      found.add(
        `row:${row}`,
        blank
          ? {
              record: ref,
              field: "Commit ID",
              message: "this row has no commit id, so it is not a pulled commit; new commits are not created from the sheet",
              allowed: "rows pulled from Campfire; create the commit in Campfire, then pull again",
            }
          : keyIssue(ref, "Commit ID", commit.message, commit.allowed),
        row,
        "commit_id",
        "commit_id",
      );
      continue;
    }
    const key = commitKey(contract.value, commit.value);
    const list = claims.get(key) ?? [];
    list.push({ row, ref, contract: contract.value, commit: commit.value });
    claims.set(key, list);
  }

  // A pulled commit no row names any more is where a typed-over id came from; the row that holds its cells is
  // the edited one, so the message goes there and not on the untouched row whose id it now repeats.
  const absent = Object.keys(snapshot.records).filter((key) => !claims.has(key));
  const wasCommit = (row: number): PrepaidCommit | null => {
    let best: PrepaidCommit | null = null;
    let bestScore = 0;
    for (const key of absent) {
      const c = snapshot.records[key]!;
      const score = matchCount(view, row, MATCHED, commitCells(c, offset));
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    return best;
  };
  const identityEdit = (row: number, ref: RecordRef, contract: number, what: string) => {
    const was = wasCommit(row);
    // The column typed over: the contract when that is what differs from the commit the row held, else the commit.
    const column = was && was.contract !== contract ? "contract_id" : "commit_id";
    // Filed under the commit the row held: that record has an edit that cannot be sent (so a review blocks and a
    // pull asks before it replaces the row), and the row's other edits are not lost without a word.
    const key = was ? commitKey(was.contract, was.id) : `row:${row}`;
    if (was && !changed.has(key)) {
      const wasRef = commitRef(was.contract, was.id, was.name);
      const label = describeRecord(wasRef);
      const typed = column === "contract_id" ? contract : ref.kind === "commit" ? ref.commitId : null;
      found.edited(row, column);
      changed.set(key, {
        key,
        label,
        ref: wasRef,
        rows: [row],
        changes: [
          {
            key,
            label,
            field: column === "contract_id" ? "Contract ID" : "Commit ID",
            old: String(column === "contract_id" ? was.contract : was.id),
            new: String(typed ?? ""),
          },
        ],
        cells: [{ row, column }],
        send: null,
      });
    }
    found.add(
      key,
      {
        record: ref,
        field: column === "contract_id" ? "Contract ID" : "Commit ID",
        message: `${what}; ${IDENTITY_MESSAGE}`,
        allowed: !was
          ? "the Contract ID and Commit ID as pulled; pull again to restore them"
          : column === "contract_id"
            ? `the Contract ID as pulled, ${was.contract}; pull again to restore it`
            : `the Commit ID as pulled, ${was.id} (and Contract ID ${was.contract}); pull again to restore it`,
      },
      row,
      column,
      "commit_id",
    );
  };

  for (const [key, rows] of claims) {
    const pulled = snapshot.records[key];
    const first = rows[0]!;
    if (!pulled) {
      for (const { row, ref, contract, commit } of rows) {
        if (absent.length) identityEdit(row, ref, contract, `commit ${commit} of contract ${contract} is not in the pulled data`);
        else {
          found.add(
            key,
            {
              record: ref,
              field: "Commit ID",
              message: `commit ${commit} of contract ${contract} is not in the pulled data (added or copied after the pull); it is not sent`,
              allowed: "each pulled commit once; create commits in Campfire, then pull again",
            },
            row,
            "commit_id",
            "commit_id",
          );
        }
      }
      continue;
    }
    const expected = commitCells(pulled, offset);
    const row =
      rows.length === 1
        ? first.row
        : bestRow(
            view,
            rows.map((r) => r.row),
            MATCHED,
            expected,
          );
    for (const other of rows) {
      if (other.row === row) continue;
      const message = `commit ${other.commit} is on the sheet twice; only row ${view.address(row, "commit_id")} counts`;
      if (absent.length && wasCommit(other.row))
        identityEdit(other.row, other.ref, other.contract, `commit ${other.commit} is already on row ${view.address(row, "commit_id")}`);
      else {
        found.add(
          key,
          {
            record: other.ref,
            field: "Commit ID",
            message,
            allowed: "each pulled commit once; create commits in Campfire, then pull again",
          },
          other.row,
          "commit_id",
          "commit_id",
        );
      }
    }
    rowsByKey.set(key, [row]);
    analyzeCommitRow(view, found, key, row, pulled, expected, changed);
  }

  return found.analysis(changed, snapshot.records, rowsByKey, (key) => {
    const c = snapshot.records[key]!;
    return describeRecord(commitRef(c.contract, c.id, c.name));
  });
}

function analyzeCommitRow(
  view: SheetView<CommitColumnKey>,
  found: Findings<CommitColumnKey>,
  key: string,
  row: number,
  pulled: PrepaidCommit,
  expected: Record<CommitColumnKey, SheetCell>,
  changed: Map<string, ChangedRecord<CommitSend>>,
): void {
  const pulledRef = commitRef(pulled.contract, pulled.id, pulled.name);
  const label = describeRecord(pulledRef);

  for (const { column, issue } of view.readOnlyEdits(row, READ_ONLY_COMPARED, expected, pulledRef, " (pull again to restore the column)")) {
    found.add(key, issue, row, column, "commit_id");
  }

  // The currency sets total_value's decimals: the row's own when it reads, else the pulled one.
  const currencyRead = view.has("currency") ? readCommitField("currency", view.cell(row, "currency"), "") : null;
  const currency = currencyRead?.ok && typeof currencyRead.value === "string" ? currencyRead.value : (pulled.currency ?? "");
  const edits: Partial<Record<CommitWritableField, unknown>> = {};
  const changes: FieldChange[] = [];
  const cells: { row: number; column: string }[] = [];
  let valid = true;

  for (const field of COMMIT_WRITABLE_FIELDS) {
    if (!view.has(field)) continue;
    const cell = view.cell(row, field) ?? "";
    const pulledValue = pulled[field];
    // A cell that holds what Excel holds for the pulled value is unchanged, whatever the raw double behind it:
    // Campfire's value stays exactly as pulled and is never sent from the sheet.
    if (sameCell(cell, asRead(expected[field]))) {
      if (heldBeyondCell(pulledValue)) found.note(row, heldNote(fieldHeader(field), formatLimit(pulledValue), asRead(expected[field])));
      continue;
    }
    const read = readCommitField(field, cell, currency);
    // Retyped the same way (" 1,200" as text, 20% for 20): the same value for Campfire, not an edit.
    if (read.ok && sameFieldValue(field, read.value, pulledValue, currency)) continue;
    if (read.ok) edits[field] = read.value;
    else {
      valid = false;
      found.add(key, { record: pulledRef, field, message: read.message, allowed: read.allowed, value: cell }, row, field, "commit_id");
    }
    found.edited(row, field);
    cells.push({ row, column: field });
    changes.push({
      key,
      label,
      field: fieldHeader(field),
      old: showFieldValue(field, pulledValue, pulled.currency ?? currency),
      new: read.ok ? showFieldValue(field, read.value, currency) : showCell(cell),
    });
  }

  if (!changes.length) return;

  // Only what the user typed is checked as sent, with what it depends on: the dates as a pair when either changed,
  // and the total against a new currency's decimals.
  const draft: Record<string, unknown> = { ...edits };
  const withHeld = (field: CommitWritableField) => {
    if (!(field in draft) && pulled[field] !== undefined) draft[field] = pulled[field];
  };
  if ("start_date" in edits || "expiration_date" in edits)
    ["start_date", "expiration_date"].forEach((f) => withHeld(f as CommitWritableField));
  if ("currency" in edits) withHeld("total_value");
  const issues = checkCommitDraft(pulledRef, draft, { partial: true, currency: pulled.currency ?? undefined });
  for (const issue of issues) {
    valid = false;
    found.add(key, issue, row, columnOfField(issue.field), "commit_id");
  }

  // Fields not edited go out as Campfire holds them; one it holds but would refuse blocks now, on its cell,
  // rather than failing the push later with no place to point at.
  const held = COMMIT_WRITABLE_FIELDS.filter((field) => !(field in edits) && !cells.some((c) => c.column === field));
  for (const issue of unsendableHeld(pulledRef, pulled, held)) {
    valid = false;
    found.add(key, issue, row, columnOfField(issue.field), "commit_id");
  }

  changed.set(key, {
    key,
    label,
    ref: pulledRef,
    rows: [row],
    changes,
    cells,
    send: valid ? { contractId: pulled.contract, commitId: pulled.id, edits } : null,
  });
}

function keyIssue(ref: RecordRef, field: string, message: string, allowed: string): Issue {
  return {
    record: ref,
    field,
    message: `this row does not name a pulled commit: ${message}`,
    allowed: `${allowed}; Contract ID and Commit ID must stay as pulled`,
  };
}

/**
 * Values Campfire holds for the given fields that this add-in cannot send back (a cadence newer than the add-in,
 * say). A PUT must carry every writable field: Campfire, like any DRF PUT, resets an optional field left out, so
 * leaving the value out would lose it, and sending it would send data the write schema refuses. Neither is
 * acceptable, so a record that is to be sent with such a value is stopped, naming the cell and what the user
 * may choose instead.
 */
export function unsendableHeld(ref: RecordRef, commit: PrepaidCommit, fields: readonly CommitWritableField[]): Issue[] {
  const issues: Issue[] = [];
  for (const field of fields) {
    const value = commit[field];
    if (value === undefined) continue;
    const problem = checkCommitDraft(ref, { [field]: value }, { partial: true, currency: commit.currency ?? undefined })[0];
    if (!problem) continue;
    const shown =
      typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? showCell(value as SheetCell) : String(value);
    issues.push({
      record: ref,
      field,
      message: `Campfire holds ${shown} for ${fieldHeader(field)}, which this add-in cannot send back`,
      allowed: problem.allowed,
      value,
    });
  }
  return issues;
}
