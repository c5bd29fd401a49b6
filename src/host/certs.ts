/**
 * Development HTTPS certificates for https://localhost:3000 (the URL in manifest.xml).
 *
 * office-addin-dev-certs generates the certificates and then installs its CA into the OS trust store. On Linux
 * that install shells out to `sudo`, which often does not exist (containers, CI), so it throws even though the
 * certificate files were written. The files are still usable — the browser merely has to be told to trust the CA —
 * so after a failed install we read them directly, and only when there are none do we report "no HTTPS".
 */
import fs from "node:fs";
import type { HostTls } from "./server";

export interface DevCertsResult {
  tls: HostTls | null;
  /** Human-readable notes for the console (never secrets: these are file paths and tool messages). */
  warnings: string[];
  /** Where the CA lives, for "trust this CA" instructions; null when unknown. */
  caPath: string | null;
}

interface DevCertsModule {
  getHttpsServerOptions(): Promise<{ key?: Buffer; cert?: Buffer; ca?: Buffer }>;
}
interface DevCertsDefaults {
  caCertificatePath: string;
  localhostCertificatePath: string;
  localhostKeyPath: string;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split("\n").find((l) => l.trim() !== "") ?? text).trim();
}

export async function loadDevCerts(): Promise<DevCertsResult> {
  let devCerts: DevCertsModule;
  let defaults: DevCertsDefaults;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    devCerts = require("office-addin-dev-certs") as DevCertsModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    defaults = require("office-addin-dev-certs/lib/defaults") as DevCertsDefaults;
  } catch (err) {
    return { tls: null, warnings: [`office-addin-dev-certs is not available: ${firstLine(err)}`], caPath: null };
  }
  const warnings: string[] = [];
  try {
    const options = await devCerts.getHttpsServerOptions();
    if (options.key && options.cert) {
      return { tls: { key: options.key, cert: options.cert, ca: options.ca }, warnings, caPath: defaults.caCertificatePath };
    }
  } catch (err) {
    warnings.push(`The developer CA could not be installed into the system trust store: ${firstLine(err)}`);
  }
  try {
    const tls: HostTls = {
      key: fs.readFileSync(defaults.localhostKeyPath),
      cert: fs.readFileSync(defaults.localhostCertificatePath),
      ca: fs.readFileSync(defaults.caCertificatePath),
    };
    warnings.push(`Using the generated certificates anyway. Browsers will warn until they trust ${defaults.caCertificatePath}.`);
    return { tls, warnings, caPath: defaults.caCertificatePath };
  } catch (err) {
    warnings.push(`No developer certificates could be read: ${firstLine(err)}`);
    return { tls: null, warnings, caPath: null };
  }
}
