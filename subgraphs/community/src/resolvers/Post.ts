import { visibleTo } from "../domain/authorship.ts";
import type { PostResolvers } from "../generated/graphql.ts";

export const Post: PostResolvers = {
  /** A hidden post reached from another subgraph is shown to admins only, like `post`. */
  __resolveReference: async (reference, ctx) => {
    const post = await ctx.loaders.postById.load(reference.id);
    return post && visibleTo(ctx.viewer, post) ? post : null;
  },
  artist: (post) => ({ id: post.artistId }),
  author: (post) => ({ id: post.authorId }),
  comments: (post, { first, after }, ctx) => ctx.comments.comments(post.id, first, after),
};
