import { counter } from "@urr/telemetry";

/**
 * The on-sale's own figures, counted where they happen and only once their transaction committed.
 * No event, user or seat label: an on-sale is watched as a whole (the queue has the per-event view).
 */
const holds = counter({
  name: "urr_seat_holds_total",
  help: "Hold attempts by outcome: won (the seats or tickets are the buyer's), conflict (someone else has one of the seats), sold_out (general admission: not enough tickets left)",
  labelNames: ["outcome"] as const,
});
const reservations = counter({
  name: "urr_reservations_total",
  help: "Reservations that ended their hold, by outcome: confirmed, confirmation_rejected, expired, cancelled",
  labelNames: ["outcome"] as const,
});

export type ReservationOutcome = "confirmed" | "confirmation_rejected" | "expired" | "cancelled";

export const saleMetrics = {
  holdWon(): void {
    holds.inc({ outcome: "won" });
  },
  holdConflict(): void {
    holds.inc({ outcome: "conflict" });
  },
  holdSoldOut(): void {
    holds.inc({ outcome: "sold_out" });
  },
  reservationsEnded(outcome: ReservationOutcome, count = 1): void {
    if (count > 0) reservations.inc({ outcome }, count);
  },
};
