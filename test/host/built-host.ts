/**
 * The production host as the container runs it, without Docker: the Dockerfile's final stage is read (WORKDIR,
 * ENV, USER, HEALTHCHECK, CMD), the host is bundled by scripts/build-host.ts into <tmp>/app/dist-host/ as in the
 * image, and CMD is spawned with plain `node` from that directory. Shared by the production and attack tests.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

export interface ImageSpec {
  from: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  healthcheck: string[];
  cmd: string[];
}

/** The final stage of the Dockerfile, for the instructions this project uses (exec-form CMD and HEALTHCHECK). */
export function readDockerfile(file = path.join(REPO_ROOT, "Dockerfile")): ImageSpec {
  const text = fs.readFileSync(file, "utf8").replace(/\\\r?\n/g, " ");
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const spec: ImageSpec = { from: "", workdir: "/", env: {}, user: "root", healthcheck: [], cmd: [] };
  for (const line of lines.slice(lastFrom)) {
    const [, instruction = "", rest = ""] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction.toUpperCase()) {
      case "FROM":
        spec.from = rest.split(/\s+/)[0] ?? "";
        break;
      case "WORKDIR":
        spec.workdir = rest;
        break;
      case "USER":
        spec.user = rest;
        break;
      case "ENV":
        for (const [, key, value] of rest.matchAll(/(\w+)=(\S+)/g)) spec.env[key!] = value!;
        break;
      case "HEALTHCHECK":
        spec.healthcheck = JSON.parse(rest.slice(rest.indexOf("CMD") + 3).trim()) as string[];
        break;
      case "CMD":
        spec.cmd = JSON.parse(rest) as string[];
        break;
    }
  }
  return spec;
}

/** The pages the fixture build holds: enough for the host's checks (taskpane.html, manifest.xml). */
export const FIXTURE_PAGE =
  '<!doctype html><title>Campfire</title><script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>';

/**
 * <tmp>/app laid out as the image's WORKDIR: dist-host/ from the real build script, dist/ a small fixture build.
 * Returns the app directory.
 */
export function layOutImage(): string {
  const app = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "host-image-")), "app");
  const dist = path.join(app, "dist");
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, "taskpane.html"), FIXTURE_PAGE);
  fs.writeFileSync(path.join(dist, "manifest.xml"), "<OfficeApp/>");
  fs.writeFileSync(path.join(dist, "taskpane.js"), "console.info('pane');");
  // tsx runs the build script as `npm run build` does (esbuild's API cannot run inside jest's VM).
  const tsx = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const run = spawnSync(
    process.execPath,
    [tsx, path.join(REPO_ROOT, "scripts", "build-host.ts"), "--outdir", path.join(app, "dist-host")],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (run.status !== 0) throw new Error(`build-host failed (${run.status}): ${run.stdout}\n${run.stderr}`);
  return app;
}

export interface BuiltHost {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every stdout line so far, parsed (the host logs JSON only). */
  logs(): Record<string, unknown>[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Environment for a spawned host: only what the image would have, plus PATH (never this process's secrets). */
function imageEnv(image: ImageSpec, env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", ...image.env, ...env };
}

function spawnCmd(app: string, image: ImageSpec, argv: string[], env: Record<string, string>): ChildProcess {
  if (argv[0] !== "node") throw new Error(`The image command must start with node, got ${JSON.stringify(argv)}`);
  return spawn(process.execPath, argv.slice(1), { cwd: app, env: imageEnv(image, env), stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the image's CMD and waits for its "listening" line; rejects with its output if it exits first. */
export function startBuiltHost(app: string, image: ImageSpec, env: Record<string, string>): Promise<BuiltHost> {
  const child = spawnCmd(app, image, image.cmd, env);
  const lines: string[] = [];
  let err = "";
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts.filter((l) => l !== ""));
  });
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const listening = logs().find((l) => l.msg === "listening");
      if (!listening) return;
      clearInterval(poll);
      const url = String(listening.url);
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        logs,
        stderr: () => err,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
        },
      });
    }, 20);
    void exited.then(({ code }) => {
      clearInterval(poll);
      reject(new Error(`host exited with ${code} before listening:\n${lines.join("\n")}\n${err}`));
    });
  });
}

/** Runs the image's command with a different argument list (config errors) and collects its exit and output. */
export function runBuiltHost(app: string, image: ImageSpec, argv: string[], env: Record<string, string>) {
  const child = spawnCmd(app, image, argv, env);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: out, stderr: err })),
  );
}

export interface RawAnswer {
  /** Everything the host sent before closing (or before `waitMs` passed). */
  text: string;
  status: number;
  closed: boolean;
}

/** Sends bytes exactly as given (requests fetch would refuse to make) and reads until the host closes or waitMs. */
export function rawExchange(port: number, chunks: (string | Buffer)[], waitMs = 8_000, gapMs = 0): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    let closed = false;
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on("connect", async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) break;
        socket.write(chunk);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("end", () => (closed = true));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
      closed = true;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? "0"), closed });
    });
  });
}

/** The body of a raw answer, parsed as JSON. */
export function jsonBody(answer: RawAnswer): unknown {
  return JSON.parse(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4));
}

/** One header of a raw answer (first occurrence, lower-cased name), or null. */
export function headerOf(answer: RawAnswer, name: string): string | null {
  const head = answer.text.slice(0, answer.text.indexOf("\r\n\r\n"));
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? null : line.slice(line.indexOf(":") + 1).trim();
}
