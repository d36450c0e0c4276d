import { ExpiringCache, signEntryToken } from "@urr/auth-tokens";
import type { CryptoKey } from "jose";

export interface IssuedPass {
  token: string;
  expiresAt: Date;
}

/**
 * Signs entry tokens for admitted users. A pass is reused until a minute before it expires, so a
 * fan polling `queueStatus` every second costs one signature, not sixty.
 */
export class EntryPasses {
  private readonly cache = new ExpiringCache<Promise<IssuedPass>>(100_000);

  constructor(
    private readonly key: CryptoKey,
    private readonly ttlSeconds: number,
  ) {}

  issue(userId: string, eventId: string, admission: number): Promise<IssuedPass> {
    const id = `${userId}|${eventId}|${admission}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const pass = signEntryToken({ userId, eventId, admission }, this.key, this.ttlSeconds);
    const reuseMs = Math.max(0, this.ttlSeconds - 60) * 1000;
    this.cache.set(id, pass, Date.now() + reuseMs);
    return pass;
  }
}
