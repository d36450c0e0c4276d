import { CommentService } from "../domain/comment.service.ts";
import type { CommentResolvers } from "../generated/graphql.ts";

export const Comment: CommentResolvers = {
  /** Shown when it and its post are visible to the viewer, like `comment`. */
  __resolveReference: async (reference, ctx) => {
    const comment = await ctx.loaders.commentById.load(reference.id);
    const post = comment && (await ctx.loaders.postById.load(comment.postId));
    return CommentService.visible(ctx.viewer, comment, post);
  },
  post: async (comment, _args, ctx) => {
    const post = await ctx.loaders.postById.load(comment.postId);
    if (!post) throw new Error(`comment ${comment.id} has no post ${comment.postId}`);
    return post;
  },
  author: (comment) => ({ id: comment.authorId }),
};
