import type { MutationResolvers } from "../generated/graphql.ts";
import { REFRESH_COOKIE } from "../http/auth-cookies.ts";

/** Sign-in mutations return the session and set it as cookies for browser clients. */
export const Mutation: MutationResolvers = {
  register: async (_parent, { input }, ctx) => {
    const session = await ctx.auth.register(input, { userAgent: ctx.userAgent });
    ctx.authCookies.set(ctx.cookies, session);
    ctx.signedIn.add(session.user.id);
    return session;
  },
  login: async (_parent, { input }, ctx) => {
    const session = await ctx.auth.login(input.email, input.password, { userAgent: ctx.userAgent });
    ctx.authCookies.set(ctx.cookies, session);
    ctx.signedIn.add(session.user.id);
    return session;
  },
  loginWithGoogle: async (_parent, { idToken }, ctx) => {
    const session = await ctx.auth.loginWithGoogle(idToken, { userAgent: ctx.userAgent });
    ctx.authCookies.set(ctx.cookies, session);
    ctx.signedIn.add(session.user.id);
    return session;
  },
  refreshSession: async (_parent, { refreshToken }, ctx) => {
    const token = refreshToken ?? ctx.cookies.get(REFRESH_COOKIE);
    try {
      const session = await ctx.auth.refresh(token, { userAgent: ctx.userAgent });
      ctx.authCookies.set(ctx.cookies, session);
      ctx.signedIn.add(session.user.id);
      return session;
    } catch (error) {
      // A dead refresh cookie is useless to the browser: drop it so the client goes to sign-in.
      ctx.authCookies.clear(ctx.cookies);
      throw error;
    }
  },
  logout: async (_parent, _args, ctx) => {
    const revokedSessions = await ctx.auth.logout(ctx.viewer);
    ctx.authCookies.clear(ctx.cookies);
    return { revokedSessions };
  },
  createApiKey: (_parent, { input }, ctx) => ctx.apiKeys.create(ctx.viewer, input),
  revokeApiKey: (_parent, { id }, ctx) => ctx.apiKeys.revoke(ctx.viewer, id),
};
