/**
 * The production build as the task pane loads it: a real webpack build (with stats) into a temporary folder,
 * weighed with the same code as the build test (test/build/bundle-stats.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { modulesInSeveralChunks, pageWeight, readStats, type PageWeight } from "../test/build/bundle-stats";
import { buildAddin, listFiles } from "../test/build/webpack-build";
import { seconds } from "./support";

export interface BundleSize {
  pane: PageWeight;
  /** Modules that ship in more than one chunk. */
  duplicated: number;
  /** Files in the production dist/ that only the preview (the Excel fake page) uses. */
  previewOnly: string[];
  seconds: number;
}

/** What only the offline preview page needs: its page and bundle, and the local office.js copies. */
export function isPreviewOnly(file: string): boolean {
  return /^preview\.(html|js)$/.test(file) || file.startsWith("office-js/");
}

export async function bundleSize(): Promise<BundleSize> {
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "campfire-bench-stats-"));
  const statsFile = path.join(tmp, "stats.json");
  const build = buildAddin({ mode: "production", statsFile });
  try {
    if (build.status !== 0) throw new Error(`the production build failed:\n${build.output}`);
    return {
      pane: pageWeight(build.outDir, "taskpane.html"),
      duplicated: modulesInSeveralChunks(readStats(statsFile)).length,
      previewOnly: listFiles(build.outDir).filter(isPreviewOnly),
      seconds: seconds(started),
    };
  } finally {
    fs.rmSync(build.outDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
