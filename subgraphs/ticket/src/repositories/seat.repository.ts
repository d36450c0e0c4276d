import type { MembershipTier } from "@urr/contracts";
import { currentTraceparent } from "@urr/telemetry";
import type { SeatRecord, SeatStatus } from "../domain/records.ts";
import { SeatChangeLog } from "../live/seat-change-log.ts";
import type { Db, Prisma } from "./prisma.ts";
import { sqlErrorOf } from "./sql-error.ts";

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

export interface SeatHold {
  reservationId: string;
  number: string;
  userId: string;
  eventId: string;
  seatIds: string[];
  idempotencyKey: string;
  token: bigint;
  expiresAt: Date;
  maxTickets: number;
  /** The buyer's fan-club tier and the booking fee per seat it pays (written on the reservation). */
  buyerTier: MembershipTier;
  bookingFee: number;
}

export type SeatHoldOutcome =
  | {
      outcome: "HELD";
      items: { seatId: string; price: number; label: string }[];
      createdAt: string;
      /** The buyer's pending selection this hold replaced (ended REPLACED), if any. */
      previousId: string | null;
      /** Seats of the replaced selection not held again, with the tokens they were held under. */
      released: { id: string; token: bigint }[];
    }
  | { outcome: "TWIN" | "CHANGED" | "EVENT_CLOSED" }
  | { outcome: "LIMIT"; owned: number }
  | { outcome: "MISSING" | "FOREIGN"; seatIds: string[] }
  | { outcome: "TAKEN"; seats: { id: string; label: string }[] };

/** The `urr_hold_seats` function's refusals, by SQLSTATE (see its migration in prisma/ticket/constraints). */
const HOLD_REFUSALS: Record<string, Exclude<SeatHoldOutcome["outcome"], "HELD">> = {
  UH001: "LIMIT",
  UH002: "MISSING",
  UH003: "FOREIGN",
  UH004: "TAKEN",
  UH005: "TWIN",
  UH006: "CHANGED",
  UH007: "EVENT_CLOSED",
};

type HeldRow = Omit<Extract<SeatHoldOutcome, { outcome: "HELD" }>, "released"> & {
  released: { id: string; token: string }[];
};

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

  /** The seats a reservation was granted, row-locked in id order, for the payment saga's fencing check. */
  lockForConfirm(
    ids: readonly string[],
  ): Promise<Pick<SeatRecord, "id" | "status" | "reservationId" | "fencingToken" | "label">[]> {
    return this.db.$queryRaw`
      SELECT id, status::text AS status, reservation_id AS "reservationId", fencing_token AS "fencingToken", label
      FROM seats WHERE id = ANY(${[...ids]}::uuid[]) ORDER BY id FOR UPDATE`;
  }

  /**
   * A seat hold in one round trip (the `urr_hold_seats` function, prisma/ticket/constraints, the
   * only place its rules live): the buyer lock, their pending selection, the limit, row locks,
   * checks, the reservation and items, the replaced selection released, the seats' compare-and-set,
   * and the hold's reservation-events in the outbox (this subgraph's traceparent on them).
   * A refusal comes back as its outcome (mapped from the function's SQLSTATE); nothing was written.
   */
  async hold(hold: SeatHold): Promise<SeatHoldOutcome> {
    let held: HeldRow;
    try {
      const rows = await this.db.$queryRaw<{ result: HeldRow }[]>`
        SELECT urr_hold_seats(${hold.reservationId}::uuid, ${hold.number}, ${hold.userId}::uuid, ${hold.eventId}::uuid,
          ${hold.seatIds}::uuid[], ${hold.idempotencyKey}, ${hold.token}, ${hold.expiresAt}, ${hold.maxTickets},
          ${hold.buyerTier}, ${hold.bookingFee}::int, ${currentTraceparent()}::text) AS result`;
      const result = rows[0]?.result;
      if (!result) throw new Error("urr_hold_seats returned nothing");
      held = result;
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) return refusal;
      throw error;
    }
    for (const seat of held.released) this.changes.seat(hold.eventId, seat.id, "AVAILABLE");
    for (const item of held.items) this.changes.seat(hold.eventId, item.seatId, "HELD");
    if (held.previousId) this.changes.reservation(held.previousId);
    return { ...held, released: held.released.map((s) => ({ id: s.id, token: BigInt(s.token) })) };
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

  /** Frees every seat the given reservations still hold, in one statement (an event's closure). */
  async releaseHeldByAny(
    reservationIds: readonly string[],
  ): Promise<{ id: string; eventId: string; fencingToken: bigint }[]> {
    if (reservationIds.length === 0) return [];
    const released = await this.db.$queryRaw<{ id: string; eventId: string; fencingToken: bigint }[]>`
      WITH held AS (
        SELECT id, fencing_token FROM seats
        WHERE reservation_id = ANY(${[...reservationIds]}::uuid[]) AND status = 'HELD' FOR UPDATE
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

function refusalOf(error: unknown): Exclude<SeatHoldOutcome, { outcome: "HELD" }> | null {
  const sql = sqlErrorOf(error);
  const outcome = sql ? HOLD_REFUSALS[sql.sqlState] : undefined;
  if (!sql || !outcome) return null;
  const data = JSON.parse(sql.detail || "{}") as { owned?: number; seatIds?: string[]; seats?: [] };
  switch (outcome) {
    case "LIMIT":
      return { outcome, owned: Number(data.owned ?? 0) };
    case "MISSING":
    case "FOREIGN":
      return { outcome, seatIds: data.seatIds ?? [] };
    case "TAKEN":
      return { outcome, seats: data.seats ?? [] };
    default:
      return { outcome };
  }
}
