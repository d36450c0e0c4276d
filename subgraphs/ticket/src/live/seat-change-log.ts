import type { SeatStatus } from "../domain/records.ts";

/**
 * What one transaction changed, for the live seat feed: seat statuses by event, and events whose
 * general-admission stock moved. Repositories record into it as they write; the store hands it to
 * the feed only after the transaction commits, so subscribers never see a change that rolled back.
 */
export class SeatChangeLog {
  readonly seats = new Map<string, Map<string, SeatStatus>>();
  readonly events = new Set<string>();
  /** Reservations whose status changed (confirmed, cancelled, expired, refunded, replaced). */
  readonly reservations = new Set<string>();

  seat(eventId: string, seatId: string, status: SeatStatus): void {
    const seats = this.seats.get(eventId) ?? new Map<string, SeatStatus>();
    this.seats.set(eventId, seats.set(seatId, status));
    this.events.add(eventId);
  }

  stock(eventId: string): void {
    this.events.add(eventId);
  }

  reservation(id: string): void {
    this.reservations.add(id);
  }

  get empty(): boolean {
    return this.events.size === 0 && this.reservations.size === 0;
  }
}

/** Where committed changes go (the live feed); a no-op when nothing subscribes to seat changes. */
export interface SeatChangeSink {
  committed(log: SeatChangeLog): void;
}
