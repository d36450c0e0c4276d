import type { ViewClock } from "../domain/records.ts";
import type { MinuteStats, RealtimeStats } from "../generated/graphql.ts";
import { type Db, Prisma } from "../repositories/prisma.ts";
import { activeHolds } from "./overview.ts";
import { type Tallies, tallyTimeline } from "./timeline.ts";

const MINUTE = 60_000;
const MINUTES = 15;

/**
 * Live holds, the last hour and the last 15 minutes. No upper bound on the windows: a fact dated a
 * moment ahead of this clock (another host's) belongs to "now", not to nowhere.
 */
export async function realtime(db: Db, clock: ViewClock): Promise<RealtimeStats> {
  const now = clock.now.getTime();
  const firstMinute = Math.floor(now / MINUTE) * MINUTE - (MINUTES - 1) * MINUTE;
  const minuteOf = Prisma.sql`to_char(date_trunc('minute', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI')`;
  const [live, hour, minutes, [last]] = await Promise.all([
    activeHolds(db, clock.now),
    tallyTimeline(db, { from: new Date(now - 60 * MINUTE), to: null }, Prisma.sql`'hour'`),
    tallyTimeline(db, { from: new Date(firstMinute), to: null }, minuteOf),
    db.$queryRaw<{ at: Date | null }[]>`SELECT max(applied_at) AS at FROM event_journal`,
  ]);
  const perMinute = Array.from({ length: MINUTES }, (_, i) => minuteStats(minutes, firstMinute + i * MINUTE));
  return {
    asOf: clock.now,
    ...live,
    lastHour: {
      holds: hour.get("hour", "hold").n,
      purchases: hour.get("hour", "purchase").n,
      ticketsSold: hour.get("hour", "purchase").units,
      revenue: hour.get("hour", "payment").amount,
      admissions: hour.get("hour", "admission").n,
      cancellations: hour.get("hour", "cancellation").n,
      expiries: hour.get("hour", "expiry").n,
    },
    perMinute,
    lastEventAt: last?.at ?? null,
  };
}

function minuteStats(t: Tallies, start: number): MinuteStats {
  const key = new Date(start).toISOString().slice(0, 16);
  return {
    minute: new Date(start),
    holds: t.get(key, "hold").n,
    purchases: t.get(key, "purchase").n,
    revenue: t.get(key, "payment").amount,
    admissions: t.get(key, "admission").n,
  };
}
