import { NotFoundError } from "@urr/errors";
import { statusOf } from "../domain/event-status.ts";
import type { EventResolvers } from "../generated/graphql.ts";

export const Event: EventResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.eventById.load(reference.id),
  status: (event, _args, ctx) => statusOf(event, ctx.now),
  posterImageUrl: (event, _args, ctx) =>
    event.posterImageKey ? ctx.storage.publicUrl(event.posterImageKey) : null,
  artist: async (event, _args, ctx) => {
    const artist = await ctx.loaders.artistById.load(event.artistId);
    // The foreign key forbids this; if it ever happens it is our bug, not the caller's.
    if (!artist) throw new NotFoundError("Artist", event.artistId);
    return artist;
  },
};
