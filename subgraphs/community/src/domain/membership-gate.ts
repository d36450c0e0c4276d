import { ForbiddenError } from "@urr/errors";
import type { CommunityRepositories } from "../repositories/community-store.ts";

/**
 * Who may write on an artist's board: holders of an active fan-club membership of that artist, as
 * community's own copy of membership-events says (no call to ticket: a board keeps working while
 * ticket is busy with an on-sale). A term past its end counts as lapsed even before ticket's expiry
 * sweep announces it. Reading needs nothing; deleting one's own writing needs no membership either.
 */
export async function assertCanWrite(
  repos: Pick<CommunityRepositories, "memberships">,
  userId: string,
  artistId: string,
  now: Date,
): Promise<void> {
  const standing = (await repos.memberships.standings(userId, [artistId], now)).get(artistId) ?? "NOT_MEMBER";
  if (standing === "MEMBER") return;
  if (standing === "LAPSED") {
    throw new ForbiddenError(
      "Your fan-club membership of this artist has ended; renew it to write on the board",
      "MEMBERSHIP_EXPIRED",
      { artistId },
    );
  }
  throw new ForbiddenError(
    "Writing on an artist's board needs an active fan-club membership of the artist",
    "MEMBERSHIP_REQUIRED",
    { artistId },
  );
}
