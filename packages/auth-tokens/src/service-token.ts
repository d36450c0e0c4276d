import { jwtVerify, SignJWT } from "jose";

/**
 * Service-to-service calls on internal routes (payment asking ticket about a reservation). Each
 * call carries a short-lived HS256 token naming the calling service and the one it is meant for,
 * signed with a secret only the services share: a user token or a token for another service is
 * refused.
 */
const TTL_SECONDS = 60;
const TYPE = "urr-service+jwt";

export class InvalidServiceTokenError extends Error {
  constructor(reason: string) {
    super(`invalid service token: ${reason}`);
    this.name = "InvalidServiceTokenError";
  }
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export function signServiceToken(secret: string, caller: string, audience: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: TYPE })
    .setIssuer(caller)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(keyOf(secret));
}

/** Returns the calling service's name. */
export async function verifyServiceToken(token: string, secret: string, audience: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ["HS256"], audience, typ: TYPE });
    if (typeof payload.iss !== "string") throw new Error("no issuer");
    return payload.iss;
  } catch (error) {
    throw new InvalidServiceTokenError(error instanceof Error ? error.message : "unverifiable");
  }
}
