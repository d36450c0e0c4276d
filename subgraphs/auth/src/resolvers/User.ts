import type { Viewer } from "@urr/auth-tokens";
import type { UserRecord } from "../domain/user.ts";
import type { UserResolvers } from "../generated/graphql.ts";

/** Contact details are private: the user themself and admins see them, nobody else. */
function canSeeContact(viewer: Viewer, user: UserRecord): boolean {
  return viewer.authenticated && (viewer.userId === user.id || viewer.role === "ADMIN");
}

export const User: UserResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.userById.load(reference.id),
  email: (user, _args, ctx) => (canSeeContact(ctx.viewer, user) ? user.email : null),
  phone: (user, _args, ctx) => (canSeeContact(ctx.viewer, user) ? user.phone : null),
};
