import type { QueryResolvers } from "../generated/graphql.ts";
import { sourceInContract } from "./AuditEntry.ts";

export const Query: QueryResolvers = {
  events: (_p, { filter, first, after }, ctx) => ctx.catalog.events(filter ?? {}, first, after),
  event: (_p, { id }, ctx) => ctx.catalog.event(id),
  artists: (_p, { search, first, after }, ctx) => ctx.catalog.artists(search, first, after),
  artist: (_p, { id }, ctx) => ctx.catalog.artist(id),
  searchExternalArtists: (_p, { source, query, first, offset }, ctx) =>
    ctx.imports.search(ctx.viewer, source ?? "SPOTIFY", query, first, offset),
  auditLog: (_p, { source, entityType, entityId, first, after }, ctx) =>
    ctx.auditLog.list(
      ctx.viewer,
      { source: source ? sourceInContract(source) : null, entityType, entityId },
      first,
      after,
    ),
};
