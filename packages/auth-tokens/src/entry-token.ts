import { type CryptoKey, errors, jwtVerify, SignJWT } from "jose";
import { SIGNING_ALGORITHM } from "./keys.ts";

/**
 * The waiting room's pass: queue signs one when it admits a user to an event; ticket's hold and
 * reserve mutations require it. Bound to the user (`sub`), the event (`evt`) and the admission
 * (`adm`, the queue number it was admitted with), so a pass can be used neither by someone else nor
 * for another event. Ed25519 like every other token: ticket holds only the public key.
 */
const ISSUER = "urr-queue";
const AUDIENCE = "urr-ticket";
const TYPE = "urr-entry+jwt";

export interface EntryPass {
  userId: string;
  eventId: string;
  admission: number;
  expiresAt: Date;
}

/** Why a pass was refused: the client can act on each (re-join, wait, use the right account). */
export type EntryRefusal =
  | "ENTRY_TOKEN_REQUIRED"
  | "ENTRY_TOKEN_EXPIRED"
  | "ENTRY_TOKEN_INVALID"
  | "ENTRY_TOKEN_MISMATCH";

export class EntryTokenRefused extends Error {
  constructor(readonly reason: EntryRefusal) {
    super(`entry token refused: ${reason}`);
    this.name = "EntryTokenRefused";
  }
}

export async function signEntryToken(
  pass: { userId: string; eventId: string; admission: number },
  key: CryptoKey,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ evt: pass.eventId, adm: pass.admission })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: TYPE })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(pass.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key);
  return { token, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
}

/** Checks a pass for this user and event; throws EntryTokenRefused with the reason otherwise. */
export async function verifyEntryToken(
  token: string | null | undefined,
  expected: { userId: string; eventId: string },
  key: CryptoKey,
): Promise<EntryPass> {
  if (!token) throw new EntryTokenRefused("ENTRY_TOKEN_REQUIRED");
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TYPE,
    }));
  } catch (error) {
    throw new EntryTokenRefused(
      error instanceof errors.JWTExpired ? "ENTRY_TOKEN_EXPIRED" : "ENTRY_TOKEN_INVALID",
    );
  }
  const { sub, evt, adm, exp } = payload;
  if (
    typeof sub !== "string" ||
    typeof evt !== "string" ||
    typeof adm !== "number" ||
    typeof exp !== "number"
  ) {
    throw new EntryTokenRefused("ENTRY_TOKEN_INVALID");
  }
  if (sub !== expected.userId || evt !== expected.eventId)
    throw new EntryTokenRefused("ENTRY_TOKEN_MISMATCH");
  return { userId: sub, eventId: evt, admission: adm, expiresAt: new Date(exp * 1000) };
}
