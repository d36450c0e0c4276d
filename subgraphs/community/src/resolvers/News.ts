import { NewsService } from "../domain/news.service.ts";
import type { NewsResolvers } from "../generated/graphql.ts";

export const News: NewsResolvers = {
  /** A draft reached from another subgraph is shown to admins only, like `newsItem`. */
  __resolveReference: async (reference, ctx) =>
    NewsService.visible(ctx.viewer, await ctx.loaders.newsById.load(reference.id)),
  author: (news) => ({ id: news.authorId }),
};
