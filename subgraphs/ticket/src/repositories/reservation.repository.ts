import type { ReservationRecord, ReservationStatus } from "../domain/records.ts";
import { SeatChangeLog } from "../live/seat-change-log.ts";
import type { Db } from "./prisma.ts";

const ITEM_FIELDS = {
  id: true,
  seatId: true,
  ticketTypeId: true,
  quantity: true,
  unitPrice: true,
  fencingToken: true,
} as const;
const FIELDS = {
  id: true,
  number: true,
  userId: true,
  eventId: true,
  status: true,
  totalAmount: true,
  currency: true,
  expiresAt: true,
  idempotencyKey: true,
  endReason: true,
  paymentId: true,
  confirmedAt: true,
  createdAt: true,
  updatedAt: true,
  items: { select: ITEM_FIELDS, orderBy: { id: "asc" as const } },
} as const;

export interface NewReservation {
  id: string;
  number: string;
  userId: string;
  eventId: string;
  totalAmount: number;
  expiresAt: Date;
  idempotencyKey: string;
  items: {
    seatId?: string;
    ticketTypeId?: string;
    quantity: number;
    unitPrice: number;
    fencingToken?: bigint;
  }[];
}

export class ReservationRepository {
  constructor(
    private readonly db: Db,
    /** Records status changes for live reservation updates (published after commit). */
    private readonly changes: SeatChangeLog = new SeatChangeLog(),
  ) {}

  findById(id: string): Promise<ReservationRecord | null> {
    return this.db.reservation.findUnique({ where: { id }, select: FIELDS });
  }

  findByIds(ids: readonly string[]): Promise<ReservationRecord[]> {
    return this.db.reservation.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<ReservationRecord | null> {
    return this.db.reservation.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey } },
      select: FIELDS,
    });
  }

  listForUsers(userIds: readonly string[]): Promise<ReservationRecord[]> {
    return this.db.reservation.findMany({
      where: { userId: { in: [...userIds] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
      select: FIELDS,
    });
  }

  listForEvent(eventId: string, status: ReservationStatus | undefined, limit: number, offset: number) {
    return this.db.reservation.findMany({
      where: { eventId, ...(status ? { status } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      skip: offset,
      select: FIELDS,
    });
  }

  create(reservation: NewReservation): Promise<ReservationRecord> {
    const { items, ...fields } = reservation;
    return this.db.reservation.create({ data: { ...fields, items: { create: items } }, select: FIELDS });
  }

  async lock(id: string): Promise<ReservationRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM reservations WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  /** Only the id, for the cheap idempotency check before any work. */
  async idByIdempotencyKey(userId: string, idempotencyKey: string): Promise<string | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM reservations WHERE user_id = ${userId}::uuid AND idempotency_key = ${idempotencyKey}`;
    return rows[0]?.id ?? null;
  }

  /**
   * In one statement: the user's pending seat selection for the event (locked, a new hold replaces
   * it) and how many tickets they hold or own for the event apart from it.
   */
  async buyerPosition(
    userId: string,
    eventId: string,
  ): Promise<{ previousId: string | null; owned: number }> {
    // Call after the buyer lock, in its own statement: a statement's snapshot is taken when it
    // starts, so one that waited for the lock would not see what the previous holder committed.
    const rows = await this.db.$queryRaw<{ previous_id: string | null; owned: bigint | null }[]>`
      WITH previous AS (
        SELECT r.id FROM reservations r
        WHERE r.user_id = ${userId}::uuid AND r.event_id = ${eventId}::uuid AND r.status = 'PENDING'
          AND EXISTS (SELECT 1 FROM reservation_items i WHERE i.reservation_id = r.id AND i.seat_id IS NOT NULL)
        ORDER BY r.created_at DESC LIMIT 1 FOR UPDATE
      )
      SELECT (SELECT id FROM previous) AS previous_id,
             (SELECT sum(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
              WHERE r.user_id = ${userId}::uuid AND r.event_id = ${eventId}::uuid AND r.status IN ('PENDING', 'CONFIRMED')
                AND r.id IS DISTINCT FROM (SELECT id FROM previous)) AS owned`;
    return { previousId: rows[0]?.previous_id ?? null, owned: Number(rows[0]?.owned ?? 0) };
  }

  /**
   * Inserts a reservation and its items in one statement, without reading them back. Returns false,
   * inserting nothing, when the user already has a reservation under this idempotency key (a
   * concurrent twin of the same request won).
   */
  async insert(reservation: NewReservation): Promise<boolean> {
    const { items } = reservation;
    const inserted = await this.db.$executeRaw`
      WITH reservation AS (
        INSERT INTO reservations (id, number, user_id, event_id, status, total_amount, currency, expires_at, idempotency_key, created_at, updated_at)
        VALUES (${reservation.id}::uuid, ${reservation.number}, ${reservation.userId}::uuid, ${reservation.eventId}::uuid, 'PENDING',
                ${reservation.totalAmount}, 'KRW', ${reservation.expiresAt}, ${reservation.idempotencyKey}, now(), now())
        ON CONFLICT (user_id, idempotency_key) DO NOTHING
        RETURNING id
      )
      INSERT INTO reservation_items (id, reservation_id, seat_id, ticket_type_id, quantity, unit_price, fencing_token)
      SELECT gen_random_uuid(), reservation.id, seat_id, ticket_type_id, quantity, unit_price, fencing_token
      FROM reservation, unnest(${items.map((i) => i.seatId ?? null)}::uuid[], ${items.map((i) => i.ticketTypeId ?? null)}::uuid[],
                  ${items.map((i) => i.quantity)}::int[], ${items.map((i) => i.unitPrice)}::int[],
                  ${items.map((i) => (i.fencingToken ?? null)?.toString() ?? null)}::bigint[])
           AS v(seat_id, ticket_type_id, quantity, unit_price, fencing_token)`;
    return inserted > 0;
  }

  /** Tickets (seats and admissions) the user holds or owns for the event, excluding one reservation. */
  async activeTicketCount(userId: string, eventId: string, excludingReservationId?: string): Promise<number> {
    const rows = await this.db.$queryRaw<{ n: bigint | null }[]>`
      SELECT sum(i.quantity) AS n FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
      WHERE r.user_id = ${userId}::uuid AND r.event_id = ${eventId}::uuid AND r.status IN ('PENDING', 'CONFIRMED')
        AND r.id <> ${excludingReservationId ?? "00000000-0000-0000-0000-000000000000"}::uuid`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Pending reservations past their expiry, locked; rows another sweeper holds are skipped. */
  async lockExpired(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM reservations WHERE status = 'PENDING' AND expires_at <= ${now}
      ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    return rows.map((r) => r.id);
  }

  async end(
    id: string,
    status: Exclude<ReservationStatus, "PENDING" | "CONFIRMED">,
    reason: string,
  ): Promise<void> {
    await this.db.reservation.update({ where: { id }, data: { status, endReason: reason.slice(0, 30) } });
    this.changes.reservation(id);
  }

  /** Remembers a payment refunded before it confirmed anything, so its confirmation is refused. */
  async voidPayment(paymentId: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO voided_payments (payment_id, voided_at) VALUES (${paymentId}::uuid, now()) ON CONFLICT DO NOTHING`;
  }

  async isVoided(paymentId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ one: number }[]>`
      SELECT 1 AS one FROM voided_payments WHERE payment_id = ${paymentId}::uuid`;
    return rows.length > 0;
  }

  async confirm(id: string, paymentId: string, at: Date): Promise<void> {
    await this.db.reservation.update({
      where: { id },
      data: { status: "CONFIRMED", paymentId, confirmedAt: at },
    });
    this.changes.reservation(id);
  }
}
