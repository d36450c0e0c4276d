import type { AuthPayloadResolvers } from "../generated/graphql.ts";

export const AuthPayload: AuthPayloadResolvers = {
  user: (session) => session.user,
  accessToken: (session) => session.accessToken.token,
  accessTokenExpiresAt: (session) => session.accessToken.expiresAt,
  refreshToken: (session) => session.refreshToken.token,
  refreshTokenExpiresAt: (session) => session.refreshToken.expiresAt,
};
