import { type AuditEvent, auditEnvelope } from "@urr/audit";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, NotFoundError } from "@urr/errors";
import { checkId, requireAdmin } from "@urr/subgraph-kit";
import type { EventDirectory, SaleWindow } from "../store/event-directory.ts";
import type { Place, QueueCounters, QueueStore } from "../store/queue-store.ts";
import type { EntryPasses } from "./entry-passes.ts";
import { admissionRate, estimatedWaitSeconds, pollIntervalSeconds } from "./estimates.ts";
import type { PresalePolicy } from "./presale.ts";
import type { QueueTick } from "./queue-tick.ts";

export type QueueState = "QUEUED" | "ACTIVE" | "NOT_IN_QUEUE";

/** A user's place in an event's waiting room, as the API shows it. */
export interface QueueTicketView {
  eventId: string;
  state: QueueState;
  queueNumber: number | null;
  /** 1 for the first waiter; 0 when active or not in the queue. */
  position: number;
  queueSize: number;
  activeUsers: number;
  estimatedWaitSeconds: number | null;
  pollIntervalSeconds: number;
  entryToken: string | null;
  entryTokenExpiresAt: Date | null;
  /** When these figures were true (the admission round that produced them, or the read). */
  asOf: Date;
}

export interface QueueAdminFigures {
  eventId: string;
  queueSize: number;
  activeUsers: number;
  threshold: number;
  servingNumber: number;
  lastNumber: number;
  admissionsPerMinute: number;
}

export const MAX_THRESHOLD = 100_000;

export class QueueService {
  constructor(
    private readonly deps: {
      store: QueueStore;
      directory: EventDirectory;
      presale: PresalePolicy;
      passes: EntryPasses;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async requireEvent(eventId: string): Promise<SaleWindow> {
    const window = await this.deps.directory.event(eventId);
    if (!window) throw new NotFoundError("Event", eventId);
    return window;
  }

  async join(user: AuthenticatedViewer, eventId: string): Promise<QueueTicketView> {
    const window = await this.requireEvent(eventId);
    const now = this.now();
    if (window.cancelledAt) throw new ConflictError("The event was cancelled", { reason: "EVENT_CANCELLED" });
    if (now >= window.saleEndsAt.getTime())
      throw new ConflictError("The sale has ended", { reason: "SALE_ENDED" });
    const opensAt = await this.deps.presale.opensAt(window, user.userId, new Date(now));
    if (now < opensAt.getTime()) {
      throw new ConflictError("The sale has not opened for you yet", {
        reason: "SALE_NOT_OPEN",
        opensAt: opensAt.toISOString(),
      });
    }
    const { place, counters } = await this.deps.store.join(eventId, user.userId, now);
    return this.view(eventId, user.userId, place, counters);
  }

  async status(user: AuthenticatedViewer, eventId: string): Promise<QueueTicketView> {
    await this.requireEvent(eventId);
    const { place, counters } = await this.deps.store.place(eventId, user.userId);
    return this.view(eventId, user.userId, place, counters);
  }

  /** Keeps the user's place (waiting) or slot (admitted); both lapse without it. */
  async heartbeat(user: AuthenticatedViewer, eventId: string): Promise<QueueTicketView> {
    await this.requireEvent(eventId);
    await this.deps.store.touch(eventId, [user.userId], this.now());
    return this.status(user, eventId);
  }

  async leave(user: AuthenticatedViewer, eventId: string): Promise<boolean> {
    await this.requireEvent(eventId);
    return this.deps.store.leave(eventId, user.userId);
  }

  /** The public figures of an event's queue; null for events the queue does not know. */
  async publicFigures(
    eventId: string,
  ): Promise<{ queueSize: number; activeUsers: number; estimatedWaitSeconds: number | null } | null> {
    if (!(await this.deps.directory.event(eventId))) return null;
    const c = await this.deps.store.counters(eventId);
    const joiningNow = c.waiting + 1;
    return {
      queueSize: c.waiting,
      activeUsers: c.active,
      estimatedWaitSeconds:
        c.waiting === 0 && c.active < c.threshold
          ? 0
          : estimatedWaitSeconds(joiningNow, admissionRate(c, this.now())),
    };
  }

  async admin(eventId: string): Promise<QueueAdminFigures> {
    await this.requireEvent(eventId);
    const c = await this.deps.store.counters(eventId);
    return {
      eventId,
      queueSize: c.waiting,
      activeUsers: c.active,
      threshold: c.threshold,
      servingNumber: c.serving,
      lastNumber: c.lastNumber,
      admissionsPerMinute: Math.round(admissionRate(c, this.now()) * 60),
    };
  }

  /**
   * Admin actions on a waiting room. Authorised here; the change and its audit entry are one atomic
   * store step (the queue keeps no database: the entry joins its Redis audit outbox, which the
   * relay publishes to audit-events), with the figures before and after read in that step.
   */
  async setThreshold(viewer: Viewer, eventId: string, threshold: number): Promise<QueueAdminFigures> {
    const admin = requireAdmin(viewer);
    const id = checkId(eventId, "eventId");
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_THRESHOLD) {
      throw new BadUserInputError(`threshold must be an integer from 1 to ${MAX_THRESHOLD}`, "threshold");
    }
    await this.requireEvent(id);
    await this.deps.store.setThreshold(id, threshold, this.auditOf(admin, "queue.set-threshold", id));
    return this.admin(id);
  }

  async clear(viewer: Viewer, eventId: string): Promise<QueueAdminFigures> {
    const admin = requireAdmin(viewer);
    const id = checkId(eventId, "eventId");
    await this.requireEvent(id);
    await this.deps.store.clear(id, this.auditOf(admin, "queue.clear", id));
    return this.admin(id);
  }

  /** The action's envelope, validated now; the store fills in the figures before and after. */
  private auditOf(admin: AuthenticatedViewer, action: string, eventId: string): AuditEvent {
    return auditEnvelope(
      "queue",
      admin,
      { action, entityType: "QUEUE", entityId: eventId, before: null, after: null },
      { at: new Date(this.now()) },
    );
  }

  async view(
    eventId: string,
    userId: string,
    place: Place,
    counters: QueueCounters,
  ): Promise<QueueTicketView> {
    const now = this.now();
    const rate = admissionRate(counters, now);
    const base = { eventId, queueSize: counters.waiting, activeUsers: counters.active, asOf: new Date(now) };
    if (place.state === "ACTIVE") {
      const pass = await this.deps.passes.issue(userId, eventId, place.number);
      return {
        ...base,
        state: "ACTIVE",
        queueNumber: place.number,
        position: 0,
        estimatedWaitSeconds: 0,
        pollIntervalSeconds: pollIntervalSeconds(0),
        entryToken: pass.token,
        entryTokenExpiresAt: pass.expiresAt,
      };
    }
    if (place.state === "QUEUED") {
      return this.queued(base, place.number, counters.serving, rate);
    }
    return {
      ...base,
      state: "NOT_IN_QUEUE",
      queueNumber: null,
      position: 0,
      estimatedWaitSeconds: null,
      pollIntervalSeconds: pollIntervalSeconds(0),
      entryToken: null,
      entryTokenExpiresAt: null,
    };
  }

  /**
   * A waiter's view moved by one tick, without asking the store: O(1) per subscriber. Null when
   * the tick may have changed more than the position (the serving number reached the user's, or the
   * queue was cleared): then the subscriber reads its place again.
   */
  advance(view: QueueTicketView, tick: QueueTick): QueueTicketView | null {
    if (view.state !== "QUEUED" || view.queueNumber === null) return null;
    if (tick.reset || tick.serving >= view.queueNumber) return null;
    return this.queued(
      { eventId: view.eventId, queueSize: tick.waiting, activeUsers: tick.active, asOf: new Date(tick.at) },
      view.queueNumber,
      tick.serving,
      tick.ratePerSecond,
    );
  }

  private queued(
    base: Pick<QueueTicketView, "eventId" | "queueSize" | "activeUsers" | "asOf">,
    number: number,
    serving: number,
    rate: number,
  ): QueueTicketView {
    const position = Math.max(1, number - serving);
    return {
      ...base,
      state: "QUEUED",
      queueNumber: number,
      position,
      estimatedWaitSeconds: estimatedWaitSeconds(position, rate),
      pollIntervalSeconds: pollIntervalSeconds(position),
      entryToken: null,
      entryTokenExpiresAt: null,
    };
  }
}
