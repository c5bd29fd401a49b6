/**
 * Keeps the Campfire connection in the add-in's own storage: OfficeRuntime.storage in the shared runtime,
 * localStorage in a plain browser (the preview). Never in the workbook: no cell, no document setting,
 * no custom XML part — a workbook is mailed around, the token must not travel with it.
 */
import type { Connection, ConnectionStore } from "../app/ports";

const KEY = "campfire.connection";

interface KeyValueStorage {
  getItem(key: string): Promise<string | null> | string | null;
  setItem(key: string, value: string): Promise<void> | void;
  removeItem(key: string): Promise<void> | void;
}

function pickStorage(): KeyValueStorage {
  const office = (globalThis as { OfficeRuntime?: { storage?: KeyValueStorage } }).OfficeRuntime;
  if (office?.storage) return office.storage;
  if (typeof localStorage !== "undefined") return localStorage;
  return memoryStorage();
}

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

export class OfficeStorageConnectionStore implements ConnectionStore {
  constructor(private readonly storage: KeyValueStorage = pickStorage()) {}

  async load(): Promise<Connection | null> {
    const raw = await this.storage.getItem(KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Connection>;
      if (typeof parsed.baseUrl !== "string" || typeof parsed.token !== "string") return null;
      return { baseUrl: parsed.baseUrl, token: parsed.token, kind: parsed.kind === "sandbox" ? "sandbox" : "campfire" };
    } catch {
      return null;
    }
  }

  async save(connection: Connection): Promise<void> {
    await this.storage.setItem(KEY, JSON.stringify(connection));
  }

  async clear(): Promise<void> {
    await this.storage.removeItem(KEY);
  }
}
