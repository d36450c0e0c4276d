import { createHash, randomBytes } from "node:crypto";

/**
 * Refresh tokens are 256 random bits, handed to the client once; the database keeps only their
 * SHA-256 (a fast hash is right here: the input has full entropy, unlike a password).
 */
export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Cheap shape check before touching the database. */
export function looksLikeRefreshToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
