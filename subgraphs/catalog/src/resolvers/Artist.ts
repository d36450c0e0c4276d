import type { ArtistResolvers } from "../generated/graphql.ts";

export const Artist: ArtistResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.artistById.load(reference.id),
  events: (artist, { first, after }, ctx) => ctx.catalog.events({ artistId: artist.id }, first, after),
};
