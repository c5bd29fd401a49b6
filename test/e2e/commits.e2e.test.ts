/**
 * Prepaid commits end to end in headless Chromium, on the production build's preview page (the real task pane
 * over the Excel fake) with the add-in host and the Campfire sandbox in this process. A person pulls contract
 * 3's commits, breaks a discount, sees where and why, fixes it, edits a description, reviews and pushes; then
 * meets a commit another user saved since the pull. Values come from src/sandbox/seed.ts.
 * Screenshots go to test-output/screenshots/commits-*.png.
 */
import type { CommitData } from "../../src/sandbox/data";
import type { PrepaidCommit } from "../../src/model/records";
import { columnName } from "../../src/domain/a1";
import * as harness from "./harness";
import { checkSays, countByMethod, reviewCards, writes } from "./harness";

const e2e = harness.useE2E();

const shot = (name: string) => harness.shot(e2e.page, `commits-${name}`);
const typeInto = (address: string, text: string) => harness.typeInto(e2e.page, address, text);
const gridShows = (address: string, text: string) => harness.gridShows(e2e.page, address, text);

const SHEET = "'Prepaid commits'";
const LABEL_9001 = 'Prepaid commit 9001 ("Initech Usage Commit 2026–2030") of contract 3';
const LABEL_9002 = 'Prepaid commit 9002 ("Burst Capacity Pool") of contract 3';
const NEW_DESCRIPTION = "Prepaid API usage at list rate less 12.5%.";

// Conditional-format fills of the add-in's marks (src/excel/cell-styles.ts MARK_STYLE).
const ERROR_FILL = "#FFC7CE";
const EDITED_FILL = "#FFEB9C";

const HEADERS = [
  "Contract ID",
  "Commit ID",
  // every writable field of a commit, in COMMIT_WRITABLE_FIELDS order
  "Name",
  "Description",
  "Total value",
  "Currency",
  "Start date",
  "Expiration date",
  "Discount %",
  "Rate",
  "Priority",
  // (each id followed by its name, read-only)
  "Entity ID",
  "Entity",
  "Product ID",
  "Product",
  "Department ID",
  "Department",
  "Subledger ID",
  "Exchange rate",
  "Book exchange rate",
  "Overage invoice cadence",
  "Auto-send overage invoices",
  "Overage invoice start month",
  "Tags",
  // read-only, then the add-in's own columns
  "Commit status",
  "Remaining value",
  "Invoiced",
  "Invoice ID",
  "Created",
  "Last modified",
  "Status",
  "Check",
];
// The writable fields: the names beside the ids are read-only.
const EDITABLE = HEADERS.slice(2, 24).filter((h) => !["Entity", "Product", "Department"].includes(h));

/** The seed's commits of contracts 2 and 3 as the grid shows them (rows 2 to 6). */
const PULLED_ROWS = [
  [
    "2",
    "9005",
    "=SUM(A1:A9) Analytics Credits",
    '=HYPERLINK("http://example.invalid") must stay text',
    "25,000.00",
    "EUR",
    "2026-03-01",
    "2031-02-28",
    "0",
    "",
    "1",
    "2",
    "Northwind Analytics GmbH",
    "113",
    "Advanced Analytics",
    "201",
    "Sales",
    "",
    "1.0842",
    "1",
    "annual",
    "FALSE",
    "",
    "",
    "ACTIVE",
    "23,765.44",
    "FALSE",
    "",
    "2026-01-15 09:30",
    "2026-02-02 14:05",
    "",
    "",
  ],
  [
    "3",
    "9001",
    "Initech Usage Commit 2026–2030",
    "Prepaid API usage, drawn down at list rate less 20%.",
    "120,000.00",
    "USD",
    "2026-01-01",
    "2030-12-31",
    "20",
    "0.25",
    "1",
    "1",
    "Northwind Analytics, Inc.",
    "103",
    "API Calls (per 1,000)",
    "202",
    "Customer Success",
    "42",
    "1",
    "1",
    "quarterly",
    "TRUE",
    "2026-04-01",
    "usage,api",
    "ACTIVE",
    "74,749.25",
    "TRUE",
    "880001",
    "2026-01-15 09:30",
    "2026-02-02 14:05",
    "",
    "",
  ],
  [
    "3",
    "9002",
    "Burst Capacity Pool",
    "",
    "30,000.00",
    "USD",
    "2026-01-01",
    "",
    "10",
    "0.3",
    "1",
    "1",
    "Northwind Analytics, Inc.",
    "104",
    "Storage (per TB-month)",
    "",
    "",
    "",
    "",
    "",
    "monthly",
    "FALSE",
    "",
    "storage",
    "ACTIVE",
    "30,000.00",
    "FALSE",
    "",
    "2026-01-15 09:30",
    "2026-02-02 14:05",
    "",
    "",
  ],
  [
    "3",
    "9003",
    "Initech Usage Commit 2025",
    "Previous term; kept for reporting.",
    "80,000.00",
    "USD",
    "2025-01-01",
    "2025-12-31",
    "15",
    "0.25",
    "0",
    "1",
    "Northwind Analytics, Inc.",
    "103",
    "API Calls (per 1,000)",
    "",
    "",
    "",
    "",
    "",
    "annual",
    "FALSE",
    "",
    "",
    "EXPIRED",
    "18,799.60",
    "TRUE",
    "870412",
    "2026-01-15 09:30",
    "2026-02-02 14:05",
    "",
    "",
  ],
  [
    "3",
    "9004",
    "Q1 Overage Credit",
    "",
    "5,000.00",
    "USD",
    "2026-01-01",
    "2030-03-31",
    "0",
    "",
    "2",
    "1",
    "Northwind Analytics, Inc.",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "one_time",
    "FALSE",
    "",
    "",
    "EXHAUSTED",
    "0.00",
    "FALSE",
    "",
    "2026-01-15 09:30",
    "2026-02-02 14:05",
    "",
    "",
  ],
];

/** Texts of sheet row `row` (1-based), one per table column. */
function rowTexts(row: number): Promise<string[]> {
  return e2e.page.$$eval(
    `#grid tbody tr:nth-child(${row}) td`,
    (tds, n) => tds.slice(0, n).map((td) => td.textContent ?? ""),
    HEADERS.length,
  );
}

/** A cell's fill as the grid draws it (null when it has none). */
function fillOf(address: string): Promise<string | null> {
  return e2e.page.$eval(`td[data-cell="${address}"]`, (td) => /background:\s*([^;]+)/.exec(td.getAttribute("style") ?? "")?.[1] ?? null);
}

/** The cell of a commit's field: the row found by its Commit ID, the column by its header. */
async function commitCell(commitId: number, header: string): Promise<string> {
  const ids = await e2e.page.$$eval("#grid tbody tr td:nth-of-type(2)", (tds) => tds.map((td) => td.textContent));
  const dataRow = ids.indexOf(String(commitId)) - 1;
  if (dataRow < 0) throw new Error(`no row for commit ${commitId}`);
  return harness.cellUnder(e2e.page, header, dataRow);
}

const stored = (commitId: number): CommitData => structuredClone(e2e.sandbox.store.commit(3, commitId));
const served = (commitId: number): PrepaidCommit => e2e.sandbox.store.commitView(e2e.sandbox.store.commit(3, commitId));

async function pullCommits(ids: string): Promise<void> {
  await e2e.page.fill("#contract-ids", ids);
  await e2e.page.click("#pull");
  await e2e.page.waitForSelector("#pull-result.status-ok");
}

test("connect, pull contract 3's commits: every writable column, and a name starting with = stays text", async () => {
  await harness.openAndConnect(e2e);
  expect(await e2e.page.textContent("#connection-status")).toBe("Connected to the local sandbox.");
  await e2e.page.click("#kind-commits");
  expect(await e2e.page.getAttribute("#kind-commits", "aria-selected")).toBe("true");
  expect(await e2e.page.textContent("#pull")).toBe("Pull prepaid commits");

  // The seed's "=" name is on contract 2's commit 9005, so contract 2 comes along with contract 3.
  await pullCommits("3, 2");
  expect(await e2e.page.textContent("#pull-result")).toBe("Pulled 5 prepaid commits from 2 contracts");
  await checkSays(e2e.page, "0 edited cells in 0 records · no problems");
  await gridShows("B6", "9004");
  expect(await e2e.page.textContent('#sheet-tabs button[aria-selected="true"]')).toBe("Prepaid commits");

  expect(await harness.headers(e2e.page)).toEqual([...HEADERS, ""]);
  // Editable columns have the green header; the rest are grey.
  const headerFills = await Promise.all(HEADERS.map((_, i) => fillOf(`${columnName(i)}1`)));
  expect(HEADERS.filter((_, i) => headerFills[i] === "#1F6F43")).toEqual(EDITABLE);
  expect(HEADERS.filter((_, i) => headerFills[i] === "#D9D9D9")).toEqual(HEADERS.filter((h) => !EDITABLE.includes(h)));

  for (const [i, expected] of PULLED_ROWS.entries()) expect(await rowTexts(i + 2)).toEqual(expected);

  // Text, not a formula: the grid shows no formula behind the cell, and the formula bar holds the name as typed.
  for (const address of ["C2", "D2"]) {
    expect(await e2e.page.getAttribute(`td[data-cell="${address}"]`, "title")).toBe("");
  }
  await e2e.page.click('td[data-cell="C2"]');
  expect(await e2e.page.inputValue("#formula-input")).toBe("=SUM(A1:A9) Analytics Credits");
  await shot("1-pulled");
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("a discount of 120 is named with its cell and what is allowed, marked, and blocks the push", async () => {
  const discount = await commitCell(9001, "Discount %");
  expect(discount).toBe("I3");
  const before = e2e.sandbox.requests.length;
  await typeInto(discount, "120");
  await checkSays(e2e.page, "1 edited cell in 1 record · 1 problem");
  // One line per problem under its record; the full sentence on expand.
  const problem = "I3 · 120 is too large";
  expect(await e2e.page.$$eval("#issues li.issue-group h3", (hs) => hs.map((h) => h.textContent))).toEqual([LABEL_9001]);
  expect(
    await e2e.page.$$eval("#issues details.issue", (ds) =>
      ds.map((d) => [
        d.getAttribute("data-address"),
        d.querySelector("summary")?.textContent,
        d.querySelector(".issue-detail p")?.textContent,
      ]),
    ),
  ).toEqual([[`${SHEET}!I3`, problem, "Discount %: 120 is too large. Allowed: a number from 0 to 100."]]);
  await gridShows("AF3", "Discount %: 120 is too large; allowed: a number from 0 to 100");
  await e2e.page.waitForFunction(
    (c) => document.querySelector(`td[data-cell="${c}"]`)?.getAttribute("style")?.includes("#FFC7CE"),
    discount,
  );
  expect(await fillOf("I3")).toBe(ERROR_FILL);
  expect(await fillOf("I4")).toBeNull(); // the next commit's discount is not marked

  // The issue selects its cell.
  await e2e.page.click('td[data-cell="A1"]');
  await e2e.page.click("#issues details.issue summary");
  await e2e.page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "I3");

  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#push-blocked");
  expect(await e2e.page.textContent("#push-blocked p")).toBe("Nothing will be sent until these problems are fixed:");
  expect(await e2e.page.$$eval("#blocked-issues summary", (ss) => ss.map((s) => s.textContent))).toEqual([problem]);
  expect(await e2e.page.textContent("#push-summary")).toBe("1 change in 1 record.");
  // The pane's busy state ends after the plan is shown; the blocked plan's confirm must stay disabled.
  expect(await e2e.page.isDisabled("#confirm-push")).toBe(true);
  await shot("2-invalid-discount");
  expect(countByMethod(e2e.sandbox.requests.slice(before))).toEqual({});

  // The ribbon's push shows the same plan and says why nothing was sent.
  await e2e.page.click("#ribbon-pushPrepaidCommits");
  await e2e.page.waitForFunction(() => document.querySelector("#ribbon-status")?.textContent === "Push prepaid commits: done.");
  expect(await e2e.page.textContent("#push-note")).toBe(
    "Nothing was sent: 1 problem on the sheet must be fixed first. Review the push below.",
  );
  expect(await e2e.page.isDisabled("#confirm-push")).toBe(true);
  expect(countByMethod(e2e.sandbox.requests.slice(before))).toEqual({});
  expect(e2e.sandbox.store.commit(3, 9001).discount_percentage).toBe(20);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("fix the discount to 12.5 and edit the description: review shows both, push changes only them", async () => {
  const storedBefore = stored(9001);
  const servedBefore = served(9001);
  await typeInto("I3", "12.5");
  await typeInto(await commitCell(9001, "Description"), NEW_DESCRIPTION);
  await checkSays(e2e.page, "2 edited cells in 1 record · no problems");
  await gridShows("AF3", "");
  expect(await fillOf("I3")).toBe(EDITED_FILL);
  expect(await fillOf("D3")).toBe(EDITED_FILL);

  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#push-preview");
  expect(await e2e.page.isHidden("#push-blocked")).toBe(true);
  expect(await e2e.page.textContent("#push-summary")).toBe("2 changes in 1 record.");
  expect(await reviewCards(e2e.page)).toEqual([
    [
      LABEL_9001,
      [
        ["Description", `Prepaid API usage, drawn down at list rate less 20%. → ${NEW_DESCRIPTION}`],
        ["Discount %", "20 → 12.5"],
      ],
    ],
  ]);
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  await shot("3-review");

  const before = e2e.sandbox.requests.length;
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  expect(writes(e2e.sandbox.requests.slice(before))).toEqual([
    { method: "PUT", path: "/rr/api/v1/contracts/3/prepaid-commits/9001", status: 200 },
  ]);

  const after = stored(9001);
  expect(after.last_modified_at > storedBefore.last_modified_at).toBe(true);
  expect(after).toEqual({
    ...storedBefore,
    discount_percentage: 12.5,
    description: NEW_DESCRIPTION,
    last_modified_at: after.last_modified_at,
  });
  const servedAfter = served(9001);
  expect(servedAfter).toEqual({
    ...servedBefore,
    discount_percentage: 12.5,
    description: NEW_DESCRIPTION,
    last_modified_at: servedAfter.last_modified_at,
    remaining_value: servedAfter.remaining_value,
    status: servedAfter.status,
  });

  await checkSays(e2e.page, "0 edited cells in 0 records · no problems");
  await gridShows("I3", "12.5");
  await gridShows("D3", NEW_DESCRIPTION);
  expect(await e2e.page.textContent('td[data-cell="AE3"]')).toMatch(/^Pushed \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  expect(await fillOf("I3")).toBeNull();
  await shot("4-pushed");
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("a commit another user saved since the pull is skipped, and sent once the user ticks overwrite", async () => {
  // Contract 2's commit, pulled by the first test, keeps its row: a pull of some contracts merges.
  await pullCommits("3");
  expect(await e2e.page.textContent("#pull-result")).toBe(
    "Pulled 4 prepaid commits from 1 contract; the rows of 1 other contract are as they were",
  );
  await gridShows("B2", "9005");
  await gridShows("B6", "9004");

  // Another user retags commit 9002 through the sandbox's control endpoint, as a test in another process would.
  const touched = await fetch(`${e2e.sandbox.url}/__sandbox/touch`, {
    method: "POST",
    headers: { Authorization: `Token ${e2e.sandbox.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "commit", contractId: 3, commitId: 9002, patch: { tags: "storage,burst" } }),
  });
  expect(touched.status).toBe(200);
  const changedAt = ((await touched.json()) as PrepaidCommit).last_modified_at;
  const theirs = stored(9002);
  expect(theirs.tags).toBe("storage,burst");

  const priority = await commitCell(9002, "Priority");
  expect(priority).toBe("K4");
  await typeInto(priority, "3");
  await checkSays(e2e.page, "1 edited cell in 1 record · no problems");

  const before = e2e.sandbox.requests.length;
  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#conflicts");
  expect(await e2e.page.textContent("#conflicts")).toBe(
    "1 record was changed in Campfire since your pull: skipped unless you tick overwrite on it. " +
      "Overwrite sends only the fields and lines you changed; everything else keeps Campfire's current values.",
  );
  // The overwrite choice is on the record's card, with when Campfire changed it (the exact times on hover).
  const tick = "#push-preview li.review-card .review-conflict label";
  expect(await e2e.page.textContent(tick)).toBe("Overwrite with your changes (changed in Campfire just now)");
  expect(await e2e.page.getAttribute(tick, "title")).toBe(`changed ${changedAt}; pulled 2026-02-02T14:05:11.250000Z`);
  expect(await reviewCards(e2e.page)).toEqual([
    [
      LABEL_9002,
      [
        ["Priority", "1 → 3"],
        ["Tags", "storage · Campfire now storage,burst → storage,burst", "changed in Campfire by someone else; kept"],
      ],
    ],
  ]);
  // Nothing would be sent without the tick: the button says so and cannot be pressed.
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 0 records");
  expect(await e2e.page.isDisabled("#confirm-push")).toBe(true);
  await shot("5-conflict");
  expect(countByMethod(writes(e2e.sandbox.requests.slice(before)))).toEqual({});
  expect(stored(9002)).toEqual(theirs);

  await e2e.page.check("#push-preview input.overwrite");
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  expect(countByMethod(writes(e2e.sandbox.requests.slice(before)))).toEqual({ PUT: 1 });
  expect(writes(e2e.sandbox.requests.slice(before))).toEqual([
    { method: "PUT", path: "/rr/api/v1/contracts/3/prepaid-commits/9002", status: 200 },
  ]);
  // The overwrite sends the user's priority on top of Campfire's current record: the other user's tags stay.
  const after = stored(9002);
  expect(after).toEqual({ ...theirs, priority: 3, last_modified_at: after.last_modified_at });
  expect(after.last_modified_at > theirs.last_modified_at).toBe(true);
  await checkSays(e2e.page, "0 edited cells in 0 records · no problems");
  await gridShows(priority, "3");
  expect(await fillOf(priority)).toBeNull();
  await gridShows(await commitCell(9002, "Tags"), "storage,burst");
  await shot("6-overwritten");
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);
