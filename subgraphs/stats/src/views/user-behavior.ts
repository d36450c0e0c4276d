import type { ViewClock } from "../domain/records.ts";
import type { TierBehavior, UserBehavior } from "../generated/graphql.ts";
import type { Db } from "../repositories/prisma.ts";
import { daySpan, ratio } from "./span.ts";

type Row = Record<string, bigint | null>;
const n = (value: bigint | null | undefined) => Number(value ?? 0);
const TIER_ORDER = ["DIAMOND", "GOLD", "SILVER", "BRONZE"];

/** Who was active, who bought and how much, how the span's holds ended, by fan-club tier. */
export async function userBehavior(db: Db, clock: ViewClock, days: number): Promise<UserBehavior> {
  const { from, to } = await daySpan(db, clock, days);
  const [[active], [bought], [repeat], [outcomes], tiers, [resales], [members]] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT count(DISTINCT user_id) AS users,
             count(DISTINCT user_id) FILTER (WHERE source = 'hold') AS holders FROM (
        SELECT user_id, 'admission' AS source FROM stats_admissions WHERE admitted_at >= ${from} AND admitted_at < ${to}
        UNION ALL
        SELECT user_id, 'hold' FROM stats_reservations WHERE created_at >= ${from} AND created_at < ${to}) seen`,
    db.$queryRaw<Row[]>`
      SELECT count(*) AS purchases, count(DISTINCT user_id) AS buyers, sum(sold_quantity) AS tickets,
             sum(sold_amount) AS amount
      FROM stats_reservations WHERE confirmed_at >= ${from} AND confirmed_at < ${to}`,
    db.$queryRaw<Row[]>`
      SELECT count(*) AS buyers FROM (
        SELECT user_id FROM stats_reservations WHERE confirmed_at >= ${from} AND confirmed_at < ${to}
        GROUP BY user_id HAVING count(*) >= 2) repeat_buyers`,
    db.$queryRaw<Row[]>`
      SELECT count(*) AS holds, count(confirmed_at) AS purchased, count(cancelled_at) AS cancelled,
             count(expired_at) AS expired,
             count(*) FILTER (WHERE confirmed_at IS NULL AND cancelled_at IS NULL AND expired_at IS NULL) AS pending
      FROM stats_reservations WHERE created_at >= ${from} AND created_at < ${to}`,
    db.$queryRaw<
      {
        tier: string | null;
        buyers: bigint;
        purchases: bigint;
        tickets: bigint | null;
        revenue: bigint | null;
      }[]
    >`
      SELECT buyer_tier AS tier, count(DISTINCT user_id) AS buyers, count(*) AS purchases,
             sum(sold_quantity) AS tickets, sum(sold_amount) AS revenue
      FROM stats_reservations WHERE confirmed_at >= ${from} AND confirmed_at < ${to} GROUP BY buyer_tier`,
    db.$queryRaw<Row[]>`
      SELECT count(DISTINCT seller_id) AS sellers, count(DISTINCT buyer_id) AS buyers FROM stats_transfers
      WHERE completed_at >= ${from} AND completed_at < ${to}`,
    db.$queryRaw<Row[]>`
      SELECT count(*) AS members FROM stats_memberships WHERE activated_at >= ${from} AND activated_at < ${to}`,
  ]);
  const purchases = n(bought?.purchases);
  const byTier: TierBehavior[] = tiers
    .map((t) => ({
      tier: t.tier,
      buyers: Number(t.buyers),
      purchases: Number(t.purchases),
      tickets: Number(t.tickets ?? 0),
      revenue: Number(t.revenue ?? 0),
    }))
    .sort((a, b) => rank(a.tier) - rank(b.tier));
  return {
    days,
    activeUsers: n(active?.users),
    holders: n(active?.holders),
    buyers: n(bought?.buyers),
    repeatBuyers: n(repeat?.buyers),
    purchasesPerBuyer: ratio(purchases, n(bought?.buyers)),
    ticketsPerPurchase: ratio(n(bought?.tickets), purchases),
    averageOrderValue: ratio(n(bought?.amount), purchases),
    holdOutcomes: {
      holds: n(outcomes?.holds),
      purchased: n(outcomes?.purchased),
      cancelled: n(outcomes?.cancelled),
      expired: n(outcomes?.expired),
      pending: n(outcomes?.pending),
    },
    byTier,
    transferSellers: n(resales?.sellers),
    transferBuyers: n(resales?.buyers),
    newMembers: n(members?.members),
  };
}

const rank = (tier: string | null) => (tier === null ? TIER_ORDER.length : TIER_ORDER.indexOf(tier));
