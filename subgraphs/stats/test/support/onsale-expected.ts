import type { EventEnvelope } from "@urr/events";
import { quantityOf, totalOf } from "./onsale-events.ts";
import {
  ADMISSIONS,
  EVENT,
  HOLDS,
  type HoldFact,
  MEMBERSHIPS,
  NOW,
  PAYMENTS,
  REJECTIONS,
  TRANSFERS,
} from "./onsale-facts.ts";
import { topicOf } from "./stats-harness.ts";

/**
 * The figures every view must show after the scripted on-sale, computed from the facts with plain
 * arithmetic (Seoul is UTC+9 all year, so its days are fixed offsets here).
 */
const DAY_MS = 86_400_000;
export const seoulDay = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
const TODAY = seoulDay(NOW);
const dayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const span = (days: number) => {
  const first = addDays(TODAY, -(days - 1));
  return { first, from: dayStart(first), to: dayStart(addDays(TODAY, 1)) };
};
const within = (d: Date | undefined, from: Date, to = new Date(8.64e15)) => !!d && d >= from && d < to;
const distinct = (keys: string[]) => new Set(keys).size;
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

const confirmedAt = (h: HoldFact) => (h.end?.kind === "confirmed" ? h.end.at : undefined);
const cancelledAt = (h: HoldFact) => (h.end?.kind === "cancelled" ? h.end.at : undefined);
const expiredAt = (h: HoldFact) => (h.end?.kind === "expired" ? h.end.at : undefined);
const sold = (h: HoldFact) => !!confirmedAt(h) && !h.refundedAt;
const activatedAt = (m: (typeof MEMBERSHIPS)[number]) => m.changes.find((c) => c.type === "activated")?.at;
const renewals = MEMBERSHIPS.flatMap((m) => m.changes.filter((c) => c.type === "renewed").map((c) => c.at));
const completions = TRANSFERS.flatMap((t) => (t.completed ? [t.completed] : []));
const refunds = PAYMENTS.flatMap((p) => (p.refund ? [{ ...p.refund, amount: p.amount }] : []));

function dayFigures(from: Date, to: Date, date: string) {
  const purchases = HOLDS.filter((h) => within(confirmedAt(h), from, to));
  const revenue = sum(PAYMENTS.filter((p) => within(p.confirmedAt, from, to)).map((p) => p.amount));
  const refundedAmount = sum(refunds.filter((r) => within(r.at, from, to)).map((r) => r.amount));
  return {
    date,
    holds: HOLDS.filter((h) => within(h.createdAt, from, to)).length,
    purchases: purchases.length,
    cancellations: HOLDS.filter((h) => within(cancelledAt(h), from, to)).length,
    expiries: HOLDS.filter((h) => within(expiredAt(h), from, to)).length,
    refunds: HOLDS.filter((h) => within(h.refundedAt, from, to)).length,
    ticketsSold: sum(purchases.map(quantityOf)),
    revenue,
    refundedAmount,
    netRevenue: revenue - refundedAmount,
    newMembers: MEMBERSHIPS.filter((m) => within(activatedAt(m), from, to)).length,
    renewals: renewals.filter((d) => within(d, from, to)).length,
    transfers: completions.filter((c) => within(c.at, from, to)).length,
    admissions: ADMISSIONS.filter((a) => within(a.at, from, to)).length,
  };
}

export function daily(days: number) {
  return Array.from({ length: days }, (_, i) => {
    const day = addDays(span(days).first, i);
    return dayFigures(dayStart(day), dayStart(addDays(day, 1)), day);
  });
}

const active = HOLDS.filter((h) => !h.end && h.expiresAt > NOW);

export function overview() {
  const reasons = new Map<string, number>();
  for (const h of HOLDS)
    if (h.end?.kind === "cancelled") reasons.set(h.end.reason, (reasons.get(h.end.reason) ?? 0) + 1);
  const gross = sum(PAYMENTS.map((p) => p.amount));
  const refunded = sum(refunds.map((r) => r.amount));
  const purchases = HOLDS.filter(confirmedAt).length;
  return {
    asOf: NOW.toISOString(),
    events: distinct([
      ...HOLDS.map((h) => h.eventId),
      ...ADMISSIONS.map((a) => a.eventId),
      ...TRANSFERS.map((t) => t.eventId),
    ]),
    holds: HOLDS.length,
    activeHolds: active.length,
    heldTickets: sum(active.map(quantityOf)),
    purchases,
    ticketsSold: sum(HOLDS.filter(sold).map(quantityOf)),
    cancellations: HOLDS.filter(cancelledAt).length,
    expiries: HOLDS.filter(expiredAt).length,
    refunds: HOLDS.filter((h) => h.refundedAt).length,
    buyers: distinct(HOLDS.filter(confirmedAt).map((h) => h.userId)),
    payments: PAYMENTS.length,
    grossRevenue: gross,
    refundedAmount: refunded,
    netRevenue: gross - refunded,
    transfersCompleted: completions.length,
    activeMembers: MEMBERSHIPS.filter((m) => {
      const last = m.changes[m.changes.length - 1];
      return last && last.type !== "expired" && last.expiresAt > NOW;
    }).length,
    conversionRate: ratio(purchases, HOLDS.length),
    cancellationsByReason: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    today: daily(1)[0],
  };
}

export function eventStats(eventId: string) {
  const holds = HOLDS.filter((h) => h.eventId === eventId);
  const purchases = holds.filter(confirmedAt).length;
  return {
    eventId,
    holds: holds.length,
    purchases,
    cancellations: holds.filter(cancelledAt).length,
    expiries: holds.filter(expiredAt).length,
    refunds: holds.filter((h) => h.refundedAt).length,
    ticketsSold: sum(holds.filter(sold).map(quantityOf)),
    revenue: sum(holds.filter(sold).map(totalOf)),
    conversionRate: ratio(purchases, holds.length),
    admissions: ADMISSIONS.filter((a) => a.eventId === eventId).length,
    transfers: TRANSFERS.filter((t) => t.eventId === eventId && t.completed).length,
  };
}

export const rankedByRevenue = () =>
  [EVENT.seated, EVENT.standing]
    .map(eventStats)
    .sort((a, b) => b.revenue - a.revenue || a.eventId.localeCompare(b.eventId));

function money(from: Date, to: Date, periodStart: string) {
  const paid = PAYMENTS.filter((p) => within(p.confirmedAt, from, to));
  const back = refunds.filter((r) => within(r.at, from, to));
  const gross = sum(paid.map((p) => p.amount));
  const refunded = sum(back.map((r) => r.amount));
  const byKind = (kind: string) => sum(paid.filter((p) => p.kind === kind).map((p) => p.amount));
  return {
    periodStart,
    payments: paid.length,
    gross,
    refunds: back.length,
    refunded,
    net: gross - refunded,
    reservations: byKind("RESERVATION"),
    transfers: byKind("TRANSFER"),
    memberships: byKind("MEMBERSHIP"),
  };
}

/** Daily buckets (weeks and months are checked with spans inside one of them). */
export function revenueByDay(days: number) {
  const { first, from, to } = span(days);
  return {
    period: "DAY",
    from: first,
    to: TODAY,
    total: money(from, to, first),
    buckets: Array.from({ length: days }, (_, i) => {
      const day = addDays(first, i);
      return money(dayStart(day), dayStart(addDays(day, 1)), day);
    }),
  };
}

export function realtime() {
  const hourAgo = new Date(NOW.getTime() - 3_600_000);
  const purchases = HOLDS.filter((h) => within(confirmedAt(h), hourAgo));
  const firstMinute = Math.floor(NOW.getTime() / 60_000) * 60_000 - 14 * 60_000;
  return {
    asOf: NOW.toISOString(),
    activeHolds: active.length,
    heldTickets: sum(active.map(quantityOf)),
    lastHour: {
      holds: HOLDS.filter((h) => within(h.createdAt, hourAgo)).length,
      purchases: purchases.length,
      ticketsSold: sum(purchases.map(quantityOf)),
      revenue: sum(PAYMENTS.filter((p) => within(p.confirmedAt, hourAgo)).map((p) => p.amount)),
      admissions: ADMISSIONS.filter((a) => within(a.at, hourAgo)).length,
      cancellations: HOLDS.filter((h) => within(cancelledAt(h), hourAgo)).length,
      expiries: HOLDS.filter((h) => within(expiredAt(h), hourAgo)).length,
    },
    perMinute: Array.from({ length: 15 }, (_, i) => {
      const from = new Date(firstMinute + i * 60_000);
      const to = new Date(from.getTime() + 60_000);
      return {
        minute: from.toISOString(),
        holds: HOLDS.filter((h) => within(h.createdAt, from, to)).length,
        purchases: HOLDS.filter((h) => within(confirmedAt(h), from, to)).length,
        revenue: sum(PAYMENTS.filter((p) => within(p.confirmedAt, from, to)).map((p) => p.amount)),
        admissions: ADMISSIONS.filter((a) => within(a.at, from, to)).length,
      };
    }),
    lastEventAt: NOW.toISOString(),
  };
}

export function conversion(days: number) {
  const { from, to } = span(days);
  const events = [...new Set(ADMISSIONS.map((a) => a.eventId))];
  const joins = sum(
    events.map((eventId) => {
      const numbers = (inSpan: boolean) =>
        ADMISSIONS.filter(
          (a) => a.eventId === eventId && (inSpan ? within(a.at, from, to) : a.at < from),
        ).map((a) => a.number);
      const inside = numbers(true);
      return inside.length ? Math.max(...inside) - Math.max(0, ...numbers(false)) : 0;
    }),
  );
  const pair = (x: { eventId: string; userId: string }) => `${x.eventId}|${x.userId}`;
  const admitted = ADMISSIONS.filter((a) => within(a.at, from, to));
  const held = HOLDS.filter((h) => within(h.createdAt, from, to));
  const bought = HOLDS.filter((h) => within(confirmedAt(h), from, to));
  const counts: [string, number][] = [
    ["QUEUE_JOINS", joins],
    ["ADMITTED", distinct(admitted.map(pair))],
    ["HELD", distinct(held.map(pair))],
    ["PURCHASED", distinct(bought.map(pair))],
  ];
  return {
    days,
    steps: counts.map(([stage, count], i) => {
      const previous = counts[i - 1]?.[1];
      return { stage, count, rateFromPrevious: previous ? count / previous : null };
    }),
    admissions: admitted.length,
    holds: held.length,
    purchases: bought.length,
    abandonedHolds:
      HOLDS.filter((h) => within(cancelledAt(h), from, to)).length +
      HOLDS.filter((h) => within(expiredAt(h), from, to)).length,
    overallRate: ratio(distinct(bought.map(pair)), joins),
  };
}

export function seatPreferences(eventId?: string) {
  const groups = new Map<
    string,
    { section: string | null; priceTier: string; held: number; sold: number; revenue: number }
  >();
  for (const h of HOLDS.filter((x) => !eventId || x.eventId === eventId)) {
    for (const line of h.lines) {
      const key = `${line.section}|${line.priceTier}`;
      const g = groups.get(key) ?? {
        section: line.section,
        priceTier: line.priceTier,
        held: 0,
        sold: 0,
        revenue: 0,
      };
      g.held += line.quantity;
      if (sold(h)) {
        g.sold += line.quantity;
        g.revenue += line.quantity * line.unitPrice;
      }
      groups.set(key, g);
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, sellThrough: ratio(g.sold, g.held) }))
    .sort(
      (a, b) =>
        b.sold - a.sold ||
        b.revenue - a.revenue ||
        (a.section ?? "\uffff").localeCompare(b.section ?? "\uffff") ||
        a.priceTier.localeCompare(b.priceTier),
    );
}

export function userBehavior(days: number) {
  const { from, to } = span(days);
  const held = HOLDS.filter((h) => within(h.createdAt, from, to));
  const bought = HOLDS.filter((h) => within(confirmedAt(h), from, to));
  const perBuyer = new Map<string, number>();
  for (const h of bought) perBuyer.set(h.userId, (perBuyer.get(h.userId) ?? 0) + 1);
  const tiers = ["DIAMOND", "GOLD", "SILVER", "BRONZE"].flatMap((tier) => {
    const of = bought.filter((h) => h.tier === tier);
    if (!of.length) return [];
    const tickets = sum(of.map(quantityOf));
    return [
      {
        tier,
        buyers: distinct(of.map((h) => h.userId)),
        purchases: of.length,
        tickets,
        revenue: sum(of.map(totalOf)),
      },
    ];
  });
  const resold = completions.filter((c) => within(c.at, from, to));
  return {
    days,
    activeUsers: distinct([
      ...ADMISSIONS.filter((a) => within(a.at, from, to)).map((a) => a.userId),
      ...held.map((h) => h.userId),
    ]),
    holders: distinct(held.map((h) => h.userId)),
    buyers: perBuyer.size,
    repeatBuyers: [...perBuyer.values()].filter((n) => n >= 2).length,
    purchasesPerBuyer: ratio(bought.length, perBuyer.size),
    ticketsPerPurchase: ratio(sum(bought.map(quantityOf)), bought.length),
    averageOrderValue: ratio(sum(bought.map(totalOf)), bought.length),
    holdOutcomes: {
      holds: held.length,
      purchased: held.filter(confirmedAt).length,
      cancelled: held.filter(cancelledAt).length,
      expired: held.filter(expiredAt).length,
      pending: held.filter((h) => !h.end).length,
    },
    byTier: tiers,
    transferSellers: distinct(
      TRANSFERS.filter((t) => t.completed && within(t.completed.at, from, to)).map((t) => t.sellerId),
    ),
    transferBuyers: distinct(resold.map((c) => c.buyerId)),
    newMembers: MEMBERSHIPS.filter((m) => within(activatedAt(m), from, to)).length,
  };
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(sorted: number[], p: number): number {
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + (position - low) * ((sorted[high] ?? 0) - (sorted[low] ?? 0));
}

function distribution(values: number[], unit: "Seconds" | "Ms") {
  const sorted = [...values].sort((a, b) => a - b);
  const none = sorted.length === 0;
  const key = (name: string) => (unit === "Seconds" ? `${name}Seconds` : `${name}Ms`);
  return {
    ...(unit === "Seconds" ? { samples: sorted.length } : { events: sorted.length }),
    ...(unit === "Seconds" ? { [key("average")]: none ? null : sum(sorted) / sorted.length } : {}),
    [key("p50")]: none ? null : percentile(sorted, 0.5),
    [key("p95")]: none ? null : percentile(sorted, 0.95),
    [key("max")]: none ? null : (sorted[sorted.length - 1] ?? null),
  };
}

/** The projection's clock is pinned to NOW too, so every event's lag is NOW − its occurrence. */
export function performance(hours: number, applied: EventEnvelope[]) {
  const from = new Date(NOW.getTime() - hours * 3_600_000);
  const firstOf = (rows: { eventId: string; userId: string; at: Date }[]) => {
    const first = new Map<string, Date>();
    for (const r of rows) {
      const key = `${r.eventId}|${r.userId}`;
      const seen = first.get(key);
      if (!seen || r.at < seen) first.set(key, r.at);
    }
    return first;
  };
  const firstHold = firstOf(HOLDS.map((h) => ({ ...h, at: h.createdAt })));
  const firstAdmission = firstOf(ADMISSIONS);
  const holdSeconds = [...firstHold].flatMap(([key, at]) => {
    const admitted = firstAdmission.get(key);
    return admitted && at >= from && at >= admitted ? [(at.getTime() - admitted.getTime()) / 1000] : [];
  });
  const purchaseSeconds = HOLDS.flatMap((h) => {
    const at = confirmedAt(h);
    return at && at >= from ? [(at.getTime() - h.createdAt.getTime()) / 1000] : [];
  });
  const topics = [
    "payment-events",
    "reservation-events",
    "transfer-events",
    "membership-events",
    "queue-events",
  ];
  return {
    hours,
    holdLatency: distribution(holdSeconds, "Seconds"),
    purchaseLatency: distribution(purchaseSeconds, "Seconds"),
    eventLag: topics.map((topic) => {
      const lags = applied
        .filter((e) => topicOf(e) === topic)
        .map((e) => NOW.getTime() - Date.parse(e.occurredAt));
      return { topic, ...distribution(lags, "Ms"), lastAppliedAt: lags.length ? NOW.toISOString() : null };
    }),
    rejectedConfirmations: REJECTIONS.filter((r) => r.at >= from).map((r) => ({
      reason: r.reason,
      count: 1,
    })),
  };
}
