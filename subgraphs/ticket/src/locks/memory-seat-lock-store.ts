import type { AcquireResult, SeatLockStore } from "./seat-lock-store.ts";

/**
 * The same contract in process memory, for the embedded `npm start` only (one ticket instance, no
 * Redis). Every invariant test runs against real Redis.
 */
export class MemorySeatLockStore implements SeatLockStore {
  private readonly locks = new Map<string, { userId: string; token: bigint; expiresAt: number }>();
  private readonly counters = new Map<string, bigint>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(
    eventId: string,
    seatIds: readonly string[],
    userId: string,
    ttlMs: number,
  ): Promise<AcquireResult> {
    const conflictingSeatIds = seatIds.filter((id) => {
      const lock = this.live(eventId, id);
      return lock !== undefined && lock.userId !== userId;
    });
    if (conflictingSeatIds.length) return { acquired: false, conflictingSeatIds };
    const previous = new Map<string, bigint>();
    for (const id of seatIds) {
      const lock = this.live(eventId, id);
      if (lock) previous.set(id, lock.token);
    }
    const token = (this.counters.get(eventId) ?? 0n) + 1n;
    this.counters.set(eventId, token);
    for (const id of seatIds)
      this.locks.set(`${eventId}:${id}`, { userId, token, expiresAt: this.now() + ttlMs });
    return { acquired: true, token, previous };
  }

  async release(eventId: string, seatIds: readonly string[], token: bigint): Promise<number> {
    let released = 0;
    for (const id of seatIds) {
      if (this.live(eventId, id)?.token === token) {
        this.locks.delete(`${eventId}:${id}`);
        released++;
      }
    }
    return released;
  }

  async restore(
    eventId: string,
    seatIds: readonly string[],
    userId: string,
    token: bigint,
    ttlMs: number,
  ): Promise<void> {
    for (const id of seatIds) {
      const lock = this.live(eventId, id);
      if (!lock || lock.userId === userId)
        this.locks.set(`${eventId}:${id}`, { userId, token, expiresAt: this.now() + ttlMs });
    }
  }

  async holder(eventId: string, seatId: string) {
    const lock = this.live(eventId, seatId);
    return lock ? { userId: lock.userId, token: lock.token } : null;
  }

  async ping(): Promise<void> {}
  async close(): Promise<void> {}

  private live(eventId: string, seatId: string) {
    const key = `${eventId}:${seatId}`;
    const lock = this.locks.get(key);
    if (lock && lock.expiresAt <= this.now()) {
      this.locks.delete(key);
      return undefined;
    }
    return lock;
  }
}
