import type { MutationResolvers } from "../generated/graphql.ts";

export const Mutation: MutationResolvers = {
  createEvent: (_p, { input }, ctx) => ctx.admin.createEvent(ctx.viewer, input),
  updateEvent: (_p, { id, input }, ctx) => ctx.admin.updateEvent(ctx.viewer, id, input),
  cancelEvent: (_p, { id, reason }, ctx) => ctx.admin.cancelEvent(ctx.viewer, id, reason),
  deleteEvent: async (_p, { id }, ctx) => ({ deletedEventId: await ctx.admin.deleteEvent(ctx.viewer, id) }),
  createArtist: (_p, { input }, ctx) => ctx.admin.createArtist(ctx.viewer, input),
  updateArtist: (_p, { id, input }, ctx) => ctx.admin.updateArtist(ctx.viewer, id, input),
  importArtist: (_p, { source, externalId }, ctx) => ctx.imports.importArtist(ctx.viewer, source, externalId),
  addArtistAlias: (_p, { artistId, alias }, ctx) => ctx.aliases.addAlias(ctx.viewer, artistId, alias),
  removeArtistAlias: (_p, { artistId, alias }, ctx) => ctx.aliases.removeAlias(ctx.viewer, artistId, alias),
  createPosterUpload: async (_p, { contentType, contentLength }, ctx) => {
    const upload = await ctx.admin.createPosterUpload(ctx.viewer, contentType, contentLength);
    return { ...upload, headers: Object.entries(upload.headers).map(([name, value]) => ({ name, value })) };
  },
};
