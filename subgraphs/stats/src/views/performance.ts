import { MEMBERSHIP_TOPIC, PAYMENT_TOPIC, QUEUE_TOPIC, RESERVATION_TOPIC, TRANSFER_TOPIC } from "@urr/events";
import type { ViewClock } from "../domain/records.ts";
import type { LatencyStats, PerformanceStats, TopicLag } from "../generated/graphql.ts";
import { type Db, Prisma } from "../repositories/prisma.ts";

/** The topics stats consumes: each is reported, with zero events when it was quiet. */
export const STATS_TOPICS = [PAYMENT_TOPIC, RESERVATION_TOPIC, TRANSFER_TOPIC, MEMBERSHIP_TOPIC, QUEUE_TOPIC];

/** count, mean, median, 95th percentile and maximum of `seconds.value`. */
const SUMMARY = Prisma.sql`SELECT count(*) AS samples, avg(value) AS average,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95, max(value) AS max FROM seconds`;

interface Distribution {
  samples: bigint;
  average: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

/** Admission to first hold, hold to purchase, and how far stats trails each topic. */
export async function performance(db: Db, clock: ViewClock, hours: number): Promise<PerformanceStats> {
  const from = new Date(clock.now.getTime() - hours * 3_600_000);
  const [[hold], [purchase], lags, rejections] = await Promise.all([
    db.$queryRaw<Distribution[]>`
      WITH first_hold AS (
        SELECT event_id, user_id, min(created_at) AS at FROM stats_reservations
        WHERE created_at IS NOT NULL GROUP BY event_id, user_id
      ), first_admission AS (
        SELECT event_id, user_id, min(admitted_at) AS at FROM stats_admissions GROUP BY event_id, user_id
      ), seconds AS (
        SELECT extract(epoch FROM h.at - a.at)::float8 AS value FROM first_hold h JOIN first_admission a USING (event_id, user_id)
        WHERE h.at >= ${from} AND h.at >= a.at
      ) ${SUMMARY}`,
    db.$queryRaw<Distribution[]>`
      WITH seconds AS (
        SELECT extract(epoch FROM confirmed_at - created_at)::float8 AS value FROM stats_reservations
        WHERE confirmed_at >= ${from} AND created_at IS NOT NULL
      ) ${SUMMARY}`,
    db.$queryRaw<(Distribution & { topic: string; last: Date })[]>`
      WITH seconds AS (
        SELECT topic, extract(epoch FROM applied_at - occurred_at)::float8 * 1000 AS value, applied_at
        FROM event_journal WHERE applied_at >= ${from}
      )
      SELECT topic, count(*) AS samples, avg(value) AS average,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95, max(value) AS max, max(applied_at) AS last
      FROM seconds GROUP BY topic`,
    db.$queryRaw<{ reason: string; count: bigint }[]>`
      SELECT reason, count(*) AS count FROM stats_confirmation_rejections WHERE rejected_at >= ${from}
      GROUP BY reason ORDER BY count(*) DESC, reason`,
  ]);
  const eventLag: TopicLag[] = STATS_TOPICS.map((topic) => {
    const lag = lags.find((l) => l.topic === topic);
    return {
      topic,
      events: Number(lag?.samples ?? 0),
      p50Ms: lag?.p50 ?? null,
      p95Ms: lag?.p95 ?? null,
      maxMs: lag?.max ?? null,
      lastAppliedAt: lag?.last ?? null,
    };
  });
  return {
    hours,
    holdLatency: latency(hold),
    purchaseLatency: latency(purchase),
    eventLag,
    rejectedConfirmations: rejections.map((r) => ({ reason: r.reason, count: Number(r.count) })),
  };
}

function latency(d: Distribution | undefined): LatencyStats {
  return {
    samples: Number(d?.samples ?? 0),
    averageSeconds: d?.average ?? null,
    p50Seconds: d?.p50 ?? null,
    p95Seconds: d?.p95 ?? null,
    maxSeconds: d?.max ?? null,
  };
}
