/**
 * Attacks on snapshots saved by changed piece: whatever happens to the data sheet between saves — another instance
 * saving, the directory put back as it was (undo, an older copy of the workbook), a save failing half-way, many
 * small saves, pieces growing and shrinking, two keys sharing the sheet — a snapshot loads back exactly as last
 * saved, or its load is a clear error; never silently something else. Through the real adapter on the Excel fake.
 */
import fc from "fast-check";
import { ExcelWorkbook, DATA_SHEET, SnapshotDirectoryError } from "../../src/excel/workbook";
import { splitForCells } from "../../src/excel/snapshot-cells";
import { installExcelFake, FakeRichApiError, type FakeExcel } from "../../preview/excel-fake/fake-excel";

let fake: FakeExcel;

beforeEach(() => {
  fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
});

/** Records as a pull keeps them, with some renamed: about 90 characters a record. */
function records(n: number, edits: Record<number, string> = {}): string {
  return JSON.stringify({
    version: 1,
    records: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`r${i}`, { id: i, name: edits[i] ?? `Line "${i}"`, amount: (i * 7919) / 100 }]),
    ),
  });
}

/** What A1 and column `column` hold now, to put back later (what Excel's undo or an older copy of the file does). */
function keepSheet(columns: number): { a1: unknown; cells: unknown[][] } {
  const a1 = fake.values(DATA_SHEET, "A1")[0]![0];
  const last = String.fromCharCode(65 + columns);
  return { a1, cells: fake.values(DATA_SHEET, `B1:${last}200`) };
}

async function putBack(kept: { a1: unknown; cells: unknown[][] }, columns: number): Promise<void> {
  await Excel.run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItem(DATA_SHEET);
    sheet.getRange("A1").values = [[kept.a1 as string]];
    const range = sheet.getRangeByIndexes(0, 1, 200, columns);
    range.numberFormat = kept.cells.map((r) => r.map(() => "@"));
    range.values = kept.cells as string[][];
    await ctx.sync();
  });
}

/** A fresh instance's load: what the workbook holds, whatever any cache believes. */
async function loadFresh(key: string): Promise<string | null | Error> {
  return new ExcelWorkbook().loadSnapshot(key).catch((e: unknown) => e as Error);
}

/** What a load gave, told short: "the text", "other text (n characters)" or the error's name. */
function as(loaded: string | null | Error, expected: string): string {
  if (loaded instanceof Error) return loaded.name;
  return loaded === expected ? "the text" : `other text (${String(loaded?.length)} characters)`;
}

test("the directory put back as it was before a save (undo), then another instance saves: the first instance's next save is still exact", async () => {
  const a = new ExcelWorkbook();
  const before = records(2_000);
  // The workbook before anything was saved: no data sheet content.
  await a.saveSnapshot("allocations", before); // stamp 1, column 1
  // The user undoes the save (or opens the copy saved before it): the directory is empty again.
  await Excel.run(async (ctx) => {
    ctx.workbook.worksheets.getItem(DATA_SHEET).getRange("A1").values = [[""]];
    await ctx.sync();
  });
  // Another instance (the ribbon after a reload, a second window) saves other data under the same key: stamp 1, column 1.
  const other = records(2_000, { 3: "other", 1_500: "other too" });
  await new ExcelWorkbook().saveSnapshot("allocations", other);
  expect(as(await loadFresh("allocations"), other)).toBe("the text");
  // `a` saves an edit of what it saved before: what it keeps must be what the sheet holds, not what it remembers.
  const edited = records(2_000, { 1_000: "mine" });
  await a.saveSnapshot("allocations", edited);
  expect(as(await loadFresh("allocations"), edited)).toBe("the text");
  expect(as(await a.loadSnapshot("allocations"), edited)).toBe("the text");
});

test("the sheet put back to an older save (undo of two saves), then another instance saves: still exact", async () => {
  const a = new ExcelWorkbook();
  await a.saveSnapshot("allocations", records(2_000));
  const older = keepSheet(3);
  await a.saveSnapshot("allocations", records(2_000, { 10: "second" })); // stamp 2, kept pieces
  await putBack(older, 3); // undo: stamp 1 again
  const other = records(2_000, { 10: "second", 1_900: "theirs" });
  const b = new ExcelWorkbook();
  await b.loadSnapshot("allocations");
  await b.saveSnapshot("allocations", other); // stamp 2 again, from the same entry as `a`'s second save
  expect(as(await loadFresh("allocations"), other)).toBe("the text");
  const edited = records(2_000, { 10: "second", 5: "third" });
  await a.saveSnapshot("allocations", edited);
  expect(as(await loadFresh("allocations"), edited)).toBe("the text");
});

test("a piece cell changed by another tool is an error at the next load (fresh or cached), never read as the saved text", async () => {
  const a = new ExcelWorkbook();
  const json = records(2_000);
  await a.saveSnapshot("allocations", json);
  // Another tool rewrites the second piece with text of the same shape (prefix kept): invisible to a plain load.
  const piece = fake.values(DATA_SHEET, "B2")[0]![0] as string;
  await Excel.run(async (ctx) => {
    const cell = ctx.workbook.worksheets.getItem(DATA_SHEET).getRange("B2");
    cell.values = [[piece.replace('Line \\"', 'Lime \\"')]];
    await ctx.sync();
  });
  const loaded = await loadFresh("allocations");
  expect(loaded).toBeInstanceOf(SnapshotDirectoryError);
  expect((loaded as Error).message).toContain("(the pieces of allocations are not the text saved under it)");
  await expect(a.loadSnapshot("allocations")).rejects.toThrow(SnapshotDirectoryError);
  // A save over it (a pull that discards edits) writes every piece again, so it loads back exactly.
  const pulled = records(2_000, { 4: "pulled again" });
  await a.saveSnapshot("allocations", pulled);
  expect(as(await loadFresh("allocations"), pulled)).toBe("the text");
});

test.each([
  ["every piece (a fresh column)", Array.from({ length: 3_000 }, (_, i) => i)],
  ["the middle pieces (kept first and last pieces)", Array.from({ length: 1_600 }, (_, i) => 700 + i)],
])(
  "a save of %s whose sync fails after some pieces are written leaves the last save readable; the next save is exact",
  async (_what, renamed) => {
    // A small batch budget: a save of a large change takes several round trips, so one can fail in the middle.
    const a = new ExcelWorkbook({ batchBytes: 70_000 });
    const first = records(3_000);
    await a.saveSnapshot("allocations", first);
    const changed = records(3_000, Object.fromEntries(renamed.map((i) => [i, `changed ${i}`])));
    // Fail the third round trip of the next save (after pieces went out, before the directory).
    const runBatch = fake.runBatch.bind(fake);
    let syncs = 0;
    fake.runBatch = async (commands) => {
      if (++syncs === 3) throw new FakeRichApiError("GeneralException", "the connection dropped");
      return runBatch(commands);
    };
    await expect(a.saveSnapshot("allocations", changed)).rejects.toThrow("the connection dropped");
    fake.runBatch = runBatch;
    expect(syncs).toBe(3);
    expect(as(await loadFresh("allocations"), first)).toBe("the text");
    expect(as(await a.loadSnapshot("allocations"), first)).toBe("the text");
    const next = records(3_000, { 1_500: "after the failure" });
    await a.saveSnapshot("allocations", next);
    expect(as(await loadFresh("allocations"), next)).toBe("the text");
    expect(as(await a.loadSnapshot("allocations"), next)).toBe("the text");
  },
);

test(
  "many small saves, pieces growing, shrinking and to nothing, with a second key beside it: every save loads back exactly",
  () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.constantFrom("campfire.snapshot.allocations", "campfire.lastPush.allocations"),
            // An edit: where, how much is removed, what goes in (sometimes long, so pieces are added or dropped).
            at: fc.nat(1_000_000),
            removed: fc.oneof(fc.nat(50), fc.nat(200_000)),
            inserted: fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.nat(70_000).map((n) => "é\u{1F600}x".repeat(n / 4)),
            ),
            reload: fc.boolean(),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (steps) => {
          fake = installExcelFake(globalThis as unknown as Record<string, unknown>);
          let adapter = new ExcelWorkbook({ batchBytes: 200_000 });
          const texts: Record<string, string> = { "campfire.snapshot.allocations": records(1_500), "campfire.lastPush.allocations": "" };
          await adapter.saveSnapshots(texts);
          for (const step of steps) {
            if (step.reload) {
              adapter = new ExcelWorkbook({ batchBytes: 200_000 });
              await adapter.loadSnapshots(Object.keys(texts));
            }
            const text = texts[step.key]!;
            const at = step.at % (text.length + 1);
            texts[step.key] = text.slice(0, at) + step.inserted + text.slice(at + step.removed);
            await adapter.saveSnapshot(step.key, texts[step.key]!);
            const fresh = await new ExcelWorkbook().loadSnapshots(Object.keys(texts));
            expect(fresh["campfire.snapshot.allocations"] === texts["campfire.snapshot.allocations"]).toBe(true);
            expect(fresh["campfire.lastPush.allocations"] === texts["campfire.lastPush.allocations"]).toBe(true);
          }
          const mine = await adapter.loadSnapshots(Object.keys(texts));
          expect(Object.keys(texts).every((k) => mine[k] === texts[k])).toBe(true);
        },
      ),
      { numRuns: 15 },
    ),
  120_000,
);

test("two saves at once in one runtime (the pane pushes allocations while the ribbon pushes commits): both load back exactly", async () => {
  const a = new ExcelWorkbook();
  const texts: Record<string, string> = {
    "campfire.snapshot.allocations": records(2_000),
    "campfire.lastPush.allocations": "{}",
    "campfire.snapshot.commits": records(1_000),
    "campfire.lastPush.commits": "{}",
  };
  await a.saveSnapshots(texts);
  const alloc = { "campfire.snapshot.allocations": records(2_000, { 1_000: "pushed" }), "campfire.lastPush.allocations": '{"pushed":[1]}' };
  const commits = { "campfire.snapshot.commits": records(1_000, { 500: "pushed" }), "campfire.lastPush.commits": '{"pushed":[2]}' };
  await Promise.all([a.saveSnapshots(alloc), a.saveSnapshots(commits)]);
  const expected: Record<string, string> = { ...alloc, ...commits };
  const fresh = await new ExcelWorkbook().loadSnapshots(Object.keys(expected)).catch((e: unknown) => e as Error);
  expect(fresh instanceof Error ? fresh.message : Object.keys(expected).filter((k) => fresh[k] !== expected[k])).toEqual([]);
});

test("a load while a save of the same snapshot finishes (a check while the ribbon's push saves): the text before or after, never an error", async () => {
  // Reads of one piece a round trip, so the save finishes while the load is half-way.
  const a = new ExcelWorkbook({ readBytes: 40_000, batchBytes: 200_000 });
  const before = records(3_000);
  await a.saveSnapshot("allocations", before);
  const after = records(3_000, { 1_500: "pushed" });
  const [loaded] = await Promise.all([
    a.loadSnapshot("allocations").catch((e: unknown) => e as Error),
    a.saveSnapshot("allocations", after),
  ]);
  expect([as(loaded, before), as(loaded, after)]).toContain("the text");
  expect(as(await loadFresh("allocations"), after)).toBe("the text");
});

test("an entry saved by pieces before texts were hashed (stamp and rows, no hash) loads, and the next save writes it whole", async () => {
  const json = records(2_000);
  const pieces = splitForCells(json);
  // The pieces in rows 1, 0, 2, … of column 1, as a kept save left them.
  const rows = [1, 0, ...pieces.slice(2).map((_, i) => i + 2)];
  await Excel.run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.add(DATA_SHEET);
    const entry = {
      column: 1,
      pieces: pieces.length,
      stamp: 4,
      rows: [
        [1, 1],
        [0, 1],
        [2, pieces.length - 2],
      ],
    };
    sheet.getRange("A1").values = [[JSON.stringify({ allocations: entry })]];
    pieces.forEach((p, i) => {
      const cell = sheet.getRangeByIndexes(rows[i]!, 1, 1, 1);
      cell.numberFormat = [["@"]];
      cell.values = [[p]];
    });
    await ctx.sync();
  });
  const a = new ExcelWorkbook();
  expect(as(await a.loadSnapshot("allocations"), json)).toBe("the text");
  const after = records(2_000, { 1_000: "new" });
  await a.saveSnapshot("allocations", after);
  const entry = (JSON.parse(fake.values(DATA_SHEET, "A1")[0]![0] as string) as Record<string, { column: number; rows?: unknown }>)[
    "allocations"
  ]!;
  // Not trusted to hold what it remembers (a stamp may come again): every piece written to a fresh column.
  expect([entry.column, entry.rows]).toEqual([2, undefined]);
  expect(as(await loadFresh("allocations"), after)).toBe("the text");
});
