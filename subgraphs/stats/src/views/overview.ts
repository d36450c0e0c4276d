import type { ViewClock } from "../domain/records.ts";
import type { ReasonCount, StatsOverview } from "../generated/graphql.ts";
import type { Db } from "../repositories/prisma.ts";
import { daily } from "./daily.ts";
import { ratio } from "./span.ts";

type Row = Record<string, bigint | null>;
const n = (value: bigint | null | undefined) => Number(value ?? 0);

/** Holds now running and the seats and tickets in them. */
export async function activeHolds(db: Db, now: Date): Promise<{ activeHolds: number; heldTickets: number }> {
  const [row] = await db.$queryRaw<Row[]>`
    SELECT count(*) AS holds, sum(quantity) AS tickets FROM stats_reservations
    WHERE created_at IS NOT NULL AND confirmed_at IS NULL AND cancelled_at IS NULL AND expired_at IS NULL
      AND expires_at > ${now}`;
  return { activeHolds: n(row?.holds), heldTickets: n(row?.tickets) };
}

/** All-time totals and today. */
export async function overview(db: Db, clock: ViewClock): Promise<StatsOverview> {
  const [[r], [p], [other], reasons, live, [today]] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT count(created_at) AS holds, count(confirmed_at) AS purchases, count(cancelled_at) AS cancellations,
             count(expired_at) AS expiries, count(refunded_at) AS refunds,
             sum(sold_quantity) FILTER (WHERE confirmed_at IS NOT NULL AND refunded_at IS NULL) AS tickets_sold,
             count(DISTINCT user_id) FILTER (WHERE confirmed_at IS NOT NULL) AS buyers
      FROM stats_reservations`,
    db.$queryRaw<Row[]>`
      SELECT count(confirmed_at) AS payments, sum(amount) FILTER (WHERE confirmed_at IS NOT NULL) AS gross,
             sum(amount) FILTER (WHERE refunded_at IS NOT NULL) AS refunded
      FROM stats_payments`,
    db.$queryRaw<Row[]>`
      SELECT (SELECT count(*) FROM (SELECT event_id FROM stats_reservations UNION SELECT event_id FROM stats_admissions
              UNION SELECT event_id FROM stats_transfers WHERE event_id IS NOT NULL) e) AS events,
             (SELECT count(*) FROM stats_transfers WHERE completed_at IS NOT NULL) AS transfers,
             (SELECT count(*) FROM stats_memberships WHERE NOT lapsed AND expires_at > ${clock.now}) AS members`,
    cancellationReasons(db),
    activeHolds(db, clock.now),
    daily(db, clock, 1),
  ]);
  const gross = n(p?.gross);
  const refunded = n(p?.refunded);
  if (!today) throw new Error("daily(1) returned no day");
  return {
    asOf: clock.now,
    events: n(other?.events),
    holds: n(r?.holds),
    ...live,
    purchases: n(r?.purchases),
    ticketsSold: n(r?.tickets_sold),
    cancellations: n(r?.cancellations),
    expiries: n(r?.expiries),
    refunds: n(r?.refunds),
    buyers: n(r?.buyers),
    payments: n(p?.payments),
    grossRevenue: gross,
    refundedAmount: refunded,
    netRevenue: gross - refunded,
    transfersCompleted: n(other?.transfers),
    activeMembers: n(other?.members),
    conversionRate: ratio(n(r?.purchases), n(r?.holds)),
    cancellationsByReason: reasons,
    today,
  };
}

async function cancellationReasons(db: Db): Promise<ReasonCount[]> {
  const rows = await db.$queryRaw<{ reason: string; count: bigint }[]>`
    SELECT cancel_reason AS reason, count(*) AS count FROM stats_reservations
    WHERE cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL
    GROUP BY cancel_reason ORDER BY count(*) DESC, cancel_reason`;
  return rows.map((row) => ({ reason: row.reason, count: Number(row.count) }));
}
