import type { EventStatsRecord } from "../domain/records.ts";
import type { EventStatsSort } from "../generated/graphql.ts";
import { type Db, Prisma } from "../repositories/prisma.ts";

const ORDER: Record<EventStatsSort, Prisma.Sql> = {
  REVENUE: Prisma.sql`revenue`,
  TICKETS_SOLD: Prisma.sql`tickets_sold`,
  HOLDS: Prisma.sql`holds`,
  CONVERSION: Prisma.sql`conversion`,
  ADMISSIONS: Prisma.sql`admissions`,
};

interface Row {
  eventId: string;
  holds: bigint;
  purchases: bigint;
  cancellations: bigint;
  expiries: bigint;
  refunds: bigint;
  ticketsSold: bigint;
  revenue: bigint;
  conversion: number;
  admissions: bigint;
  transfers: bigint;
}

/**
 * Per-event figures for the events with any hold, admission or resale: ranked (`eventIds` null),
 * or for the given events (Event.stats, one query per request however many events).
 */
export async function eventStats(
  db: Db,
  options: { sortBy: EventStatsSort; limit: number; eventIds: readonly string[] | null },
): Promise<EventStatsRecord[]> {
  const only = options.eventIds
    ? Prisma.sql`WHERE e.event_id = ANY(${[...options.eventIds]}::uuid[])`
    : Prisma.empty;
  const rows = await db.$queryRaw<Row[]>`
    WITH r AS (
      SELECT event_id, count(created_at) AS holds, count(confirmed_at) AS purchases,
             count(cancelled_at) AS cancellations, count(expired_at) AS expiries, count(refunded_at) AS refunds,
             coalesce(sum(sold_quantity) FILTER (WHERE confirmed_at IS NOT NULL AND refunded_at IS NULL), 0) AS tickets_sold,
             coalesce(sum(sold_amount) FILTER (WHERE confirmed_at IS NOT NULL AND refunded_at IS NULL), 0) AS revenue
      FROM stats_reservations GROUP BY event_id
    ), a AS (
      SELECT event_id, count(*) AS admissions FROM stats_admissions GROUP BY event_id
    ), t AS (
      SELECT event_id, count(*) FILTER (WHERE completed_at IS NOT NULL) AS transfers
      FROM stats_transfers WHERE event_id IS NOT NULL GROUP BY event_id
    ), e AS (
      SELECT event_id FROM r UNION SELECT event_id FROM a UNION SELECT event_id FROM t
    ), figures AS (
      SELECT e.event_id AS "eventId", coalesce(r.holds, 0) AS holds, coalesce(r.purchases, 0) AS purchases,
             coalesce(r.cancellations, 0) AS cancellations, coalesce(r.expiries, 0) AS expiries,
             coalesce(r.refunds, 0) AS refunds, coalesce(r.tickets_sold, 0) AS tickets_sold,
             coalesce(r.revenue, 0) AS revenue,
             CASE WHEN coalesce(r.holds, 0) = 0 THEN 0 ELSE r.purchases::float8 / r.holds END AS conversion,
             coalesce(a.admissions, 0) AS admissions, coalesce(t.transfers, 0) AS transfers
      FROM e LEFT JOIN r USING (event_id) LEFT JOIN a USING (event_id) LEFT JOIN t USING (event_id) ${only}
    )
    SELECT "eventId", holds, purchases, cancellations, expiries, refunds, tickets_sold AS "ticketsSold", revenue,
           conversion, admissions, transfers
    FROM figures ORDER BY ${ORDER[options.sortBy]} DESC, "eventId" LIMIT ${options.limit}`;
  return rows.map((row) => ({
    eventId: row.eventId,
    holds: Number(row.holds),
    purchases: Number(row.purchases),
    cancellations: Number(row.cancellations),
    expiries: Number(row.expiries),
    refunds: Number(row.refunds),
    ticketsSold: Number(row.ticketsSold),
    revenue: Number(row.revenue),
    conversionRate: Number(row.conversion),
    admissions: Number(row.admissions),
    transfers: Number(row.transfers),
  }));
}
