import type { AuditEvent } from "@urr/audit";
import type {
  Admission,
  Place,
  QueueCounters,
  QueueStore,
  QueueTimeouts,
  TickOutcome,
} from "./queue-store.ts";

interface EventQueue {
  lastNumber: number;
  serving: number;
  threshold: number | undefined;
  /** user → number, in join order (numbers only grow, so insertion order is number order). */
  waiting: Map<string, number>;
  seen: Map<string, number>;
  /** user → { number admitted with, last seen }. */
  active: Map<string, { number: number; seenAt: number }>;
  rate: [number, number][];
  leaseUntil: number;
}

/**
 * The waiting room in this process, for the embedded `npm start` (one queue instance). Same
 * behaviour as RedisQueueStore, checked by the same contract tests; every method runs to completion
 * without awaiting, which is what makes it atomic here.
 */
export class MemoryQueueStore implements QueueStore {
  private readonly events = new Map<string, EventQueue>();
  private readonly outbox: (Admission & { eventId: string })[] = [];
  private readonly auditOutbox: string[] = [];
  private readonly leases = new Map<string, { owner: string; until: number }>();

  constructor(private readonly defaultThreshold: number) {}

  private queue(eventId: string): EventQueue {
    let queue = this.events.get(eventId);
    if (!queue) {
      queue = {
        lastNumber: 0,
        serving: 0,
        threshold: undefined,
        waiting: new Map(),
        seen: new Map(),
        active: new Map(),
        rate: [],
        leaseUntil: 0,
      };
      this.events.set(eventId, queue);
    }
    return queue;
  }

  private countersOf(q: EventQueue): QueueCounters {
    return {
      serving: q.serving,
      lastNumber: q.lastNumber,
      waiting: q.waiting.size,
      active: q.active.size,
      threshold: q.threshold ?? this.defaultThreshold,
      recentAdmissions: q.rate.map(([at, n]) => [at, n]),
    };
  }

  private reserve(q: EventQueue): void {
    const head = q.waiting.values().next();
    q.serving = head.done ? q.lastNumber : head.value - 1;
  }

  private placeOf(q: EventQueue, userId: string): Place {
    const active = q.active.get(userId);
    if (active) return { state: "ACTIVE", number: active.number, since: active.seenAt };
    const number = q.waiting.get(userId);
    return number === undefined ? { state: "NONE" } : { state: "QUEUED", number };
  }

  private admit(q: EventQueue, eventId: string, userId: string, number: number, now: number): void {
    q.active.set(userId, { number, seenAt: now });
    this.outbox.push({ eventId, userId, number, admittedAt: now });
  }

  async join(eventId: string, userId: string, now: number) {
    const q = this.queue(eventId);
    const active = q.active.get(userId);
    if (active) active.seenAt = now;
    else if (q.waiting.has(userId)) q.seen.set(userId, now);
    else {
      const number = ++q.lastNumber;
      if (q.waiting.size === 0 && q.active.size < (q.threshold ?? this.defaultThreshold)) {
        this.admit(q, eventId, userId, number, now);
        q.serving = number;
        q.rate.push([now, 1]);
      } else {
        q.waiting.set(userId, number);
        q.seen.set(userId, now);
      }
    }
    return { place: this.placeOf(q, userId), counters: this.countersOf(q) };
  }

  async place(eventId: string, userId: string) {
    const q = this.queue(eventId);
    return { place: this.placeOf(q, userId), counters: this.countersOf(q) };
  }

  async touch(eventId: string, userIds: string[], now: number): Promise<void> {
    const q = this.events.get(eventId);
    if (!q) return;
    for (const userId of userIds) {
      if (q.seen.has(userId)) q.seen.set(userId, now);
      const active = q.active.get(userId);
      if (active) active.seenAt = now;
    }
  }

  async leave(eventId: string, userId: string): Promise<boolean> {
    const q = this.events.get(eventId);
    if (!q) return false;
    const was = q.waiting.delete(userId) || q.active.delete(userId);
    q.seen.delete(userId);
    if (was) this.reserve(q);
    return was;
  }

  async tick(
    eventId: string,
    now: number,
    options: QueueTimeouts & { leaseMs: number; maxBatch: number },
  ): Promise<TickOutcome | null> {
    const q = this.queue(eventId);
    if (q.leaseUntil > now) return null;
    q.leaseUntil = now + options.leaseMs;
    const expiredActive: string[] = [];
    for (const [userId, { seenAt }] of q.active) {
      if (seenAt <= now - options.activeIdleMs) expiredActive.push(userId);
    }
    for (const userId of expiredActive) q.active.delete(userId);
    const expiredWaiting: string[] = [];
    for (const [userId, seenAt] of q.seen)
      if (seenAt <= now - options.waitingIdleMs) expiredWaiting.push(userId);
    for (const userId of expiredWaiting) {
      q.waiting.delete(userId);
      q.seen.delete(userId);
    }
    const room = Math.min((q.threshold ?? this.defaultThreshold) - q.active.size, options.maxBatch);
    const admitted: Admission[] = [];
    for (const [userId, number] of q.waiting) {
      if (admitted.length >= room) break;
      admitted.push({ userId, number, admittedAt: now });
    }
    for (const { userId, number } of admitted) {
      q.waiting.delete(userId);
      q.seen.delete(userId);
      this.admit(q, eventId, userId, number, now);
    }
    if (admitted.length > 0) q.rate.push([now, admitted.length]);
    q.rate = q.rate.filter(([at]) => at >= now - 60_000);
    this.reserve(q);
    return { admitted, expiredActive, expiredWaiting, counters: this.countersOf(q) };
  }

  async counters(eventId: string): Promise<QueueCounters> {
    return this.countersOf(this.queue(eventId));
  }

  async busyEvents(): Promise<string[]> {
    return [...this.events].filter(([, q]) => q.waiting.size + q.active.size > 0).map(([id]) => id);
  }

  async setThreshold(eventId: string, threshold: number, audit?: AuditEvent): Promise<void> {
    const q = this.queue(eventId);
    const before = { threshold: q.threshold ?? this.defaultThreshold };
    q.threshold = threshold;
    if (audit) this.recordAudit(audit, before, { threshold });
  }

  async clear(eventId: string, audit?: AuditEvent): Promise<void> {
    const q = this.queue(eventId);
    const before = {
      queueSize: q.waiting.size,
      activeUsers: q.active.size,
      servingNumber: q.serving,
      lastNumber: q.lastNumber,
    };
    q.waiting.clear();
    q.seen.clear();
    q.active.clear();
    q.serving = q.lastNumber;
    const after = { queueSize: 0, activeUsers: 0, servingNumber: q.serving, lastNumber: q.lastNumber };
    if (audit) this.recordAudit(audit, before, after);
  }

  /** As the Redis scripts do: the caller's envelope with the figures read in the same step. */
  private recordAudit(audit: AuditEvent, before: object, after: object): void {
    this.auditOutbox.push(JSON.stringify({ ...audit, payload: { ...audit.payload, before, after } }));
  }

  async pendingAdmissions(limit: number) {
    return this.outbox.slice(0, limit);
  }

  async ackAdmissions(count: number): Promise<void> {
    this.outbox.splice(0, count);
  }

  async pendingAudits(limit: number): Promise<string[]> {
    return this.auditOutbox.slice(0, limit);
  }

  async ackAudits(count: number): Promise<void> {
    this.auditOutbox.splice(0, count);
  }

  async lease(name: string, owner: string, ms: number): Promise<boolean> {
    const now = Date.now();
    const held = this.leases.get(name);
    if (held && held.owner !== owner && held.until > now) return false;
    this.leases.set(name, { owner, until: now + ms });
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
