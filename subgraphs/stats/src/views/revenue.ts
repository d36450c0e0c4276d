import type { ViewClock } from "../domain/records.ts";
import type { RevenueBucket, RevenuePeriod, RevenueReport } from "../generated/graphql.ts";
import { type Db, Prisma } from "../repositories/prisma.ts";
import { daySpan, daysBetween } from "./span.ts";
import { type Tallies, tallyTimeline } from "./timeline.ts";

const TRUNC: Record<RevenuePeriod, string> = { DAY: "day", WEEK: "week", MONTH: "month" };

/** Payments in and refunds out over the span, per day, week (from Monday) or month. */
export async function revenue(
  db: Db,
  clock: ViewClock,
  period: RevenuePeriod,
  days: number,
): Promise<RevenueReport> {
  const span = await daySpan(db, clock, days);
  const local = Prisma.sql`(at AT TIME ZONE ${clock.timeZone})::date`;
  const start = Prisma.sql`to_char(date_trunc(${TRUNC[period]}::text, ${local}::timestamp), 'YYYY-MM-DD')`;
  const [buckets, total] = await Promise.all([
    tallyTimeline(db, span, start),
    tallyTimeline(db, span, Prisma.sql`'total'`),
  ]);
  const starts = [
    ...new Set(daysBetween(span.firstDay, span.lastDay).map((day) => periodStart(day, period))),
  ];
  return {
    period,
    from: span.firstDay,
    to: span.lastDay,
    total: bucketOf(total, "total", span.firstDay),
    buckets: starts.map((day) => bucketOf(buckets, day, day)),
  };
}

/** The first day of the day's week (Monday) or month, as PostgreSQL's date_trunc has it. */
function periodStart(day: string, period: RevenuePeriod): string {
  if (period === "DAY") return day;
  if (period === "MONTH") return `${day.slice(0, 7)}-01`;
  const at = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return new Date(at.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

function bucketOf(t: Tallies, key: string, periodStart: string): RevenueBucket {
  const gross = t.get(key, "payment").amount;
  const refunded = t.get(key, "payment_refund").amount;
  return {
    periodStart,
    payments: t.get(key, "payment").n,
    gross,
    refunds: t.get(key, "payment_refund").n,
    refunded,
    net: gross - refunded,
    reservations: t.get(key, "payment", "RESERVATION").amount,
    transfers: t.get(key, "payment", "TRANSFER").amount,
    memberships: t.get(key, "payment", "MEMBERSHIP").amount,
  };
}
