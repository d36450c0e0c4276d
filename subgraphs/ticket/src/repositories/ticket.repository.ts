import type { TicketRecord } from "../domain/records.ts";
import type { Db } from "./prisma.ts";

export type NewTicket = Omit<TicketRecord, "status" | "codeVersion" | "issuedAt" | "revokedAt">;

export class TicketRepository {
  constructor(private readonly db: Db) {}

  async issue(tickets: NewTicket[]): Promise<void> {
    await this.db.ticket.createMany({ data: tickets });
  }

  /**
   * Revokes a refunded reservation's tickets; returns how many were still valid. Their current codes
   * join the revocation list door scanners download (`ticketRevocations`).
   */
  async revokeForReservation(reservationId: string, at: Date, reason = "REFUNDED"): Promise<number> {
    await this.db.$executeRaw`
      INSERT INTO ticket_revocations (ticket_id, version, event_id, reason, revoked_at)
      SELECT id, code_version, event_id, ${reason}, ${at} FROM tickets
      WHERE reservation_id = ${reservationId}::uuid AND status = 'ISSUED'
      ON CONFLICT DO NOTHING`;
    const { count } = await this.db.ticket.updateMany({
      where: { reservationId, status: "ISSUED" },
      data: { status: "REVOKED", revokedAt: at },
    });
    return count;
  }

  listForUsers(userIds: readonly string[]): Promise<TicketRecord[]> {
    return this.db.ticket.findMany({
      where: { userId: { in: [...userIds] } },
      orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
      take: 500,
    });
  }

  listForReservations(reservationIds: readonly string[]): Promise<TicketRecord[]> {
    return this.db.ticket.findMany({
      where: { reservationId: { in: [...reservationIds] } },
      orderBy: { id: "asc" },
    });
  }

  findByIds(ids: readonly string[]): Promise<TicketRecord[]> {
    return this.db.ticket.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Voids every valid ticket of an event (it was cancelled); their codes join the revocation list. */
  async revokeForEvent(eventId: string, at: Date, reason: string): Promise<number> {
    await this.db.$executeRaw`
      INSERT INTO ticket_revocations (ticket_id, version, event_id, reason, revoked_at)
      SELECT id, code_version, event_id, ${reason}, ${at} FROM tickets
      WHERE event_id = ${eventId}::uuid AND status = 'ISSUED'
      ON CONFLICT DO NOTHING`;
    const { count } = await this.db.ticket.updateMany({
      where: { eventId, status: "ISSUED" },
      data: { status: "REVOKED", revokedAt: at },
    });
    return count;
  }

  /** The ticket, row-locked (a listing or a transfer decides on its owner and status). */
  async lock(id: string): Promise<TicketRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM tickets WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.db.ticket.findUnique({ where: { id } }) : null;
  }

  /**
   * A transfer: the ticket is the buyer's with a newly signed code of the next version, and the
   * seller's code (the version before) is revoked. The caller holds the row lock.
   */
  async changeHands(
    ticket: TicketRecord,
    change: { toUserId: string; code: string; at: Date },
  ): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO ticket_revocations (ticket_id, version, event_id, reason, revoked_at)
      VALUES (${ticket.id}::uuid, ${ticket.codeVersion}, ${ticket.eventId}::uuid, 'TRANSFERRED', ${change.at})
      ON CONFLICT DO NOTHING`;
    await this.db.ticket.update({
      where: { id: ticket.id },
      data: { userId: change.toUserId, code: change.code, codeVersion: ticket.codeVersion + 1 },
    });
  }
}
