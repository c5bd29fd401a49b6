/** Runs the real webpack build (CLI, in a child process) into a throw-away directory. Shared by build and manifest tests. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

export interface BuildResult {
  outDir: string;
  status: number | null;
  output: string;
}

export function buildAddin(options: { mode?: "production" | "development"; addinUrl?: string } = {}): BuildResult {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "campfire-build-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CAMPFIRE_ADDIN_URL;
  if (options.addinUrl !== undefined) env.CAMPFIRE_ADDIN_URL = options.addinUrl;
  const cli = path.join(REPO_ROOT, "node_modules", "webpack-cli", "bin", "cli.js");
  const run = spawnSync(
    process.execPath,
    [cli, "--mode", options.mode ?? "production", "--output-path", outDir, "--no-color"],
    { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 180_000 },
  );
  return { outDir, status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

/** Every file under dir, as forward-slash paths relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk("");
  return out.sort();
}
