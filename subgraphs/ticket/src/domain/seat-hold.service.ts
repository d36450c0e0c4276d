import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, NotFoundError, ServiceUnavailableError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { requireViewer } from "@urr/subgraph-kit";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import { bestAvailableRuns } from "./best-available.ts";
import type { ReservationRecord, SeatRecord } from "./records.ts";
import { checkId, checkIdempotencyKey, checkSeatIds } from "./reservation-input.ts";
import { newReservationNumber } from "./reservation-number.ts";
import { releaseReservation, releaseSeatLocks } from "./reservation-release.ts";
import { assertOnSale } from "./sale-policy.ts";

export interface HoldPolicy {
  holdTtlMs: number;
  maxTicketsPerUser: number;
}

export interface SeatHoldDeps {
  store: TicketStore;
  locks: SeatLockStore;
  policy: HoldPolicy;
  logger: Logger;
  clock?: () => Date;
}

const labels = (seats: Pick<SeatRecord, "label">[]) => seats.map((s) => s.label);

function seatsTaken(seats: SeatRecord[]): ConflictError {
  return new ConflictError(`Seats no longer available: ${labels(seats).join(", ")}`, {
    reason: "SEATS_TAKEN",
    seats: labels(seats),
    seatIds: seats.map((s) => s.id),
  });
}

/**
 * Holding numbered seats, all or nothing:
 *  1. Redis: one script locks every requested seat (or none) and issues a fencing token. Under a
 *     stampede this turns away all but one request per seat without touching PostgreSQL.
 *  2. PostgreSQL, one transaction: the buyer's lock (per user and event), row locks on the seats in
 *     id order, status and version checks, compare-and-set to HELD with the token, the reservation.
 * A hold is the user's current selection for the event: holding again replaces the pending one.
 * Any failure after step 1 gives the Redis locks back.
 */
export class SeatHoldService {
  private readonly clock: () => Date;

  constructor(private readonly deps: SeatHoldDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async holdSeats(
    viewer: Viewer,
    eventIdInput: string,
    seatIdInput: readonly string[],
    keyInput: string,
  ): Promise<ReservationRecord> {
    const user = requireViewer(viewer);
    const eventId = checkId(eventIdInput, "eventId");
    const seatIds = checkSeatIds(seatIdInput, this.deps.policy.maxTicketsPerUser);
    const idempotencyKey = checkIdempotencyKey(keyInput);
    const { store, locks, policy } = this.deps;

    const repeated = await store.repos.reservations.findByIdempotencyKey(user.userId, idempotencyKey);
    if (repeated) return sameRequest(repeated, eventId);
    assertOnSale(await store.repos.saleEvents.find(eventId), eventId, this.clock());

    const seats = await store.repos.seats.findByIds(seatIds);
    const missing = seatIds.filter((id) => !seats.some((s) => s.id === id));
    if (missing.length) throw new NotFoundError("Seat", missing.join(", "));
    const foreign = seats.filter((s) => s.eventId !== eventId);
    if (foreign.length) {
      throw new BadUserInputError("Some seats belong to another event", "seatIds", {
        seatIds: foreign.map((s) => s.id),
      });
    }
    const taken = seats.filter(
      (s) => s.status === "RESERVED" || (s.status === "HELD" && s.heldBy !== user.userId),
    );
    if (taken.length) throw seatsTaken(taken);
    // Seats this user already holds: if this request fails, their earlier lock must be put back.
    const alreadyMine = seats.filter((s) => s.status === "HELD" && s.heldBy === user.userId);

    const lock = await locks
      .acquire(eventId, seatIds, user.userId, policy.holdTtlMs)
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, "seat lock store unavailable");
        throw new ServiceUnavailableError("Seat selection is temporarily unavailable, retry shortly");
      });
    if (!lock.acquired) throw seatsTaken(seats.filter((s) => lock.conflictingSeatIds.includes(s.id)));

    try {
      const outcome = await store.transaction(async (repos) => {
        await repos.lockBuyer(user.userId, eventId);
        const raced = await repos.reservations.findByIdempotencyKey(user.userId, idempotencyKey);
        if (raced) return { reservation: sameRequest(raced, eventId), released: [], repeated: true };

        const previous = await repos.reservations.lockPendingSeatHold(user.userId, eventId);
        const owned = await repos.reservations.activeTicketCount(user.userId, eventId, previous?.id);
        if (owned + seatIds.length > policy.maxTicketsPerUser) {
          throw new BadUserInputError(
            `At most ${policy.maxTicketsPerUser} tickets per person for this event; you already have ${owned}`,
            "seatIds",
            { limit: policy.maxTicketsPerUser, alreadyHeld: owned },
          );
        }
        const locked = await repos.seats.lock(seatIds);
        const unavailable = locked.filter(
          (s) =>
            !(
              s.status === "AVAILABLE" ||
              (s.status === "HELD" && previous !== null && s.reservationId === previous.id)
            ),
        );
        if (unavailable.length) throw seatsTaken(unavailable);

        const released = previous ? await releaseReservation(repos, previous) : [];
        if (previous) await repos.reservations.end(previous.id, "CANCELLED", "REPLACED");
        const current = previous ? await repos.seats.findByIds(seatIds) : locked;

        const reservationId = randomUUID();
        const reservation = await repos.reservations.create({
          id: reservationId,
          number: newReservationNumber(),
          userId: user.userId,
          eventId,
          totalAmount: current.reduce((sum, s) => sum + s.price, 0),
          expiresAt: new Date(this.clock().getTime() + policy.holdTtlMs),
          idempotencyKey,
          items: current.map((s) => ({
            seatId: s.id,
            quantity: 1,
            unitPrice: s.price,
            fencingToken: lock.token,
          })),
        });
        for (const seat of current) {
          if (!(await repos.seats.hold(seat, lock.token, user.userId, reservationId)))
            throw seatsTaken([seat]);
        }
        return { reservation, released: released.filter((s) => !seatIds.includes(s.id)), repeated: false };
      });

      if (outcome.repeated) {
        await this.restoreOwnLocks(outcome.reservation, user.userId);
      } else {
        await releaseSeatLocks(locks, outcome.released);
      }
      return outcome.reservation;
    } catch (error) {
      await this.giveBack(eventId, seatIds, lock.token, alreadyMine, user.userId);
      throw error;
    }
  }

  /**
   * Holds the best `count` adjacent seats (see best-available.ts); when a chosen run is taken by a
   * racing buyer, the next best run is tried.
   */
  async holdBestAvailable(
    viewer: Viewer,
    eventIdInput: string,
    section: string | null | undefined,
    count: number,
    key: string,
  ) {
    requireViewer(viewer);
    const eventId = checkId(eventIdInput, "eventId");
    if (!Number.isInteger(count) || count < 1 || count > this.deps.policy.maxTicketsPerUser) {
      throw new BadUserInputError(`count must be 1 to ${this.deps.policy.maxTicketsPerUser}`, "count");
    }
    const { seats } = this.deps.store.repos;
    const available = await seats.listAvailable(eventId, section ?? undefined);
    const runs = bestAvailableRuns(available, count, await seats.rowLengths(eventId)).slice(0, 3);
    if (runs.length === 0) {
      throw new ConflictError(
        `No ${count} adjacent seats are available${section ? ` in section ${section}` : ""}`,
        {
          reason: "NO_ADJACENT_SEATS",
        },
      );
    }
    let lastError: unknown;
    for (const run of runs) {
      try {
        return await this.holdSeats(
          viewer,
          eventId,
          run.map((s) => s.id),
          key,
        );
      } catch (error) {
        if (!(error instanceof ConflictError) || error.extensions.reason !== "SEATS_TAKEN") throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  private async giveBack(
    eventId: string,
    seatIds: string[],
    token: bigint,
    alreadyMine: SeatRecord[],
    userId: string,
  ) {
    try {
      await this.deps.locks.release(eventId, seatIds, token);
      const byToken = new Map<bigint, string[]>();
      for (const seat of alreadyMine)
        byToken.set(seat.fencingToken, [...(byToken.get(seat.fencingToken) ?? []), seat.id]);
      for (const [earlier, ids] of byToken)
        await this.deps.locks.restore(eventId, ids, userId, earlier, this.deps.policy.holdTtlMs);
    } catch (error) {
      // The locks expire on their own; PostgreSQL never recorded this hold.
      this.deps.logger.warn({ err: error, eventId }, "could not release seat locks after a failed hold");
    }
  }

  /** A retried request found its reservation: its seats' locks go back to that reservation's token. */
  private async restoreOwnLocks(reservation: ReservationRecord, userId: string) {
    const remaining = reservation.expiresAt.getTime() - this.clock().getTime();
    if (reservation.status !== "PENDING" || remaining <= 0) return;
    for (const item of reservation.items) {
      if (item.seatId && item.fencingToken !== null) {
        await this.deps.locks.restore(
          reservation.eventId,
          [item.seatId],
          userId,
          item.fencingToken,
          remaining,
        );
      }
    }
  }
}

/** The same idempotency key must mean the same request. */
export function sameRequest(reservation: ReservationRecord, eventId: string): ReservationRecord {
  if (reservation.eventId !== eventId) {
    throw new BadUserInputError("This idempotencyKey was already used for another event", "idempotencyKey");
  }
  return reservation;
}
