/**
 * Composition root shared by every bundle of the shared runtime (task pane, ribbon commands, custom functions).
 */
import { createCampfireClient } from "./api/client";
import { RuntimeConnectionStore } from "./excel/connection-store";
import { Session, sharedSession } from "./app/session";

export function runtimeSession(): Session {
  return sharedSession(() => new Session(new RuntimeConnectionStore(), createCampfireClient));
}
