import type { SeatPreference } from "../generated/graphql.ts";
import { type Db, Prisma } from "../repositories/prisma.ts";
import { ratio } from "./span.ts";

/** Units held and sold per section and price tier (general admission: no section, its type). */
export async function seatPreferences(db: Db, eventId: string | null): Promise<SeatPreference[]> {
  const only = eventId ? Prisma.sql`WHERE r.event_id = ${eventId}::uuid` : Prisma.empty;
  const rows = await db.$queryRaw<
    { section: string | null; priceTier: string; held: bigint; sold: bigint | null; revenue: bigint | null }[]
  >`
    SELECT l.section, l.price_tier AS "priceTier", sum(l.quantity) AS held,
           sum(l.quantity) FILTER (WHERE r.confirmed_at IS NOT NULL AND r.refunded_at IS NULL) AS sold,
           sum(l.quantity * l.unit_price) FILTER (WHERE r.confirmed_at IS NOT NULL AND r.refunded_at IS NULL) AS revenue
    FROM stats_reservation_lines l JOIN stats_reservations r ON r.reservation_id = l.reservation_id ${only}
    GROUP BY l.section, l.price_tier
    ORDER BY sold DESC NULLS LAST, revenue DESC NULLS LAST, l.section NULLS LAST, l.price_tier`;
  return rows.map((row) => {
    const held = Number(row.held);
    const sold = Number(row.sold ?? 0);
    return {
      section: row.section,
      priceTier: row.priceTier,
      held,
      sold,
      revenue: Number(row.revenue ?? 0),
      sellThrough: ratio(sold, held),
    };
  });
}
