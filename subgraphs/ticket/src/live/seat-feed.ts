import type { Logger } from "@urr/logger";
import type { PubSubEngine } from "graphql-subscriptions";
import { type AvailabilitySummary, summarize } from "../domain/availability.ts";
import type { SeatStatus } from "../domain/records.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { SeatChangeLog, SeatChangeSink } from "./seat-change-log.ts";

export interface SeatChange {
  seatId: string;
  status: SeatStatus;
}

/** One message on an event's seat channel: what changed and the counts after it. */
export interface SeatUpdate {
  eventId: string;
  changes: SeatChange[];
  availability: AvailabilitySummary;
  at: number;
}

export const seatChannel = (eventId: string) => `urr.seats.${eventId}`;
export const reservationChannel = (reservationId: string) => `urr.reservation.${reservationId}`;

/**
 * Publishes committed seat and stock changes to each event's channel (Redis pub/sub across
 * replicas), and each reservation's status changes to its own channel. Changes to one event within `windowMs` go out as one message with one availability
 * count, so a stampede of holds costs a few count queries per second, not one per hold.
 */
export class SeatFeed implements SeatChangeSink {
  private readonly pending = new Map<string, Map<string, SeatStatus>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly flushing = new Set<Promise<void>>();

  constructor(
    private readonly deps: { pubsub: PubSubEngine; store: TicketStore; logger: Logger; windowMs: number },
  ) {}

  committed(log: SeatChangeLog): void {
    for (const id of log.reservations) {
      this.track(
        this.deps.pubsub.publish(reservationChannel(id), { reservationId: id }).catch((err: unknown) => {
          this.deps.logger.warn({ err, reservationId: id }, "could not publish a reservation change");
        }),
      );
    }
    for (const eventId of log.events) {
      const changes = this.pending.get(eventId) ?? new Map<string, SeatStatus>();
      for (const [seatId, status] of log.seats.get(eventId) ?? []) changes.set(seatId, status);
      this.pending.set(eventId, changes);
      if (!this.timers.has(eventId)) {
        this.timers.set(
          eventId,
          setTimeout(() => this.track(this.flush(eventId)), this.deps.windowMs),
        );
      }
    }
  }

  /** Whether the event exists (as catalog-events told ticket). */
  async knows(eventId: string): Promise<boolean> {
    const event = await this.deps.store.repos.saleEvents.find(eventId);
    return Boolean(event && !event.deleted);
  }

  /** The event's counts now (also the first message of a new subscription). */
  async availability(eventId: string): Promise<AvailabilitySummary> {
    const { repos } = this.deps.store;
    const [rows, types] = await Promise.all([
      repos.seats.availability([eventId]),
      repos.ticketTypes.listForEvents([eventId]),
    ]);
    return summarize(rows, types);
  }

  private track(flush: Promise<void>): void {
    this.flushing.add(flush);
    void flush.finally(() => this.flushing.delete(flush));
  }

  private async flush(eventId: string): Promise<void> {
    const changes = this.pending.get(eventId) ?? new Map();
    this.pending.delete(eventId);
    this.timers.delete(eventId);
    try {
      const update: SeatUpdate = {
        eventId,
        changes: [...changes].map(([seatId, status]) => ({ seatId, status })),
        availability: await this.availability(eventId),
        at: Date.now(),
      };
      await this.deps.pubsub.publish(seatChannel(eventId), update);
    } catch (err) {
      // Live updates are best effort: the next change (or a re-query) brings clients up to date.
      this.deps.logger.warn({ err, eventId }, "could not publish seat changes");
    }
  }

  /** Sends what is pending now (shutdown) and waits for sends in progress. */
  async stop(): Promise<void> {
    for (const [eventId, timer] of this.timers) {
      clearTimeout(timer);
      this.track(this.flush(eventId));
    }
    await Promise.all([...this.flushing]);
  }
}
