import { newestFirstAfter } from "@urr/subgraph-kit";
import type { Db } from "../repositories/prisma.ts";
import type { RevocationRecord, TransferEndReason, TransferRecord, TransferStatus } from "./records.ts";

const FIELDS = {
  id: true,
  ticketId: true,
  eventId: true,
  artistId: true,
  sellerId: true,
  sellerTier: true,
  price: true,
  feePercent: true,
  fee: true,
  currency: true,
  status: true,
  buyerId: true,
  reservedUntil: true,
  paymentId: true,
  endReason: true,
  createdAt: true,
  completedAt: true,
  cancelledAt: true,
} as const;

export type NewTransfer = Pick<
  TransferRecord,
  "id" | "ticketId" | "eventId" | "artistId" | "sellerId" | "sellerTier" | "price" | "feePercent" | "fee"
>;

export interface TransferQuery {
  eventId?: string;
  artistId?: string;
  status?: TransferStatus;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** The marketplace's listings, the sellers' payouts and the revoked codes (only this class touches them). */
export class TransferRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<TransferRecord | null> {
    return this.db.transfer.findUnique({ where: { id }, select: FIELDS });
  }

  findByIds(ids: readonly string[]): Promise<TransferRecord[]> {
    return this.db.transfer.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  /** The ticket's open (LISTED or RESERVED) listing, if any. */
  findOpenForTicket(ticketId: string): Promise<TransferRecord | null> {
    return this.db.transfer.findFirst({
      where: { ticketId, status: { in: ["LISTED", "RESERVED"] } },
      select: FIELDS,
    });
  }

  findOpenForTickets(ticketIds: readonly string[]): Promise<TransferRecord[]> {
    return this.db.transfer.findMany({
      where: { ticketId: { in: [...ticketIds] }, status: { in: ["LISTED", "RESERVED"] } },
      select: FIELDS,
    });
  }

  /**
   * A new LISTED listing; false when the ticket already has an open one. The partial unique index
   * `transfers_one_open_per_ticket` decides, so two listings of one ticket at once write one row.
   */
  async create(transfer: NewTransfer): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO transfers (id, ticket_id, event_id, artist_id, seller_id, seller_tier, price, fee_percent, fee, updated_at)
      VALUES (${transfer.id}::uuid, ${transfer.ticketId}::uuid, ${transfer.eventId}::uuid, ${transfer.artistId}::uuid,
              ${transfer.sellerId}::uuid, ${transfer.sellerTier}::"MembershipTier", ${transfer.price},
              ${transfer.feePercent}, ${transfer.fee}, now())
      ON CONFLICT (ticket_id) WHERE status IN ('LISTED', 'RESERVED') DO NOTHING`;
    return inserted === 1;
  }

  async lock(id: string): Promise<TransferRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM transfers WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  /** Open listings of an event, locked (its cancellation ends them). */
  async lockOpenOfEvent(eventId: string): Promise<TransferRecord[]> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM transfers WHERE event_id = ${eventId}::uuid AND status IN ('LISTED', 'RESERVED')
      ORDER BY id FOR UPDATE`;
    return this.findByIds(locked.map((r) => r.id));
  }

  /** Completed transfers of an event, locked (its cancellation refunds their buyers). */
  async lockCompletedOfEvent(eventId: string): Promise<TransferRecord[]> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM transfers WHERE event_id = ${eventId}::uuid AND status = 'COMPLETED'
      ORDER BY id FOR UPDATE`;
    return this.findByIds(locked.map((r) => r.id));
  }

  /** RESERVED listings whose window ended by `now`, locked; rows another sweeper holds are skipped. */
  async lockLapsed(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM transfers WHERE status = 'RESERVED' AND reserved_until <= ${now}
      ORDER BY reserved_until LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    return rows.map((r) => r.id);
  }

  reserve(id: string, buyerId: string, until: Date): Promise<TransferRecord> {
    return this.db.transfer.update({
      where: { id },
      data: { status: "RESERVED", buyerId, reservedUntil: until },
      select: FIELDS,
    });
  }

  /** Back on the marketplace: the buyer's payment window lapsed. */
  async relist(ids: readonly string[]): Promise<void> {
    await this.db.transfer.updateMany({
      where: { id: { in: [...ids] }, status: "RESERVED" },
      data: { status: "LISTED", buyerId: null, reservedUntil: null },
    });
  }

  cancel(id: string, reason: TransferEndReason, at: Date): Promise<TransferRecord> {
    return this.db.transfer.update({
      where: { id },
      data: { status: "CANCELLED", endReason: reason, cancelledAt: at, buyerId: null, reservedUntil: null },
      select: FIELDS,
    });
  }

  complete(id: string, sale: { buyerId: string; paymentId: string; at: Date }): Promise<TransferRecord> {
    return this.db.transfer.update({
      where: { id },
      data: {
        status: "COMPLETED",
        buyerId: sale.buyerId,
        paymentId: sale.paymentId,
        completedAt: sale.at,
        reservedUntil: null,
      },
      select: FIELDS,
    });
  }

  async recordPayout(payout: {
    transferId: string;
    sellerId: string;
    amount: number;
    currency: string;
    paymentId: string;
    at: Date;
  }): Promise<void> {
    await this.db.sellerPayout.create({
      data: {
        transferId: payout.transferId,
        sellerId: payout.sellerId,
        amount: payout.amount,
        currency: payout.currency,
        paymentId: payout.paymentId,
        recordedAt: payout.at,
      },
    });
  }

  /** The event was cancelled before payouts were made: nothing is paid out for these transfers. */
  async voidPayouts(transferIds: readonly string[], at: Date): Promise<void> {
    await this.db.sellerPayout.updateMany({
      where: { transferId: { in: [...transferIds] }, voidedAt: null },
      data: { voidedAt: at },
    });
  }

  payoutFor(transferId: string) {
    return this.db.sellerPayout.findUnique({
      where: { transferId },
      select: { amount: true, currency: true, recordedAt: true, voidedAt: true },
    });
  }

  /** Newest first; keyset after (createdAt, id). */
  list(query: TransferQuery): Promise<TransferRecord[]> {
    const { eventId, artistId, status, after, limit } = query;
    return this.db.transfer.findMany({
      where: {
        ...(eventId ? { eventId } : {}),
        ...(artistId ? { artistId } : {}),
        ...(status ? { status } : {}),
        ...newestFirstAfter(after),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: FIELDS,
    });
  }

  /** What a user sold or bought, newest first (bounded: a fan's tickets are few). */
  listForUser(userId: string): Promise<TransferRecord[]> {
    return this.db.transfer.findMany({
      where: { OR: [{ sellerId: userId }, { buyerId: userId, status: "COMPLETED" }] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
      select: FIELDS,
    });
  }

  /** How many of a reservation's tickets were sold on the marketplace, and how many are listed now. */
  async countForReservation(reservationId: string): Promise<{ transferred: number; listed: number }> {
    const rows = await this.db.$queryRaw<{ transferred: number; listed: number }[]>`
      SELECT count(*) FILTER (WHERE t.status = 'COMPLETED')::int AS transferred,
             count(*) FILTER (WHERE t.status IN ('LISTED', 'RESERVED'))::int AS listed
      FROM transfers t JOIN tickets k ON k.id = t.ticket_id
      WHERE k.reservation_id = ${reservationId}::uuid`;
    return rows[0] ?? { transferred: 0, listed: 0 };
  }

  /**
   * What listing a ticket depends on, in one query: its reservation's status, the face value it was
   * bought at (the item's unit price, without the booking fee) and its event as ticket knows it.
   */
  async listingFacts(ticket: {
    reservationId: string;
    seatId: string | null;
    ticketTypeId: string | null;
    eventId: string;
  }) {
    const rows = await this.db.$queryRaw<
      {
        reservationStatus: string;
        unitPrice: number | null;
        artistId: string | null;
        startsAt: Date | null;
        cancelledAt: Date | null;
        deleted: boolean | null;
      }[]
    >`
      SELECT r.status::text AS "reservationStatus",
             (SELECT i.unit_price FROM reservation_items i WHERE i.reservation_id = r.id
                AND (i.seat_id = ${ticket.seatId}::uuid OR i.ticket_type_id = ${ticket.ticketTypeId}::uuid) LIMIT 1) AS "unitPrice",
             e.artist_id AS "artistId", e.starts_at AS "startsAt", e.cancelled_at AS "cancelledAt", e.deleted
      FROM reservations r LEFT JOIN catalog_events e ON e.event_id = ${ticket.eventId}::uuid
      WHERE r.id = ${ticket.reservationId}::uuid`;
    return rows[0] ?? null;
  }

  /** Blocks listing a reservation's tickets until `until` (a refund of it was allowed). */
  async holdForRefund(reservationId: string, until: Date): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO refund_holds (reservation_id, until) VALUES (${reservationId}::uuid, ${until})
      ON CONFLICT (reservation_id) DO UPDATE SET until = GREATEST(refund_holds.until, EXCLUDED.until)`;
  }

  async refundHeldUntil(reservationId: string, now: Date): Promise<Date | null> {
    const hold = await this.db.refundHold.findUnique({ where: { reservationId }, select: { until: true } });
    return hold && hold.until > now ? hold.until : null;
  }

  /** Codes of an event revoked after `since`, oldest first, at most `limit`. */
  revocations(eventId: string, since: Date | null, limit: number): Promise<RevocationRecord[]> {
    return this.db.ticketRevocation.findMany({
      where: { eventId, ...(since ? { revokedAt: { gte: since } } : {}) },
      orderBy: [{ revokedAt: "asc" }, { ticketId: "asc" }],
      take: limit,
    });
  }

  async isRevoked(ticketId: string, version: number): Promise<RevocationRecord | null> {
    return this.db.ticketRevocation.findUnique({ where: { ticketId_version: { ticketId, version } } });
  }
}
