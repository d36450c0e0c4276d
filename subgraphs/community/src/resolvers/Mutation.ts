import type { MutationResolvers } from "../generated/graphql.ts";

export const Mutation: MutationResolvers = {
  createNews: (_p, { input }, ctx) => ctx.news.create(ctx.viewer, input),
  updateNews: (_p, { id, input }, ctx) => ctx.news.update(ctx.viewer, id, input),
  publishNews: (_p, { id }, ctx) => ctx.news.publish(ctx.viewer, id),
  unpublishNews: (_p, { id }, ctx) => ctx.news.unpublish(ctx.viewer, id),
  pinNews: (_p, { id, pinned }, ctx) => ctx.news.pin(ctx.viewer, id, pinned),
  deleteNews: (_p, { id }, ctx) => ctx.news.delete(ctx.viewer, id),
  createPost: (_p, { artistId, input }, ctx) => ctx.board.create(ctx.viewer, artistId, input),
  updatePost: (_p, { id, input }, ctx) => ctx.board.update(ctx.viewer, id, input),
  deletePost: (_p, { id }, ctx) => ctx.board.delete(ctx.viewer, id),
  viewPost: (_p, { id }, ctx) => ctx.board.view(ctx.viewer, id),
  createComment: (_p, { postId, body }, ctx) => ctx.comments.create(ctx.viewer, postId, body),
  updateComment: (_p, { id, body }, ctx) => ctx.comments.update(ctx.viewer, id, body),
  deleteComment: (_p, { id }, ctx) => ctx.comments.delete(ctx.viewer, id),
  hidePost: (_p, { id, reason }, ctx) => ctx.moderation.hidePost(ctx.viewer, id, reason),
  unhidePost: (_p, { id }, ctx) => ctx.moderation.unhidePost(ctx.viewer, id),
  hideComment: (_p, { id, reason }, ctx) => ctx.moderation.hideComment(ctx.viewer, id, reason),
  unhideComment: (_p, { id }, ctx) => ctx.moderation.unhideComment(ctx.viewer, id),
};
