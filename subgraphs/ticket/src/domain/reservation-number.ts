import { randomInt } from "node:crypto";

// No 0/O, 1/I/L: a number read out over the phone must not be misheard.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** A short human-readable reservation number, e.g. `URR-7K3M-Q9XD` (unique index backs it). */
export function newReservationNumber(): string {
  const part = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `URR-${part()}-${part()}`;
}
