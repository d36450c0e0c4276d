import { ForbiddenError } from "@urr/errors";
import type { UserResolvers } from "../generated/graphql.ts";
import { userMemberships } from "../memberships/resolvers/fields.ts";

export const User: UserResolvers = {
  ...userMemberships,
  __resolveReference: (reference) => ({ id: reference.id }),
  reservations: (user, _args, ctx) => {
    const { viewer } = ctx;
    if (!viewer.authenticated || (viewer.userId !== user.id && viewer.role !== "ADMIN")) {
      throw new ForbiddenError("Reservations are visible to their owner only", "NOT_OWNER");
    }
    return ctx.loaders.reservationsByUser.load(user.id);
  },
};
