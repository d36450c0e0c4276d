import { type CryptoKey, jwtVerify, SignJWT } from "jose";
import { SIGNING_ALGORITHM } from "./keys.ts";
import { cachedVerifier } from "./token-cache.ts";
import { type AuthenticatedViewer, isRole, type Role } from "./viewer.ts";

/**
 * The user's access token: issued by the auth subgraph, verified by the gateway. Short-lived, so it
 * is never looked up in a database; revocation happens at refresh time.
 */
const ISSUER = "urr-auth";
const AUDIENCE = "urr";
const TYPE = "urr-access+jwt";

export interface AccessTokenSubject {
  userId: string;
  email: string;
  role: Role;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export async function signAccessToken(
  subject: AccessTokenSubject,
  key: CryptoKey,
  ttlSeconds: number,
  now = new Date(),
): Promise<IssuedToken> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
  const token = await new SignJWT({ email: subject.email, role: subject.role })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: TYPE })
    .setSubject(subject.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return { token, expiresAt };
}

export class InvalidAccessTokenError extends Error {
  constructor(reason: string) {
    super(`invalid access token: ${reason}`);
    this.name = "InvalidAccessTokenError";
  }
}

/**
 * Accepts only EdDSA tokens signed by our key with our issuer, audience and type: `alg: none`,
 * HMAC-with-public-key confusion, expired or tampered tokens all fail here.
 */
export async function verifyAccessToken(token: string, key: CryptoKey): Promise<AuthenticatedViewer> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TYPE,
    }));
  } catch (error) {
    throw new InvalidAccessTokenError(error instanceof Error ? error.message : "unverifiable");
  }
  const { sub, email, role } = payload;
  if (typeof sub !== "string" || typeof email !== "string" || !isRole(role)) {
    throw new InvalidAccessTokenError("malformed claims");
  }
  return { authenticated: true, userId: sub, email, role };
}

/** The gateway's verifier: an access token already verified is trusted until its `exp`. */
export class AccessTokenVerifier {
  readonly verify: (token: string) => Promise<AuthenticatedViewer>;

  constructor(key: CryptoKey) {
    this.verify = cachedVerifier((token) => verifyAccessToken(token, key), 100_000);
  }
}
