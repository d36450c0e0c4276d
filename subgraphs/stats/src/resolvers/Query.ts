import type { MutationResolvers, QueryResolvers } from "../generated/graphql.ts";

export const Query: QueryResolvers = {
  stats: (_p, _a, ctx) => ctx.stats.dashboard(ctx.viewer),
};

export const Mutation: MutationResolvers = {
  rebuildStats: (_p, _a, ctx) => ctx.stats.rebuild(ctx.viewer),
};
