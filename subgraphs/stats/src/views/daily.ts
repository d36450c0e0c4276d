import type { ViewClock } from "../domain/records.ts";
import type { DailyStats } from "../generated/graphql.ts";
import type { Db } from "../repositories/prisma.ts";
import { daySpan, daysBetween } from "./span.ts";
import { localDay, type Tallies, tallyTimeline } from "./timeline.ts";

/** One row per calendar day of the span ending today, zeros included. */
export async function daily(db: Db, clock: ViewClock, days: number): Promise<DailyStats[]> {
  const span = await daySpan(db, clock, days);
  const tallies = await tallyTimeline(db, span, localDay(clock.timeZone));
  return daysBetween(span.firstDay, span.lastDay).map((day) => dayOf(tallies, day));
}

export function dayOf(t: Tallies, date: string): DailyStats {
  const revenue = t.get(date, "payment").amount;
  const refundedAmount = t.get(date, "payment_refund").amount;
  return {
    date,
    holds: t.get(date, "hold").n,
    purchases: t.get(date, "purchase").n,
    cancellations: t.get(date, "cancellation").n,
    expiries: t.get(date, "expiry").n,
    refunds: t.get(date, "refund").n,
    ticketsSold: t.get(date, "purchase").units,
    revenue,
    refundedAmount,
    netRevenue: revenue - refundedAmount,
    newMembers: t.get(date, "member").n,
    renewals: t.get(date, "renewal").n,
    transfers: t.get(date, "transfer").n,
    admissions: t.get(date, "admission").n,
  };
}
