/**
 * `npm run preview`: the add-in in a plain browser, without Excel. Builds dist/ if it is missing, starts the
 * local Campfire sandbox (port 4010, or a free one when that is taken) and the add-in host over HTTP on
 * port 3000 relaying to it, then prints the preview URL. Runs until Ctrl+C.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { startHost, type RunningHost } from "../src/host/server";
import { DEFAULT_SANDBOX_PORT, startSandbox, type RunningSandbox } from "../src/sandbox/server";

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const HOST_PORT = 3000;

class PreviewError extends Error {
  override name = "PreviewError";
}

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

function portInUse(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "EADDRINUSE";
}

function buildIfMissing(): void {
  if (existsSync(path.join(DIST, "preview.html")) && existsSync(path.join(DIST, "taskpane.js"))) return;
  say("dist/ has no preview yet: building (webpack, production) ...");
  const cli = path.join(ROOT, "node_modules", "webpack-cli", "bin", "cli.js");
  const run = spawnSync(process.execPath, [cli, "--mode", "production"], { cwd: ROOT, encoding: "utf8" });
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
  buildIfMissing();
  const sandbox = await sandboxOnFreePort();
  let host: RunningHost;
  try {
    host = await startHost({ port: HOST_PORT, https: null, staticDir: DIST, upstream: sandbox.url, log: () => undefined });
  } catch (err) {
    await sandbox.close();
    if (portInUse(err)) throw new PreviewError(`Port ${HOST_PORT} is in use (npm start running?). Stop it and run npm run preview again.`);
    throw err;
  }
  const url = `${host.url.replace("127.0.0.1", "localhost")}/preview.html`;
  say("");
  say(`  Preview:          ${url}`);
  say(`  Campfire sandbox: ${sandbox.url}   demo API token: ${sandbox.token}`);
  say("");
  say("  Open the preview, click \"Use the local sandbox\", pull allocations and edit the grid. Ctrl+C stops.");
  const stop = () => {
    void Promise.allSettled([host.close(), sandbox.close()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Preview failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
