import type { TicketTypeRecord } from "../domain/records.ts";
import { SeatChangeLog } from "../live/seat-change-log.ts";
import type { Db } from "./prisma.ts";

const FIELDS = {
  id: true,
  eventId: true,
  name: true,
  price: true,
  totalQuantity: true,
  availableQuantity: true,
} as const;

export class TicketTypeRepository {
  constructor(
    private readonly db: Db,
    /** Records stock changes for the live availability feed (published after commit). */
    private readonly changes: SeatChangeLog = new SeatChangeLog(),
  ) {}

  findByIds(ids: readonly string[]): Promise<TicketTypeRecord[]> {
    return this.db.ticketType.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  listForEvents(eventIds: readonly string[]): Promise<TicketTypeRecord[]> {
    return this.db.ticketType.findMany({
      where: { eventId: { in: [...eventIds] } },
      orderBy: [{ price: "desc" }, { name: "asc" }],
      select: FIELDS,
    });
  }

  /** The ticket type under a row lock until the transaction ends (an admin change reads, then writes). */
  async findForUpdate(id: string): Promise<TicketTypeRecord | null> {
    const rows = await this.db.$queryRaw<TicketTypeRecord[]>`
      SELECT id, event_id AS "eventId", name, price, total_quantity AS "totalQuantity",
             available_quantity AS "availableQuantity"
      FROM ticket_types WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  /**
   * Takes `quantity` from stock in one guarded statement: it succeeds only while enough remain, so
   * concurrent buyers can never drive stock below zero (and the CHECK constraint backs this up).
   */
  async take(id: string, eventId: string, quantity: number): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      UPDATE ticket_types SET available_quantity = available_quantity - ${quantity}
      WHERE id = ${id}::uuid AND event_id = ${eventId}::uuid AND available_quantity >= ${quantity}`;
    if (changed === 1) this.changes.stock(eventId);
    return changed === 1;
  }

  async giveBack(id: string, quantity: number): Promise<void> {
    const rows = await this.db.$queryRaw<{ eventId: string }[]>`
      UPDATE ticket_types SET available_quantity = available_quantity + ${quantity} WHERE id = ${id}::uuid
      RETURNING event_id AS "eventId"`;
    for (const row of rows) this.changes.stock(row.eventId);
  }

  /** Returns to stock what the given reservations took, in one statement (an event's closure). */
  async giveBackFor(reservationIds: readonly string[]): Promise<void> {
    if (reservationIds.length === 0) return;
    const rows = await this.db.$queryRaw<{ eventId: string }[]>`
      UPDATE ticket_types t SET available_quantity = t.available_quantity + taken.quantity
      FROM (
        SELECT ticket_type_id, sum(quantity)::int AS quantity FROM reservation_items
        WHERE reservation_id = ANY(${[...reservationIds]}::uuid[]) AND ticket_type_id IS NOT NULL
        GROUP BY ticket_type_id
      ) AS taken
      WHERE t.id = taken.ticket_type_id
      RETURNING t.event_id AS "eventId"`;
    for (const row of rows) this.changes.stock(row.eventId);
  }

  create(type: {
    eventId: string;
    name: string;
    price: number;
    totalQuantity: number;
  }): Promise<TicketTypeRecord> {
    return this.db.ticketType.create({
      data: { ...type, availableQuantity: type.totalQuantity },
      select: FIELDS,
    });
  }

  /** Changes price or total; the sold count (total − available) is preserved. */
  async update(
    id: string,
    changes: { name?: string; price?: number; totalQuantity?: number },
  ): Promise<TicketTypeRecord | null> {
    const locked = await this.db.$queryRaw<{ total_quantity: number; available_quantity: number }[]>`
      SELECT total_quantity, available_quantity FROM ticket_types WHERE id = ${id}::uuid FOR UPDATE`;
    const current = locked[0];
    if (!current) return null;
    const sold = current.total_quantity - current.available_quantity;
    const total = changes.totalQuantity ?? current.total_quantity;
    return this.db.ticketType.update({
      where: { id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.price !== undefined ? { price: changes.price } : {}),
        totalQuantity: total,
        availableQuantity: total - sold,
      },
      select: FIELDS,
    });
  }
}
