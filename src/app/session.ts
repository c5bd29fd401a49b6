/**
 * The one signed-in client shared by the task pane, the ribbon commands and the custom functions. One per
 * runtime: the composition root (src/composition-root.ts) creates it and hands it to every entry.
 */
import type { CampfireApi, ClientOptions } from "../api/campfire-api";
import type { Connection, ConnectionStore } from "./ports";

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
  private readonly connectionListeners = new Set<Listener>();
  private readonly dataListeners = new Set<Listener>();

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
    const api = this.makeClient({ baseUrl: connection.baseUrl, token: connection.token });
    await check(api);
    await this.store.save(connection);
    this.use(connection, api);
  }

  async signOut(): Promise<void> {
    await this.store.clear();
    this.connection = null;
    this.client = null;
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
    this.client = api ?? this.makeClient({ baseUrl: connection.baseUrl, token: connection.token });
    this.emit(this.connectionListeners);
    this.emit(this.dataListeners);
  }

  private emit(listeners: Set<Listener>) {
    for (const listener of listeners) listener();
  }
}
