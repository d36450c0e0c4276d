import type { ViewClock } from "../domain/records.ts";
import type { ConversionFunnel, FunnelStage, FunnelStep } from "../generated/graphql.ts";
import type { Db } from "../repositories/prisma.ts";
import { daySpan, ratio } from "./span.ts";

type Row = Record<string, bigint | null>;
const n = (value: bigint | null | undefined) => Number(value ?? 0);

/**
 * The funnel over the span, per event and user: queue numbers handed out (every join takes the
 * next one, so an event's joins are its highest number admitted in the span minus the highest
 * admitted before it), users admitted, users holding, users buying.
 */
export async function conversion(db: Db, clock: ViewClock, days: number): Promise<ConversionFunnel> {
  const { from, to } = await daySpan(db, clock, days);
  const [[admitted], [joins], [held], [bought], [abandoned]] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT count(*) AS admissions, count(DISTINCT (event_id, user_id)) AS users FROM stats_admissions
      WHERE admitted_at >= ${from} AND admitted_at < ${to}`,
    db.$queryRaw<Row[]>`
      SELECT sum(highest - earlier) AS joins FROM (
        SELECT max(queue_number) FILTER (WHERE admitted_at >= ${from} AND admitted_at < ${to}) AS highest,
               coalesce(max(queue_number) FILTER (WHERE admitted_at < ${from}), 0) AS earlier
        FROM stats_admissions GROUP BY event_id) per_event
      WHERE highest IS NOT NULL`,
    db.$queryRaw<Row[]>`
      SELECT count(*) AS holds, count(DISTINCT (event_id, user_id)) AS users FROM stats_reservations
      WHERE created_at >= ${from} AND created_at < ${to}`,
    db.$queryRaw<Row[]>`
      SELECT count(*) AS purchases, count(DISTINCT (event_id, user_id)) AS users FROM stats_reservations
      WHERE confirmed_at >= ${from} AND confirmed_at < ${to}`,
    db.$queryRaw<Row[]>`
      SELECT count(*) FILTER (WHERE cancelled_at >= ${from} AND cancelled_at < ${to})
           + count(*) FILTER (WHERE expired_at >= ${from} AND expired_at < ${to}) AS holds
      FROM stats_reservations`,
  ]);
  const counts: [FunnelStage, number][] = [
    ["QUEUE_JOINS", n(joins?.joins)],
    ["ADMITTED", n(admitted?.users)],
    ["HELD", n(held?.users)],
    ["PURCHASED", n(bought?.users)],
  ];
  const steps: FunnelStep[] = counts.map(([stage, count], i) => {
    const previous = counts[i - 1]?.[1];
    return { stage, count, rateFromPrevious: previous ? count / previous : null };
  });
  return {
    days,
    steps,
    admissions: n(admitted?.admissions),
    holds: n(held?.holds),
    purchases: n(bought?.purchases),
    abandonedHolds: n(abandoned?.holds),
    overallRate: ratio(n(bought?.users), n(joins?.joins)),
  };
}
