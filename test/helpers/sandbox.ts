/**
 * The Campfire backend a test talks to. With CAMPFIRE_BASE_URL and CAMPFIRE_TOKEN set, tests run against
 * that server (e.g. a real Campfire tenant) and `sandbox` is undefined, so tests that need fault
 * injection or direct state access must check for it. Otherwise a fresh local sandbox is started on a
 * free port.
 */
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";

export interface TestBackend {
  baseUrl: string;
  token: string;
  sandbox?: RunningSandbox;
  close(): Promise<void>;
}

export async function useSandbox(): Promise<TestBackend> {
  const baseUrl = process.env.CAMPFIRE_BASE_URL;
  const token = process.env.CAMPFIRE_TOKEN;
  if (baseUrl && token) return { baseUrl, token, close: async () => {} };
  const sandbox = await startSandbox({ port: 0 });
  return { baseUrl: sandbox.url, token: sandbox.token, sandbox, close: () => sandbox.close() };
}
