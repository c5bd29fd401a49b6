/**
 * The directory of the pulled data kept in the workbook, damaged by hand or by another tool, is an error the user
 * sees — never read as "nothing was pulled", which would let the next save overwrite what is left. Pulling again,
 * choosing to discard edits, rebuilds it. Through the real adapter on the Excel fake.
 */
import type { Session } from "../../src/app/session";
import { createWorkbench } from "../../src/app/workbench";
import { DATA_SHEET, SnapshotDirectoryError } from "../../src/excel/workbook";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import { excelSheet, signedIn } from "../property/workbooks";

let sandbox: RunningSandbox;
let session: Session;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  session = await signedIn(sandbox);
});
afterAll(() => sandbox.close());

test.each([
  ["not JSON", "{damaged", "cell A1 is not the directory the add-in wrote (not JSON)"],
  [
    "an entry without its column",
    '{"campfire.snapshot.commits":{"pieces":2}}',
    "the entry for campfire.snapshot.commits has no valid column and piece count",
  ],
])("a directory that is %s stops check and push with the reason; a pull that discards edits rebuilds it", async (_what, a1, reason) => {
  const sheet = excelSheet();
  const workbench = createWorkbench({ session, workbook: sheet.port, now: () => new Date(2026, 10, 21), utcOffset: () => 0 });
  await workbench.pull("commits", [3], undefined, { discardEdits: true });
  await sheet.fake!.edit(DATA_SHEET, "A1", a1);
  const error = await workbench.check("commits").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SnapshotDirectoryError);
  expect((error as Error).message).toBe(
    `The add-in's data kept in this workbook (the hidden sheet CampfireData) is damaged (${reason}), so what was pulled cannot be read ` +
      "and nothing can be compared or pushed. Pull each Campfire table again, choosing to discard edits, to rebuild it (the data of every table is rebuilt from its own pull).",
  );
  await expect(workbench.planPush("commits")).rejects.toThrow(SnapshotDirectoryError);
  // A pull asks first (it cannot count the edits it would replace); discarding them rebuilds the directory.
  await expect(workbench.pull("commits", [3])).rejects.toThrow(
    /^Not pulled: cannot tell which cells of the Prepaid commits table you edited/,
  );
  await workbench.pull("commits", [3], undefined, { discardEdits: true });
  expect((await workbench.check("commits")).changedRecords).toBe(0);
});
