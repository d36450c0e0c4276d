import { externalRef } from "../context.ts";
import type { ExternalArtistResolvers } from "../generated/graphql.ts";

export const ExternalArtist: ExternalArtistResolvers = {
  importedArtist: (found, _args, ctx) =>
    ctx.loaders.artistByExternalRef.load(externalRef(found.source, found.externalId)),
};
