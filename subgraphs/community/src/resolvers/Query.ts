import type { QueryResolvers } from "../generated/graphql.ts";

export const Query: QueryResolvers = {
  news: (_p, { first, after }, ctx) => ctx.news.list(first, after),
  newsItem: (_p, { id }, ctx) => ctx.news.item(ctx.viewer, id),
  adminNews: (_p, { status, first, after }, ctx) => ctx.news.adminList(ctx.viewer, status, first, after),
  post: (_p, { id }, ctx) => ctx.board.post(ctx.viewer, id),
  comment: (_p, { id }, ctx) => ctx.comments.comment(ctx.viewer, id),
};
