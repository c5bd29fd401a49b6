/**
 * End to end in headless Chromium: the production build's preview page (the real task pane over the Excel
 * fake), the add-in host and the Campfire sandbox, all in this process. A person connects to the sandbox,
 * pulls a contract's allocations, breaks a bundle in the grid, sees the check, balances, reviews and pushes,
 * and the sandbox holds the new amounts. Screenshots go to test-output/screenshots/.
 */
import { DEFAULT_SANDBOX_TOKEN } from "../../src/sandbox/server";
import { DEFAULT_SANDBOX_TOKEN_FOR_UI } from "../../src/taskpane/defaults";
import { BUSY_NOTE } from "../../src/taskpane/pane";
import { CHECK_HINT } from "../../src/taskpane/views/check-view";
import { PULL_BUSY_NOTE } from "../../src/taskpane/views/pull-view";
import * as harness from "./harness";

const e2e = harness.useE2E();

const shot = (name: string) => harness.shot(e2e.page, name);
const cellUnder = (header: string, dataRow: number) => harness.cellUnder(e2e.page, header, dataRow);
const gridShows = (address: string, text: string) => harness.gridShows(e2e.page, address, text);
const typeInto = (address: string, text: string) => harness.typeInto(e2e.page, address, text);

/** Line amounts of contract 1's subscription 1001 bundle as Campfire (the sandbox) holds them. */
function amounts(): number[] {
  return e2e.sandbox.store.bundleOf("subscription", 1, 1001).lines.map((line) => line.amount);
}

test("the sandbox token in the UI is the sandbox's own", () => {
  expect(DEFAULT_SANDBOX_TOKEN_FOR_UI).toBe(DEFAULT_SANDBOX_TOKEN);
});

test("connect, pull, edit, see the check, balance, push; Campfire has the new amounts", async () => {
  await harness.openAndConnect(e2e);
  expect(await e2e.page.textContent("#connection-status")).toBe("Connected to the local sandbox.");
  expect(await e2e.page.textContent("#connected-as")).toBe(`Connected to the local sandbox at ${e2e.host.url}/sandbox`);
  expect(await e2e.page.inputValue("#token")).toBe("");
  expect(await e2e.page.content()).not.toContain(DEFAULT_SANDBOX_TOKEN);

  await e2e.page.fill("#contract-ids", "1");
  // The second bundle arrives late, so the bar can be seen counting.
  e2e.sandbox.injectFaults([{ delayMs: 1500 }], { pathIncludes: "/subscriptions/1002/allocations" });
  await e2e.page.click("#pull");
  await e2e.page.waitForFunction(() => {
    const bar = document.querySelector<HTMLProgressElement>("#pull-progress");
    const box = bar?.parentElement;
    return (
      box?.hidden === false &&
      bar?.value === 1 &&
      bar.max === 2 &&
      box.querySelector(".progress-text")?.textContent === "Reading bundle 1 of 2"
    );
  });
  await e2e.page.waitForSelector("#pull-result.status-ok");
  expect(await e2e.page.isHidden("#pull-progress")).toBe(true);
  expect(await e2e.page.textContent("#pull-result")).toBe("Pulled 2 bundles (8 lines) from 1 contract");
  expect(await e2e.page.textContent("#check-summary")).toBe("0 edited cells in 0 records · no problems");
  await shot("1-pulled");

  const amount = await cellUnder("Amount", 0);
  expect(amount).toBe("F2");
  await gridShows(amount, "33,333.33");
  await typeInto(amount, "1000");
  // The problem once, in one line, under its record; the bundle's card (sums, line picker, Balance) in the same group.
  const group = e2e.page.locator("#issues li.issue-group");
  await group.waitFor();
  expect(await group.count()).toBe(1);
  expect(await group.locator("details.issue summary").allTextContents()).toEqual(["F2 · 32,333.33 USD short of 100,000.00"]);
  expect(await group.locator(".bundle-sums").textContent()).toBe("Lines 67,666.67 USD · total 100,000.00 USD");
  expect(await e2e.page.textContent("#check-summary")).toBe("1 edited cell in 1 record · 1 problem");
  expect(await e2e.page.textContent("#bundle-summary")).toBe("1 of 2 bundles add up to their totals.");
  // Said once on screen (the closed details are not shown).
  const paneText = await e2e.page.innerText("#campfire-pane");
  expect(paneText.split("32,333.33").length - 1).toBe(1);
  await shot("2-off-balance");

  // Opening the problem selects its cell in the grid and shows the whole rule.
  await e2e.page.click('td[data-cell="A1"]');
  await group.locator("details.issue summary").click();
  await e2e.page.waitForFunction(() => document.querySelector("#name-box")?.textContent === "F2");
  expect(await group.locator(".issue-detail p").textContent()).toBe(
    "Amount: The lines sum to 67,666.67 USD, 32,333.33 short of the bundle total 100,000.00 USD. Allowed: line amounts that add up to exactly the bundle total, 100,000.00 USD.",
  );

  // Balance asks for the line first; the third line then takes the remainder.
  const picker = group.locator("select");
  await picker.selectOption("");
  await group.locator("button.balance").click();
  expect(await group.locator(".bundle-card .status-error").textContent()).toBe("Choose the line that takes the remainder first.");
  expect(await picker.locator("option").allTextContents()).toEqual([
    "Choose a line…",
    "Line 1 (row 2)",
    "Line 2 (row 3)",
    "Line 3 (row 4)",
  ]);
  await picker.selectOption({ label: "Line 3 (row 4)" });
  await group.locator("button.balance").click();
  await e2e.page.waitForSelector("#issues", { state: "detached" });
  expect(await e2e.page.textContent("#check-summary")).toBe("2 edited cells in 1 record · no problems");
  await gridShows("F4", "65,666.67");

  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#push-preview");
  expect(await harness.reviewCards(e2e.page)).toEqual([
    [
      'Bundle on subscription 1001 ("Acme Corp — 2026 Platform Renewal") of contract 1',
      [
        ["Amount of Platform — Enterprise (line 7001)", "33,333.33 → 1,000.00"],
        ["Amount of SSO & SCIM Add-on (line 7003)", "33,333.34 → 65,666.67"],
      ],
    ],
  ]);
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  await shot("3-push-plan");
  const before = e2e.sandbox.requests.length;

  await e2e.page.click("#confirm-push");
  await e2e.page.waitForSelector("#push-outcome");
  expect(await e2e.page.textContent("#push-outcome")).toBe("Push: 1 done.");
  expect(e2e.sandbox.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([
    { method: "PATCH", path: "/rr/api/v1/contracts/1/subscriptions/1001/allocations", status: 200 },
  ]);
  expect(amounts()).toEqual([1000, 33333.33, 65666.67]);
  expect(await e2e.page.textContent("#check-summary")).toBe("0 edited cells in 0 records · no problems");
  await shot("4-pushed");

  await e2e.page.click("#undo-push");
  // Undo is reviewed like a push: nothing goes until it is confirmed.
  await e2e.page.waitForFunction(() => document.querySelector("#confirm-push")?.textContent === "Undo 1 record");
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Undo: 1 done.");
  expect(amounts()).toEqual([33333.33, 33333.33, 33333.34]);
  await gridShows("F2", "33,333.33");
  expect(e2e.pageErrors).toEqual([]);
}, 60_000);

test("a record changed in Campfire since the pull is skipped unless the user ticks overwrite", async () => {
  const bundle = e2e.sandbox.store.bundleOf("subscription", 1, 1001);
  e2e.sandbox.store.setLineAmounts(bundle, new Map([[105, 33333.33]])); // someone else saved the bundle
  await typeInto("F2", "33,000");
  await typeInto("F3", "33,666.66");
  await e2e.page.waitForFunction(
    () => document.querySelector("#check-summary")?.textContent === "2 edited cells in 1 record · no problems",
  );
  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#conflicts");
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 0 records");
  await e2e.page.check("#push-preview input.overwrite");
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  await shot("6-conflict");
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  expect(amounts()).toEqual([33000, 33666.66, 33333.34]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("a record Campfire rejects can be pushed again once the cause is gone", async () => {
  await typeInto("F2", "33,333.33");
  await typeInto("F3", "33,333.33");
  await e2e.page.waitForFunction(
    () => document.querySelector("#check-summary")?.textContent === "2 edited cells in 1 record · no problems",
  );
  e2e.sandbox.injectFaults([{ status: 400, body: { lines: ["The allocation is locked for the close; try again later."] } }], {
    method: "PATCH",
    pathIncludes: "/allocations",
  });
  await e2e.page.click("#plan-push");
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 0 done, 1 failed.");
  expect(await e2e.page.textContent("#push-result-table")).toContain("The allocation is locked for the close");
  expect(amounts()).toEqual([33000, 33666.66, 33333.34]);
  await e2e.page.click("#push-again");
  await e2e.page.waitForFunction(() => document.querySelector("#confirm-push")?.textContent === "Push 1 record");
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  expect(amounts()).toEqual([33333.33, 33333.33, 33333.34]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

/** How many times the add-in asked Office to show the task pane. */
const taskpaneRequests = () =>
  e2e.page.evaluate(
    () =>
      (globalThis as unknown as { __campfirePreview: { office: { taskpaneRequests: number } } }).__campfirePreview.office.taskpaneRequests,
  );

test("the ribbon's push opens the preview and sends only once the user confirms there", async () => {
  await typeInto("F2", "33,000");
  await typeInto("F3", "33,666.66");
  await e2e.page.waitForFunction(
    () => document.querySelector("#check-summary")?.textContent === "2 edited cells in 1 record · no problems",
  );
  const opened = await taskpaneRequests();
  const before = e2e.sandbox.requests.length;
  await e2e.page.click("#ribbon-pushAllocations");
  await e2e.page.waitForFunction(() => document.querySelector("#ribbon-status")?.textContent === "Push allocations: done.");
  expect(await taskpaneRequests()).toBe(opened + 1);
  expect(await e2e.page.isHidden("#push-note")).toBe(true);
  expect(await e2e.page.textContent("#notice")).toBe("Review the allocations push below: nothing is sent until you confirm it.");
  expect((await harness.reviewCards(e2e.page)).map(([, fields]) => fields)).toEqual([
    [
      ["Amount of Platform — Enterprise (line 7001)", "33,333.33 → 33,000.00"],
      ["Amount of Premium Support (line 7002)", "33,333.33 → 33,666.66"],
    ],
  ]);
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  expect(e2e.sandbox.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
  expect(amounts()).toEqual([33333.33, 33333.33, 33333.34]);
  await shot("5-ribbon-preview");

  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  expect(e2e.sandbox.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([
    { method: "PATCH", path: "/rr/api/v1/contracts/1/subscriptions/1001/allocations", status: 200 },
  ]);
  expect(amounts()).toEqual([33000, 33666.66, 33333.34]);
  await e2e.page.click("#undo-push");
  // Undo is reviewed like a push: nothing goes until it is confirmed.
  await e2e.page.waitForFunction(() => document.querySelector("#confirm-push")?.textContent === "Undo 1 record");
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Undo: 1 done.");
  expect(amounts()).toEqual([33333.33, 33333.33, 33333.34]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("the ribbon's push sends nothing while the sheet has a problem, and says why", async () => {
  const amount = await cellUnder("Amount", 0);
  await typeInto(amount, "5");
  await e2e.page.locator("#issues li.issue-group").waitFor();
  const opened = await taskpaneRequests();
  const before = e2e.sandbox.requests.length;
  await e2e.page.click("#ribbon-pushAllocations");
  await e2e.page.waitForSelector("#push-note");
  expect(await e2e.page.textContent("#push-note")).toBe(
    "Nothing was sent: 1 problem on the sheet must be fixed first. Review the push below.",
  );
  expect(await e2e.page.isDisabled("#confirm-push")).toBe(true);
  await e2e.page.waitForFunction(() => document.querySelector("#ribbon-status")?.textContent === "Push allocations: done.");
  expect(await taskpaneRequests()).toBe(opened + 1);
  expect(e2e.sandbox.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
  await shot("5-ribbon-blocked");
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("a pull over edits not pushed asks first; Cancel keeps them, Pull anyway replaces them", async () => {
  // The previous test left one edited amount on the sheet.
  expect(await e2e.page.textContent("#check-summary")).toBe("1 edited cell in 1 record · 1 problem");
  const before = e2e.sandbox.requests.length;
  await e2e.page.fill("#contract-ids", "1");
  await e2e.page.click("#pull");
  await e2e.page.waitForSelector("#pull-confirm:not([hidden])");
  expect(await e2e.page.textContent("#pull-confirm-text")).toBe("You have 1 unpushed edit in 1 record. Pull anyway and lose it?");
  expect(await e2e.page.evaluate(() => document.activeElement?.id)).toBe("pull-cancel");
  expect(e2e.sandbox.requests.length).toBe(before);
  await shot("7-pull-confirm");

  await e2e.page.click("#pull-cancel");
  await e2e.page.waitForSelector("#pull-confirm", { state: "hidden" });
  expect(await e2e.page.textContent("#pull-result")).toBe("Not pulled: your edits are kept.");
  expect(await e2e.page.textContent("#check-summary")).toBe("1 edited cell in 1 record · 1 problem");
  expect(e2e.sandbox.requests.length).toBe(before);

  await e2e.page.click("#pull");
  await e2e.page.click("#pull-anyway");
  await e2e.page.waitForFunction(
    () => document.querySelector("#pull-result")?.textContent === "Pulled 2 bundles (8 lines) from 1 contract",
  );
  await gridShows("F2", "33,333.33");
  expect(await e2e.page.textContent("#check-summary")).toBe("0 edited cells in 0 records · no problems");
  expect(await e2e.page.isHidden("#pull-confirm")).toBe(true);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

/** The pane's text and styling of one element, or null when it is not on the page. */
const shown = (selector: string) =>
  e2e.page.evaluate((sel) => {
    const el = document.querySelector(sel);
    return el ? { text: el.textContent, className: el.className } : null;
  }, selector);

test("signing out forgets the plan, the push results and the pull; signing in again starts clean", async () => {
  expect(await e2e.page.getAttribute("#token", "autocomplete")).toBe("new-password");
  await typeInto("F2", "33,000");
  await typeInto("F3", "33,666.66");
  await harness.checkSays(e2e.page, "2 edited cells in 1 record · no problems");
  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#confirm-push");
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  expect(await e2e.page.textContent("#pull-result")).toBe("Pulled 2 bundles (8 lines) from 1 contract");

  await e2e.page.click("#sign-out");
  await e2e.page.waitForSelector("#sign-in-form:not([hidden])");
  expect(await e2e.page.isHidden("#workspace")).toBe(true);
  expect(await e2e.page.$$eval("#push-plan > *, #push-results > *", (els) => els.length)).toBe(0);
  expect(await shown("#pull-result")).toEqual({ text: "", className: "" });
  expect(await e2e.page.textContent("#check-body")).toBe(CHECK_HINT);

  const before = e2e.sandbox.requests.length;
  await e2e.page.click("#use-sandbox");
  await e2e.page.waitForSelector("#connected-as");
  await harness.checkSays(e2e.page, "2 edited cells in 1 record · no problems");
  expect(await e2e.page.$$eval("#push-plan > *, #push-results > *", (els) => els.length)).toBe(0);
  expect(await e2e.page.$$("#confirm-push")).toEqual([]);
  expect(await shown("#pull-result")).toEqual({ text: "", className: "" });
  expect(harness.writes(e2e.sandbox.requests.slice(before))).toEqual([]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

test("while a push runs, Sign out is disabled and a pull is refused with a neutral note", async () => {
  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#confirm-push");
  expect(await e2e.page.isDisabled("#sign-out")).toBe(false);
  // The PATCH answers late, so the pane can be seen mid-push.
  e2e.sandbox.injectFaults([{ delayMs: 1500 }], { method: "PATCH", pathIncludes: "/allocations" });
  const before = e2e.sandbox.requests.length;
  await e2e.page.click("#confirm-push");
  await e2e.page.waitForSelector("#campfire-pane[aria-busy='true']");
  expect(await e2e.page.isDisabled("#sign-out")).toBe(true);
  expect(await e2e.page.isDisabled("#use-sandbox")).toBe(true);
  expect(await e2e.page.isDisabled("#connect")).toBe(true);

  // A pull asked for now (the Pull button is disabled; a form submit still reaches the pane) does not start.
  await e2e.page.evaluate(() => document.querySelector<HTMLFormElement>("#pull-form")?.requestSubmit());
  await e2e.page.waitForFunction((note) => document.querySelector("#pull-result")?.textContent === note, PULL_BUSY_NOTE);
  expect(await shown("#pull-result")).toEqual({ text: PULL_BUSY_NOTE, className: "status-busy" });
  expect(await shown("#notice")).toEqual({ text: BUSY_NOTE, className: "status-busy" });

  await e2e.page.waitForFunction(() => document.querySelector("#push-outcome")?.textContent === "Push: 1 done.");
  expect(await e2e.page.getAttribute("#campfire-pane", "aria-busy")).toBe("false");
  expect(await e2e.page.isDisabled("#sign-out")).toBe(false);
  expect(await e2e.page.isDisabled("#use-sandbox")).toBe(false);
  expect(harness.writes(e2e.sandbox.requests.slice(before))).toEqual([
    { method: "PATCH", path: "/rr/api/v1/contracts/1/subscriptions/1001/allocations", status: 200 },
  ]);
  expect(amounts()).toEqual([33000, 33666.66, 33333.34]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);

/** Deletes the allocations table as a person could in Excel: after that, reviews and checks have nothing to read. */
const deleteAllocationsTable = () =>
  e2e.page.evaluate(() =>
    Excel.run(async (ctx) => {
      ctx.workbook.tables.getItem("CampfireAllocations").delete();
      await ctx.sync();
    }),
  );

test("a review or a Check now that fails replaces the previous plan or summary with its reason", async () => {
  await typeInto("F2", "33,333.33");
  await typeInto("F3", "33,333.33");
  await harness.checkSays(e2e.page, "2 edited cells in 1 record · no problems");
  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#confirm-push");
  expect(await e2e.page.textContent("#confirm-push")).toBe("Push 1 record");
  await deleteAllocationsTable();

  await e2e.page.click("#plan-push");
  await e2e.page.waitForSelector("#push-error");
  expect(await e2e.page.textContent("#push-error")).toBe(
    'Could not review the push: There is no Allocations table on the sheet "Allocations"; pull allocations first.',
  );
  expect(await e2e.page.$$("#confirm-push")).toEqual([]);
  expect(await e2e.page.$$("#push-preview")).toEqual([]);

  expect(await e2e.page.textContent("#check-summary")).toBe("2 edited cells in 1 record · no problems");
  await e2e.page.click("#check");
  await e2e.page.waitForSelector("#check-error");
  expect(await e2e.page.textContent("#check-error")).toBe(
    'Check failed: There is no Allocations table on the sheet "Allocations"; pull allocations first.',
  );
  expect(await e2e.page.$$("#check-summary")).toEqual([]);

  // A pull brings the table back; the next review and check show results again, not the old errors.
  await e2e.page.click("#pull");
  await e2e.page.waitForFunction(
    () => document.querySelector("#pull-result")?.textContent === "Pulled 2 bundles (8 lines) from 1 contract",
  );
  await harness.checkSays(e2e.page, "0 edited cells in 0 records · no problems");
  expect(await e2e.page.$$("#check-error")).toEqual([]);
  await e2e.page.click("#plan-push");
  await e2e.page.waitForFunction(
    () => document.querySelector("#push-summary")?.textContent === "Nothing to push: the table matches what was pulled.",
  );
  expect(await e2e.page.$$("#push-error")).toEqual([]);
  expect(e2e.pageErrors).toEqual([]);
}, 30_000);
