import { requireViewer } from "@urr/subgraph-kit";
import type { MutationResolvers, QueryResolvers, UserResolvers } from "../../generated/graphql.ts";
import { MembershipService } from "../membership.service.ts";

/** The membership fields of the root types and of User, spread into their resolver maps. */
export const membershipQueries: Pick<QueryResolvers, "myMemberships"> = {
  myMemberships: (_p, _a, ctx) => ctx.membershipLoaders.byUser.load(requireViewer(ctx.viewer).userId),
};

export const membershipMutations: Pick<MutationResolvers, "joinMembership"> = {
  joinMembership: (_p, { artistId }, ctx) => ctx.memberships.join(ctx.viewer, artistId),
};

export const userMemberships: Pick<UserResolvers, "memberships"> = {
  // Checked before anything is read, and for an empty list too: whether someone has memberships is
  // theirs to know.
  memberships: (user, _args, ctx) => {
    MembershipService.assertVisible(ctx.viewer, { userId: user.id });
    return ctx.membershipLoaders.byUser.load(user.id);
  },
};
