/**
 * `npm run bench [-- --json FILE] [-- --quick]`: measures how the add-in's cost grows (HTTP requests, Excel round
 * trips, wall time under latency) and reports each number as a ratio to the bound the design promises.
 *
 * It asserts nothing about speed: it prints and exits 0; only a crash (or a scenario whose result is wrong, e.g.
 * a push that did not land) exits non-zero. Wall times depend on the machine; the request and sync counts do not.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { excelRoundTrips } from "./excel-round-trips";
import { functionsBatching } from "./functions-batching";
import { pullRequests } from "./pull-requests";
import { pushLatency } from "./push-latency";
import { renderSection, type Section } from "./report";

class UsageError extends Error {
  override name = "UsageError";
}

interface Args {
  json: string | null;
  quick: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: null, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") {
      const file = argv[++i];
      if (!file || file.startsWith("--")) throw new UsageError("--json needs a file name, e.g. --json bench-results.json");
      args.json = file;
    } else if (arg === "--quick") args.quick = true;
    else throw new UsageError(`unknown argument "${arg}"; allowed: --json FILE, --quick`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const say = (text: string) => process.stdout.write(`${text}\n`);
  say(`Campfire for Excel bench${args.quick ? " (quick)" : ""}: ratios are measured / limit; 1.00 = at the bound\n`);

  const sections: Section[] = [];
  const run = async (scenario: () => Promise<Section>) => {
    const section = await scenario();
    sections.push(section);
    say(`${renderSection(section)}\n`);
  };
  await run(() => functionsBatching({ cells: 1000, bundles: 100, latencyMs: 20 }));
  await run(() =>
    args.quick
      ? excelRoundTrips({ sizes: [10, 1000], optionalBudgetSeconds: 0 })
      : excelRoundTrips({ sizes: [10, 1000, 10_000], optionalSize: 30_000, optionalBudgetSeconds: 60 }),
  );
  await run(() => pushLatency({ bundles: 40, latencyMs: 50, concurrencies: args.quick ? [4] : [4, 8] }));
  await run(() => pullRequests({ contracts: 10, bundlesPerContract: 50 }));

  const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  say(`total ${totalSeconds} s`);
  if (args.json) {
    const file = resolve(args.json);
    mkdirSync(dirname(file), { recursive: true });
    const env = { node: process.version, platform: `${process.platform}-${process.arch}` };
    writeFileSync(file, `${JSON.stringify({ when: new Date().toISOString(), env, quick: args.quick, totalSeconds, sections }, null, 2)}\n`);
    say(`wrote ${file}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
