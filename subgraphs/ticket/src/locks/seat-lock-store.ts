/**
 * The first gate of a seat hold: a short-lived lock per seat with a fencing token. Under a stampede
 * it turns away every request but one per seat without touching PostgreSQL; PostgreSQL remains the
 * source of truth (row locks and version checks).
 */
export type AcquireResult =
  /** `previous`: seats this user already held, with the tokens they held them under. */
  | { acquired: true; token: bigint; previous: Map<string, bigint> }
  | { acquired: false; conflictingSeatIds: string[] };

export interface SeatLockStore {
  /**
   * All requested seats or none. Seats already locked by the same user are re-locked (their TTL
   * extended, a new token issued); a seat locked by anyone else fails the whole request.
   */
  acquire(eventId: string, seatIds: readonly string[], userId: string, ttlMs: number): Promise<AcquireResult>;
  /** Deletes the locks only where they still carry `token` (a later holder's lock is left alone). */
  release(eventId: string, seatIds: readonly string[], token: bigint): Promise<number>;
  /**
   * Puts back a user's lock with an earlier token (after a failed re-selection had re-locked their
   * seats), unless someone else holds the seat by now.
   */
  restore(
    eventId: string,
    seatIds: readonly string[],
    userId: string,
    token: bigint,
    ttlMs: number,
  ): Promise<void>;
  /** The current lock of one seat, if any. */
  holder(eventId: string, seatId: string): Promise<{ userId: string; token: bigint } | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
