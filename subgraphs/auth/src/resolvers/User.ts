import type { AuthContext } from "../context.ts";
import type { UserRecord } from "../domain/user.ts";
import type { UserResolvers } from "../generated/graphql.ts";

/**
 * Contact details are private: the user themself and admins see them, nobody else. During a sign-in
 * mutation the request is still anonymous, so the user just signed in counts as "themself".
 */
function canSeeContact(ctx: AuthContext, user: UserRecord): boolean {
  if (ctx.signedIn.has(user.id)) return true;
  const { viewer } = ctx;
  return viewer.authenticated && (viewer.userId === user.id || viewer.role === "ADMIN");
}

export const User: UserResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.userById.load(reference.id),
  email: (user, _args, ctx) => (canSeeContact(ctx, user) ? user.email : null),
  phone: (user, _args, ctx) => (canSeeContact(ctx, user) ? user.phone : null),
};
