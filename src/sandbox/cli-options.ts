/**
 * Turns the sandbox CLI's flags and environment into SandboxOptions. Pure apart from reading the
 * --data file, so every mistake is reported before a port is opened.
 */
import { parseArgs } from "node:util";
import { loadDataFile } from "./data";
import { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_TOKEN, type SandboxOptions } from "./server";

export class CliUsageError extends Error {
  override name = "CliUsageError";
}

export const USAGE = `Usage: npm run sandbox -- [--data FILE] [--persist FILE] [--latency MS] [--fail-rate X] [--host HOST]

  --data FILE      start from this JSON data (the SandboxData shape) instead of the built-in seed
  --persist FILE   load state from FILE if it exists; write it after every change
  --latency MS     delay every API request by MS milliseconds   (env CAMPFIRE_SANDBOX_LATENCY_MS)
  --fail-rate X    answer this share (0..1) of API requests with a failure (env CAMPFIRE_SANDBOX_FAIL_RATE)
  --fail-status N  the failure's status: 503 (default), 500, 502, 504, or 429 with Retry-After: 1
                   (env CAMPFIRE_SANDBOX_FAIL_STATUS)
  --drop-rate X    drop this share (0..1) of API connections without an answer (env CAMPFIRE_SANDBOX_DROP_RATE)
  --host HOST      interface to listen on (default 127.0.0.1)

Environment: PORT (default ${DEFAULT_SANDBOX_PORT}; 0 = any free port), CAMPFIRE_SANDBOX_TOKEN (default: the demo token).`;

/** Every flag takes a value; node:util parseArgs splits `--flag value` and `--flag=value` alike. */
const FLAGS = {
  data: { type: "string" },
  persist: { type: "string" },
  latency: { type: "string" },
  "fail-rate": { type: "string" },
  "fail-status": { type: "string" },
  "drop-rate": { type: "string" },
  host: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;
type Flag = Exclude<keyof typeof FLAGS, "help">;

/**
 * The flags given, last one winning. parseArgs runs non-strict and hands back its tokens, so the mistakes are
 * reported here in the CLI's own words (naming the argument as typed) rather than as Node's parse errors.
 */
function readFlags(argv: string[]): { help: true } | Partial<Record<Flag, string>> {
  const { tokens } = parseArgs({ args: argv, options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  const flags: Partial<Record<Flag, string>> = {};
  for (const token of tokens) {
    if (token.kind === "option" && token.name === "help") return { help: true };
  }
  for (const token of tokens) {
    if (token.kind === "positional") throw new CliUsageError(`Unknown argument "${token.value}".\n\n${USAGE}`);
    if (token.kind !== "option") continue; // "--" ends the options; nothing may follow it but positionals
    const typed = token.inlineValue ? `${token.rawName}=${token.value ?? ""}` : token.rawName;
    if (!Object.hasOwn(FLAGS, token.name)) throw new CliUsageError(`Unknown argument "${typed}".\n\n${USAGE}`);
    if (token.value === undefined || token.value === "") throw new CliUsageError(`${token.rawName} needs a value.\n\n${USAGE}`);
    flags[token.name as Flag] = token.value;
  }
  return flags;
}

function numberFrom(raw: string, what: string, check: (n: number) => boolean, allowed: string): number {
  const n = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new CliUsageError(`${what} must be ${allowed}, got "${raw}".`);
  return n;
}

/** `{help: true}` for --help; throws CliUsageError or SandboxDataError with a message fit for the terminal. */
export function optionsFromCli(argv: string[], env: NodeJS.ProcessEnv): SandboxOptions & { help?: boolean } {
  const flags = readFlags(argv);
  if ("help" in flags) return { help: true };

  const opts: SandboxOptions = {};
  const port = env.PORT ?? String(DEFAULT_SANDBOX_PORT);
  opts.port = numberFrom(port, "PORT", (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "an integer from 0 to 65535");
  opts.token = env.CAMPFIRE_SANDBOX_TOKEN || DEFAULT_SANDBOX_TOKEN;
  if (/\s/.test(opts.token)) throw new CliUsageError("CAMPFIRE_SANDBOX_TOKEN must not contain spaces.");
  const latency = flags.latency ?? env.CAMPFIRE_SANDBOX_LATENCY_MS;
  if (latency !== undefined && latency !== "") {
    opts.latencyMs = numberFrom(latency, "--latency", (n) => n >= 0, "a number of milliseconds, 0 or more");
  }
  const failRate = flags["fail-rate"] ?? env.CAMPFIRE_SANDBOX_FAIL_RATE;
  if (failRate !== undefined && failRate !== "") {
    opts.failRate = numberFrom(failRate, "--fail-rate", (n) => n >= 0 && n <= 1, "a number from 0 to 1");
  }
  const failStatus = flags["fail-status"] ?? env.CAMPFIRE_SANDBOX_FAIL_STATUS;
  if (failStatus !== undefined && failStatus !== "") {
    opts.failStatus = numberFrom(
      failStatus,
      "--fail-status",
      (n) => [429, 500, 502, 503, 504].includes(n),
      "one of 429, 500, 502, 503, 504",
    );
  }
  const dropRate = flags["drop-rate"] ?? env.CAMPFIRE_SANDBOX_DROP_RATE;
  if (dropRate !== undefined && dropRate !== "") {
    opts.dropRate = numberFrom(dropRate, "--drop-rate", (n) => n >= 0 && n <= 1, "a number from 0 to 1");
  }
  if (flags.host) opts.host = flags.host;
  if (flags.persist) opts.persistFile = flags.persist;
  if (flags.data) opts.data = loadDataFile(flags.data);
  return opts;
}
