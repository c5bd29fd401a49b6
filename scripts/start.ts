/**
 * `npm start`: build the add-in, start the local Campfire sandbox (unless CAMPFIRE_BASE_URL points elsewhere) and
 * the add-in host, then sideload into desktop Excel where there is one. Runs until Ctrl+C, then stops everything.
 * Failures are reported as one readable message — never a stack trace.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { DEFAULT_SANDBOX_PORT, startSandbox } from "../src/sandbox/server";
import { loadDevCerts } from "../src/host/certs";
import { startHost, type RunningHost } from "../src/host/server";
import { hostSettingsFromEnv } from "../src/host/settings";
import { canSideloadDesktop, runOfficeDebugging } from "../src/host/sideload";

const ROOT = path.resolve(__dirname, "..");
const MANIFEST = "manifest.xml";

class StartError extends Error {
  override name = "StartError";
}

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

function build(): void {
  say("Building the add-in (webpack, production) ...");
  const env = { ...process.env };
  // dist/manifest.xml must keep the localhost URLs that this host serves.
  delete env.CAMPFIRE_ADDIN_URL;
  const cli = path.join(ROOT, "node_modules", "webpack-cli", "bin", "cli.js");
  const run = spawnSync(process.execPath, [cli, "--mode", "production"], { cwd: ROOT, env, encoding: "utf8" });
  if (run.status !== 0) {
    process.stderr.write(`${run.stdout ?? ""}${run.stderr ?? ""}\n`);
    throw new StartError("The build failed (webpack output above). Fix it and run npm start again.");
  }
  say("Built dist/.");
}

function portInUse(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "EADDRINUSE";
}

async function main(): Promise<void> {
  const settings = hostSettingsFromEnv(process.env);
  build();

  const stops: (() => Promise<void>)[] = [];
  let upstream = settings.upstream;
  let sandboxUrl: string | null = null;
  let sandboxLine: string;
  if (settings.usesDefaultUpstream) {
    let sandbox: Awaited<ReturnType<typeof startSandbox>>;
    try {
      sandbox = await startSandbox({ port: DEFAULT_SANDBOX_PORT });
    } catch (err) {
      if (portInUse(err)) {
        throw new StartError(
          `Port ${DEFAULT_SANDBOX_PORT} is already in use (another sandbox or npm start?). Stop it, or set ` +
            "CAMPFIRE_BASE_URL to use that server.",
        );
      }
      throw err;
    }
    stops.push(() => sandbox.close());
    upstream = sandbox.url;
    sandboxUrl = sandbox.url;
    sandboxLine = `  Campfire sandbox: ${sandbox.url}   demo API token: ${sandbox.token}`;
  } else {
    sandboxLine = `  Campfire API:     ${upstream}   (CAMPFIRE_BASE_URL; sign in with your own API key)`;
  }

  const certs = await loadDevCerts();
  let host: RunningHost;
  try {
    host = await startHost({
      port: settings.port,
      https: certs.tls,
      staticDir: path.join(ROOT, "dist"),
      upstream,
      sandboxUpstream: sandboxUrl,
    });
  } catch (err) {
    await Promise.all(stops.map((s) => s()));
    if (portInUse(err)) {
      throw new StartError(`Port ${settings.port} is already in use. Stop whatever runs there, or set HOST_PORT.`);
    }
    throw err;
  }
  stops.unshift(() => host.close());
  const hostUrl = `${certs.tls ? "https" : "http"}://localhost:${settings.port}`;

  let sideloaded = false;
  const shutdown = async () => {
    say("\nStopping ...");
    if (sideloaded) await runOfficeDebugging(["stop", MANIFEST], ROOT);
    await Promise.all(stops.map((s) => s().catch(() => undefined)));
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());

  say();
  say("Campfire for Excel is running.");
  say(`  Add-in host:      ${hostUrl}/taskpane.html   (relays ${hostUrl}/campfire/* to ${upstream})`);
  if (sandboxUrl) say(`                    (and ${hostUrl}/sandbox/* to the sandbox, for "Use the local sandbox")`);
  say(sandboxLine);
  for (const warning of certs.warnings) say(`  note: ${warning}`);
  if (!certs.tls) {
    say("  warning: no HTTPS certificates, so the host serves plain HTTP. Excel only loads https:// add-ins;");
    say("           the browser preview (npm run preview) still works.");
  }
  say();

  if (canSideloadDesktop(process.platform) && certs.tls) {
    say("Sideloading into desktop Excel (office-addin-debugging) ...");
    const run = await runOfficeDebugging(["start", MANIFEST, "desktop", "--app", "excel"], ROOT);
    if (run.ok) {
      sideloaded = true;
      say("Excel should open with Campfire on the Home tab. Sign in from the task pane.");
    } else {
      say(`Sideloading did not work: ${run.error ?? "office-addin-debugging reported no success"}`);
      printWebSteps(hostUrl, certs.caPath);
    }
  } else {
    say(`Desktop Excel cannot be sideloaded on ${process.platform}.`);
    printWebSteps(hostUrl, certs.caPath);
  }
  say();
  say("Press Ctrl+C to stop the host and the sandbox.");
}

function printWebSteps(hostUrl: string, caPath: string | null): void {
  say("To use the add-in in Excel on the web:");
  say(
    caPath
      ? `  1. Make your browser trust the developer CA ${caPath}, or open ${hostUrl}/taskpane.html once and accept the certificate warning.`
      : `  1. Open ${hostUrl}/taskpane.html once to check the host answers.`,
  );
  say("  2. Open a workbook in Excel on the web, then Home › Add-ins › More Add-ins › Upload My Add-in, and choose");
  say(`     ${path.join(ROOT, MANIFEST)}`);
  say('  3. Choose Open Campfire on the Home tab, then "Use the local sandbox", or paste a Campfire API token and choose Connect.');
  say("For a browser-only preview against a simulated workbook: npm run preview");
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`npm start failed: ${message}\n`);
  process.exit(1);
});
