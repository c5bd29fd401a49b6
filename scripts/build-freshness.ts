/**
 * When dist/ still matches the sources: every bundle the preview page loads is at least as new as the newest
 * file under src/ and webpack.config.js. Shared by `npm run preview` and the browser tests, so neither serves a
 * build older than the code beside it.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What dist/preview.html loads; a missing one means there is no usable build. */
export const PREVIEW_BUNDLES = ["preview.html", "preview.js", "taskpane.js", "functions.js"] as const;

/** Newest modification time of any file under a folder (0 for an empty one). */
export function newestUnder(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestUnder(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** True when `root`/dist holds every preview bundle and none is older than a source file. */
export function buildIsFresh(root: string): boolean {
  const sources = Math.max(newestUnder(path.join(root, "src")), statSync(path.join(root, "webpack.config.js")).mtimeMs);
  return PREVIEW_BUNDLES.every((name) => {
    const file = path.join(root, "dist", name);
    return existsSync(file) && statSync(file).mtimeMs >= sources;
  });
}
