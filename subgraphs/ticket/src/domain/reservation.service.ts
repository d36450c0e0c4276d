import type { Viewer } from "@urr/auth-tokens";
import { ConflictError, ForbiddenError, NotFoundError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { requireViewer } from "@urr/subgraph-kit";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { ReservationRecord } from "./records.ts";
import { checkId } from "./reservation-input.ts";
import { publishCancelled } from "./reservation-lifecycle.ts";
import { releaseReservation, releaseSeatLocks } from "./reservation-release.ts";
import { saleMetrics } from "./sale-metrics.ts";

export type HoldCheck =
  | { intact: true }
  | {
      intact: false;
      reason: "NOT_PENDING" | "EVENT_CANCELLED" | "EXPIRED" | "SEAT_LOST";
      seatIds: string[];
    };

/** Reading and ending reservations; the fencing check that payment relies on. */
export class ReservationService {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: { store: TicketStore; locks: SeatLockStore; logger: Logger; clock?: () => Date },
  ) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Owner or admin; others get NOT_FOUND-equivalent FORBIDDEN without details. */
  async reservation(viewer: Viewer, id: string): Promise<ReservationRecord> {
    const user = requireViewer(viewer);
    const reservation = await this.deps.store.repos.reservations.findById(checkId(id, "id"));
    if (!reservation) throw new NotFoundError("Reservation", id);
    if (reservation.userId !== user.userId && user.role !== "ADMIN") {
      throw new ForbiddenError("This reservation belongs to someone else", "NOT_OWNER");
    }
    return reservation;
  }

  async cancel(viewer: Viewer, id: string): Promise<ReservationRecord> {
    const user = requireViewer(viewer);
    const reservationId = checkId(id, "id");
    const { reservation, released } = await this.deps.store.transaction(async (repos) => {
      const current = await repos.reservations.lock(reservationId);
      if (!current) throw new NotFoundError("Reservation", reservationId);
      const isOwner = current.userId === user.userId;
      if (!isOwner && user.role !== "ADMIN")
        throw new ForbiddenError("This reservation belongs to someone else", "NOT_OWNER");
      if (current.status === "CONFIRMED") {
        throw new ConflictError("A paid reservation is cancelled by refunding its payment", {
          reason: "RESERVATION_CONFIRMED",
        });
      }
      if (current.status !== "PENDING") {
        throw new ConflictError(`Reservation is already ${current.status.toLowerCase()}`, {
          reason: `RESERVATION_${current.status}`,
        });
      }
      const released = await releaseReservation(repos, current);
      const reason = isOwner ? "CANCELLED_BY_USER" : "CANCELLED_BY_ADMIN";
      await repos.reservations.end(reservationId, "CANCELLED", reason);
      await publishCancelled(repos, current, reason, this.clock());
      return { reservation: await repos.reservations.findById(reservationId), released };
    });
    await releaseSeatLocks(this.deps.locks, released, this.deps.logger);
    saleMetrics.reservationsEnded("cancelled");
    if (!reservation) throw new NotFoundError("Reservation", reservationId);
    return reservation;
  }

  /**
   * Whether a pending reservation still owns every seat it was granted: the reservation has not
   * expired, each seat is HELD for it with the same fencing token, and the Redis lock still carries
   * that token. A hold that lapsed and was re-taken by someone else fails here, so it can never be
   * confirmed for the old holder. (The payment saga calls this before confirming.)
   */
  async checkHold(reservationId: string): Promise<HoldCheck> {
    const { repos } = this.deps.store;
    const reservation = await repos.reservations.findById(reservationId);
    if (reservation?.endReason === "EVENT_CANCELLED" || reservation?.endReason === "EVENT_DELETED")
      return { intact: false, reason: "EVENT_CANCELLED", seatIds: [] };
    if (reservation?.status !== "PENDING") return { intact: false, reason: "NOT_PENDING", seatIds: [] };
    if (reservation.expiresAt <= this.clock()) return { intact: false, reason: "EXPIRED", seatIds: [] };
    const seatItems = reservation.items.filter((i) => i.seatId);
    const seats = await repos.seats.findByIds(seatItems.map((i) => i.seatId ?? ""));
    const lost: string[] = [];
    for (const item of seatItems) {
      const seat = seats.find((s) => s.id === item.seatId);
      const lock = seat ? await this.deps.locks.holder(reservation.eventId, seat.id) : null;
      const intact =
        seat?.status === "HELD" &&
        seat.reservationId === reservation.id &&
        seat.fencingToken === item.fencingToken &&
        lock?.userId === reservation.userId &&
        lock.token === item.fencingToken;
      if (!intact) lost.push(item.seatId ?? "");
    }
    return lost.length ? { intact: false, reason: "SEAT_LOST", seatIds: lost } : { intact: true };
  }
}
