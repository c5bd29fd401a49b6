/**
 * The one signed-in client shared by the task pane, the ribbon commands and the custom functions. One per
 * runtime: the composition root (src/composition-root.ts) creates it and hands it to every entry.
 */
import type { CampfireApi, ClientOptions } from "../api/campfire-api";
import { createLimiter } from "./concurrency";
import type { Connection, ConnectionStore } from "./ports";

/** Requests in flight at once for the whole runtime (pane, ribbon and functions): a browser's limit per origin. */
export const MAX_IN_FLIGHT = 6;

export class NotSignedInError extends Error {
  override name = "NotSignedInError";
  constructor() {
    super("Not signed in to Campfire. Open the Campfire task pane and connect with an API token (or the sandbox).");
  }
}

type Listener = () => void;
export type ClientFactory = (options: ClientOptions) => CampfireApi;

export class Session {
  private connection: Connection | null = null;
  private client: CampfireApi | null = null;
  private writer: CampfireApi | null = null;
  private readonly connectionListeners = new Set<Listener>();
  private readonly dataListeners = new Set<Listener>();
  /** Shared by every client this session makes: one budget of connections, taken in turn. */
  private readonly limit = createLimiter(MAX_IN_FLIGHT);

  constructor(
    private readonly store: ConnectionStore,
    private readonly makeClient: ClientFactory,
  ) {}

  /** Restores a saved connection (e.g. after Excel restarts); no network call. */
  async restore(): Promise<boolean> {
    const saved = await this.store.load();
    if (saved) this.use(saved);
    return saved !== null;
  }

  /**
   * Connects and checks the token at once with one cheap call, so a wrong token is reported now and not
   * at the first push. The connection is saved only when the check passes.
   */
  async signIn(connection: Connection, check: (api: CampfireApi) => Promise<unknown> = (api) => api.listEntities()) {
    const api = this.makeClient({ baseUrl: connection.baseUrl, token: connection.token, limit: this.limit });
    await check(api);
    await this.store.save(connection);
    this.use(connection, api);
  }

  async signOut(): Promise<void> {
    await this.store.clear();
    this.connection = null;
    this.client = null;
    this.writer = null;
    this.emit(this.connectionListeners);
  }

  get signedIn(): boolean {
    return this.client !== null;
  }

  /** What the UI may show about the connection; never the token. */
  describe(): { baseUrl: string; kind: Connection["kind"] } | null {
    return this.connection ? { baseUrl: this.connection.baseUrl, kind: this.connection.kind } : null;
  }

  api(): CampfireApi {
    if (!this.client) throw new NotSignedInError();
    return this.client;
  }

  /**
   * The client for writes: it never retries on its own. Whether a write whose answer was lost may be sent again
   * is decided by the write path after reading the record back, never by the HTTP layer.
   */
  writeApi(): CampfireApi {
    if (!this.client || !this.connection) throw new NotSignedInError();
    this.writer ??= this.makeClient({ baseUrl: this.connection.baseUrl, token: this.connection.token, retries: 0, limit: this.limit });
    return this.writer;
  }

  onConnectionChange(listener: Listener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Campfire data changed through this add-in (a push): caches drop what they hold. */
  dataChanged(): void {
    this.emit(this.dataListeners);
  }

  onDataChanged(listener: Listener): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  private use(connection: Connection, api?: CampfireApi) {
    this.connection = connection;
    this.client = api ?? this.makeClient({ baseUrl: connection.baseUrl, token: connection.token, limit: this.limit });
    this.writer = null;
    this.emit(this.connectionListeners);
    this.emit(this.dataListeners);
  }

  private emit(listeners: Set<Listener>) {
    for (const listener of listeners) listener();
  }
}
