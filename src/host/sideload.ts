/**
 * Sideloading through office-addin-debugging. Its exit code is 0 even when it fails ("Platform not supported: linux",
 * "Unable to sideload"), so success is judged from what it prints, never from the exit code.
 */
import { spawn } from "node:child_process";
import path from "node:path";

/** Desktop Excel exists (and can be sideloaded by office-addin-debugging) only on Windows and macOS. */
export function canSideloadDesktop(platform: NodeJS.Platform): boolean {
  return platform === "win32" || platform === "darwin";
}

export interface ToolRun {
  ok: boolean;
  /** Everything the tool printed, stdout and stderr interleaved as received. */
  output: string;
  /** The first error line the tool printed, if any. */
  error: string | null;
}

/** office-addin-* tools report failure only in text: an "Error:" line, or "Unable to ..." from the stop command. */
export function judgeToolOutput(output: string, exitCode: number | null): ToolRun {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const error = lines.find((l) => /^Error\b/i.test(l) || /^Unable to\b/i.test(l) || /\bnot supported\b/i.test(l)) ?? null;
  return { ok: error === null && exitCode === 0, output, error };
}

/** Runs the office-addin-debugging CLI of this project's node_modules with the given arguments. */
export function runOfficeDebugging(args: string[], cwd: string, timeoutMs = 180_000): Promise<ToolRun> {
  let cli: string;
  try {
    cli = require.resolve("office-addin-debugging/lib/cli.js", { paths: [cwd] });
  } catch {
    return Promise.resolve({ ok: false, output: "", error: "office-addin-debugging is not installed (run npm ci)" });
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve(cli), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ ok: false, output, error: err.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(judgeToolOutput(output, code));
    });
  });
}
