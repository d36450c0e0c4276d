import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { ForbiddenError } from "@urr/errors";
import type { Moderated } from "./records.ts";

export const isAdmin = (viewer: Viewer): boolean => viewer.authenticated && viewer.role === "ADMIN";

/** A hidden post or comment is moderation evidence: admins see it, nobody else (its author neither). */
export const visibleTo = (viewer: Viewer, item: Moderated): boolean =>
  item.hiddenAt === null || isAdmin(viewer);

/**
 * Only the author changes or deletes what they wrote: not another fan, not an admin (admins hide,
 * with an audit record, and never put words in someone's mouth).
 */
export function assertAuthor(
  user: AuthenticatedViewer,
  item: { authorId: string },
  what: "post" | "comment",
): void {
  if (item.authorId !== user.userId) {
    throw new ForbiddenError(`Only its author may change or delete this ${what}`, "NOT_AUTHOR");
  }
}
