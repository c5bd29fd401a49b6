import "./custom-functions-stub";
import net from "node:net";
import { createCampfireClient } from "../../src/api/client";
import type { ClientOptions } from "../../src/api/campfire-api";
import type { Connection, ConnectionStore } from "../../src/app/ports";
import type { RequestCacheOptions } from "../../src/app/request-cache";
import { Session } from "../../src/app/session";
import { createCampfireFunctions } from "../../src/functions/campfire-functions";
import { FunctionsService } from "../../src/functions/functions-service";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server";
import type { TestBackend } from "../helpers/sandbox";

export function memoryStore(initial: Connection | null = null): ConnectionStore & { saved: Connection | null } {
  return {
    saved: initial,
    async load() {
      return this.saved;
    },
    async save(connection) {
      this.saved = connection;
    },
    async clear() {
      this.saved = null;
    },
  };
}

/** HTTP requests the client really sent (retries counted), as "METHOD /path?query". */
export type RequestLog = string[];

/** A Session over a real client whose requests are logged; `fast` keeps retries short for fault tests. */
export function loggedSession(store: ConnectionStore = memoryStore(), extra: Partial<ClientOptions> = {}) {
  const requests: RequestLog = [];
  const session = new Session(store, (options) =>
    createCampfireClient({
      ...options,
      retries: 1,
      backoffMs: 1,
      maxDelayMs: 5,
      ...extra,
      onRequest: (method, url) => requests.push(`${method} ${new URL(url).pathname}${new URL(url).search}`),
    }),
  );
  return { session, requests };
}

export function connectionOf(backend: TestBackend): Connection {
  return { baseUrl: backend.baseUrl, token: backend.token, kind: "sandbox" };
}

/** Functions over their own runtime (own cache), signed in to the backend. */
export async function signedInFunctions(
  backend: TestBackend,
  options: { cache?: RequestCacheOptions; recalculate?: () => Promise<void>; client?: Partial<ClientOptions> } = {},
) {
  const { session, requests } = loggedSession(memoryStore(), options.client);
  await session.signIn(connectionOf(backend));
  requests.length = 0;
  const runtime = new FunctionsService(session, { cache: options.cache, recalculate: options.recalculate });
  return { session, requests, runtime, fns: createCampfireFunctions(runtime) };
}

/** What a failed cell shows: its code and message. */
export async function excelError(promise: Promise<unknown>): Promise<{ code: string; message: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CustomFunctions.Error) return { code: error.code, message: error.message };
    throw new Error(`expected a CustomFunctions.Error, got ${String(error)}`);
  }
  throw new Error("expected the function to fail");
}

/**
 * A sandbox started here whatever CAMPFIRE_BASE_URL says: fault injection needs the in-process server, and a
 * test that needs it must not quietly pass without it.
 */
export async function localSandbox(): Promise<TestBackend & { sandbox: RunningSandbox }> {
  const sandbox = await startSandbox({ port: 0 });
  return { baseUrl: sandbox.url, token: sandbox.token, sandbox, close: () => sandbox.close() };
}

/**
 * A Campfire address where every connection is reset as it opens: a network failure that, unlike a freed port,
 * no other test worker can take over by listening there.
 */
export async function resettingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
