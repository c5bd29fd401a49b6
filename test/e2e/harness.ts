/**
 * What every browser test shares: the production build (rebuilt when stale), the Campfire sandbox and the
 * add-in host in this process, headless Chromium (scripts/find-chromium.ts picks which) on dist-preview/preview.html (the real task pane over the
 * Excel fake), and the moves a person makes in the simulated grid.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmdirSync, statSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildIsFresh as distIsFresh, PREVIEW_DIR, previewBuildArgs } from "../../scripts/build-freshness";
import { CHROMIUM_ARGS, findChromium, thisMachine } from "../../scripts/find-chromium";
import { columnName } from "../../src/domain/a1";
import type { RequestLogEntry } from "../../src/sandbox/server";
import { startHost, type RunningHost } from "../../src/host/server";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";

export const ROOT = path.resolve(__dirname, "../..");
/** The preview build (the production bundles behind the Excel fake), never production's dist/. */
export const DIST = path.join(ROOT, PREVIEW_DIR);
export const SHOTS = path.join(ROOT, "test-output", "screenshots");
/** Held while one test file builds, so parallel jest workers never run webpack into dist-preview/ at the same time. */
const BUILD_LOCK = path.join(ROOT, "test-output", ".e2e-build.lock");
const STALE_LOCK_MS = 5 * 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The rule `npm run preview` uses too (scripts/build-freshness.ts). */
export const buildIsFresh = (): boolean => distIsFresh(ROOT);

/** The preview build, rebuilt when a source file is newer than any bundle the preview page loads. */
export async function ensureBuild(): Promise<void> {
  if (buildIsFresh()) return;
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK); // atomic: only one process gets it
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock left by a killed run would otherwise stop every later run.
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > STALE_LOCK_MS) rmdirSync(BUILD_LOCK);
      else await sleep(250);
    }
  }
  try {
    if (buildIsFresh()) return; // another worker built it while this one waited
    execFileSync(process.execPath, previewBuildArgs(ROOT), { cwd: ROOT, stdio: "pipe", timeout: 120_000 });
  } finally {
    rmdirSync(BUILD_LOCK);
  }
}

export interface E2E {
  sandbox: RunningSandbox;
  host: RunningHost;
  browser: Browser;
  page: Page;
  /** Uncaught errors on the page; every test ends expecting none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Builds if needed, starts the sandbox, the host relaying /sandbox/ to it, and a browser page (not yet opened). */
export async function startE2E(): Promise<E2E> {
  const chromiumPath = findChromium(thisMachine()).executablePath;
  await ensureBuild();
  mkdirSync(SHOTS, { recursive: true });
  const sandbox = await startSandbox({ port: 0 });
  const host = await startHost({ port: 0, https: null, staticDir: DIST, upstream: sandbox.url, log: () => undefined });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...CHROMIUM_ARGS],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return {
    sandbox,
    host,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await host.close();
      await sandbox.close();
    },
  };
}

/**
 * Starts everything once for the calling test file (before its first test) and closes it after the last.
 * The object is filled in by beforeAll, so read its fields inside tests, not at the file's top level.
 */
export function useE2E(): E2E {
  const e2e = {} as E2E;
  beforeAll(async () => {
    Object.assign(e2e, await startE2E());
  }, 150_000);
  afterAll(async () => {
    await e2e.close?.();
  });
  return e2e;
}

/** Opens the preview and connects to the local sandbox through the host, as a person clicking "Use the sandbox". */
export async function openAndConnect(e2e: E2E): Promise<void> {
  const { page, host } = e2e;
  await page.goto(`${host.url}/preview.html`);
  await page.click("#use-sandbox");
  // The host relays /sandbox/... to the local sandbox; a failure shows its reason here.
  await page.waitForSelector("#connected-as, #connection-status.status-error");
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** The header texts of the table that starts in A1. */
export function headers(page: Page): Promise<string[]> {
  return page.$$eval("#grid tbody tr:first-child td", (tds) => tds.map((td) => td.textContent ?? ""));
}

/** The grid cell address of a table column's data row (0 = first), found by its header text. */
export async function cellUnder(page: Page, header: string, dataRow: number): Promise<string> {
  const all = await headers(page);
  const column = all.indexOf(header);
  if (column < 0) throw new Error(`no column "${header}" in ${all.join(" | ")}`);
  return `${columnName(column)}${dataRow + 2}`;
}

/** The grid redraws on the next animation frame after a change: wait for the text. */
export async function gridShows(page: Page, address: string, text: string): Promise<void> {
  await page.waitForFunction(([a, t]) => document.querySelector(`td[data-cell="${a}"]`)?.textContent === t, [address, text] as const);
}

/** Types into a cell as a person does in Excel: select it, type in the formula bar, press Enter. */
export async function typeInto(page: Page, address: string, text: string): Promise<void> {
  await page.click(`td[data-cell="${address}"]`);
  await page.fill("#formula-input", text);
  await page.press("#formula-input", "Enter");
}

/** Waits for the pane's check summary to say exactly `text`. */
export async function checkSays(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => document.querySelector("#check-summary")?.textContent === t, text);
}

/** Requests that change something in Campfire (anything but GET), in the order sent. */
export function writes(requests: readonly RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
}

/** How many requests of each method, e.g. { GET: 2, PUT: 1 }. */
export function countByMethod(requests: readonly RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.method] = (counts[r.method] ?? 0) + 1;
  return counts;
}

/** The review's cards: each record's label and its fields as [field, pulled → Campfire now → will send, notes…]. */
export async function reviewCards(page: Page): Promise<[string, string[][]][]> {
  return page.$$eval("#push-preview li.review-card", (cards) =>
    cards.map((card): [string, string[][]] => [
      card.querySelector(".review-record")?.textContent ?? "",
      [...card.querySelectorAll("li.review-field")].map((f) => [...f.querySelectorAll("span")].map((s) => s.textContent ?? "")),
    ]),
  );
}
