import { type AdminAction, auditEnvelope } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import type { CatalogRepositories } from "../repositories/catalog-store.ts";

export type { AdminAction } from "@urr/audit";

/**
 * Writes catalog's own admin action into its audit log, inside the transaction of the change: the
 * entry exists exactly when the change committed. The entry is built by `@urr/audit` like every
 * other subgraph's, so it satisfies the same audit-events contract (action name, entity type, JSON
 * snapshots) and reads like the entries projected from audit-events; catalog is the log's home, so
 * it writes the row directly instead of sending the event to itself.
 */
export async function recordAdminAction(
  repos: CatalogRepositories,
  logger: Logger,
  admin: AuthenticatedViewer,
  change: AdminAction,
): Promise<void> {
  const event = auditEnvelope("catalog", admin, change);
  await repos.audit.add(event.id, event.payload);
  logger.info({ actor: admin.userId, action: change.action, entityId: change.entityId }, "admin action");
}
