/**
 * The pane's own checks in the browser: an axe-core scan (serious and critical violations only, the ones that
 * stop a person), whether anything scrolls sideways, and screenshots of the pane alone for the README.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { ROOT, SHOTS } from "./harness";

const AXE = path.join(ROOT, "node_modules", "axe-core", "axe.min.js");
/**
 * Where the README's screenshots go: docs/ when asked (`UPDATE_DOCS_SCREENSHOTS=1 npx jest test/e2e/pane`), else
 * test-output/ — so a test run never leaves tracked files changed.
 */
export const DOCS = process.env.UPDATE_DOCS_SCREENSHOTS === "1" ? path.join(ROOT, "docs") : SHOTS;

export interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** Serious and critical axe violations inside the task pane (WCAG 2.1 A/AA and best practices). */
export async function axeViolations(page: Page, selector = "#campfire-pane"): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === "object");
  // Evaluated through the DevTools protocol, not as a <script> tag: the host's Content-Security-Policy rightly
  // refuses inline scripts, and the test must not weaken it to bring its own tool in.
  if (!loaded) await page.evaluate(readFileSync(AXE, "utf8"));
  const found = await page.evaluate(async (sel) => {
    type Result = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (
      globalThis as unknown as { axe: { run(context: string, options: object): Promise<{ violations: Result[]; passes: Result[] }> } }
    ).axe;
    const result = await axe.run(sel, { resultTypes: ["violations"] });
    return {
      passed: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) })),
    };
  }, selector);
  // A scan that checked nothing (wrong selector, axe not loaded) must not pass as clean.
  if (found.passed < 10) throw new Error(`axe checked only ${found.passed} rules on ${selector}`);
  return found.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** An element's scrollWidth and clientWidth: equal (or less) when nothing scrolls sideways. */
export function widths(page: Page, selector: string): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.$eval(selector, (el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
}

/** The pane at `width` px, as a narrow Excel task pane. */
export async function paneWidth(page: Page, width: number): Promise<void> {
  await page.addStyleTag({ content: `#campfire-pane { width: ${width}px !important; flex: none; }` });
}

/** The visible part of the pane, saved for the README (see DOCS). */
export async function docShot(page: Page, name: string): Promise<void> {
  // Cropped to what the pane shows, not the empty rest of its column.
  const clip = await page.$eval("#campfire-pane", (pane) => {
    const box = pane.getBoundingClientRect();
    const bottom = Math.max(
      ...[...pane.querySelectorAll("*")].map((el) => el.getBoundingClientRect().bottom).filter((b) => b <= box.bottom),
    );
    return { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, bottom - box.y + 12) };
  });
  await page.screenshot({ path: path.join(DOCS, `${name}.png`), clip });
}
