/**
 * Refresh in place and merging pulls, end to end in headless Chromium on the preview page (the real task pane over
 * the Excel fake), the add-in host and the sandbox. Another user's saves are played by the sandbox's `touch`. The
 * page's clock is fixed, so "Pulled 10:42 · refreshed 11:05" is asserted exactly.
 */
import * as harness from "./harness";

const e2e = harness.useE2E();

const cellUnder = (header: string, dataRow: number) => harness.cellUnder(e2e.page, header, dataRow);
const typeInto = (address: string, text: string) => harness.typeInto(e2e.page, address, text);
const shot = (name: string) => harness.shot(e2e.page, name);

const PULLED_AT = "2026-12-05T10:42:00Z";
const REFRESHED_AT = "2026-12-05T11:05:00Z";

/** A cell's text in the grid. */
const text = (address: string) => e2e.page.textContent(`td[data-cell="${address}"]`);

/** The column of the table under `header`, data rows 0..n-1, as the grid shows it. */
async function column(header: string, n: number): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let row = 0; row < n; row++) out.push(await text(await cellUnder(header, row)));
  return out;
}

/** HH:MM of a Campfire time in this machine's zone, as the add-in writes it into Status. */
function localClock(iso: string): string {
  const at = new Date(iso);
  return `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
}

test("refresh in place keeps an edit, takes Campfire's values elsewhere, and flags a conflict under the edit", async () => {
  await e2e.page.clock.setFixedTime(new Date(PULLED_AT));
  await harness.openAndConnect(e2e);
  await e2e.page.fill("#contract-ids", "1");
  await e2e.page.click("#pull");
  await e2e.page.waitForFunction(
    () => document.querySelector("#pull-result")?.textContent === "Pulled 2 bundles (8 lines) from 1 contract",
  );
  expect(await e2e.page.textContent("#table-stamps")).toBe(`Pulled ${localClock(PULLED_AT)}`);
  expect(await e2e.page.textContent("#refresh-table")).toBe("Refresh allocations");

  // The user's edits on bundle 1001 (lines 7001 and 7003), still adding up to the total.
  await typeInto(await cellUnder("Amount", 0), "33333.30");
  await typeInto(await cellUnder("Amount", 2), "33333.37");
  await harness.checkSays(e2e.page, "2 edited cells in 1 record · no problems");

  // Another user saves bundle 1002, which nobody edited here …
  const store = e2e.sandbox.store;
  store.touchBundle(1, "subscription", 1002, {
    lines: [
      { product: 102, amount: 31000 },
      { product: 103, amount: 9000.5 },
    ],
  });
  await e2e.page.clock.setFixedTime(new Date(REFRESHED_AT));
  await e2e.page.click("#refresh-table");
  await e2e.page.waitForFunction(
    () => document.querySelector("#pull-result")?.textContent === "Refreshed: 5 rows updated from Campfire; 1 edited record kept.",
  );
  expect(await column("Amount", 8)).toEqual([
    "33,333.30",
    "33,333.33",
    "33,333.37",
    "31,000.00",
    "9,000.50",
    "5,999.50",
    "4,000.00",
    "-2,000.00",
  ]);
  expect(await e2e.page.textContent("#table-stamps")).toBe(`Pulled ${localClock(PULLED_AT)} · refreshed ${localClock(REFRESHED_AT)}`);
  await harness.checkSays(e2e.page, "2 edited cells in 1 record · no problems");

  // … then the bundle under the user's edits.
  const theirs = store.touchBundle(1, "subscription", 1001, {
    lines: [
      { product: 101, amount: 30000 },
      { product: 105, amount: 33333.33 },
      { product: 109, amount: 36666.67 },
    ],
  });
  await e2e.page.click("#refresh-table");
  await e2e.page.waitForFunction(
    () =>
      document.querySelector("#pull-result")?.textContent ===
      "Refreshed: no row changed in Campfire; 1 edited record kept; 1 changed in Campfire under your edits (marked as a conflict).",
  );
  // The edits stay; the rows say what happened.
  expect(await column("Amount", 3)).toEqual(["33,333.30", "33,333.33", "33,333.37"]);
  const status = `Conflict: changed in Campfire at ${localClock(theirs.last_modified_at)} under your edits; your edits are kept. Review push shows pulled → Campfire now → will send.`;
  expect(await column("Status", 4)).toEqual([status, status, status, ""]);
  const marks = await e2e.page.evaluate(() =>
    (
      globalThis as unknown as { __campfirePreview: { fake: { conditionalFormats(s: string): { address: string; formula: string }[] } } }
    ).__campfirePreview.fake
      .conditionalFormats("Allocations")
      .filter((cf) => cf.formula.includes("conflict"))
      .map((cf) => cf.address),
  );
  const [amount0, amount2, status0, status2] = [
    await cellUnder("Amount", 0),
    await cellUnder("Amount", 2),
    await cellUnder("Status", 0),
    await cellUnder("Status", 2),
  ];
  expect(marks).toEqual([`${amount0},${status0}:${status2},${amount2}`]);
  await shot("refresh-conflict");

  // The review shows pulled → Campfire now → will send, and the record waits for overwrite.
  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#conflicts");
  // Each field as [name, values], from the review's table rows or its cards, whichever the pane draws.
  const rows = await e2e.page.$$eval("#push-preview tbody tr, #push-preview li.review-field", (items) =>
    items.map((item) =>
      item.tagName === "TR"
        ? [...item.querySelectorAll("td")].slice(1).map((td) => td.textContent)
        : [item.querySelector(".field-name")?.textContent ?? null, item.querySelector(".field-values")?.textContent ?? null],
    ),
  );
  expect(rows).toEqual([
    ["Amount of Platform — Enterprise (line 7001)", "33,333.33 · Campfire now 30,000.00 → 33,333.30"],
    ["Amount of SSO & SCIM Add-on (line 7003)", "33,333.34 · Campfire now 36,666.67 → 33,333.37"],
  ]);
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 0 records");
  expect(e2e.pageErrors).toEqual([]);
}, 60_000);

test("pulling another contract merges: the first contract's rows and edits stay as they were", async () => {
  const before = await column("Amount", 8);
  await e2e.page.fill("#contract-ids", "2");
  await e2e.page.click("#pull");
  await e2e.page.waitForFunction(
    () =>
      document.querySelector("#pull-result")?.textContent ===
      "Pulled 1 bundle (3 lines) from 1 contract; the rows of 1 other contract are as they were",
  );
  expect(await column("Amount", 11)).toEqual([...before, "29,999.99", "18,000.00", "12,000.01"]);
  expect(await column("Contract ID", 11)).toEqual(["1", "1", "1", "1", "1", "1", "1", "1", "2", "2", "2"]);
  await harness.checkSays(e2e.page, "2 edited cells in 1 record · no problems");
  // Pulling contract 1 again would replace the edited rows: it asks first, and only about contract 1's edits.
  await e2e.page.fill("#contract-ids", "1");
  await e2e.page.click("#pull");
  await e2e.page.waitForSelector("#pull-confirm:not([hidden])");
  expect(await e2e.page.textContent("#pull-confirm-text")).toBe("You have 2 unpushed edits in 1 record. Pull anyway and lose them?");
  await e2e.page.click("#pull-cancel");
  // Contract 2 has no edits: pulled again with no question, contract 1's edits untouched.
  await e2e.page.fill("#contract-ids", "2");
  await e2e.page.click("#pull");
  await e2e.page.waitForFunction(
    () =>
      document.querySelector("#pull-result")?.textContent ===
      "Pulled 1 bundle (3 lines) from 1 contract; the rows of 1 other contract are as they were",
  );
  expect(await column("Amount", 3)).toEqual(["33,333.30", "33,333.33", "33,333.37"]);
  expect(e2e.pageErrors).toEqual([]);
}, 60_000);
