import type { MembershipTier } from "@urr/contracts";
import type { ReservationRecord, ReservationStatus } from "../domain/records.ts";
import { SeatChangeLog } from "../live/seat-change-log.ts";
import type { Db } from "./prisma.ts";

const ITEM_FIELDS = {
  id: true,
  seatId: true,
  ticketTypeId: true,
  quantity: true,
  unitPrice: true,
  bookingFee: true,
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
  buyerTier: true,
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
  buyerTier: MembershipTier;
  expiresAt: Date;
  idempotencyKey: string;
  items: {
    seatId?: string;
    ticketTypeId?: string;
    quantity: number;
    unitPrice: number;
    bookingFee: number;
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
   * The event's pending reservations, row-locked in id order. A row that stopped being pending
   * while this waited for its lock (confirmed, expired) is left out.
   */
  async lockPendingOfEvent(eventId: string): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM reservations WHERE event_id = ${eventId}::uuid AND status = 'PENDING' ORDER BY id FOR UPDATE`;
    return rows.map((r) => r.id);
  }

  /** An event's paid reservations, locked in id order (its cancellation refunds each of them). */
  lockConfirmedOfEvent(eventId: string): Promise<{ id: string; userId: string; paymentId: string }[]> {
    return this.db.$queryRaw<{ id: string; userId: string; paymentId: string }[]>`
      SELECT id, user_id AS "userId", payment_id AS "paymentId" FROM reservations
      WHERE event_id = ${eventId}::uuid AND status = 'CONFIRMED' AND payment_id IS NOT NULL
      ORDER BY id FOR UPDATE`;
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

  /** Ends many reservations with one status and reason in one statement (an event's closure). */
  async endMany(
    ids: readonly string[],
    status: Exclude<ReservationStatus, "PENDING" | "CONFIRMED">,
    reason: string,
  ): Promise<void> {
    if (ids.length === 0) return;
    // clock_timestamp(): when they ended, after the locks this transaction waited for (not its start).
    await this.db.$executeRaw`
      UPDATE reservations SET status = ${status}::"ReservationStatus", end_reason = ${reason.slice(0, 30)}, updated_at = clock_timestamp()
      WHERE id = ANY(${[...ids]}::uuid[])`;
    for (const id of ids) this.changes.reservation(id);
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
