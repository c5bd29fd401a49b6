/** A connection kept in memory: what OfficeRuntime.storage does for the add-in, for tests and the bench. */
import type { Connection, ConnectionStore } from "../../src/app/ports";

export class MemoryConnectionStore implements ConnectionStore {
  saved: Connection | null = null;
  async load() {
    return this.saved;
  }
  async save(c: Connection) {
    this.saved = c;
  }
  async clear() {
    this.saved = null;
  }
}
