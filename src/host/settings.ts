/** Host settings from the environment, shared by `npm run dev-server` and `npm start`. */
export const DEFAULT_HOST_PORT = 3000;
export const DEFAULT_CAMPFIRE_BASE_URL = "http://127.0.0.1:4010";

export class HostSettingsError extends Error {
  override name = "HostSettingsError";
}

export interface HostSettings {
  port: number;
  upstream: string;
  /** True when CAMPFIRE_BASE_URL was not set, i.e. the local sandbox is the upstream. */
  usesDefaultUpstream: boolean;
}

export function hostSettingsFromEnv(env: NodeJS.ProcessEnv): HostSettings {
  const rawPort = env.HOST_PORT?.trim();
  let port = DEFAULT_HOST_PORT;
  if (rawPort) {
    if (!/^\d+$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535) {
      throw new HostSettingsError(`HOST_PORT must be a port number 1-65535, got "${rawPort}"`);
    }
    port = Number(rawPort);
  }
  const rawUpstream = env.CAMPFIRE_BASE_URL?.trim();
  const upstream = (rawUpstream || DEFAULT_CAMPFIRE_BASE_URL).replace(/\/+$/, "");
  return { port, upstream, usesDefaultUpstream: !rawUpstream };
}
