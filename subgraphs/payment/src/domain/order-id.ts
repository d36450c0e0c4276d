import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

/**
 * Order ids go to the provider and appear on receipts: `URR-` and 20 base32 characters (100 random
 * bits), within Toss's 6–64 characters of [A-Za-z0-9-_].
 */
export function newOrderId(): string {
  const bytes = randomBytes(20);
  let id = "URR-";
  for (const byte of bytes) id += ALPHABET[byte % 32];
  return id;
}
