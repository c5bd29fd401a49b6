/**
 * The production add-in host: `node dist-host/host.js` (the Docker image's command). Configuration comes from
 * environment variables (src/host/config.ts, docs/deploy.md); logs are JSON lines on stdout; SIGTERM drains.
 *
 * `node dist-host/host.js healthcheck` asks the running host's /healthz on this machine and exits 0 or 1: the
 * image's HEALTHCHECK, which needs no curl or wget in the image.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { describeError, logLine, type LogFields } from "./access-log";
import { CONFIG_ERROR_EXIT_CODE, DEFAULT_PRODUCTION_PORT, HostEnvError, productionConfigFromEnv } from "./config";
import { HEALTH_PATH, HostConfigError, startHost } from "./server";

const log = (fields: LogFields) => process.stdout.write(`${logLine(fields)}\n`);

async function serve(): Promise<void> {
  let config;
  try {
    config = productionConfigFromEnv(process.env, __dirname);
  } catch (error) {
    if (!(error instanceof HostEnvError)) throw error;
    process.stderr.write(`${error.message}\nSee docs/deploy.md for every setting.\n`);
    log({ level: "error", msg: "configuration is not valid; not starting", problems: error.problems.join("; ") });
    process.exit(CONFIG_ERROR_EXIT_CODE);
  }
  const { options, shutdownGraceMs, drainDelayMs } = config;
  const host = await startHost(options);
  log({
    level: "info",
    msg: "listening",
    url: host.url,
    campfire: new URL(options.upstream).origin,
    tls: options.https !== null,
    trustProxy: options.trustProxy ?? false,
    allowedHosts: (options.allowedHosts ?? []).join(","),
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log({ level: "warn", msg: "second signal; exiting now", signal });
      process.exit(1);
    }
    stopping = true;
    log({ level: "info", msg: "shutting down: finishing requests in flight", signal, graceMs: shutdownGraceMs, drainDelayMs });
    host.shutdown(shutdownGraceMs, drainDelayMs).then(
      () => {
        log({ level: "info", msg: "stopped" });
        process.exit(0);
      },
      (error: unknown) => {
        log({ level: "error", msg: "shutdown failed", ...describeError(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** The image's HEALTHCHECK: GET /healthz on this machine, on the configured port, over TLS when TLS is configured. */
function healthcheck(): void {
  const env = process.env;
  const port = Number(env.PORT?.trim() || env.HOST_PORT?.trim() || DEFAULT_PRODUCTION_PORT);
  const bind = env.BIND_ADDRESS?.trim();
  const address = !bind || bind === "0.0.0.0" ? "127.0.0.1" : bind === "::" ? "::1" : bind;
  const secure = Boolean(env.TLS_CERT_FILE?.trim());
  const request = (secure ? https : http).request({
    host: address,
    family: net.isIP(address) || undefined,
    port,
    path: HEALTH_PATH,
    method: "GET",
    timeout: 3_000,
    // The certificate names the public host, not 127.0.0.1; this only asks "is the process answering".
    rejectUnauthorized: false,
  });
  request.on("response", (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
  request.on("timeout", () => request.destroy(new Error("timeout")));
  request.on("error", (error) => {
    process.stderr.write(`healthcheck: ${error.message}\n`);
    process.exit(1);
  });
  request.end();
}

process.on("uncaughtException", (error) => {
  log({ level: "error", msg: "uncaught exception; exiting", ...describeError(error) });
  process.exit(1);
});
process.on("unhandledRejection", (error) => {
  log({ level: "error", msg: "unhandled rejection; exiting", ...describeError(error) });
  process.exit(1);
});

if (process.argv[2] === "healthcheck") {
  healthcheck();
} else {
  serve().catch((error: unknown) => {
    const config = error instanceof HostConfigError;
    log({ level: "error", msg: config ? "configuration is not valid; not starting" : "failed to start", ...describeError(error) });
    process.exit(config ? CONFIG_ERROR_EXIT_CODE : 1);
  });
}
