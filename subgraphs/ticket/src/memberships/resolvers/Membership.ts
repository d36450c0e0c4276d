import type { MembershipResolvers } from "../../generated/graphql.ts";
import { MembershipService, orderPurpose } from "../membership.service.ts";

export const Membership: MembershipResolvers = {
  /** A reference from another subgraph shows nothing to anyone but the holder and admins. */
  __resolveReference: async (reference, ctx) => {
    const membership = await ctx.membershipLoaders.byId.load(reference.id);
    return membership ? MembershipService.assertVisible(ctx.viewer, membership) : null;
  },
  user: (membership) => ({ id: membership.userId }),
  artist: (membership) => ({ id: membership.artistId }),
  pointLog: (membership, _args, ctx) => ctx.membershipLoaders.pointLog.load(membership.id),
  openOrder: async (membership, _args, ctx) => {
    const [order, artist] = await Promise.all([
      ctx.membershipLoaders.openOrder.load(membership.id),
      ctx.membershipLoaders.artist.load(membership.artistId),
    ]);
    if (!order || !artist) return null;
    return {
      id: order.id,
      purpose: orderPurpose(membership),
      amount: artist.membershipPrice,
      currency: "KRW",
      createdAt: order.createdAt,
    };
  },
};
