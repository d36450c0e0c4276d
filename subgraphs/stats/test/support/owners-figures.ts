import type { SqlRunner } from "@urr/db";
import { TIME_ZONE } from "./stats-harness.ts";

/**
 * Every stats figure recomputed from the owners' own tables with SQL: ticket's reservations, their
 * items, seats and ticket types, memberships and their point log, transfers; payment's payments.
 * Nothing here reads stats or an event: only what the owning subgraphs recorded. Cancellations,
 * expiries and refunds are dated by the reservation's last change (ticket keeps no column per end),
 * the only time ticket writes for them.
 */
export interface Owners {
  ticket: SqlRunner;
  payment: SqlRunner;
}

const num = (v: unknown) => Number(v ?? 0);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
/** The instant's calendar day where the dashboards count (`YYYY-MM-DD`). */
const day = (column: string) => `to_char((${column} AT TIME ZONE '${TIME_ZONE}')::date, 'YYYY-MM-DD')`;
/** A reservation's units: its seats plus its general-admission tickets. */
const UNITS = "(SELECT sum(i.quantity) FROM reservation_items i WHERE i.reservation_id = r.id)";
const TIER_ORDER = ["DIAMOND", "GOLD", "SILVER", "BRONZE"];

async function one(db: SqlRunner, sql: string, params: unknown[] = []): Promise<Record<string, unknown>> {
  return (await db.query<Record<string, unknown>>(sql, params))[0] ?? {};
}

/** All-time totals, as `overview` shows them (`today` is `dailyFigures`' last day). */
export async function overviewFigures(o: Owners) {
  const r = await one(
    o.ticket,
    `SELECT count(*) AS holds, count(confirmed_at) AS purchases,
            count(*) FILTER (WHERE status = 'CANCELLED') AS cancellations,
            count(*) FILTER (WHERE status = 'EXPIRED') AS expiries,
            count(*) FILTER (WHERE status = 'REFUNDED') AS refunds,
            coalesce(sum(${UNITS}) FILTER (WHERE status = 'CONFIRMED'), 0) AS sold,
            count(*) FILTER (WHERE status = 'PENDING' AND expires_at > now()) AS active,
            coalesce(sum(${UNITS}) FILTER (WHERE status = 'PENDING' AND expires_at > now()), 0) AS held,
            count(DISTINCT user_id) FILTER (WHERE confirmed_at IS NOT NULL) AS buyers,
            (SELECT count(*) FROM (SELECT event_id FROM reservations UNION SELECT event_id FROM transfers) e) AS events,
            (SELECT count(*) FROM transfers WHERE status = 'COMPLETED') AS transfers,
            (SELECT count(*) FROM memberships WHERE status = 'ACTIVE' AND expires_at > now()) AS members
     FROM reservations r`,
  );
  const p = await one(
    o.payment,
    `SELECT count(*) FILTER (WHERE status IN ('CONFIRMED', 'REFUNDED')) AS payments,
            coalesce(sum(amount) FILTER (WHERE status IN ('CONFIRMED', 'REFUNDED')), 0) AS gross,
            coalesce(sum(amount) FILTER (WHERE status = 'REFUNDED'), 0) AS refunded
     FROM payments`,
  );
  const reasons = await o.ticket.query<{ reason: string; count: string }>(
    `SELECT end_reason AS reason, count(*) AS count FROM reservations WHERE status = 'CANCELLED'
     GROUP BY end_reason ORDER BY count(*) DESC, end_reason`,
  );
  return {
    events: num(r.events),
    holds: num(r.holds),
    activeHolds: num(r.active),
    heldTickets: num(r.held),
    purchases: num(r.purchases),
    ticketsSold: num(r.sold),
    cancellations: num(r.cancellations),
    expiries: num(r.expiries),
    refunds: num(r.refunds),
    buyers: num(r.buyers),
    payments: num(p.payments),
    grossRevenue: num(p.gross),
    refundedAmount: num(p.refunded),
    netRevenue: num(p.gross) - num(p.refunded),
    transfersCompleted: num(r.transfers),
    activeMembers: num(r.members),
    conversionRate: ratio(num(r.purchases), num(r.holds)),
    cancellationsByReason: reasons.map((row) => ({ reason: row.reason, count: Number(row.count) })),
  };
}

/** Facts per calendar day (`metric`, `n`, and for payments `amount` per `kind`). */
async function perDay(o: Owners) {
  const ticket = await o.ticket.query<{ day: string; metric: string; n: string }>(
    `SELECT day, metric, sum(n) AS n FROM (
       SELECT ${day("created_at")} AS day, 'holds' AS metric, 1 AS n FROM reservations r
       UNION ALL SELECT ${day("confirmed_at")}, 'purchases', 1 FROM reservations WHERE confirmed_at IS NOT NULL
       UNION ALL SELECT ${day("confirmed_at")}, 'ticketsSold', ${UNITS} FROM reservations r WHERE confirmed_at IS NOT NULL
       UNION ALL SELECT ${day("updated_at")}, 'cancellations', 1 FROM reservations WHERE status = 'CANCELLED'
       UNION ALL SELECT ${day("updated_at")}, 'expiries', 1 FROM reservations WHERE status = 'EXPIRED'
       UNION ALL SELECT ${day("updated_at")}, 'refunds', 1 FROM reservations WHERE status = 'REFUNDED'
       UNION ALL SELECT ${day("activated_at")}, 'newMembers', 1 FROM memberships WHERE activated_at IS NOT NULL
       UNION ALL SELECT ${day("at")}, 'renewals', 1 FROM membership_point_logs WHERE action = 'RENEWAL'
       UNION ALL SELECT ${day("completed_at")}, 'transfers', 1 FROM transfers WHERE status = 'COMPLETED'
     ) facts GROUP BY day, metric`,
  );
  const payment = await o.payment.query<{
    day: string;
    metric: string;
    kind: string;
    n: string;
    amount: string;
  }>(
    `SELECT day, metric, kind, count(*) AS n, sum(amount) AS amount FROM (
       SELECT ${day("confirmed_at")} AS day, 'paid' AS metric, kind::text, amount FROM payments
       WHERE status IN ('CONFIRMED', 'REFUNDED')
       UNION ALL SELECT ${day("refunded_at")}, 'refunded', kind::text, amount FROM payments WHERE status = 'REFUNDED'
     ) facts GROUP BY day, metric, kind`,
  );
  const count = (d: string, metric: string) =>
    num(ticket.find((row) => row.day === d && row.metric === metric)?.n);
  const money = (d: string, metric: string, kind?: string) => {
    const rows = payment.filter(
      (row) => row.day === d && row.metric === metric && (!kind || row.kind === kind),
    );
    return {
      n: rows.reduce((s, row) => s + num(row.n), 0),
      amount: rows.reduce((s, row) => s + num(row.amount), 0),
    };
  };
  return { count, money };
}

/** `daily(days)` for the given days (the view's own dates). */
export async function dailyFigures(o: Owners, days: string[]) {
  const { count, money } = await perDay(o);
  return days.map((date) => {
    const revenue = money(date, "paid").amount;
    const refundedAmount = money(date, "refunded").amount;
    return {
      date,
      holds: count(date, "holds"),
      purchases: count(date, "purchases"),
      cancellations: count(date, "cancellations"),
      expiries: count(date, "expiries"),
      refunds: count(date, "refunds"),
      ticketsSold: count(date, "ticketsSold"),
      revenue,
      refundedAmount,
      netRevenue: revenue - refundedAmount,
      newMembers: count(date, "newMembers"),
      renewals: count(date, "renewals"),
      transfers: count(date, "transfers"),
      // Admissions are queue's, which this on-sale does not run: none anywhere.
      admissions: 0,
    };
  });
}

/** `revenue(period: DAY)` over the given days: one bucket per day, and their total. */
export async function revenueFigures(o: Owners, days: string[]) {
  const { money } = await perDay(o);
  const bucket = (periodStart: string, span: string[]) => {
    const sum = (metric: string, kind?: string) =>
      span
        .map((d) => money(d, metric, kind))
        .reduce((s, m) => ({ n: s.n + m.n, amount: s.amount + m.amount }));
    const gross = sum("paid").amount;
    const refunded = sum("refunded").amount;
    return {
      periodStart,
      payments: sum("paid").n,
      gross,
      refunds: sum("refunded").n,
      refunded,
      net: gross - refunded,
      reservations: sum("paid", "RESERVATION").amount,
      transfers: sum("paid", "TRANSFER").amount,
      memberships: sum("paid", "MEMBERSHIP").amount,
    };
  };
  const first = days[0] ?? "";
  return {
    period: "DAY",
    from: first,
    to: days[days.length - 1],
    total: bucket(first, days),
    buckets: days.map((d) => bucket(d, [d])),
  };
}

/** `eventStats(sortBy: HOLDS)`: per event, most holds first. */
export async function eventStatsFigures(o: Owners) {
  const rows = await o.ticket.query<Record<string, string>>(
    `SELECT r.event_id AS "eventId", count(*) AS holds, count(confirmed_at) AS purchases,
            count(*) FILTER (WHERE status = 'CANCELLED') AS cancellations,
            count(*) FILTER (WHERE status = 'EXPIRED') AS expiries,
            count(*) FILTER (WHERE status = 'REFUNDED') AS refunds,
            coalesce(sum(${UNITS}) FILTER (WHERE status = 'CONFIRMED'), 0) AS "ticketsSold",
            coalesce(sum(total_amount) FILTER (WHERE status = 'CONFIRMED'), 0) AS revenue,
            (SELECT count(*) FROM transfers t WHERE t.event_id = r.event_id AND t.status = 'COMPLETED') AS transfers
     FROM reservations r GROUP BY r.event_id ORDER BY count(*) DESC, r.event_id`,
  );
  return rows.map((row) => ({
    eventId: row.eventId,
    holds: num(row.holds),
    purchases: num(row.purchases),
    cancellations: num(row.cancellations),
    expiries: num(row.expiries),
    refunds: num(row.refunds),
    ticketsSold: num(row.ticketsSold),
    revenue: num(row.revenue),
    conversionRate: ratio(num(row.purchases), num(row.holds)),
    admissions: 0,
    transfers: num(row.transfers),
  }));
}

/** `seatPreferences(eventId)`: units held and sold per section and price tier (or ticket type). */
export async function seatPreferenceFigures(o: Owners, eventId: string) {
  const rows = await o.ticket.query<{
    section: string | null;
    priceTier: string;
    held: string;
    sold: string;
    revenue: string;
  }>(
    `SELECT s.section, coalesce(s.price_tier, tt.name) AS "priceTier", sum(i.quantity) AS held,
            coalesce(sum(i.quantity) FILTER (WHERE r.status = 'CONFIRMED'), 0) AS sold,
            coalesce(sum(i.quantity * i.unit_price) FILTER (WHERE r.status = 'CONFIRMED'), 0) AS revenue
     FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
     LEFT JOIN seats s ON s.id = i.seat_id LEFT JOIN ticket_types tt ON tt.id = i.ticket_type_id
     WHERE r.event_id = $1
     GROUP BY 1, 2 ORDER BY 4 DESC, 5 DESC, 1 NULLS LAST, 2`,
    [eventId],
  );
  return rows.map((row) => ({
    section: row.section,
    priceTier: row.priceTier,
    held: num(row.held),
    sold: num(row.sold),
    revenue: num(row.revenue),
    sellThrough: ratio(num(row.sold), num(row.held)),
  }));
}

/** `realtime`: live holds, the last hour, and per minute (the view's own minutes). */
export async function realtimeFigures(o: Owners, minutes: Date[]) {
  const hour = "now() - interval '1 hour'";
  const r = await one(
    o.ticket,
    `SELECT count(*) FILTER (WHERE created_at >= ${hour}) AS holds,
            count(*) FILTER (WHERE confirmed_at >= ${hour}) AS purchases,
            coalesce(sum(${UNITS}) FILTER (WHERE confirmed_at >= ${hour}), 0) AS sold,
            count(*) FILTER (WHERE status = 'CANCELLED' AND updated_at >= ${hour}) AS cancellations,
            count(*) FILTER (WHERE status = 'EXPIRED' AND updated_at >= ${hour}) AS expiries,
            count(*) FILTER (WHERE status = 'PENDING' AND expires_at > now()) AS active,
            coalesce(sum(${UNITS}) FILTER (WHERE status = 'PENDING' AND expires_at > now()), 0) AS held
     FROM reservations r`,
  );
  const p = await one(
    o.payment,
    `SELECT coalesce(sum(amount), 0) AS revenue FROM payments
     WHERE status IN ('CONFIRMED', 'REFUNDED') AND confirmed_at >= ${hour}`,
  );
  const holds = await o.ticket.query<{ at: Date }>("SELECT created_at AS at FROM reservations");
  const purchases = await o.ticket.query<{ at: Date }>(
    "SELECT confirmed_at AS at FROM reservations WHERE confirmed_at IS NOT NULL",
  );
  const paid = await o.payment.query<{ at: Date; amount: number }>(
    "SELECT confirmed_at AS at, amount FROM payments WHERE status IN ('CONFIRMED', 'REFUNDED')",
  );
  const inMinute = (m: Date) => (row: { at: Date }) =>
    Math.floor(row.at.getTime() / 60_000) * 60_000 === m.getTime();
  return {
    activeHolds: num(r.active),
    heldTickets: num(r.held),
    lastHour: {
      holds: num(r.holds),
      purchases: num(r.purchases),
      ticketsSold: num(r.sold),
      revenue: num(p.revenue),
      admissions: 0,
      cancellations: num(r.cancellations),
      expiries: num(r.expiries),
    },
    perMinute: minutes.map((m) => ({
      minute: m.toISOString(),
      holds: holds.filter(inMinute(m)).length,
      purchases: purchases.filter(inMinute(m)).length,
      revenue: paid.filter(inMinute(m)).reduce((s, row) => s + row.amount, 0),
      admissions: 0,
    })),
  };
}

/** `conversion(days)` over the given days: without queue, joins and admissions are none. */
export async function conversionFigures(o: Owners, days: string[]) {
  const r = await one(
    o.ticket,
    `SELECT count(*) FILTER (WHERE ${day("created_at")} = ANY($1)) AS holds,
            count(DISTINCT (event_id, user_id)) FILTER (WHERE ${day("created_at")} = ANY($1)) AS holders,
            count(*) FILTER (WHERE ${day("confirmed_at")} = ANY($1)) AS purchases,
            count(DISTINCT (event_id, user_id)) FILTER (WHERE ${day("confirmed_at")} = ANY($1)) AS buyers,
            count(*) FILTER (WHERE status IN ('CANCELLED', 'EXPIRED') AND ${day("updated_at")} = ANY($1)) AS abandoned
     FROM reservations`,
    [days],
  );
  const held = num(r.holders);
  const bought = num(r.buyers);
  return {
    days: days.length,
    steps: [
      { stage: "QUEUE_JOINS", count: 0, rateFromPrevious: null },
      { stage: "ADMITTED", count: 0, rateFromPrevious: null },
      { stage: "HELD", count: held, rateFromPrevious: null },
      { stage: "PURCHASED", count: bought, rateFromPrevious: held ? bought / held : null },
    ],
    admissions: 0,
    holds: num(r.holds),
    purchases: num(r.purchases),
    abandonedHolds: num(r.abandoned),
    overallRate: 0,
  };
}

/** `userBehavior(days)` over the given days. */
export async function userBehaviorFigures(o: Owners, days: string[]) {
  const inSpan = (column: string) => `${day(column)} = ANY($1)`;
  const r = await one(
    o.ticket,
    `SELECT count(DISTINCT user_id) FILTER (WHERE ${inSpan("created_at")}) AS holders,
            count(*) FILTER (WHERE ${inSpan("confirmed_at")}) AS purchases,
            count(DISTINCT user_id) FILTER (WHERE ${inSpan("confirmed_at")}) AS buyers,
            coalesce(sum(${UNITS}) FILTER (WHERE ${inSpan("confirmed_at")}), 0) AS tickets,
            coalesce(sum(total_amount) FILTER (WHERE ${inSpan("confirmed_at")}), 0) AS amount,
            count(*) FILTER (WHERE ${inSpan("created_at")}) AS holds,
            count(*) FILTER (WHERE ${inSpan("created_at")} AND confirmed_at IS NOT NULL) AS purchased,
            count(*) FILTER (WHERE ${inSpan("created_at")} AND status = 'CANCELLED') AS cancelled,
            count(*) FILTER (WHERE ${inSpan("created_at")} AND status = 'EXPIRED') AS expired,
            count(*) FILTER (WHERE ${inSpan("created_at")} AND status = 'PENDING') AS pending,
            (SELECT count(*) FROM (SELECT user_id FROM reservations WHERE ${inSpan("confirmed_at")}
                                   GROUP BY user_id HAVING count(*) >= 2) repeat) AS repeat,
            (SELECT count(DISTINCT seller_id) FROM transfers WHERE status = 'COMPLETED' AND ${inSpan("completed_at")}) AS sellers,
            (SELECT count(DISTINCT buyer_id) FROM transfers WHERE status = 'COMPLETED' AND ${inSpan("completed_at")}) AS resale_buyers,
            (SELECT count(*) FROM memberships WHERE ${inSpan("activated_at")}) AS members
     FROM reservations r`,
    [days],
  );
  const tiers = await o.ticket.query<Record<string, string>>(
    `SELECT buyer_tier::text AS tier, count(DISTINCT user_id) AS buyers, count(*) AS purchases,
            sum(${UNITS}) AS tickets, sum(total_amount) AS revenue
     FROM reservations r WHERE ${inSpan("confirmed_at")} GROUP BY buyer_tier`,
    [days],
  );
  const purchases = num(r.purchases);
  const buyers = num(r.buyers);
  return {
    days: days.length,
    activeUsers: num(r.holders),
    holders: num(r.holders),
    buyers,
    repeatBuyers: num(r.repeat),
    purchasesPerBuyer: ratio(purchases, buyers),
    ticketsPerPurchase: ratio(num(r.tickets), purchases),
    averageOrderValue: ratio(num(r.amount), purchases),
    holdOutcomes: {
      holds: num(r.holds),
      purchased: num(r.purchased),
      cancelled: num(r.cancelled),
      expired: num(r.expired),
      pending: num(r.pending),
    },
    byTier: tiers
      .map((t) => ({
        tier: t.tier,
        buyers: num(t.buyers),
        purchases: num(t.purchases),
        tickets: num(t.tickets),
        revenue: num(t.revenue),
      }))
      .sort((a, b) => TIER_ORDER.indexOf(a.tier ?? "") - TIER_ORDER.indexOf(b.tier ?? "")),
    transferSellers: num(r.sellers),
    transferBuyers: num(r.resale_buyers),
    newMembers: num(r.members),
  };
}

/**
 * `performance(hours: 1)`: hold-to-purchase time from ticket's reservations, events per topic from
 * the owners' outboxes (what they published on the topics stats consumes), confirmations ticket
 * rejected from its outbox, plus the re-announcements sent to stats alone. Admission-to-hold
 * needs queue: no samples.
 */
export async function performanceFigures(o: Owners, topics: string[], reannounced: Record<string, number>) {
  const l = await one(
    o.ticket,
    `SELECT count(*) AS samples, avg(s) AS average, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95, max(s) AS max
     FROM (SELECT extract(epoch FROM confirmed_at - created_at)::float8 AS s FROM reservations
           WHERE confirmed_at >= now() - interval '1 hour') seconds`,
  );
  const published = [
    ...(await o.ticket.query<{ topic: string; n: string }>(
      "SELECT topic, count(*) AS n FROM outbox_events GROUP BY topic",
    )),
    ...(await o.payment.query<{ topic: string; n: string }>(
      "SELECT topic, count(*) AS n FROM outbox_events GROUP BY topic",
    )),
  ];
  const rejected = await o.ticket.query<{ reason: string; count: string }>(
    `SELECT envelope->'payload'->>'reason' AS reason, count(*) AS count FROM outbox_events
     WHERE event_type = 'reservation.confirmation-rejected' GROUP BY 1 ORDER BY count(*) DESC, 1`,
  );
  const latency = (d: Record<string, unknown>) => ({
    samples: num(d.samples),
    averageSeconds: d.average ?? null,
    p50Seconds: d.p50 ?? null,
    p95Seconds: d.p95 ?? null,
    maxSeconds: d.max ?? null,
  });
  return {
    hours: 1,
    holdLatency: latency({}),
    purchaseLatency: latency(l),
    eventLag: topics.map((topic) => ({
      topic,
      events:
        published.filter((row) => row.topic === topic).reduce((s, row) => s + num(row.n), 0) +
        (reannounced[topic] ?? 0),
    })),
    rejectedConfirmations: rejected.map((row) => ({ reason: row.reason, count: num(row.count) })),
  };
}
