/**
 * `npm run preview`: the add-in in a plain browser, without Excel. Builds dist-preview/ (webpack --env preview;
 * never production's dist/) when it is missing or older than the sources, starts the local Campfire sandbox
 * (port 4010, or a free one when that is taken) and the add-in host over HTTP on port 3000 (or PREVIEW_PORT)
 * relaying to it, then prints the preview URL. Runs until Ctrl+C. `npm run preview -- --help` prints the options.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { startHost, type RunningHost } from "../src/host/server";
import { DEFAULT_SANDBOX_PORT, startSandbox, type RunningSandbox } from "../src/sandbox/server";
import { buildIsFresh, PREVIEW_DIR, previewBuildArgs } from "./build-freshness";

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, PREVIEW_DIR);
export const DEFAULT_PREVIEW_PORT = 3000;

export const HELP = `Usage: npm run preview [-- --help]

Serves the add-in's preview page (the task pane over a simulated Excel grid) and a local Campfire sandbox.
Rebuilds dist-preview/ first when a file under src/ or preview/ (or webpack.config.js) is newer than the build.

Environment:
  PREVIEW_PORT   port of the preview host (default ${DEFAULT_PREVIEW_PORT}; 0 picks a free port),
                 e.g. PREVIEW_PORT=3100 npm run preview`;

export class PreviewError extends Error {
  override name = "PreviewError";
}

/** The host port: PREVIEW_PORT when set (a whole number from 0 to 65535), else 3000. */
export function previewPort(env: NodeJS.ProcessEnv): number {
  const raw = env.PREVIEW_PORT?.trim();
  if (raw === undefined || raw === "") return DEFAULT_PREVIEW_PORT;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new PreviewError(`PREVIEW_PORT must be a whole number from 0 to 65535 (0 picks a free port); it is "${raw}".`);
  }
  return port;
}

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

function portInUse(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "EADDRINUSE";
}

function buildIfStale(): void {
  if (buildIsFresh(ROOT)) return;
  say(`${PREVIEW_DIR}/ is missing or older than the sources: building the preview (webpack --env preview) ...`);
  const run = spawnSync(process.execPath, previewBuildArgs(ROOT), { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) {
    process.stderr.write(`${run.stdout ?? ""}${run.stderr ?? ""}\n`);
    throw new PreviewError("The build failed (webpack output above).");
  }
}

async function sandboxOnFreePort(): Promise<RunningSandbox> {
  try {
    return await startSandbox({ port: DEFAULT_SANDBOX_PORT });
  } catch (err) {
    if (!portInUse(err)) throw err;
    say(`Port ${DEFAULT_SANDBOX_PORT} is taken; the sandbox uses a free port instead.`);
    return startSandbox({ port: 0 });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    say(HELP);
    return;
  }
  const port = previewPort(process.env);
  buildIfStale();
  const sandbox = await sandboxOnFreePort();
  let host: RunningHost;
  try {
    host = await startHost({ port, https: null, staticDir: DIST, upstream: sandbox.url, log: () => undefined });
  } catch (err) {
    await sandbox.close();
    if (portInUse(err)) {
      throw new PreviewError(
        `Port ${port} is in use (npm start running?). Stop it, or choose another port: PREVIEW_PORT=3100 npm run preview.`,
      );
    }
    throw err;
  }
  const url = `${host.url.replace("127.0.0.1", "localhost")}/preview.html`;
  say("");
  say(`  Preview:          ${url}`);
  say(`  Campfire sandbox: ${sandbox.url}   demo API token: ${sandbox.token}`);
  say("");
  say('  Open the preview, click "Use the local sandbox", pull allocations and edit the grid. Ctrl+C stops.');
  say(`  Another port: PREVIEW_PORT=3100 npm run preview (this one: ${new URL(host.url).port}). Options: npm run preview -- --help`);
  const stop = () => {
    void Promise.allSettled([host.close(), sandbox.close()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`Preview failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
