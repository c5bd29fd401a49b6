/**
 * Which Chromium the browser tests drive, so `npm ci && npm test` works on a machine with no browser installed:
 *   1. CHROMIUM_PATH, when set (an explicit choice that is wrong is an error, never silently replaced);
 *   2. a system Chromium, Chrome or Edge (fixed install paths, then the names on PATH);
 *   3. the Chromium shipped inside the @sparticuz/chromium npm package (Linux x64), unpacked once from the
 *      package's own brotli files into a cache folder — nothing is downloaded, at install or at test time.
 * FORCE_BUNDLED_CHROMIUM=1 skips step 2 (how the bundled path is checked on a machine that has a system browser).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type ChromiumSource = "CHROMIUM_PATH" | "system" | "bundled";

export interface FoundChromium {
  executablePath: string;
  source: ChromiumSource;
}

export class ChromiumNotFoundError extends Error {
  override name = "ChromiumNotFoundError";
}

/** Install paths checked before PATH, per platform (the usual package and installer locations). */
export const SYSTEM_PATHS: Readonly<Record<string, readonly string[]>> = {
  linux: [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/usr/bin/microsoft-edge",
    "/usr/bin/microsoft-edge-stable",
    "/opt/microsoft/msedge/msedge",
  ],
  darwin: [
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
  ],
  win32: [
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
    "C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe",
  ],
};

/** Executable names looked up on PATH after the install paths. */
export const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "microsoft-edge", "msedge"];

/** Everything the search looks at, so a test can run it against any machine it describes. */
export interface FinderEnvironment {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  arch: string;
  /** True for an existing file (not a folder). */
  isFile(file: string): boolean;
  /** Unpacks the npm package's Chromium (when it is not already) and returns its path. */
  unpackBundled(): string;
}

/** The browser to launch, in the order above; throws ChromiumNotFoundError with what to do when there is none. */
export function findChromium(where: FinderEnvironment): FoundChromium {
  const explicit = where.env.CHROMIUM_PATH?.trim();
  if (explicit) {
    if (!where.isFile(explicit))
      throw new ChromiumNotFoundError(
        `CHROMIUM_PATH is "${explicit}", which is not a file. Point it at a Chromium, Chrome or Edge executable, or unset it.`,
      );
    return { executablePath: explicit, source: "CHROMIUM_PATH" };
  }
  if (where.env.FORCE_BUNDLED_CHROMIUM !== "1") {
    const system = systemCandidates(where).find((file) => where.isFile(file));
    if (system !== undefined) return { executablePath: system, source: "system" };
  }
  if (where.platform === "linux" && where.arch === "x64") return { executablePath: where.unpackBundled(), source: "bundled" };
  throw new ChromiumNotFoundError(
    `No Chromium, Chrome or Edge found (looked at ${systemCandidates(where).length} places), and the Chromium bundled with ` +
      `@sparticuz/chromium runs only on Linux x64. Install one of them, or set CHROMIUM_PATH to its executable.`,
  );
}

function systemCandidates(where: FinderEnvironment): string[] {
  const pathApi = where.platform === "win32" ? path.win32 : path.posix;
  const dirs = (where.env.PATH ?? "").split(pathApi.delimiter).filter((dir) => dir !== "");
  const suffix = where.platform === "win32" ? ".exe" : "";
  const onPath = dirs.flatMap((dir) => PATH_NAMES.map((name) => pathApi.join(dir, `${name}${suffix}`)));
  return [...(SYSTEM_PATHS[where.platform] ?? []), ...onPath];
}

const ROOT = path.resolve(__dirname, "..");

/** The version of @sparticuz/chromium installed, which names its cache folder (a new version unpacks afresh). */
function bundledVersion(): string {
  return (
    JSON.parse(readFileSync(path.join(ROOT, "node_modules", "@sparticuz", "chromium", "package.json"), "utf8")) as { version: string }
  ).version;
}

/** Where the bundled Chromium is unpacked: outside the repo (190 MB), one folder per package version and user. */
export function bundledCacheDir(): string {
  const user = typeof process.getuid === "function" ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `campfire-chromium-${bundledVersion()}-${user}`);
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Unpacks the package's chromium.br (plus its fonts and GL libraries) once. The package unpacks into os.tmpdir(),
 * so it runs in a child process whose TMPDIR is the cache folder. Parallel jest workers may all get here at once:
 * a lock folder lets one unpack, and a marker written last means "complete" (a half-written binary, left by a
 * killed run, is never launched: without the marker it is unpacked again).
 */
export function unpackBundledChromium(cacheDir = bundledCacheDir()): string {
  const binary = path.join(cacheDir, "chromium");
  const done = path.join(cacheDir, ".unpacked");
  if (existsSync(done)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const lock = path.join(cacheDir, ".lock");
  for (;;) {
    try {
      mkdirSync(lock); // atomic: one process unpacks
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock left by a killed run would otherwise stop every later one.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      else sleepSync(200);
    }
  }
  try {
    if (existsSync(done)) return binary;
    // The package's own check is "the file exists", so a partial file from a killed run must go first.
    for (const leftover of ["chromium", "fonts"]) rmSync(path.join(cacheDir, leftover), { recursive: true, force: true });
    const script = 'let c = require("@sparticuz/chromium"); c = c.default ?? c; c.executablePath().then((p) => process.stdout.write(p))';
    const unpacked = execFileSync(process.execPath, ["-e", script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: cacheDir },
      encoding: "utf8",
      timeout: 120_000,
    });
    if (path.resolve(unpacked) !== binary) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${binary}`);
    writeFileSync(done, `${new Date().toISOString()}\n`);
    return binary;
  } finally {
    rmdirSync(lock);
  }
}

/** The machine this process runs on. */
export function thisMachine(env: NodeJS.ProcessEnv = process.env): FinderEnvironment {
  return {
    env,
    platform: process.platform,
    arch: process.arch,
    isFile: (file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
    unpackBundled: () => unpackBundledChromium(),
  };
}

/** Flags for a headless run in a test or container: no sandbox (CI runs as root), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
] as const;

// `npx tsx scripts/find-chromium.ts`: prints the browser the tests will use (and unpacks the bundled one if needed).
if (require.main === module) {
  try {
    const found = findChromium(thisMachine());
    process.stdout.write(`${found.executablePath} (${found.source})\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
