import type { ArtistResolvers, MembershipConnectionResolvers } from "../../generated/graphql.ts";
import { memberCursor } from "../membership.service.ts";

export const Artist: ArtistResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  myMembership: (artist, _args, ctx) => ctx.membershipLoaders.viewersByArtist.load(artist.id),
  members: (artist, { status, first, after }, ctx) =>
    ctx.memberships.members(ctx.viewer, artist.id, status, first, after),
};

/** Pages from the service become a Relay-style connection here, and only here. */
export const MembershipConnection: MembershipConnectionResolvers = {
  edges: (page) => page.items.map((node) => ({ node, cursor: memberCursor(node) })),
  pageInfo: (page) => {
    const last = page.items.at(-1);
    return { hasNextPage: page.hasNextPage, endCursor: last ? memberCursor(last) : null };
  },
};
