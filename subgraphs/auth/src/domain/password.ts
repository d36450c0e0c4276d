import { randomBytes, type ScryptOptions, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import type { ConcurrencyGate } from "@urr/subgraph-kit";

/**
 * Passwords are hashed with scrypt (memory-hard, salted, in Node's standard library) and stored as
 * `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`, so the cost can be raised later without breaking
 * existing hashes.
 */
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface PasswordHashCost {
  /** log2 of scrypt's N. 15 (32 MiB, ~100 ms) in production; tests may lower it. */
  log2N: number;
  r: number;
  p: number;
}

export const DEFAULT_PASSWORD_COST: PasswordHashCost = { log2N: 15, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, cost: PasswordHashCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize("NFKC"), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: PasswordHashCost = DEFAULT_PASSWORD_COST) {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, cost);
  return ["scrypt", cost.log2N, cost.r, cost.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Constant-time comparison; a malformed stored hash simply fails to verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, log2N, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const cost = { log2N: Number(log2N), r: Number(r), p: Number(p) };
  if (![cost.log2N, cost.r, cost.p].every((n) => Number.isInteger(n) && n > 0) || cost.log2N > 20)
    return false;
  const expected = Buffer.from(keyB64, "base64");
  const actual = await scrypt(password, Buffer.from(saltB64, "base64"), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Runs a hash now or refuses it; a `ConcurrencyGate` in production, absent in unit tests. */
export type HashAdmission = Pick<ConcurrencyGate, "run">;

/**
 * Hashing with one configured cost; injected into the auth service. Every scrypt run (hash and
 * verify alike) passes `admission`: each takes ~100 ms of a core and 32 MiB, and Node's thread pool
 * (4 threads) is shared with WebCrypto signing and file I/O, so an unbounded burst would starve the
 * rest of the process and run past the gateway's timeout. Refusals are SERVICE_UNAVAILABLE with
 * `retryAfterSeconds`.
 */
export class PasswordHasher {
  constructor(
    private readonly cost: PasswordHashCost = DEFAULT_PASSWORD_COST,
    private readonly admission?: HashAdmission,
  ) {}

  hash(password: string): Promise<string> {
    return this.admit(() => hashPassword(password, this.cost));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.admit(() => verifyPassword(password, stored));
  }

  private admit<T>(work: () => Promise<T>): Promise<T> {
    return this.admission ? this.admission.run(work) : work();
  }
}
