import { type CryptoKey, jwtVerify, SignJWT } from "jose";
import { SIGNING_ALGORITHM } from "./keys.ts";
import { cachedVerifier, ExpiringCache } from "./token-cache.ts";
import { ANONYMOUS, isRole, type Viewer } from "./viewer.ts";

/** The header the gateway puts its signed context in. Clients can never set it: the gateway strips it. */
export const CONTEXT_HEADER = "x-urr-context";
const ISSUER = "urr-gateway";
const AUDIENCE = "urr-subgraph";
/** Long enough for one federated request, short enough that a leaked token is useless quickly. */
export const CONTEXT_TOKEN_TTL_SECONDS = 60;
/** A signed context is reused for this long, so every subgraph gets at least 30 s of validity. */
export const CONTEXT_TOKEN_REUSE_SECONDS = 30;

export class InvalidContextTokenError extends Error {
  constructor(reason: string) {
    super(`invalid context token: ${reason}`);
    this.name = "InvalidContextTokenError";
  }
}

/** Signed by the gateway and sent with every subgraph fetch; says who the caller is. */
export async function signContextToken(viewer: Viewer, key: CryptoKey): Promise<string> {
  const claims = viewer.authenticated ? { email: viewer.email, role: viewer.role } : { anon: true };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: "urr-context+jwt" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${CONTEXT_TOKEN_TTL_SECONDS}s`);
  if (viewer.authenticated) jwt.setSubject(viewer.userId);
  return jwt.sign(key);
}

/** Verified by every subgraph; anything but a valid gateway signature is rejected. */
export async function verifyContextToken(token: string, key: CryptoKey): Promise<Viewer> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: "urr-context+jwt",
    }));
  } catch (error) {
    throw new InvalidContextTokenError(error instanceof Error ? error.message : "unverifiable");
  }
  if (payload.anon === true) return ANONYMOUS;
  const { sub, email, role } = payload;
  if (typeof sub !== "string" || typeof email !== "string" || !isRole(role)) {
    throw new InvalidContextTokenError("malformed claims");
  }
  return { authenticated: true, userId: sub, email, role };
}

/**
 * The gateway's signer: one token per distinct viewer, reused for CONTEXT_TOKEN_REUSE_SECONDS, so a
 * burst of requests from one fan costs one signature.
 */
export class ContextTokenSigner {
  private readonly cache = new ExpiringCache<Promise<string>>(50_000);

  constructor(private readonly key: CryptoKey) {}

  sign(viewer: Viewer): Promise<string> {
    const identity = viewer.authenticated ? `${viewer.userId}|${viewer.role}|${viewer.email}` : "anonymous";
    const cached = this.cache.get(identity);
    if (cached) return cached;
    const token = signContextToken(viewer, this.key);
    this.cache.set(identity, token, Date.now() + CONTEXT_TOKEN_REUSE_SECONDS * 1000);
    token.catch(() => this.cache.set(identity, token, 0));
    return token;
  }
}

/** The subgraph's verifier: a token already verified is trusted until it expires. */
export class ContextTokenVerifier {
  readonly verify: (token: string) => Promise<Viewer>;

  constructor(key: CryptoKey) {
    this.verify = cachedVerifier((token) => verifyContextToken(token, key), 50_000);
  }
}
