/** The persistence file, the CLI's option parsing, and the CLI as a real process. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliUsageError, optionsFromCli } from "../../src/sandbox/cli-options";
import { parseSandboxData, SandboxDataError } from "../../src/sandbox/data";
import { seedData } from "../../src/sandbox/seed";
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from "../../src/sandbox/server";
import { caller } from "./http";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "campfire-sandbox-test-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("persistence", () => {
  test("state written by one sandbox is loaded by the next; reset returns to the initial data", async () => {
    const file = join(dir, "state.json");
    const first = await startSandbox({ port: 0, persistFile: file });
    await caller(first.url, first.token)("PATCH", "/rr/api/v1/contracts/3/prepaid-commits/9001", { name: "Persisted" });
    await first.close();
    expect(parseSandboxData(JSON.parse(readFileSync(file, "utf8"))).prepaidCommits[0]!.name).toBe("Persisted");
    expect(existsSync(`${file}.tmp`)).toBe(false);

    const second = await startSandbox({ port: 0, persistFile: file });
    const call = caller(second.url, second.token);
    expect((await call("GET", "/rr/api/v1/contracts/3/prepaid-commits/9001")).json.name).toBe("Persisted");
    second.reset();
    expect((await call("GET", "/rr/api/v1/contracts/3/prepaid-commits/9001")).json.name).toBe("Initech Usage Commit 2026–2030");
    await second.close();
    expect(JSON.parse(readFileSync(file, "utf8")).prepaidCommits[0].name).toBe("Initech Usage Commit 2026–2030");
  });

  test("a corrupt persistence file is refused with its name", async () => {
    const file = join(dir, "corrupt.json");
    writeFileSync(file, "{not json");
    await expect(startSandbox({ port: 0, persistFile: file })).rejects.toThrow(`${file} is not valid sandbox data`);
  });
});

describe("data validation", () => {
  test("problems are listed with their place", () => {
    const data = JSON.parse(JSON.stringify(seedData()));
    data.contracts[0].id = "one";
    data.prepaidCommits[2].start_date = "2026-13-01";
    expect(() => parseSandboxData(data, "my.json")).toThrow(SandboxDataError);
    try {
      parseSandboxData(data, "my.json");
    } catch (e) {
      expect((e as SandboxDataError).problems).toEqual([
        "contracts[0].id: Invalid input: expected number, received string",
        "prepaidCommits[2].start_date: Invalid ISO date",
      ]);
    }
  });

  test("references that lead nowhere are listed too", () => {
    const data = seedData();
    data.usage[0]!.contract = 42;
    data.subscriptions[0]!.bundle!.lines[1]!.product = 7;
    data.prepaidCommits[0]!.entity = 77;
    expect(() => parseSandboxData(data, "my.json")).toThrow(
      "my.json is not valid sandbox data:\n" +
        "  - subscriptions[0].bundle.lines[1].product: no product with id 7\n" +
        "  - usage[0].contract: no contract with id 42\n" +
        "  - prepaidCommits[0].entity: no entity with id 77",
    );
  });
});

describe("CLI options", () => {
  test("defaults", () => {
    expect(optionsFromCli([], {})).toEqual({ port: 4010, token: DEFAULT_SANDBOX_TOKEN });
  });

  test("flags and their environment equivalents; flags win", () => {
    const env = { PORT: "0", CAMPFIRE_SANDBOX_TOKEN: "tok", CAMPFIRE_SANDBOX_LATENCY_MS: "50", CAMPFIRE_SANDBOX_FAIL_RATE: "0.1" };
    expect(optionsFromCli([], env)).toEqual({ port: 0, token: "tok", latencyMs: 50, failRate: 0.1 });
    expect(optionsFromCli(["--latency", "5", "--fail-rate=0.5", "--persist", "s.json", "--host", "0.0.0.0"], env)).toEqual({
      port: 0,
      token: "tok",
      latencyMs: 5,
      failRate: 0.5,
      persistFile: "s.json",
      host: "0.0.0.0",
    });
    const faults = { CAMPFIRE_SANDBOX_FAIL_STATUS: "429", CAMPFIRE_SANDBOX_DROP_RATE: "0.2" };
    expect(optionsFromCli([], faults)).toEqual({ port: 4010, token: DEFAULT_SANDBOX_TOKEN, failStatus: 429, dropRate: 0.2 });
    expect(optionsFromCli(["--fail-status", "502", "--drop-rate=0"], faults)).toEqual({
      port: 4010,
      token: DEFAULT_SANDBOX_TOKEN,
      failStatus: 502,
      dropRate: 0,
    });
  });

  test.each([
    [["--fail-rate", "2"], {}, '--fail-rate must be a number from 0 to 1, got "2".'],
    [["--fail-status", "418"], {}, '--fail-status must be one of 429, 500, 502, 503, 504, got "418".'],
    [["--drop-rate", "-0.1"], {}, '--drop-rate must be a number from 0 to 1, got "-0.1".'],
    [["--latency", "soon"], {}, '--latency must be a number of milliseconds, 0 or more, got "soon".'],
    [[], { PORT: "80000" }, 'PORT must be an integer from 0 to 65535, got "80000".'],
    [["--data"], {}, "--data needs a value."],
    [["--verbose"], {}, 'Unknown argument "--verbose".'],
    [["--verbose=1"], {}, 'Unknown argument "--verbose=1".'],
    [["-x"], {}, 'Unknown argument "-x".'],
    [["seed.json"], {}, 'Unknown argument "seed.json".'],
    [["--", "seed.json"], {}, 'Unknown argument "seed.json".'],
    [["--host="], {}, "--host needs a value."],
    [[], { CAMPFIRE_SANDBOX_TOKEN: "a b" }, "CAMPFIRE_SANDBOX_TOKEN must not contain spaces."],
  ])("%j %j → %s", (argv, env, message) => {
    expect(() => optionsFromCli(argv, env)).toThrow(CliUsageError);
    expect(() => optionsFromCli(argv, env)).toThrow(message);
  });

  test("the last of a repeated flag wins, in either spelling", () => {
    expect(optionsFromCli(["--latency=5", "--latency", "7"], {})).toEqual({ port: 4010, token: DEFAULT_SANDBOX_TOKEN, latencyMs: 7 });
  });

  test.each([[["--help"]], [["-h"]], [["--fail-rate", "2", "-h"]]])("%j asks for help, whatever else is there", (argv) => {
    expect(optionsFromCli(argv, {})).toEqual({ help: true });
  });

  test("a missing data file is reported by name", () => {
    expect(() => optionsFromCli(["--data", join(dir, "nope.json")], {})).toThrow(
      `${join(dir, "nope.json")} is not valid sandbox data:\n  - cannot read the file: ENOENT`,
    );
  });
});

const ROOT = join(__dirname, "../..");
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) stop(child, "SIGKILL");
});

/**
 * `npx` starts npm → sh → tsx → node, and npm does not pass signals down; so the npx variant runs in its
 * own process group and is stopped as a group. `tsx` alone relays signals, so its exit code is the CLI's.
 */
function runCli(via: "npx" | "tsx", args: string[], env: Record<string, string>) {
  const [cmd, pre] = via === "npx" ? ["npx", ["tsx"]] : [join(ROOT, "node_modules/.bin/tsx"), []];
  const child = spawn(cmd, [...pre, "src/sandbox/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: via === "npx",
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => stdout.includes("\n") && resolve(stdout.split("\n")[0]!));
    void exited.then(({ code }) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  firstLine.catch(() => {}); // a test that expects the exit does not read the line
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.spawnargs[0] === "npx") process.kill(-child.pid!, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

describe("CLI process", () => {
  test("npx tsx src/sandbox/cli.ts serves a --data file on PORT and prints one line", async () => {
    const data = seedData();
    data.contracts[0]!.deal_name = "Custom Data Co — Loaded From File";
    const file = join(dir, "data.json");
    writeFileSync(file, JSON.stringify(data));
    const cli = runCli("npx", ["--data", file], { PORT: "0", CAMPFIRE_SANDBOX_TOKEN: "" });
    let url = "";
    try {
      const line = await cli.firstLine;
      const m = /^Campfire sandbox on (http:\/\/127\.0\.0\.1:\d+) \(token: campfire-sandbox-demo-token\)$/.exec(line);
      expect(m).not.toBeNull();
      url = m![1]!;
      const r = await caller(url, DEFAULT_SANDBOX_TOKEN)("GET", "/rr/api/v1/contracts/1");
      expect([r.status, r.json.deal_name]).toEqual([200, "Custom Data Co — Loaded From File"]);
    } finally {
      stop(cli.child, "SIGTERM");
    }
    // npm does not handle SIGTERM: npx itself dies of it (the CLI's own exit 0 is checked through tsx below).
    expect(await cli.exited).toEqual({ code: null, signal: "SIGTERM" });
    // The freed port may be taken at once by another test worker's sandbox (same demo token, seed data), so
    // "nothing answers" cannot be asserted; that the file's data is no longer served can. npx dies before the
    // server has finished closing, so ask a few times.
    const dealName = () =>
      caller(url, DEFAULT_SANDBOX_TOKEN)("GET", "/rr/api/v1/contracts/1").then(
        (r) => (r.json as { deal_name?: unknown } | undefined)?.deal_name,
        () => "(no answer)",
      );
    let served = await dealName();
    for (let tries = 0; served === "Custom Data Co — Loaded From File" && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = await dealName();
    }
    expect(served).not.toBe("Custom Data Co — Loaded From File");
  });

  test.each(["SIGTERM", "SIGINT"] as const)("%s closes the server and exits 0; a custom token is not printed", async (signal) => {
    const cli = runCli("tsx", [], { PORT: "0", CAMPFIRE_SANDBOX_TOKEN: "my-private-token" });
    try {
      const line = await cli.firstLine;
      expect(line).toMatch(/^Campfire sandbox on http:\/\/127\.0\.0\.1:\d+ \(token: from CAMPFIRE_SANDBOX_TOKEN\)$/);
    } finally {
      stop(cli.child, signal);
    }
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output().stdout + cli.output().stderr).not.toContain("my-private-token");
  });

  test("an invalid --data file stops it with exit code 1 and the place of the problem", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ entities: [], products: [], contracts: [{ id: 1.5 }] }));
    const cli = runCli("tsx", ["--data", file], { PORT: "0" });
    expect(await cli.exited).toEqual({ code: 1, signal: null });
    expect(cli.output().stderr).toBe(
      `${file} is not valid sandbox data:\n  - contracts[0].id: Invalid input: expected int, received number\n`,
    );
    expect(cli.output().stdout).toBe("");
  });

  test("a bad flag exits 2 naming the flag", async () => {
    const cli = runCli("tsx", ["--fail-rate", "lots"], { PORT: "0" });
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.output().stderr).toBe(`--fail-rate must be a number from 0 to 1, got "lots".\n`);
  });
});
