/**
 * planRowEdits: the steps that turn a table's rows into the target rows of a merging pull or a refresh. Whatever the
 * rows, applying the steps gives exactly the target; rows that stay are never touched; a row already holding its
 * new values is not rewritten.
 */
import fc from "fast-check";
import { planRowEdits } from "../../src/app/refresh";
import type { CellValue, RowEdit } from "../../src/app/ports";

type Row = CellValue[];
const same = (a: readonly CellValue[], b: readonly CellValue[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const idOf = (r: readonly CellValue[]) => String(r[0]);

function apply(rows: readonly Row[], edits: readonly RowEdit[]): Row[] {
  const out = rows.map((r) => [...r]);
  for (const e of edits) {
    if (e.kind === "delete") out.splice(e.row, e.count);
    else if (e.kind === "insert") out.splice(e.row, 0, ...e.rows.map((r) => [...r]));
    else e.rows.forEach((r, i) => (out[e.row + i] = [...r]));
  }
  return out;
}

describe("table-driven", () => {
  const a = ["a", 1];
  const b = ["b", 1];
  const c = ["c", 1];
  const b2 = ["b", 2];
  const d = ["d", 1];
  test.each<[string, Row[], ({ old: number } | { fresh: Row })[], RowEdit[]]>([
    ["nothing changes", [a, b, c], [{ old: 0 }, { fresh: b }, { old: 2 }], []],
    ["a changed row is written in place", [a, b, c], [{ old: 0 }, { fresh: b2 }, { old: 2 }], [{ kind: "write", row: 1, rows: [b2] }]],
    ["a row gone is deleted", [a, b, c], [{ old: 0 }, { old: 2 }], [{ kind: "delete", row: 1, count: 1 }]],
    [
      "a new row is inserted where it belongs",
      [a, b, c],
      [{ old: 0 }, { fresh: b }, { fresh: d }, { old: 2 }],
      [{ kind: "insert", row: 2, rows: [d] }],
    ],
    ["a new row at the end", [a, b], [{ old: 0 }, { old: 1 }, { fresh: d }], [{ kind: "insert", row: 2, rows: [d] }]],
    [
      "consecutive steps of a kind are one step",
      [a, b, c],
      [{ fresh: ["a", 2] }, { fresh: b2 }, { fresh: ["c", 2] }],
      [{ kind: "write", row: 0, rows: [["a", 2], b2, ["c", 2]] }],
    ],
    [
      "a record gone and another new",
      [a, b, c],
      [{ old: 0 }, { fresh: d }, { old: 2 }],
      [
        { kind: "delete", row: 1, count: 1 },
        { kind: "insert", row: 1, rows: [d] },
      ],
    ],
  ])("%s", (_, current, target, expected) => {
    expect(planRowEdits(current, target, same, idOf)).toEqual(expected);
  });
});

test("applying the steps gives exactly the target, and rows that stay are never written, for any rows", () => {
  const row = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 })).map(([id, v]): Row => [`r${id}`, v]);
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 12 }),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      fc.array(fc.array(row, { maxLength: 3 }), { minLength: 13, maxLength: 13 }),
      (current, keeps, inserts) => {
        // The target: rows that stay, in their order, with runs of new rows between them.
        const target: ({ old: number } | { fresh: Row })[] = [];
        current.forEach((_, i) => {
          for (const r of inserts[i] ?? []) target.push({ fresh: r });
          if (keeps[i]) target.push({ old: i });
        });
        for (const r of inserts[current.length] ?? []) target.push({ fresh: r });
        const edits = planRowEdits(current, target, same, idOf);
        const expected = target.map((t) => ("old" in t ? current[t.old] : t.fresh));
        expect(apply(current, edits)).toEqual(expected);
        // Each row that stays is at its target place after the steps and was never overwritten.
        const stay = new Set(target.flatMap((t) => ("old" in t ? [t.old] : [])));
        const marked = current.map((r, i) => (stay.has(i) ? [...r, `stay${i}`] : [...r, ""]));
        const result = apply(
          marked,
          edits.map((e) => (e.kind === "delete" ? e : { ...e, rows: e.rows.map((r) => [...r, ""]) })),
        );
        target.forEach((t, at) => {
          if ("old" in t) expect(result[at]?.[2]).toBe(`stay${t.old}`);
        });
      },
    ),
    { numRuns: 500 },
  );
});
