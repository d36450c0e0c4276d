import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError } from "@urr/errors";
import { checkId, requireAdmin } from "@urr/subgraph-kit";
import type { EventStatsSort, RevenuePeriod } from "../generated/graphql.ts";
import type { StatsProjection } from "../projection/stats-projection.ts";
import type { StatsStore } from "../repositories/stats-store.ts";
import { conversion } from "../views/conversion.ts";
import { daily } from "../views/daily.ts";
import { eventStats } from "../views/event-stats.ts";
import { overview } from "../views/overview.ts";
import { performance } from "../views/performance.ts";
import { realtime } from "../views/realtime.ts";
import { revenue } from "../views/revenue.ts";
import { seatPreferences } from "../views/seat-preferences.ts";
import { userBehavior } from "../views/user-behavior.ts";
import type { EventStatsRecord, ViewClock } from "./records.ts";

/** An integer argument within bounds, or BAD_USER_INPUT naming it. */
function bounded(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(`${field} must be an integer from ${min} to ${max}`, field);
  }
  return value;
}

/**
 * The dashboards, for administrators only: every view checks the viewer itself (the gateway's
 * @requiresScopes is the first gate, not the only one), validates its arguments, then reads.
 */
export class StatsService {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: {
      store: StatsStore;
      projection: StatsProjection;
      timeZone: string;
      clock?: () => Date;
    },
  ) {
    this.clock = deps.clock ?? (() => new Date());
  }

  private view(viewer: Viewer): ViewClock {
    requireAdmin(viewer);
    return { now: this.clock(), timeZone: this.deps.timeZone };
  }

  private get db() {
    return this.deps.store.repos.db;
  }

  /** `Query.stats`: refuses non-admins before any view is computed. */
  dashboard(viewer: Viewer) {
    requireAdmin(viewer);
    return { dashboard: true } as const;
  }

  overview(viewer: Viewer) {
    return overview(this.db, this.view(viewer));
  }

  daily(viewer: Viewer, days: number) {
    return daily(this.db, this.view(viewer), bounded(days, "days", 1, 366));
  }

  eventStats(viewer: Viewer, sortBy: EventStatsSort, limit: number) {
    this.view(viewer);
    return eventStats(this.db, { sortBy, limit: bounded(limit, "limit", 1, 100), eventIds: null });
  }

  /** Event.stats for many events in one query (the request's loader calls this). */
  async forEvents(viewer: Viewer, eventIds: readonly string[]): Promise<(EventStatsRecord | null)[]> {
    this.view(viewer);
    const rows = await eventStats(this.db, { sortBy: "REVENUE", limit: eventIds.length, eventIds });
    return eventIds.map((id) => rows.find((row) => row.eventId === id) ?? null);
  }

  revenue(viewer: Viewer, period: RevenuePeriod, days: number) {
    return revenue(this.db, this.view(viewer), period, bounded(days, "days", 1, 366));
  }

  realtime(viewer: Viewer) {
    return realtime(this.db, this.view(viewer));
  }

  conversion(viewer: Viewer, days: number) {
    return conversion(this.db, this.view(viewer), bounded(days, "days", 1, 366));
  }

  seatPreferences(viewer: Viewer, eventId: string | null | undefined) {
    this.view(viewer);
    return seatPreferences(this.db, eventId == null ? null : checkId(eventId, "eventId"));
  }

  userBehavior(viewer: Viewer, days: number) {
    return userBehavior(this.db, this.view(viewer), bounded(days, "days", 1, 366));
  }

  performance(viewer: Viewer, hours: number) {
    return performance(this.db, this.view(viewer), bounded(hours, "hours", 1, 720));
  }

  rebuild(viewer: Viewer) {
    requireAdmin(viewer);
    return this.deps.projection.rebuild();
  }
}
