import type { StatusWindow } from "../domain/event-status.ts";
import type { EventRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const EVENT_FIELDS = {
  id: true,
  artistId: true,
  title: true,
  description: true,
  venue: true,
  address: true,
  startsAt: true,
  saleStartsAt: true,
  saleEndsAt: true,
  cancelledAt: true,
  cancelReason: true,
  posterImageKey: true,
  revision: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface EventQuery {
  window?: StatusWindow;
  artistId?: string;
  startsFrom?: Date;
  startsBefore?: Date;
  /** LIKE-escaped: text in the title or venue, or the start of one of the artist's normalized aliases. */
  search?: { term: string; aliasPrefix: string };
  /** Keyset position: the (startsAt, id) of the last event of the previous page. */
  after?: { startsAt: Date; id: string };
  limit: number;
}

export type NewEvent = Omit<
  EventRecord,
  "id" | "cancelledAt" | "cancelReason" | "posterImageKey" | "revision" | "createdAt" | "updatedAt"
>;
export type EventChanges = Partial<
  Omit<EventRecord, "id" | "artistId" | "revision" | "createdAt" | "updatedAt">
>;

function windowWhere(window: StatusWindow): Prisma.EventWhereInput {
  return {
    cancelledAt: window.cancelled ? { not: null } : null,
    ...(window.saleStartsAfter || window.saleStartsAtOrBefore
      ? { saleStartsAt: { gt: window.saleStartsAfter, lte: window.saleStartsAtOrBefore } }
      : {}),
    ...(window.saleEndsAfter || window.saleEndsAtOrBefore
      ? { saleEndsAt: { gt: window.saleEndsAfter, lte: window.saleEndsAtOrBefore } }
      : {}),
  };
}

export class EventRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<EventRecord | null> {
    return this.db.event.findUnique({ where: { id }, select: EVENT_FIELDS });
  }

  findByIds(ids: readonly string[]): Promise<EventRecord[]> {
    return this.db.event.findMany({ where: { id: { in: [...ids] } }, select: EVENT_FIELDS });
  }

  /** Soonest first, ties by id; returns up to `limit` rows. */
  list(query: EventQuery): Promise<EventRecord[]> {
    const and: Prisma.EventWhereInput[] = [];
    if (query.window) and.push(windowWhere(query.window));
    if (query.artistId) and.push({ artistId: query.artistId });
    if (query.startsFrom || query.startsBefore)
      and.push({ startsAt: { gte: query.startsFrom, lt: query.startsBefore } });
    if (query.search) {
      and.push({
        OR: [
          { title: { contains: query.search.term, mode: "insensitive" } },
          { venue: { contains: query.search.term, mode: "insensitive" } },
          { artist: { aliases: { some: { normalized: { startsWith: query.search.aliasPrefix } } } } },
        ],
      });
    }
    if (query.after) {
      const { startsAt, id } = query.after;
      and.push({ OR: [{ startsAt: { gt: startsAt } }, { startsAt, id: { gt: id } }] });
    }
    return this.db.event.findMany({
      where: { AND: and },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: query.limit,
      select: EVENT_FIELDS,
    });
  }

  /** Locks the row for the rest of the transaction: concurrent admin edits apply one after another. */
  async findForUpdate(id: string): Promise<EventRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM events WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  create(event: NewEvent): Promise<EventRecord> {
    return this.db.event.create({ data: event, select: EVENT_FIELDS });
  }

  update(id: string, changes: EventChanges): Promise<EventRecord> {
    return this.db.event.update({
      where: { id },
      data: { ...changes, revision: { increment: 1 } },
      select: EVENT_FIELDS,
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.event.delete({ where: { id } });
  }
}
