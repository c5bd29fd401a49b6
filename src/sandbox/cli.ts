/**
 * `npm run sandbox`: the local Campfire sandbox on http://127.0.0.1:4010. See USAGE in cli-options.ts.
 */
import { CliUsageError, optionsFromCli, USAGE } from "./cli-options";
import { SandboxDataError } from "./data";
import { DEFAULT_SANDBOX_TOKEN, startSandbox } from "./server";

async function main(): Promise<number> {
  let opts;
  try {
    opts = optionsFromCli(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof SandboxDataError) {
      process.stderr.write(`${e.message}\n`);
      return e instanceof CliUsageError ? 2 : 1;
    }
    throw e;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let sandbox;
  try {
    sandbox = await startSandbox(opts);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE") {
      process.stderr.write(
        `Port ${opts.port} is already in use. Stop the other process or set PORT to another port (0 = any free port).\n`,
      );
      return 1;
    }
    if (e instanceof SandboxDataError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // The demo token is public; a token chosen by the user is a secret and is not printed.
  const tokenNote = sandbox.token === DEFAULT_SANDBOX_TOKEN ? sandbox.token : "from CAMPFIRE_SANDBOX_TOKEN";
  process.stdout.write(`Campfire sandbox on ${sandbox.url} (token: ${tokenNote})\n`);

  // `on`, not `once`: npm and tsx relay the signal, so it may arrive twice, and a second one without a
  // listener would kill the process before the server has closed.
  await new Promise<void>((resolve) => {
    process.on("SIGINT", () => resolve());
    process.on("SIGTERM", () => resolve());
  });
  await sandbox.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Campfire sandbox failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    process.exit(1);
  },
);
