import type { QueryResolvers } from "../generated/graphql.ts";

export const Query: QueryResolvers = {
  events: (_p, { filter, first, after }, ctx) => ctx.catalog.events(filter ?? {}, first, after),
  event: (_p, { id }, ctx) => ctx.catalog.event(id),
  artists: (_p, { search, first, after }, ctx) => ctx.catalog.artists(search, first, after),
  artist: (_p, { id }, ctx) => ctx.catalog.artist(id),
  auditLog: (_p, { entityType, entityId, first, after }, ctx) =>
    ctx.admin.auditLog(ctx.viewer, { entityType, entityId }, first, after),
};
