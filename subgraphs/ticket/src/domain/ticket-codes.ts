import { createPublicKey } from "node:crypto";
import {
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  SIGNING_ALGORITHM,
} from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import { type CryptoKey, jwtVerify, SignJWT } from "jose";

const ISSUER = "urr-ticket";
const TYPE = "urr-ticket+jwt";

export interface TicketClaims {
  ticketId: string;
  eventId: string;
  reservationId: string;
  label: string;
  /**
   * The ticket's code version (`ver`): it grows when the ticket changes hands, so a scanner refuses a
   * code whose (ticket, version) is in `ticketRevocations`. Codes signed before versions existed
   * carry none and are version 1.
   */
  version: number;
}

/**
 * The code printed in a ticket's QR image: an Ed25519-signed JWT with the ticket, event and seat.
 * A door scanner holding only the public key (`ticketVerificationKey`) verifies it offline; nobody
 * without the private key can forge or alter one. A code that stopped admitting (refund, transfer,
 * cancelled event) is listed by `ticketRevocations`, and `verifyTicket` checks it online.
 */
export class TicketCodes {
  private constructor(
    private readonly signingKey: CryptoKey,
    private readonly verifyingKey: CryptoKey,
    readonly publicKeyPem: string,
  ) {}

  /** From the configured private key; without one, a key for this process only (codes die with it). */
  static async create(privateKeyPem: string | undefined, logger: Logger): Promise<TicketCodes> {
    let pem = privateKeyPem;
    if (!pem) {
      logger.warn(
        "TICKET_CODE_PRIVATE_KEY is not set: ticket codes are signed with a key for this process only",
      );
      pem = (await generateSigningKeyPair()).privateKeyPem;
    }
    const publicKeyPem = createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
    return new TicketCodes(await importSigningKey(pem), await importVerifyingKey(publicKeyPem), publicKeyPem);
  }

  sign(claims: Omit<TicketClaims, "version"> & { version?: number }, issuedAt: Date): Promise<string> {
    const version = claims.version ?? 1;
    return new SignJWT({ eid: claims.eventId, rid: claims.reservationId, lbl: claims.label, ver: version })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: TYPE })
      .setIssuer(ISSUER)
      .setSubject(claims.ticketId)
      .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
      .sign(this.signingKey);
  }

  /** What a scanner does with the public key; null when the code is forged or altered. */
  async verify(code: string): Promise<TicketClaims | null> {
    try {
      const { payload } = await jwtVerify(code, this.verifyingKey, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: ISSUER,
        typ: TYPE,
      });
      const { sub, eid, rid, lbl, ver = 1 } = payload;
      if (
        typeof sub !== "string" ||
        typeof eid !== "string" ||
        typeof rid !== "string" ||
        typeof lbl !== "string" ||
        typeof ver !== "number" ||
        !Number.isInteger(ver) ||
        ver < 1
      )
        return null;
      return { ticketId: sub, eventId: eid, reservationId: rid, label: lbl, version: ver };
    } catch {
      return null;
    }
  }
}
