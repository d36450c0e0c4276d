/** What the dashboards are computed against: the moment, and the calendar days are in. */
export interface ViewClock {
  now: Date;
  timeZone: string;
}

/** `Query.stats`: the dashboards' root; its fields compute the views. */
export interface DashboardRef {
  readonly dashboard: true;
}

/** Catalog's event, as stats references it: just its key. */
export interface EventRef {
  id: string;
}

/** One event's figures (`EventStats`; the event itself is resolved by the catalog). */
export interface EventStatsRecord {
  eventId: string;
  holds: number;
  purchases: number;
  cancellations: number;
  expiries: number;
  refunds: number;
  ticketsSold: number;
  revenue: number;
  conversionRate: number;
  admissions: number;
  transfers: number;
}
