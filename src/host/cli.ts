/**
 * `npm run dev-server`: serve dist/ on https://localhost:$HOST_PORT and relay /campfire/* to $CAMPFIRE_BASE_URL.
 * Build first (`npm run build`); start the sandbox separately (`npm run sandbox`) or use `npm start` for both.
 */
import path from "node:path";
import { loadDevCerts } from "./certs";
import { hostSettingsFromEnv } from "./settings";
import { startHost } from "./server";

async function main(): Promise<void> {
  const settings = hostSettingsFromEnv(process.env);
  const certs = await loadDevCerts();
  for (const warning of certs.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (!certs.tls) {
    process.stderr.write("warning: serving over plain HTTP. Excel requires https:// add-in URLs, so only the browser preview will work.\n");
  }
  const host = await startHost({
    port: settings.port,
    https: certs.tls,
    staticDir: path.resolve(__dirname, "../../dist"),
    upstream: settings.upstream,
  });
  process.stdout.write(`Add-in host: ${host.url.replace("127.0.0.1", "localhost")}  (relaying /campfire/* to ${settings.upstream})\n`);
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Add-in host failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
