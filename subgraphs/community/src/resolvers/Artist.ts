import type { ArtistResolvers } from "../generated/graphql.ts";

export const Artist: ArtistResolvers = {
  // Catalog owns artists; a board exists for any id (empty until a member posts).
  __resolveReference: (reference) => ({ id: reference.id }),
  board: (artist, { first, after }, ctx) => ctx.board.board(artist.id, first, after),
  postCount: (artist, _args, ctx) => ctx.loaders.postCountByArtist.load(artist.id),
  viewerCanPost: (artist, _args, ctx) => ctx.loaders.viewerCanPost.load(artist.id),
};
