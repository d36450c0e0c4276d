import type { AuditEntityType, AuditRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

export type NewAuditEntry = Omit<AuditRecord, "id" | "at">;

const json = (value: unknown) =>
  value === null || value === undefined ? undefined : (value as Prisma.InputJsonValue);

export class AuditRepository {
  constructor(private readonly db: Db) {}

  async append(entry: NewAuditEntry): Promise<void> {
    await this.db.auditEntry.create({
      data: { ...entry, before: json(entry.before), after: json(entry.after) },
    });
  }

  /** Newest first; keyset after (at, id). */
  list(query: {
    entityType?: AuditEntityType;
    entityId?: string;
    after?: { at: Date; id: string };
    limit: number;
  }): Promise<AuditRecord[]> {
    const and: Prisma.AuditEntryWhereInput[] = [];
    if (query.entityType) and.push({ entityType: query.entityType });
    if (query.entityId) and.push({ entityId: query.entityId });
    if (query.after) {
      const { at, id } = query.after;
      and.push({ OR: [{ at: { lt: at } }, { at, id: { lt: id } }] });
    }
    return this.db.auditEntry.findMany({
      where: { AND: and },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: query.limit,
    }) as Promise<AuditRecord[]>;
  }
}
