/**
 * A bounded map from a token (or identity) to what it stood for, until a deadline. Verification and
 * signing are the most expensive per-request work at the edge; most requests repeat a token seen
 * seconds ago. Oldest entries go first when full (Map keeps insertion order).
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (expiresAt <= this.now()) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** `exp` of a token whose signature was just verified, in milliseconds. */
export function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
      exp?: unknown;
    };
    return typeof payload.exp === "number" ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** Wraps a verify function: a token that verified once is trusted again until its `exp`. */
export function cachedVerifier<V>(
  verify: (token: string) => Promise<V>,
  maxEntries: number,
): (token: string) => Promise<V> {
  const cache = new ExpiringCache<V>(maxEntries);
  return async (token) => {
    const cached = cache.get(token);
    if (cached !== undefined) return cached;
    const value = await verify(token);
    cache.set(token, value, expiryOf(token));
    return value;
  };
}
