import { type CryptoKey, jwtVerify, SignJWT } from "jose";
import { SIGNING_ALGORITHM } from "./keys.ts";
import { ANONYMOUS, isRole, type Viewer } from "./viewer.ts";

/** The header the gateway puts its signed context in. Clients can never set it: the gateway strips it. */
export const CONTEXT_HEADER = "x-urr-context";
const ISSUER = "urr-gateway";
const AUDIENCE = "urr-subgraph";
/** Long enough for one federated request, short enough that a leaked token is useless quickly. */
export const CONTEXT_TOKEN_TTL_SECONDS = 60;

export interface RequestContext {
  viewer: Viewer;
  requestId: string;
}

export class InvalidContextTokenError extends Error {
  constructor(reason: string) {
    super(`invalid context token: ${reason}`);
    this.name = "InvalidContextTokenError";
  }
}

/** Signed by the gateway once per client request and sent with every subgraph fetch of it. */
export async function signContextToken(context: RequestContext, key: CryptoKey): Promise<string> {
  const { viewer } = context;
  const claims = viewer.authenticated ? { email: viewer.email, role: viewer.role } : { anon: true };
  const jwt = new SignJWT({ ...claims, rid: context.requestId })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: "urr-context+jwt" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${CONTEXT_TOKEN_TTL_SECONDS}s`);
  if (viewer.authenticated) jwt.setSubject(viewer.userId);
  return jwt.sign(key);
}

/** Verified by every subgraph; anything but a valid gateway signature is rejected. */
export async function verifyContextToken(token: string, key: CryptoKey): Promise<RequestContext> {
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
  const requestId = typeof payload.rid === "string" ? payload.rid : "unknown";
  if (payload.anon === true) return { viewer: ANONYMOUS, requestId };
  const { sub, email, role } = payload;
  if (typeof sub !== "string" || typeof email !== "string" || !isRole(role)) {
    throw new InvalidContextTokenError("malformed claims");
  }
  return { viewer: { authenticated: true, userId: sub, email, role }, requestId };
}
