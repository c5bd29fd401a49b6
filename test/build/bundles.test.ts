/**
 * The production bundles: each module shipped once, and the task pane page within its byte budget. Sizes are
 * byte counts of the emitted files (gzipped as a server sends them), not load times.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { modulesInSeveralChunks, pageScripts, pageWeight, PANE_GZIP_LIMIT_BYTES, readStats, type WebpackStats } from "./bundle-stats";
import { buildAddin, type BuildResult } from "./webpack-build";

let build: BuildResult;
let stats: WebpackStats;
const statsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "campfire-stats-")), "stats.json");

beforeAll(() => {
  build = buildAddin({ mode: "production", statsFile });
  if (build.status !== 0) throw new Error(`the production build failed:\n${build.output}`);
  stats = readStats(statsFile);
}, 180_000);

afterAll(() => {
  fs.rmSync(build.outDir, { recursive: true, force: true });
  fs.rmSync(path.dirname(statsFile), { recursive: true, force: true });
});

test("no module is in two chunks: code the task pane and the custom functions share is shipped once", () => {
  expect(modulesInSeveralChunks(stats)).toEqual([]);
  // The check sees into concatenated modules: the shared client code is there, in one chunk.
  const names = stats.modules.flatMap((m) => [m.name, ...(m.modules ?? []).map((inner) => inner.name)]);
  expect(names.some((n) => n.endsWith("src/api/http.ts"))).toBe(true);
});

test("taskpane.html loads every file the webpack runtime, functions and taskpane entries need, the webpack runtime first", () => {
  const scripts = pageScripts(fs.readFileSync(path.join(build.outDir, "taskpane.html"), "utf8")).filter((s) => !s.startsWith("https://"));
  expect(scripts[0]).toBe("webpack-runtime.js");
  for (const entry of ["functions", "taskpane"]) {
    const needed = stats.entrypoints[entry]!.assets.map((a) => a.name).filter((f) => f.endsWith(".js"));
    expect({ entry, missing: needed.filter((f) => !scripts.includes(f)) }).toEqual({ entry, missing: [] });
  }
  // Nothing loaded twice, and every script exists.
  expect(new Set(scripts).size).toBe(scripts.length);
  for (const src of scripts) expect({ src, exists: fs.existsSync(path.join(build.outDir, src)) }).toEqual({ src, exists: true });
});

test(`the task pane page's own JavaScript is at most ${PANE_GZIP_LIMIT_BYTES.toLocaleString("en-US")} bytes gzipped`, () => {
  const weight = pageWeight(build.outDir, "taskpane.html");
  expect(weight.scripts).toEqual(expect.arrayContaining(["webpack-runtime.js", "functions.js", "taskpane.js"]));
  expect(weight.gzipBytes).toBeGreaterThan(0);
  expect(weight.gzipBytes).toBeLessThanOrEqual(PANE_GZIP_LIMIT_BYTES);
});
