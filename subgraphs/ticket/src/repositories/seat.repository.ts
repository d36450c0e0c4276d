import type { SeatRecord, SeatStatus } from "../domain/records.ts";
import { SeatChangeLog } from "../live/seat-change-log.ts";
import type { Db, Prisma } from "./prisma.ts";

const FIELDS = {
  id: true,
  eventId: true,
  section: true,
  rowLabel: true,
  rowIndex: true,
  number: true,
  label: true,
  priceTier: true,
  price: true,
  x: true,
  y: true,
  status: true,
  version: true,
  fencingToken: true,
  heldBy: true,
  reservationId: true,
} as const;

export type NewSeat = Omit<
  SeatRecord,
  "id" | "status" | "version" | "fencingToken" | "heldBy" | "reservationId"
>;

export interface AvailabilityRow {
  eventId: string;
  section: string;
  status: SeatStatus;
  count: number;
}

export interface FreshHold {
  reservationId: string;
  number: string;
  userId: string;
  eventId: string;
  seatIds: string[];
  idempotencyKey: string;
  token: bigint;
  expiresAt: Date;
  maxTickets: number;
}

export type FreshHoldOutcome =
  | { outcome: "HELD"; items: { seatId: string; price: number; label: string }[]; createdAt: string }
  | { outcome: "REPLACE" | "TWIN" | "CHANGED" }
  | { outcome: "LIMIT"; owned: number }
  | { outcome: "MISSING" | "FOREIGN"; seatIds: string[] }
  | { outcome: "TAKEN"; seats: { id: string; label: string }[] };

export class SeatRepository {
  constructor(
    private readonly db: Db,
    /** Records status changes for the live seat feed (published after commit). */
    private readonly changes: SeatChangeLog = new SeatChangeLog(),
  ) {}

  findByIds(ids: readonly string[]): Promise<SeatRecord[]> {
    return this.db.seat.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  /** Every seat of the given events in one query, in drawing order. */
  listForEvents(eventIds: readonly string[]): Promise<SeatRecord[]> {
    return this.db.seat.findMany({
      where: { eventId: { in: [...eventIds] } },
      orderBy: [{ section: "asc" }, { rowIndex: "asc" }, { number: "asc" }],
      select: FIELDS,
    });
  }

  listAvailable(eventId: string, section?: string): Promise<SeatRecord[]> {
    const where: Prisma.SeatWhereInput = { eventId, status: "AVAILABLE", ...(section ? { section } : {}) };
    return this.db.seat.findMany({
      where,
      orderBy: [{ section: "asc" }, { rowIndex: "asc" }, { number: "asc" }],
      select: FIELDS,
    });
  }

  /** Counts by event, section and status for any number of events, in one query. */
  async availability(eventIds: readonly string[]): Promise<AvailabilityRow[]> {
    const rows = await this.db.seat.groupBy({
      by: ["eventId", "section", "status"],
      where: { eventId: { in: [...eventIds] } },
      _count: { _all: true },
    });
    return rows.map((r) => ({
      eventId: r.eventId,
      section: r.section,
      status: r.status,
      count: r._count._all,
    }));
  }

  /** Seats per row (`section|rowIndex` → highest number), to see where a row ends. */
  async rowLengths(eventId: string): Promise<Map<string, number>> {
    const rows = await this.db.seat.groupBy({
      by: ["section", "rowIndex"],
      where: { eventId },
      _max: { number: true },
    });
    return new Map(rows.map((r) => [`${r.section}|${r.rowIndex}`, r._max.number ?? 0]));
  }

  countForEvent(eventId: string): Promise<number> {
    return this.db.seat.count({ where: { eventId } });
  }

  /**
   * Row locks on the seats in id order (a fixed order, so overlapping requests cannot deadlock),
   * returning just what the hold decision needs.
   */
  lockForHold(
    ids: readonly string[],
  ): Promise<
    Pick<SeatRecord, "id" | "eventId" | "status" | "version" | "reservationId" | "price" | "label">[]
  > {
    return this.db.$queryRaw`
      SELECT id, event_id AS "eventId", status::text AS status, version, reservation_id AS "reservationId", price, label
      FROM seats WHERE id = ANY(${[...ids]}::uuid[]) ORDER BY id FOR UPDATE`;
  }

  /**
   * Compare-and-set of many seats in one statement: each seat moves to HELD only if its version is
   * still the one read under the lock. Returns how many moved (all, or the caller rolls back).
   */
  async holdAll(
    seats: Pick<SeatRecord, "id" | "version" | "eventId">[],
    token: bigint,
    userId: string,
    reservationId: string,
  ): Promise<number> {
    const moved = await this.db.$executeRaw`
      UPDATE seats s SET status = 'HELD', version = s.version + 1, fencing_token = ${token}, held_by = ${userId}::uuid,
        reservation_id = ${reservationId}::uuid
      FROM unnest(${seats.map((s) => s.id)}::uuid[], ${seats.map((s) => s.version)}::int[]) AS v(id, version)
      WHERE s.id = v.id AND s.version = v.version`;
    for (const seat of seats) this.changes.seat(seat.eventId, seat.id, "HELD");
    return moved;
  }

  /** The seats a reservation was granted, row-locked in id order, for the payment saga's fencing check. */
  lockForConfirm(
    ids: readonly string[],
  ): Promise<Pick<SeatRecord, "id" | "status" | "reservationId" | "fencingToken" | "label">[]> {
    return this.db.$queryRaw`
      SELECT id, status::text AS status, reservation_id AS "reservationId", fencing_token AS "fencingToken", label
      FROM seats WHERE id = ANY(${[...ids]}::uuid[]) ORDER BY id FOR UPDATE`;
  }

  /**
   * A fresh hold in one round trip (the `urr_hold_seats` function, prisma/ticket/constraints): the
   * buyer lock, limit, row locks, checks, reservation, items and the seats' compare-and-set.
   */
  async holdFresh(hold: FreshHold): Promise<FreshHoldOutcome> {
    try {
      const rows = await this.db.$queryRaw<{ result: FreshHoldOutcome }[]>`
        SELECT urr_hold_seats(${hold.reservationId}::uuid, ${hold.number}, ${hold.userId}::uuid, ${hold.eventId}::uuid,
          ${hold.seatIds}::uuid[], ${hold.idempotencyKey}, ${hold.token}, ${hold.expiresAt}, ${hold.maxTickets}) AS result`;
      const outcome = rows[0]?.result;
      if (!outcome) throw new Error("urr_hold_seats returned nothing");
      if (outcome.outcome === "HELD") {
        for (const item of outcome.items) this.changes.seat(hold.eventId, item.seatId, "HELD");
      }
      return outcome;
    } catch (error) {
      // UR409: a seat changed under its row lock (defensive; the function rolled everything back).
      const { message, meta } = error as { message?: string; meta?: { code?: string } };
      if (meta?.code === "UR409" || String(message).includes("seats changed under their row locks")) {
        return { outcome: "CHANGED" };
      }
      throw error;
    }
  }

  /** HELD → RESERVED for every seat the reservation holds; returns how many moved. */
  async sell(reservationId: string): Promise<number> {
    const moved = await this.db.$queryRaw<{ id: string; eventId: string }[]>`
      UPDATE seats SET status = 'RESERVED', version = version + 1
      WHERE reservation_id = ${reservationId}::uuid AND status = 'HELD'
      RETURNING id, event_id AS "eventId"`;
    for (const seat of moved) this.changes.seat(seat.eventId, seat.id, "RESERVED");
    return moved.length;
  }

  /** A refund: the reservation's sold seats go back on sale. Returns how many. */
  async unsell(reservationId: string): Promise<number> {
    const moved = await this.db.$queryRaw<{ id: string; eventId: string }[]>`
      UPDATE seats SET status = 'AVAILABLE', version = version + 1, fencing_token = 0, held_by = NULL, reservation_id = NULL
      WHERE reservation_id = ${reservationId}::uuid AND status = 'RESERVED'
      RETURNING id, event_id AS "eventId"`;
    for (const seat of moved) this.changes.seat(seat.eventId, seat.id, "AVAILABLE");
    return moved.length;
  }

  /** Frees every seat a reservation still holds; returns them with the tokens they were held under. */
  async releaseHeldBy(
    reservationId: string,
  ): Promise<{ id: string; eventId: string; fencingToken: bigint }[]> {
    const released = await this.db.$queryRaw<{ id: string; eventId: string; fencingToken: bigint }[]>`
      WITH held AS (
        SELECT id, fencing_token FROM seats WHERE reservation_id = ${reservationId}::uuid AND status = 'HELD' FOR UPDATE
      )
      UPDATE seats s SET status = 'AVAILABLE', version = s.version + 1, fencing_token = 0, held_by = NULL, reservation_id = NULL
      FROM held WHERE s.id = held.id
      RETURNING s.id, s.event_id AS "eventId", held.fencing_token AS "fencingToken"`;
    for (const seat of released) this.changes.seat(seat.eventId, seat.id, "AVAILABLE");
    return released;
  }

  async createMany(seats: NewSeat[]): Promise<number> {
    const { count } = await this.db.seat.createMany({ data: seats });
    return count;
  }
}
