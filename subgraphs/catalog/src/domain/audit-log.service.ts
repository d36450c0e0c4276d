import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError } from "@urr/errors";
import { requireAdmin } from "@urr/subgraph-kit";
import type { CatalogStore } from "../repositories/catalog-store.ts";
import { decodeCursor, encodeCursor, type Page, pageSize, toPage } from "./pagination.ts";
import type { AuditEntityType, AuditRecord, AuditSource } from "./records.ts";

export interface AuditLogFilter {
  source?: AuditSource | null;
  entityType?: AuditEntityType | null;
  entityId?: string | null;
}

export const auditCursor = (entry: AuditRecord) => encodeCursor([entry.at.toISOString(), entry.id]);

/** The audit contract allows any record id up to 100 characters (a UUID for every entity so far). */
const ENTITY_ID_MAX = 100;

/** Reading the audit log of every subgraph's admin actions: admins only, newest first. */
export class AuditLogService {
  constructor(private readonly store: CatalogStore) {}

  async list(
    viewer: Viewer,
    filter: AuditLogFilter,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<AuditRecord>> {
    requireAdmin(viewer);
    const size = pageSize(first, 50);
    const position = decodeCursor(after, ["instant", "id"]);
    const entityId = filter.entityId?.trim();
    if (filter.entityId != null && (!entityId || entityId.length > ENTITY_ID_MAX))
      throw new BadUserInputError(`entityId must be 1 to ${ENTITY_ID_MAX} characters`, "entityId");
    const rows = await this.store.repos.audit.list({
      ...(filter.source ? { source: filter.source } : {}),
      ...(filter.entityType ? { entityType: filter.entityType } : {}),
      ...(entityId ? { entityId } : {}),
      ...(position ? { after: { at: new Date(position[0] ?? ""), id: position[1] ?? "" } } : {}),
      limit: size + 1,
    });
    return toPage(rows, size);
  }
}
