import { BadUserInputError } from "@urr/errors";
import { decodeCursor, encodeCursor, type Page, pageSize, toPage } from "@urr/subgraph-kit";
import type { PublishedPosition } from "../repositories/news.repository.ts";
import type { NewsRecord } from "./records.ts";

/**
 * A page with the cursor of its own list: one GraphQL connection type serves lists in different
 * orders (public news by publication, admins' news by creation), so each page says how its items
 * are positioned, and the connection resolver never guesses.
 */
export interface ListPage<T> extends Page<T> {
  cursor(item: T): string;
}

export interface Keyset {
  createdAt: Date;
  id: string;
}

/** Lists ordered by (createdAt, id): boards, a user's posts, comments, admins' news. */
export const byCreation = {
  cursor: (item: Keyset) => encodeCursor([item.createdAt.toISOString(), item.id]),
  decode(after: string | null | undefined): Keyset | undefined {
    const parts = decodeCursor(after, ["instant", "id"]);
    return parts ? { createdAt: new Date(parts[0] ?? ""), id: parts[1] ?? "" } : undefined;
  },
};

/** The public news list: pinned first, then by publication (published news always has a date). */
export const byPublication = {
  cursor: (item: NewsRecord) =>
    encodeCursor([item.pinned ? "pinned" : "unpinned", item.publishedAt?.toISOString() ?? "", item.id]),
  decode(after: string | null | undefined): PublishedPosition | undefined {
    const parts = decodeCursor(after, ["text", "instant", "id"]);
    if (!parts) return undefined;
    const [group, at = "", id = ""] = parts;
    if (group !== "pinned" && group !== "unpinned") {
      throw new BadUserInputError("Cursor is not valid; use a cursor returned by this API", "after");
    }
    return { pinned: group === "pinned", publishedAt: new Date(at), id };
  },
};

/** Fetches one row more than asked and turns the rows into a page of that list. */
export async function pageOf<T>(
  first: number | null | undefined,
  cursor: (item: T) => string,
  fetch: (limit: number) => Promise<T[]>,
): Promise<ListPage<T>> {
  const size = pageSize(first, 20);
  return { ...toPage(await fetch(size + 1), size), cursor };
}
