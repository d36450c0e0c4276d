import type { ListPage } from "../domain/pages.ts";
import type {
  CommentConnectionResolvers,
  NewsConnectionResolvers,
  PostConnectionResolvers,
} from "../generated/graphql.ts";

/** Pages from the services become Relay-style connections here, and only here. */
function connection<T>(page: ListPage<T>) {
  return page.items.map((node) => ({ node, cursor: page.cursor(node) }));
}

function pageInfo<T>(page: ListPage<T>) {
  const last = page.items.at(-1);
  return { hasNextPage: page.hasNextPage, endCursor: last ? page.cursor(last) : null };
}

export const NewsConnection: NewsConnectionResolvers = { edges: connection, pageInfo };
export const PostConnection: PostConnectionResolvers = { edges: connection, pageInfo };
export const CommentConnection: CommentConnectionResolvers = { edges: connection, pageInfo };
