import type { ArtistResolvers } from "../generated/graphql.ts";

export const Artist: ArtistResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.artistById.load(reference.id),
  events: (artist, { first, after }, ctx) => ctx.catalog.events({ artistId: artist.id }, first, after),
  aliases: (artist, _args, ctx) => ctx.loaders.aliasesByArtist.load(artist.id),
  importedFrom: (artist) =>
    artist.externalSource && artist.externalId && artist.importedAt
      ? {
          source: artist.externalSource,
          externalId: artist.externalId,
          url: artist.externalUrl,
          importedAt: artist.importedAt,
        }
      : null,
};
