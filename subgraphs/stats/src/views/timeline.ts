import type { Db } from "../repositories/prisma.ts";
import { Prisma } from "../repositories/prisma.ts";

/** Every dated fact as (metric, at, units, amount, kind): what the time-bucketed views count. */
export type Metric =
  | "hold"
  | "purchase"
  | "cancellation"
  | "expiry"
  | "refund"
  | "payment"
  | "payment_refund"
  | "member"
  | "renewal"
  | "transfer"
  | "admission";

const TIMELINE = Prisma.sql`
  SELECT 'hold' AS metric, created_at AS at, quantity AS units, 0 AS amount, NULL AS kind
    FROM stats_reservations WHERE created_at IS NOT NULL
  UNION ALL SELECT 'purchase', confirmed_at, sold_quantity, sold_amount, NULL
    FROM stats_reservations WHERE confirmed_at IS NOT NULL
  UNION ALL SELECT 'cancellation', cancelled_at, released_quantity, 0, NULL
    FROM stats_reservations WHERE cancelled_at IS NOT NULL
  UNION ALL SELECT 'expiry', expired_at, released_quantity, 0, NULL
    FROM stats_reservations WHERE expired_at IS NOT NULL
  UNION ALL SELECT 'refund', refunded_at, sold_quantity, sold_amount, NULL
    FROM stats_reservations WHERE refunded_at IS NOT NULL
  UNION ALL SELECT 'payment', confirmed_at, 1, amount, kind FROM stats_payments WHERE confirmed_at IS NOT NULL
  UNION ALL SELECT 'payment_refund', refunded_at, 1, amount, kind FROM stats_payments WHERE refunded_at IS NOT NULL
  UNION ALL SELECT 'member', activated_at, 1, 0, NULL FROM stats_memberships WHERE activated_at IS NOT NULL
  UNION ALL SELECT 'renewal', renewed_at, 1, 0, NULL FROM stats_membership_renewals
  UNION ALL SELECT 'transfer', completed_at, 1, 0, NULL FROM stats_transfers WHERE completed_at IS NOT NULL
  UNION ALL SELECT 'admission', admitted_at, 1, 0, NULL FROM stats_admissions`;

export interface Tally {
  /** Facts counted. */
  n: number;
  /** Seats and tickets (reservation metrics). */
  units: number;
  /** Integer KRW (purchases, refunds, payments). */
  amount: number;
}

const ZERO: Tally = { n: 0, units: 0, amount: 0 };

/** Counts per bucket, metric and (for payments) kind. */
export class Tallies {
  constructor(private readonly rows: Map<string, Tally>) {}

  get(bucket: string, metric: Metric, kind?: string): Tally {
    if (kind) return this.rows.get(`${bucket}|${metric}|${kind}`) ?? ZERO;
    const total = { ...ZERO };
    for (const [key, tally] of this.rows) {
      if (!key.startsWith(`${bucket}|${metric}|`)) continue;
      total.n += tally.n;
      total.units += tally.units;
      total.amount += tally.amount;
    }
    return total;
  }
}

/**
 * Tallies the facts dated in [from, to) (no upper bound when `to` is null) into buckets named by
 * `bucket`, an SQL expression over the fact's instant `at`.
 */
export async function tallyTimeline(
  db: Db,
  span: { from: Date; to: Date | null },
  bucket: Prisma.Sql,
): Promise<Tallies> {
  const upper = span.to ? Prisma.sql`AND at < ${span.to}` : Prisma.empty;
  const rows = await db.$queryRaw<
    {
      bucket: string;
      metric: Metric;
      kind: string | null;
      n: bigint;
      units: bigint | null;
      amount: bigint | null;
    }[]
  >`
    SELECT ${bucket} AS bucket, metric, kind, count(*) AS n, sum(units) AS units, sum(amount) AS amount
    FROM (${TIMELINE}) timeline WHERE at >= ${span.from} ${upper}
    GROUP BY 1, metric, kind`;
  return new Tallies(
    new Map(
      rows.map((r) => [
        `${r.bucket}|${r.metric}|${r.kind ?? ""}`,
        { n: Number(r.n), units: Number(r.units ?? 0), amount: Number(r.amount ?? 0) },
      ]),
    ),
  );
}

/** The local calendar day of `at`, `YYYY-MM-DD`. */
export const localDay = (timeZone: string) =>
  Prisma.sql`to_char((at AT TIME ZONE ${timeZone})::date, 'YYYY-MM-DD')`;
