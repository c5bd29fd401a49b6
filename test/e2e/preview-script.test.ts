/** `npm run preview`'s decisions: when dist-preview/ must be rebuilt (the rule the browser tests use too) and its port. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIsFresh, PREVIEW_BUNDLES, PREVIEW_DIR } from "../../scripts/build-freshness";
import { HELP, previewPort } from "../../scripts/preview";

describe("the build is fresh when every preview bundle is at least as new as every source", () => {
  let root: string;
  // Fixed times (seconds since 1970), so the test never depends on the clock.
  const OLD = 1_000_000;
  const NEW = 2_000_000;

  function put(relative: string, seconds: number): void {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "x");
    utimesSync(file, seconds, seconds);
  }

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "freshness-"));
    put("src/app/a.ts", OLD);
    put("src/taskpane/deep/b.ts", OLD);
    put("preview/excel-fake/c.ts", OLD);
    put("preview/page/d.html", OLD);
    put("preview/test/excel-fake/e.test.ts", OLD);
    put("webpack.config.js", OLD);
    for (const name of PREVIEW_BUNDLES) put(`${PREVIEW_DIR}/${name}`, NEW);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("bundles newer than the sources: fresh", () => {
    expect(buildIsFresh(root)).toBe(true);
  });

  test("bundles exactly as new as the newest source: fresh", () => {
    put("src/app/a.ts", NEW);
    expect(buildIsFresh(root)).toBe(true);
  });

  test.each([
    ["a source deep under src/ changed after the build", "src/taskpane/deep/b.ts"],
    ["webpack.config.js changed after the build", "webpack.config.js"],
    ["a new source file appeared after the build", "src/new.ts"],
    ["the Excel fake changed after the build", "preview/excel-fake/c.ts"],
    ["the preview page changed after the build", "preview/page/d.html"],
  ])("%s: stale", (_what, file) => {
    put(file, NEW + 1);
    expect(buildIsFresh(root)).toBe(false);
  });

  test("a test of the fake changed after the build: still fresh (tests are not in the bundles)", () => {
    put("preview/test/excel-fake/e.test.ts", NEW + 1);
    expect(buildIsFresh(root)).toBe(true);
  });

  test.each(PREVIEW_BUNDLES.map((name) => [name]))("dist-preview/%s missing: stale", (name) => {
    rmSync(path.join(root, PREVIEW_DIR, name));
    expect(buildIsFresh(root)).toBe(false);
  });

  test("one bundle older than a source (a half-finished build): stale", () => {
    put(`${PREVIEW_DIR}/taskpane.js`, OLD - 1);
    expect(buildIsFresh(root)).toBe(false);
  });
});

describe("PREVIEW_PORT", () => {
  test.each([
    [undefined, 3000],
    ["", 3000],
    ["3100", 3100],
    [" 8080 ", 8080],
    ["0", 0],
    ["65535", 65535],
  ])("%j → port %i", (value, port) => {
    expect(previewPort(value === undefined ? {} : { PREVIEW_PORT: value })).toBe(port);
  });

  test.each(["abc", "-1", "65536", "3000.5", "3e3", "99999999"])("%j is refused with what is allowed", (value) => {
    expect(() => previewPort({ PREVIEW_PORT: value })).toThrow(
      `PREVIEW_PORT must be a whole number from 0 to 65535 (0 picks a free port); it is "${value}".`,
    );
  });

  test("the printed help documents it", () => {
    expect(HELP).toContain("PREVIEW_PORT   port of the preview host (default 3000; 0 picks a free port)");
  });
});
