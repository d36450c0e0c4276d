import type { UserResolvers } from "../generated/graphql.ts";

export const User: UserResolvers = {
  // Auth owns users; community knows what each one wrote.
  __resolveReference: (reference) => ({ id: reference.id }),
  posts: (user, { first, after }, ctx) => ctx.board.postsBy(user.id, first, after),
  postCount: (user, _args, ctx) => ctx.loaders.postCountByUser.load(user.id),
  commentCount: (user, _args, ctx) => ctx.loaders.commentCountByUser.load(user.id),
};
