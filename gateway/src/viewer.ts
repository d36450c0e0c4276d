import { type AccessTokenVerifier, ANONYMOUS, type Viewer } from "@urr/auth-tokens";
import { ACCESS_COOKIE } from "@urr/contracts";
import { UnauthenticatedError } from "@urr/errors";
import type { Request } from "express";

export { ACCESS_COOKIE };

/**
 * Who is calling. A bearer header is an explicit claim: if it does not verify the request fails
 * (the client must refresh). The access cookie is ambient: a stale one is ignored, so a browser
 * with an expired cookie can still browse and call `refreshSession`.
 */
export function resolveViewer(req: Request, tokens: AccessTokenVerifier): Promise<Viewer> {
  return viewerFromCredentials(
    {
      authorization: req.header("authorization"),
      accessCookie: (req.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE],
    },
    tokens,
  );
}

/** The same rule for any transport (HTTP headers, graphql-ws connection params and upgrade cookies). */
export async function viewerFromCredentials(
  credentials: { authorization?: string | undefined; accessCookie?: string | undefined },
  tokens: AccessTokenVerifier,
): Promise<Viewer> {
  const header = credentials.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError("Authorization header must be 'Bearer <token>'");
    try {
      return await tokens.verify(match[1]);
    } catch {
      throw new UnauthenticatedError("Access token is invalid or expired", {
        reason: "INVALID_ACCESS_TOKEN",
      });
    }
  }
  const cookie = credentials.accessCookie;
  if (cookie) {
    try {
      return await tokens.verify(cookie);
    } catch {
      return ANONYMOUS;
    }
  }
  return ANONYMOUS;
}
