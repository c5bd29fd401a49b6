/**
 * The preview build (dist-preview/, `webpack --env preview`; production's dist/ holds no preview files) and when
 * it still matches the sources: every bundle the preview page loads is at least as new as the newest file under
 * src/, the fake and the page under preview/ (not the preview's tests), and webpack.config.js. Shared by
 * `npm run preview` and the browser tests, so neither serves a build older than the code beside it.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Where the preview build goes, relative to the repository root. */
export const PREVIEW_DIR = "dist-preview";

/** The webpack CLI arguments (after `node`) that build the preview into PREVIEW_DIR. */
export function previewBuildArgs(root: string): string[] {
  return [path.join(root, "node_modules", "webpack-cli", "bin", "cli.js"), "--mode", "production", "--env", "preview"];
}

/** What the preview build is made from, relative to the repository root: folders and single files. */
export const PREVIEW_SOURCES = ["src", "preview/excel-fake", "preview/page", "webpack.config.js"] as const;

/** What dist-preview/preview.html loads; a missing one means there is no usable build. */
export const PREVIEW_BUNDLES = ["preview.html", "preview.js", "taskpane.js", "functions.js"] as const;

/** Newest modification time of a file, or of any file under a folder (0 for an empty one). */
export function newestUnder(source: string): number {
  if (!statSync(source).isDirectory()) return statSync(source).mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const full = path.join(source, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestUnder(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** True when `root`/dist-preview holds every preview bundle and none is older than a source file. */
export function buildIsFresh(root: string): boolean {
  const sources = Math.max(...PREVIEW_SOURCES.map((source) => newestUnder(path.join(root, source))));
  return PREVIEW_BUNDLES.every((name) => {
    const file = path.join(root, PREVIEW_DIR, name);
    return existsSync(file) && statSync(file).mtimeMs >= sources;
  });
}
