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
      accessCookie: carriesAmbientCredentials(req)
        ? (req.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE]
        : undefined,
    },
    tokens,
  );
}

/** Headers a browser sends cross-site only after a CORS preflight (Apollo's CSRF list). */
const PREFLIGHTED = ["apollo-require-preflight", "x-apollo-operation-name", "graphql-preflight"];

/**
 * Whether the request's cookies may sign it in. A GET that any page can make cross-site (no
 * preflighted header) runs as if it carried no cookie: what it runs is a query, with no side effect,
 * and now with nobody's data either — so partners and CDNs can use plain GETs (GraphQL over HTTP)
 * and a foreign page still learns nothing a fan could see. POSTs must be JSON, which browsers
 * preflight, so their cookies count.
 */
export function carriesAmbientCredentials(req: Request): boolean {
  return req.method !== "GET" || PREFLIGHTED.some((name) => req.header(name) !== undefined);
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
