/**
 * Reads the Prepaid commits table against the pulled commits: what each row says, whether it is valid, which
 * fields the user changed (only those are sent), and which rows are not pulled commits at all.
 */
import { COMMIT_WRITABLE_FIELDS, type CommitWritableField, type PrepaidCommit } from "../../model/records";
import { readInteger } from "../cells";
import { describeRecord, type Issue, type RecordRef } from "../issues";
import { checkCommitDraft } from "../rules/prepaid-commits";
import { asRead, sameCell, showCell, type UtcOffset } from "./cell-values";
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
const READ_ONLY_COMPARED = COMMITS_LAYOUT.columns.filter(
  (c) => !c.editable && !c.owned && !COMMIT_IDENTITY.includes(c.key),
);

function columnOfField(field: string): CommitColumnKey {
  return WRITABLE.has(field) ? (field as CommitWritableField) : "commit_id";
}

export function analyzeCommits(table: TableRead, snapshot: CommitSnapshot, offset?: UtcOffset): CommitAnalysis {
  const view = new SheetView(COMMITS_LAYOUT, table);
  const found = new Findings<CommitColumnKey>(view);
  const changed = new Map<string, ChangedRecord<CommitSend>>();
  const rowsByKey = new Map<string, number[]>();
  const id = { min: 1, max: Number.MAX_SAFE_INTEGER };

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
    const pulled = snapshot.records[key];
    if (!pulled || rowsByKey.has(key)) {
      found.add(
        key,
        {
          record: ref,
          field: "Commit ID",
          message: pulled
            ? `commit ${commit.value} is on the sheet twice; only row ${view.address(rowsByKey.get(key)?.[0] ?? row, "commit_id")} counts`
            : `commit ${commit.value} of contract ${contract.value} is not in the pulled data (added or copied after the pull); it is not sent`,
          allowed: "each pulled commit once; create commits in Campfire, then pull again",
        },
        row,
        "commit_id",
        "commit_id",
      );
      continue;
    }
    rowsByKey.set(key, [row]);
    const pulledRef = commitRef(pulled.contract, pulled.id, pulled.name);
    const label = describeRecord(pulledRef);
    const expected = commitCells(pulled, offset);

    for (const { column, issue } of view.readOnlyEdits(row, READ_ONLY_COMPARED, expected, pulledRef, " (pull again to restore the column)")) {
      found.add(key, issue, row, column, "commit_id");
    }

    // The currency sets total_value's decimals: the row's own when it reads, else the pulled one.
    const currencyRead = view.has("currency") ? readCommitField("currency", view.cell(row, "currency"), "") : null;
    const currency = currencyRead?.ok && typeof currencyRead.value === "string" ? currencyRead.value : (pulled.currency ?? "");
    const draft: Record<string, unknown> = {};
    const edits: Partial<Record<CommitWritableField, unknown>> = {};
    const changes: FieldChange[] = [];
    const cells: { row: number; column: string }[] = [];
    let valid = true;

    for (const field of COMMIT_WRITABLE_FIELDS) {
      if (!view.has(field)) continue;
      const cell = view.cell(row, field) ?? "";
      const read = readCommitField(field, cell, currency);
      const pulledValue = pulled[field];
      let isEdit: boolean;
      if (read.ok) {
        draft[field] = read.value;
        isEdit = !sameFieldValue(field, read.value, pulledValue, currency);
      } else if (sameCell(cell, asRead(expected[field]))) {
        // The cell is as pulled, yet does not read (text "#N/A" looks like an error cell; a cadence newer
        // than this add-in): it is what Campfire holds, is not sent as an edit, and is not the user's to fix.
        isEdit = false;
      } else {
        // Differs from the pulled cell (the branch above) and does not read: an edit the user must fix.
        valid = false;
        isEdit = true;
        found.add(key, { record: pulledRef, field, message: read.message, allowed: read.allowed, value: cell }, row, field, "commit_id");
      }
      if (!isEdit) continue;
      found.edited(row, field);
      cells.push({ row, column: field });
      if (read.ok) edits[field] = read.value;
      changes.push({
        key,
        label,
        field: fieldHeader(field),
        old: showFieldValue(field, pulledValue, pulled.currency ?? currency),
        new: read.ok ? showFieldValue(field, read.value, currency) : showCell(cell),
      });
    }

    if (changes.length) {
      // Fields not read from the sheet go out as Campfire holds them; one it holds but would refuse blocks now,
      // on its cell, rather than failing the push later with no place to point at.
      const unread = COMMIT_WRITABLE_FIELDS.filter((field) => !(field in draft));
      for (const issue of unsendableHeld(pulledRef, pulled, unread)) {
        valid = false;
        found.add(key, issue, row, columnOfField(issue.field), "commit_id");
      }
    }

    const issues = checkCommitDraft(pulledRef, draft, { partial: true, currency: pulled.currency ?? undefined });
    for (const issue of issues) {
      valid = false;
      found.add(key, issue, row, columnOfField(issue.field), "commit_id");
    }

    if (changes.length) {
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
  }

  return found.analysis(changed, snapshot.records, rowsByKey, (key) => {
    const c = snapshot.records[key]!;
    return describeRecord(commitRef(c.contract, c.id, c.name));
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
    const shown = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? showCell(value as SheetCell) : String(value);
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
