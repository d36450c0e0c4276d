import type { AuditEvent } from "@urr/audit";

/**
 * The waiting room's state for one event, behind one interface: Redis in production (atomic Lua
 * scripts, any number of queue instances), in-process for the embedded `npm start`. Both pass the
 * same contract tests.
 *
 * Numbers: every join draws the next number of the event (`lastNumber`). The serving number is the
 * number right before the first waiter: a waiter's position is `number − serving`, computed in O(1)
 * per subscriber from one message per tick, never a per-user rank query.
 */
export type Place =
  | { state: "ACTIVE"; number: number; since: number }
  | { state: "QUEUED"; number: number }
  | { state: "NONE" };

export interface QueueCounters {
  /** Every waiter's number is greater; the first in line has position 1. */
  serving: number;
  lastNumber: number;
  waiting: number;
  active: number;
  threshold: number;
  /** Admissions of the last minute, `[atMs, count]` per tick: the measured admission rate. */
  recentAdmissions: [number, number][];
}

export interface Admission {
  userId: string;
  number: number;
  admittedAt: number;
}

export interface TickOutcome {
  admitted: Admission[];
  expiredActive: string[];
  expiredWaiting: string[];
  counters: QueueCounters;
}

export interface QueueTimeouts {
  /** A waiter not seen (heartbeat, live subscription) for this long leaves the queue. */
  waitingIdleMs: number;
  /** An admitted user not seen for this long frees their slot. */
  activeIdleMs: number;
}

export interface QueueStore {
  /** Joins, or returns the place already held (a second join keeps the first number). */
  join(eventId: string, userId: string, now: number): Promise<{ place: Place; counters: QueueCounters }>;
  place(eventId: string, userId: string): Promise<{ place: Place; counters: QueueCounters }>;
  /** Marks users still waiting or admitted as present (heartbeats, open subscriptions). */
  touch(eventId: string, userIds: string[], now: number): Promise<void>;
  /** Leaves the queue or frees the active slot; false if the user held neither. */
  leave(eventId: string, userId: string): Promise<boolean>;
  /**
   * One admission round: expires idle users, then admits waiters in number order up to the
   * threshold. At most one round per event per `leaseMs` across all instances: null when another
   * instance holds the round.
   */
  tick(
    eventId: string,
    now: number,
    options: QueueTimeouts & { leaseMs: number; maxBatch: number },
  ): Promise<TickOutcome | null>;
  counters(eventId: string): Promise<QueueCounters>;
  /** Events with someone waiting or active: the ones the worker visits. */
  busyEvents(): Promise<string[]>;
  /**
   * Sets the admission threshold. With `audit` (an admin's action), the envelope gets the threshold
   * before and after as `before`/`after` and joins the audit outbox in the same atomic step.
   */
  setThreshold(eventId: string, threshold: number, audit?: AuditEvent): Promise<void>;
  /**
   * Empties the event's queue and active set; the numbering continues (old numbers never return).
   * With `audit`, the envelope gets the room's figures before and after and joins the audit outbox
   * in the same atomic step.
   */
  clear(eventId: string, audit?: AuditEvent): Promise<void>;
  /** Admissions not yet published to queue-events, oldest first; `ack` drops the first `count`. */
  pendingAdmissions(limit: number): Promise<(Admission & { eventId: string })[]>;
  ackAdmissions(count: number): Promise<void>;
  /** Audit envelopes (JSON text) not yet published to audit-events, oldest first; `ack` as above. */
  pendingAudits(limit: number): Promise<string[]>;
  ackAudits(count: number): Promise<void>;
  /** A short exclusive lease, renewed by its holder (one outbox relay at a time across instances). */
  lease(name: string, owner: string, ms: number): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
