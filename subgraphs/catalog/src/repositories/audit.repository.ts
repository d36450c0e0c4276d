import type { AuditRecordedPayload } from "@urr/events";
import type { AuditEntityType, AuditRecord, AuditSource } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const json = (value: unknown) =>
  value === null || value === undefined ? undefined : (value as Prisma.InputJsonValue);

const AUDIT_FIELDS = {
  id: true,
  source: true,
  actorId: true,
  actorEmail: true,
  action: true,
  entityType: true,
  entityId: true,
  before: true,
  after: true,
  reason: true,
  at: true,
} as const;

type AuditRow = Prisma.AuditEntryGetPayload<{ select: typeof AUDIT_FIELDS }>;

/** Every row holds the contract's values: written through `add`, or catalog's own from before it. */
const toRecord = (row: AuditRow): AuditRecord => ({
  ...row,
  source: row.source as AuditSource,
  entityType: row.entityType as AuditEntityType,
});

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /**
   * One admin action, as the audit-events contract describes it: catalog's own (a fresh id) or
   * another subgraph's from its audit.recorded event (the event's id), so even a redelivery that
   * slipped past the processed-event record could not add a second entry.
   */
  async add(entryId: string, action: AuditRecordedPayload): Promise<void> {
    await this.db.auditEntry.createMany({
      data: [
        {
          id: entryId,
          source: action.source,
          actorId: action.actorId,
          actorEmail: action.actorEmail,
          action: action.action,
          entityType: action.entityType,
          entityId: action.entityId,
          before: json(action.before),
          after: json(action.after),
          reason: action.reason ?? null,
          at: new Date(action.at),
        },
      ],
      skipDuplicates: true,
    });
  }

  /** Newest first; keyset after (at, id). */
  async list(query: {
    source?: AuditSource;
    entityType?: AuditEntityType;
    entityId?: string;
    after?: { at: Date; id: string };
    limit: number;
  }): Promise<AuditRecord[]> {
    const and: Prisma.AuditEntryWhereInput[] = [];
    if (query.source) and.push({ source: query.source });
    if (query.entityType) and.push({ entityType: query.entityType });
    if (query.entityId) and.push({ entityId: query.entityId });
    if (query.after) {
      const { at, id } = query.after;
      and.push({ OR: [{ at: { lt: at } }, { at, id: { lt: id } }] });
    }
    const rows = await this.db.auditEntry.findMany({
      where: { AND: and },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: query.limit,
      select: AUDIT_FIELDS,
    });
    return rows.map(toRecord);
  }
}
