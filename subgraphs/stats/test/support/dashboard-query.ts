/** Every field of every view, as an admin dashboard would ask for them. */
const DAY =
  "date holds purchases cancellations expiries refunds ticketsSold revenue refundedAmount netRevenue newMembers renewals transfers admissions";
const EVENT_STATS =
  "eventId holds purchases cancellations expiries refunds ticketsSold revenue conversionRate admissions transfers";
const MONEY = "periodStart payments gross refunds refunded net reservations transfers memberships";
const LATENCY = "samples averageSeconds p50Seconds p95Seconds maxSeconds";
export const REALTIME = `asOf activeHolds heldTickets lastEventAt
  lastHour { holds purchases ticketsSold revenue admissions cancellations expiries }
  perMinute { minute holds purchases revenue admissions }`;

export const DASHBOARD = `query Dashboard($days: Int!, $hours: Int!) { stats {
  overview { asOf events holds activeHolds heldTickets purchases ticketsSold cancellations expiries refunds buyers
    payments grossRevenue refundedAmount netRevenue transfersCompleted activeMembers conversionRate
    cancellationsByReason { reason count } today { ${DAY} } }
  daily(days: $days) { ${DAY} }
  eventStats(sortBy: REVENUE, limit: 10) { ${EVENT_STATS} }
  revenue(period: DAY, days: $days) { period from to total { ${MONEY} } buckets { ${MONEY} } }
  realtime { ${REALTIME} }
  conversion(days: $days) { days steps { stage count rateFromPrevious } admissions holds purchases abandonedHolds overallRate }
  seatPreferences { section priceTier held sold revenue sellThrough }
  userBehavior(days: $days) { days activeUsers holders buyers repeatBuyers purchasesPerBuyer ticketsPerPurchase
    averageOrderValue holdOutcomes { holds purchased cancelled expired pending }
    byTier { tier buyers purchases tickets revenue } transferSellers transferBuyers newMembers }
  performance(hours: $hours) { hours holdLatency { ${LATENCY} } purchaseLatency { ${LATENCY} }
    eventLag { topic events p50Ms p95Ms maxMs lastAppliedAt } rejectedConfirmations { reason count } }
} }`;

/** Floats rounded, so PostgreSQL's and JavaScript's arithmetic compare equal. */
export function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v)),
  ) as T;
}
