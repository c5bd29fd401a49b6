/**
 * The task pane as a finance user meets it, at 320 px (the narrowest Excel task pane), in headless Chromium
 * over the production build's preview: connect (and a refused token), problems one line each with Previous and
 * Next selecting their cells, a name of 300 characters that wraps instead of scrolling, the review, and tabs
 * that follow the sheets both ways. Every state is scanned with axe-core: no serious or critical violation.
 * Screenshots of the pane go to test-output/screenshots/ (docs/ with UPDATE_DOCS_SCREENSHOTS=1, for the README).
 */
import { axeViolations, docShot, paneWidth, widths } from "./a11y";
import * as harness from "./harness";

const e2e = harness.useE2E();

const typeInto = (address: string, text: string) => harness.typeInto(e2e.page, address, text);
const nameBox = () => e2e.page.textContent("#name-box");
const activeSheet = () => e2e.page.getAttribute("#sheet-tabs [aria-selected=true]", "data-sheet");

/** 300 characters, no space to break at: the worst a product name can do to a narrow pane. */
const LONG_NAME = `Platform${"—Enterprise".repeat(26)}!!!!!!`;

async function expectNoSidewaysScroll(selector: string): Promise<void> {
  const { scrollWidth, clientWidth } = await widths(e2e.page, selector);
  expect(clientWidth).toBeGreaterThan(0);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

beforeAll(async () => {
  await e2e.page.setViewportSize({ width: 1200, height: 1100 });
  await e2e.page.goto(`${e2e.host.url}/preview.html`);
  await paneWidth(e2e.page, 320);
  await e2e.page.waitForSelector("#sign-in-form:not([hidden])");
});

test("connect: the token is the one field, the address under Advanced, a refused token says what to do", async () => {
  expect(LONG_NAME.length).toBe(300);
  const page = e2e.page;
  expect(await page.isVisible("#token")).toBe(true);
  expect(await page.isVisible("#base-url")).toBe(false);
  expect(await page.textContent("label[for=token]")).toBe("Campfire API token");
  await page.click("#advanced summary");
  expect(await page.inputValue("#base-url")).toBe(`${e2e.host.url}/campfire`);
  expect(await page.textContent("#base-url-hint")).toBe(
    "Where the add-in sends Campfire requests; the default is this add-in's own host, which relays them to Campfire.",
  );
  await page.click("#advanced summary");

  await page.click("#connect");
  expect(await page.textContent("#connection-status")).toBe("Paste your Campfire API token (Campfire › Settings › API Keys).");
  await page.fill("#token", "not-a-token");
  await page.click("#connect");
  await page.waitForSelector("#connection-status.status-error");
  expect(await page.textContent("#connection-status")).toBe(
    "Campfire refused this token — create one in Campfire › Settings › API Keys and paste it here.",
  );
  expect(await axeViolations(page)).toEqual([]);
  await expectNoSidewaysScroll("#campfire-pane");
  await docShot(page, "pane-connect");
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("problems: one line each under their record; Previous and Next select the cells", async () => {
  const page = e2e.page;
  e2e.sandbox.store.product(101)!.product_name = LONG_NAME;
  await page.fill("#token", "");
  await page.click("#use-sandbox");
  await page.waitForSelector("#connected-as");
  expect(await axeViolations(page)).toEqual([]);
  await page.fill("#contract-ids", "1");
  await page.click("#pull");
  await page.waitForFunction(() => document.querySelector("#pull-result")?.textContent === "Pulled 2 bundles (8 lines) from 1 contract");
  expect(await activeSheet()).toBe("Allocations");

  await typeInto("F2", "1000"); // bundle 1001 is now 32,333.33 short
  await typeInto("F6", "ten"); // bundle 1002: not an amount
  await harness.checkSays(page, "2 edited cells in 2 records · 2 problems");
  const groups = await page.$$eval("#issues li.issue-group", (lis) =>
    lis.map((li) => [li.querySelector("h3")?.textContent, [...li.querySelectorAll("summary")].map((s) => s.textContent)]),
  );
  expect(groups).toEqual([
    ['Bundle on subscription 1001 ("Acme Corp — 2026 Platform Renewal") of contract 1', ["F2 · 32,333.33 USD short of 100,000.00"]],
    ['Bundle on subscription 1002 ("Acme Corp — 2026 Platform Renewal") of contract 1', ['F6 · "ten" is text, not a number']],
  ]);
  expect(await page.textContent("#problem-position")).toBe("2 to fix");

  await page.click('td[data-cell="A1"]');
  await page.click("#problem-next");
  await page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "F2");
  expect(await page.textContent("#problem-position")).toBe("Problem 1 of 2");
  await page.click("#problem-next");
  await page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "F6");
  expect(await page.textContent("#problem-position")).toBe("Problem 2 of 2");
  await page.click("#problem-next"); // wraps around
  await page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "F2");
  await page.click("#problem-previous");
  await page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "F6");
  expect(await page.getAttribute("#issues details.issue[data-current]", "data-address")).toBe("Allocations!F6");
  expect(await nameBox()).toBe("F6");

  // Keyboard only: the next problem is reachable and Enter selects its cell.
  await page.focus("#problem-previous");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "F2");

  await page.click("#issues details.issue[data-address='Allocations!F6'] summary");
  expect(await page.isVisible("#issues details.issue[data-address='Allocations!F6'] .issue-detail")).toBe(true);
  // Another edit re-checks the sheet: the open problem stays open, and the selection stays where the user is.
  await page.$eval("#issues", (list) => list.setAttribute("data-old", ""));
  await typeInto("F4", "33,333.34");
  await page.waitForSelector("#issues:not([data-old])"); // drawn again by the re-check
  await harness.checkSays(page, "2 edited cells in 2 records · 2 problems");
  await page.waitForTimeout(300); // a selection move the re-drawn list could start has had its chance
  expect(await nameBox()).toBe("F5");
  expect(await page.isVisible("#issues details.issue[data-address='Allocations!F6'] .issue-detail")).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await expectNoSidewaysScroll("#campfire-pane");
  await docShot(page, "pane-problems");

  // The review of a blocked push at 320 px.
  await page.click("#plan-push");
  await page.waitForSelector("#push-blocked");
  expect(await axeViolations(page)).toEqual([]);
  await expectNoSidewaysScroll("#campfire-pane");
  await expectNoSidewaysScroll("#push-plan");
  expect(e2e.pageErrors).toEqual([]);
}, 60_000);

test("a 300-character name wraps in the review instead of scrolling it sideways", async () => {
  const page = e2e.page;
  await typeInto("F6", "10,000.50");
  await harness.checkSays(page, "1 edited cell in 1 record · 1 problem");
  await page.selectOption("#issues select", { label: "Line 3 (row 4)" });
  await page.click("#issues button.balance");
  await harness.checkSays(page, "2 edited cells in 1 record · no problems");
  await page.click("#plan-push");
  await page.waitForSelector("#push-preview");
  expect(await page.textContent("#push-preview")).toContain(`Amount of ${LONG_NAME} (line 7001)`);
  await expectNoSidewaysScroll("#campfire-pane");
  await expectNoSidewaysScroll("#push-plan");
  expect(await axeViolations(page)).toEqual([]);
  await page.locator("#push-section").scrollIntoViewIfNeeded();
  await docShot(page, "pane-review");

  await page.click("#confirm-push");
  await page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  await expectNoSidewaysScroll("#campfire-pane");
  expect(await axeViolations(page)).toEqual([]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("tabs and sheets follow each other; the other tab's pull note does not stay", async () => {
  const page = e2e.page;
  await page.click("#kind-commits");
  // Switching tabs is asynchronous (the pane stops watching one table and checks the other): wait for it.
  await page.waitForFunction(() => document.querySelector("#kind-commits")?.getAttribute("aria-selected") === "true");
  await page.waitForFunction(() => document.querySelector("#pull-result")?.textContent === "");
  await page.fill("#contract-ids", "3");
  await page.click("#pull");
  await page.waitForFunction(() => document.querySelector("#pull-result")?.textContent?.startsWith("Pulled 4 prepaid commits") === true);
  expect(await activeSheet()).toBe("Prepaid commits");
  expect(await axeViolations(page)).toEqual([]);

  // Choosing a tab shows its sheet.
  await page.click("#kind-allocations");
  await page.waitForFunction(
    () => document.querySelector("#sheet-tabs [aria-selected=true]")?.getAttribute("data-sheet") === "Allocations",
  );
  await page.waitForFunction(() => document.querySelector("#pull-result")?.textContent === "");
  // The arrow keys move between tabs, as in Office.
  await page.focus("#kind-allocations");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(
    () => document.querySelector("#sheet-tabs [aria-selected=true]")?.getAttribute("data-sheet") === "Prepaid commits",
  );
  await page.waitForFunction(() => document.querySelector("#kind-commits")?.getAttribute("aria-selected") === "true");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("kind-commits");

  // Activating a Campfire sheet in Excel selects its tab.
  await page.click('#sheet-tabs [data-sheet="Allocations"]');
  await page.waitForFunction(() => document.querySelector("#kind-allocations")?.getAttribute("aria-selected") === "true");
  expect(await page.getAttribute("#kind-commits", "aria-selected")).toBe("false");
  expect(await page.getAttribute("#table-panel", "aria-labelledby")).toBe("kind-allocations");
  await page.click('#sheet-tabs [data-sheet="Prepaid commits"]');
  await page.waitForFunction(() => document.querySelector("#kind-commits")?.getAttribute("aria-selected") === "true");
  // A sheet that is not Campfire's leaves the tab as it is.
  await page.click('#sheet-tabs [data-sheet="Sheet1"]');
  await page.waitForFunction(() => document.querySelector("#sheet-tabs [aria-selected=true]")?.getAttribute("data-sheet") === "Sheet1");
  expect(await page.getAttribute("#kind-commits", "aria-selected")).toBe("true");
  await expectNoSidewaysScroll("#campfire-pane");
  expect(await axeViolations(page)).toEqual([]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("CAMPFIRE formulas evaluate in the preview with the real functions, spill, and say why when they cannot", async () => {
  const page = e2e.page;
  const cell = (address: string) => page.textContent(`td[data-cell="${address}"]`);
  const bundle = e2e.sandbox.store.bundleOf("subscription", 1, 1001);
  e2e.sandbox.store.setLineAmounts(
    bundle,
    new Map([
      [101, 40000],
      [105, 30000],
      [109, 30000],
    ]),
  );
  await page.click('#sheet-tabs [data-sheet="Sheet1"]');
  await typeInto("A1", '=CAMPFIRE.ALLOCATIONS(1, 1001, "subscription")');
  await harness.gridShows(page, "A1", "7001");
  // The three lines spill from A1, as in Excel.
  const rows = await page.$$eval("#grid tbody tr", (trs) =>
    trs.slice(0, 4).map((tr) => [...tr.querySelectorAll("td")].slice(0, 5).map((td) => td.textContent)),
  );
  expect(rows).toEqual([
    ["7001", "101", "PLAT-ENT", LONG_NAME, "40000"],
    ["7002", "105", "SUP-PREM", "Premium Support", "30000"],
    ["7003", "109", "SSO-ADDON", "SSO & SCIM Add-on", "30000"],
    ["", "", "", "", ""],
  ]);
  await typeInto("A5", '=CAMPFIRE.BUNDLE(1, 1001, "subscription", "total_amount")');
  await harness.gridShows(page, "A5", "100000");
  await typeInto("A6", "=CAMPFIRE.BUNDLE(1, 999)");
  await harness.gridShows(page, "A6", "#N/A");
  await page.click('td[data-cell="A6"]');
  expect(await page.textContent("#grid-message")).toBe("#N/A Contract 1 has no usage item 999. =CAMPFIRE.ITEMS(1) lists its items.");
  // A cell in the way: #SPILL!, as in Excel.
  await typeInto("B9", "in the way");
  await typeInto("A8", "=CAMPFIRE.CONTRACTS()");
  await harness.gridShows(page, "A8", "#SPILL!");

  // Refresh asks Campfire again: another user's change shows up.
  e2e.sandbox.store.setLineAmounts(
    bundle,
    new Map([
      [101, 50000],
      [105, 25000],
      [109, 25000],
    ]),
  );
  await page.click("#refresh-formulas");
  await harness.gridShows(page, "E1", "50000");
  expect(await cell("E2")).toBe("25000");
  expect(await page.textContent("#notice")).toBe("CAMPFIRE formulas refreshed.");
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);
