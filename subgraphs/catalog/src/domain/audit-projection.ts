import { AuditRecorded, EventHandlers } from "@urr/events";
import type { CatalogStore } from "../repositories/catalog-store.ts";

/**
 * The other subgraphs' admin actions, from audit-events, into catalog's audit log (the one place
 * `auditLog` reads). The processed-event record and the entry commit together, so a redelivered
 * event adds nothing; a message the contract refuses never reaches this handler (EventHandlers
 * rejects it, and the backbone dead-letters it).
 */
export function auditProjection(store: CatalogStore): EventHandlers {
  return new EventHandlers().on(AuditRecorded, (event) =>
    store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      await repos.audit.add(event.id, event.payload);
      return "applied";
    }),
  );
}
