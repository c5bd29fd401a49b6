/**
 * The production host's configuration, from environment variables (the container way). Everything is checked
 * before the host starts, and every problem is reported at once, so a deployment fails with one clear message
 * instead of a host that starts and then misbehaves. The variables are listed in docs/deploy.md.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import tls from "node:tls";
import { hostNameOf } from "./request-rules";
import { DEFAULT_FRAME_ANCESTORS } from "./security-headers";
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  parseUpstream,
  type HostOptions,
} from "./server";

export const DEFAULT_PRODUCTION_PORT = 8080;
/** Docker stops a container with SIGKILL 10 s after SIGTERM; finishing in-flight work must fit inside that. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 8_000;
/** The exit code for a configuration error (EX_CONFIG in sysexits.h), distinct from a crash (1). */
export const CONFIG_ERROR_EXIT_CODE = 78;

export class HostEnvError extends Error {
  override name = "HostEnvError";
  constructor(readonly problems: string[]) {
    super(`The add-in host configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export interface ProductionConfig {
  options: HostOptions;
  shutdownGraceMs: number;
  /** On SIGTERM, how long /readyz says 503 while requests are still served, before new work is refused. */
  drainDelayMs: number;
}

const TRUE_WORDS = ["1", "true", "yes", "on"];
const FALSE_WORDS = ["0", "false", "no", "off"];

/**
 * Reads and checks the environment. `bundleDir` is where the host program lives (dist-host/); the add-in files are
 * expected next to it in dist/ unless STATIC_DIR says otherwise.
 */
export function productionConfigFromEnv(env: NodeJS.ProcessEnv, bundleDir: string): ProductionConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };

  // Campfire: required, https unless on this machine.
  const upstream = text("CAMPFIRE_BASE_URL")?.replace(/\/+$/, "");
  if (upstream === undefined) {
    problems.push("CAMPFIRE_BASE_URL is not set; set it to Campfire's API address, e.g. https://api.meetcampfire.com");
  } else {
    try {
      parseUpstream(upstream, "CAMPFIRE_BASE_URL");
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  // Port: PORT is what most platforms set; HOST_PORT is the development name. Two different values are a mistake.
  // 0 picks a free port (tests); the "listening" log line says which.
  const port = integer("PORT", DEFAULT_PRODUCTION_PORT, 0, 65535);
  const hostPort = integer("HOST_PORT", port, 0, 65535);
  if (text("PORT") !== undefined && text("HOST_PORT") !== undefined && port !== hostPort) {
    problems.push(`PORT (${port}) and HOST_PORT (${hostPort}) disagree; set only one`);
  }
  const bindAddress = text("BIND_ADDRESS") ?? "0.0.0.0";
  if (net.isIP(bindAddress) === 0) problems.push(`BIND_ADDRESS must be an IP address such as 0.0.0.0 or ::, got "${bindAddress}"`);

  // Host names: the public URL the manifest was built for, plus any others (DNS rebinding defence).
  const allowedHosts: string[] = [];
  const addinUrl = text("CAMPFIRE_ADDIN_URL");
  if (addinUrl !== undefined) {
    try {
      const url = new URL(addinUrl);
      if (url.protocol !== "https:") problems.push(`CAMPFIRE_ADDIN_URL must be an https:// URL (Office requires it), got "${addinUrl}"`);
      else allowedHosts.push(url.hostname.toLowerCase());
    } catch {
      problems.push(`CAMPFIRE_ADDIN_URL "${addinUrl}" is not a URL; expected e.g. https://addin.example.com/`);
    }
  }
  for (const entry of (text("ALLOWED_HOSTS") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "")) {
    const name = hostNameOf(entry);
    if (name === null || (entry.includes(":") && !entry.startsWith("["))) {
      problems.push(`ALLOWED_HOSTS entries must be host names without scheme or port, got "${entry}"`);
    } else allowedHosts.push(name);
  }
  if (addinUrl === undefined && text("ALLOWED_HOSTS") === undefined) {
    problems.push(
      "Neither CAMPFIRE_ADDIN_URL nor ALLOWED_HOSTS is set; set CAMPFIRE_ADDIN_URL to the add-in's public https URL (the one the manifest was built for), otherwise only localhost is served",
    );
  }

  const trustProxyRaw = (text("TRUST_PROXY") ?? "false").toLowerCase();
  const trustProxy = TRUE_WORDS.includes(trustProxyRaw);
  if (!trustProxy && !FALSE_WORDS.includes(trustProxyRaw)) {
    problems.push(`TRUST_PROXY must be true or false, got "${env.TRUST_PROXY}"`);
  }

  // TLS: both files or neither (then plain HTTP, for a TLS-terminating proxy or load balancer in front).
  let https: HostOptions["https"] = null;
  const certFile = text("TLS_CERT_FILE");
  const keyFile = text("TLS_KEY_FILE");
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push("TLS_CERT_FILE and TLS_KEY_FILE go together; set both (PEM files) or neither");
  } else if (certFile !== undefined && keyFile !== undefined) {
    const read = (name: string, file: string): Buffer | null => {
      try {
        return fs.readFileSync(file);
      } catch (error) {
        problems.push(`${name} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
        return null;
      }
    };
    const cert = read("TLS_CERT_FILE", certFile);
    const key = read("TLS_KEY_FILE", keyFile);
    if (cert && key) {
      try {
        // Parses both and checks that the key belongs to the certificate, as the server would on its first client.
        tls.createSecureContext({ cert, key });
        https = { cert, key };
      } catch (error) {
        problems.push(`TLS_CERT_FILE and TLS_KEY_FILE are not a usable certificate and key: ${(error as Error).message}`);
      }
    }
  }

  const frameAncestorsRaw = text("FRAME_ANCESTORS");
  const frameAncestors = frameAncestorsRaw === undefined ? DEFAULT_FRAME_ANCESTORS : frameAncestorsRaw.split(/\s+/);
  for (const source of frameAncestorsRaw === undefined ? [] : frameAncestors) {
    if (source !== "'self'" && !/^https:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(source)) {
      problems.push(`FRAME_ANCESTORS entries must be 'self' or https://host (optionally https://*.domain), got "${source}"`);
    }
  }

  const staticDir = path.resolve(text("STATIC_DIR") ?? path.join(bundleDir, "..", "dist"));
  for (const file of ["taskpane.html", "manifest.xml"]) {
    if (!fs.existsSync(path.join(staticDir, file))) {
      problems.push(`The add-in build has no ${file} in ${staticDir}; run npm run build (or set STATIC_DIR)`);
      break;
    }
  }

  const options: HostOptions = {
    port: text("PORT") !== undefined ? port : hostPort,
    hostname: bindAddress,
    https,
    staticDir,
    upstream: upstream ?? "",
    // In production there is no local sandbox: /sandbox/ answers 503.
    sandboxUpstream: null,
    allowedHosts,
    trustProxy,
    frameAncestors,
    maxBodyBytes: integer("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1024, 100 * 1024 * 1024),
    timeoutMs: integer("UPSTREAM_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 100, 600_000),
    headersTimeoutMs: integer("HEADERS_TIMEOUT_MS", DEFAULT_HEADERS_TIMEOUT_MS, 100, 600_000),
    requestTimeoutMs: integer("REQUEST_TIMEOUT_MS", DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000),
    maxConnections: integer("MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
  };
  const shutdownGraceMs = integer("SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000);
  const drainDelayMs = integer("DRAIN_DELAY_MS", 0, 0, 600_000);
  if (problems.length > 0) throw new HostEnvError(problems);
  return { options, shutdownGraceMs, drainDelayMs };
}
