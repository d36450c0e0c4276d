import type { StatsDashboardResolvers } from "../generated/graphql.ts";

/** Each view is computed only when selected; defaults come from the schema. */
export const StatsDashboard: StatsDashboardResolvers = {
  overview: (_d, _a, ctx) => ctx.stats.overview(ctx.viewer),
  daily: (_d, { days }, ctx) => ctx.stats.daily(ctx.viewer, days),
  eventStats: (_d, { sortBy, limit }, ctx) => ctx.stats.eventStats(ctx.viewer, sortBy, limit),
  revenue: (_d, { period, days }, ctx) => ctx.stats.revenue(ctx.viewer, period, days),
  realtime: (_d, _a, ctx) => ctx.stats.realtime(ctx.viewer),
  conversion: (_d, { days }, ctx) => ctx.stats.conversion(ctx.viewer, days),
  seatPreferences: (_d, { eventId }, ctx) => ctx.stats.seatPreferences(ctx.viewer, eventId),
  userBehavior: (_d, { days }, ctx) => ctx.stats.userBehavior(ctx.viewer, days),
  performance: (_d, { hours }, ctx) => ctx.stats.performance(ctx.viewer, hours),
};
