/**
 * Saving a snapshot again writes only the pieces that changed: a push changes a few records of a pull of many, so
 * its save must not send megabytes the sheet already holds. What is kept must load back exactly, whatever changed;
 * a directory saved before pieces were kept across saves still loads; a damaged list of rows is an error.
 */
import fc from "fast-check";
import { ExcelWorkbook, DATA_SHEET, SnapshotDirectoryError } from "../../src/excel/workbook";
import { keptPieces, textHash } from "../../src/excel/snapshot-store";
import { CELL_TEXT_LIMIT, splitForCells } from "../../src/excel/snapshot-cells";
import { installExcelFake, type FakeExcel } from "../../preview/excel-fake/fake-excel";

let fake: FakeExcel;
let workbook: ExcelWorkbook;

beforeEach(() => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
  workbook = new ExcelWorkbook();
});

/** About 1.3 MB of records, like a pull of 15,000 lines. */
function records(n: number, edit?: { at: number; name: string }): string {
  return JSON.stringify({
    version: 1,
    records: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`r${i}`, { id: i, name: edit?.at === i ? edit.name : `Line "${i}"`, amount: (i * 7919) / 100 }]),
    ),
  });
}

function directory(): Record<string, { column: number; pieces: number; rows?: [number, number][]; stamp?: number }> {
  return JSON.parse(fake.values(DATA_SHEET, "A1")[0]![0] as string) as never;
}

test("a save after a load writes only the piece the edit is in, in two round trips, and loads back exactly", async () => {
  const before = records(15_000);
  await workbook.saveSnapshot("allocations", before);
  const pieces = splitForCells(before).length;
  expect(pieces).toBe(Math.ceil(before.length / (CELL_TEXT_LIMIT - 1)));
  // Another instance (a reload of the add-in) knows nothing of the pieces until it reads them.
  const reloaded = new ExcelWorkbook();
  expect(await reloaded.loadSnapshot("allocations")).toBe(before);

  const after = records(15_000, { at: 7_000, name: "Renamed" });
  fake.resetCounters();
  await reloaded.saveSnapshots({ allocations: after, "campfire.lastPush.allocations": '{"pushed":[]}' });
  expect(fake.syncCount).toBe(2);
  // The piece holding record 7000 and the small last push: well under one piece of 32,000 characters each.
  expect(fake.syncs[1]!.requestBytes).toBeLessThan(2 * CELL_TEXT_LIMIT + 2_000);
  const entry = directory()["allocations"]!;
  expect(entry.column).toBe(1);
  expect(entry.pieces).toBe(pieces);
  // The changed piece went to the first row no piece used; the old one is cleared.
  const changed = Math.floor(before.indexOf('"r7000"') / (CELL_TEXT_LIMIT - 1));
  expect(Math.floor(before.indexOf('"r7001"') / (CELL_TEXT_LIMIT - 1))).toBe(changed); // the record is in one piece
  expect(entry.rows).toEqual([
    [0, changed],
    [pieces, 1],
    [changed + 1, pieces - changed - 1],
  ]);
  expect(fake.values(DATA_SHEET, `B${changed + 1}`)).toEqual([[""]]);

  expect(await new ExcelWorkbook().loadSnapshot("allocations")).toBe(after);
  expect(await reloaded.loadSnapshot("allocations")).toBe(after);
  // And again, from the pieces as kept: the freed row is used first, so the pieces are in rows 0, 1, … again.
  const again = records(15_000, { at: 7_000, name: "x" });
  await reloaded.saveSnapshot("allocations", again);
  expect(directory()["allocations"]!.rows).toBeUndefined();
  expect(fake.values(DATA_SHEET, `B${pieces + 1}`)).toEqual([[""]]);
  expect(await new ExcelWorkbook().loadSnapshot("allocations")).toBe(again);
});

test("a save under an entry this instance did not read or write writes every piece to a fresh column", async () => {
  await workbook.saveSnapshot("allocations", records(2_000));
  const other = new ExcelWorkbook();
  await other.saveSnapshot("allocations", records(2_000, { at: 5, name: "other" }));
  // `workbook` knew the first save's pieces, but the entry is the other instance's now.
  await workbook.saveSnapshot("allocations", records(2_000, { at: 6, name: "mine" }));
  expect(directory()["allocations"]).toMatchObject({ column: 1 });
  expect(directory()["allocations"]!.rows).toBeUndefined();
  expect(await new ExcelWorkbook().loadSnapshot("allocations")).toBe(records(2_000, { at: 6, name: "mine" }));
});

test("a directory saved before pieces were kept across saves (no rows, no stamp) still loads, and saves whole", async () => {
  const json = records(1_000);
  const pieces = splitForCells(json);
  await Excel.run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.add(DATA_SHEET);
    sheet.getRange("A1").values = [[JSON.stringify({ allocations: { column: 1, pieces: pieces.length } })]];
    const range = sheet.getRangeByIndexes(0, 1, pieces.length, 1);
    range.numberFormat = [["@"]];
    range.values = pieces.map((p) => [p]);
    await ctx.sync();
  });
  expect(await workbook.loadSnapshot("allocations")).toBe(json);
  const after = records(1_000, { at: 3, name: "new" });
  await workbook.saveSnapshot("allocations", after);
  expect(directory()).toEqual({
    allocations: { column: 2, pieces: pieces.length, pieceBytes: expect.any(Number) as number, stamp: 1, hash: textHash(after) },
  });
  expect(await new ExcelWorkbook().loadSnapshot("allocations")).toBe(after);
});

test.each([
  ["rows that are not runs", [[0]]],
  ["rows for fewer pieces", [[0, 1]]],
  [
    "a row twice",
    [
      [0, 2],
      [1, 1],
    ],
  ],
  ["a negative row", [[-1, 3]]],
])("a directory whose entry has %s is damaged, never read as something else", async (_what, rows) => {
  await workbook.saveSnapshot("allocations", "x".repeat(70_000)); // 3 pieces
  await fake.edit(DATA_SHEET, "A1", JSON.stringify({ allocations: { column: 1, pieces: 3, stamp: 1, rows } }));
  const error = await new ExcelWorkbook().loadSnapshot("allocations").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SnapshotDirectoryError);
  expect((error as Error).message).toContain("(the entry for allocations has no valid rows for its 3 pieces)");
});

test("kept pieces: whatever the edit, the kept pieces and the new middle are the new text, in order", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 0, maxLength: 400, unit: "binary" }),
      fc.nat(400),
      fc.nat(60),
      fc.string({ maxLength: 60, unit: "binary" }),
      (text, at, removed, inserted) => {
        const old = splitForCells(text, 17);
        const start = Math.min(at, text.length);
        const next = text.slice(0, start) + inserted + text.slice(start + removed);
        const kept = keptPieces(old, next);
        if (kept === null) return;
        const pieces = [...old.slice(0, kept.head), ...kept.middle, ...old.slice(old.length - kept.tail)];
        expect(pieces.map((p) => p.slice(1)).join("")).toBe(next);
        expect(kept.head + kept.tail).toBeLessThanOrEqual(old.length);
      },
    ),
  );
});
