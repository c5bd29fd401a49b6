import "./custom-functions-stub";
import { createCampfireClient } from "../../src/api/client";
import type { ClientOptions } from "../../src/api/campfire-api";
import type { Connection, ConnectionStore } from "../../src/app/ports";
import type { RequestCacheOptions } from "../../src/app/request-cache";
import { Session } from "../../src/app/session";
import { createCampfireFunctions } from "../../src/functions/campfire-functions";
import { FunctionsRuntime } from "../../src/functions/functions-runtime";
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
  const runtime = new FunctionsRuntime(session, { cache: options.cache, recalculate: options.recalculate });
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
