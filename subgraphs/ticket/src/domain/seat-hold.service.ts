import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
} from "@urr/errors";
import type { Logger } from "@urr/logger";
import { requireViewer } from "@urr/subgraph-kit";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import { bestAvailableRuns } from "./best-available.ts";
import type { BuyerTerms, BuyerTermsPolicy } from "./buyer-terms.ts";
import type { ReservationRecord, SeatRecord } from "./records.ts";
import { checkId, checkIdempotencyKey, checkSeatIds } from "./reservation-input.ts";
import { newReservationNumber } from "./reservation-number.ts";
import { type ReleasedSeat, releaseSeatLocks } from "./reservation-release.ts";
import { saleMetrics } from "./sale-metrics.ts";
import { assertNotClosed } from "./sale-policy.ts";

export interface HoldPolicy {
  holdTtlMs: number;
  maxTicketsPerUser: number;
}

export interface SeatHoldDeps {
  store: TicketStore;
  locks: SeatLockStore;
  policy: HoldPolicy;
  /** Who may buy now (the pre-sale stages) and at what booking fee. */
  terms: BuyerTermsPolicy;
  logger: Logger;
  clock?: () => Date;
}

const labels = (seats: Pick<SeatRecord, "label">[]) => seats.map((s) => s.label);

function overLimit(limit: number, owned: number): BadUserInputError {
  return new BadUserInputError(
    `At most ${limit} tickets per person for this event; you already have ${owned}`,
    "seatIds",
    {
      limit,
      alreadyHeld: owned,
    },
  );
}

function seatsTaken(seats: Pick<SeatRecord, "id" | "label">[]): ConflictError {
  saleMetrics.holdConflict();
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
 *  2. PostgreSQL, one round trip: the `urr_hold_seats` function, the only place the rules of a hold
 *     live (the buyer's lock, the per-person limit, row locks on the seats in id order, the event's
 *     state, status checks, compare-and-set to HELD with the token, the reservation).
 * A hold is the user's current selection for the event: holding again replaces the pending one
 * (in the same call). Any failure after step 1 gives the Redis locks back.
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

    const repeatedId = await store.repos.reservations.idByIdempotencyKey(user.userId, idempotencyKey);
    if (repeatedId) return sameRequest(await this.load(repeatedId), eventId);
    const terms = await this.deps.terms.termsFor(user.userId, eventId, this.clock());

    // Redis is the first gate: under a stampede it turns away all but one buyer per seat before
    // PostgreSQL is touched. Seat existence and ownership are checked under the row locks.
    const lock = await locks
      .acquire(eventId, seatIds, user.userId, policy.holdTtlMs)
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, "seat lock store unavailable");
        throw new ServiceUnavailableError("Seat selection is temporarily unavailable, retry shortly");
      });
    if (!lock.acquired) throw await this.takenByOthers(lock.conflictingSeatIds);

    let outcome: { reservation: ReservationRecord; released: ReleasedSeat[] };
    try {
      outcome = await this.holdInDatabase(user.userId, eventId, seatIds, idempotencyKey, lock.token, terms);
    } catch (error) {
      await this.giveBack(eventId, seatIds, lock.token, lock.previous, user.userId);
      if (!(error instanceof ConcurrentTwin)) throw error;
      // The same request, sent twice at once, won in the other transaction: answer with its result.
      // (It committed before our insert ran, so its row is visible now.)
      const twinId = await store.repos.reservations.idByIdempotencyKey(user.userId, idempotencyKey);
      if (!twinId) {
        throw new ConflictError("The same request is being processed, retry shortly", {
          reason: "REQUEST_IN_FLIGHT",
        });
      }
      const twin = sameRequest(await this.load(twinId), eventId);
      await this.restoreOwnLocks(twin, user.userId);
      return twin;
    }
    await releaseSeatLocks(locks, outcome.released, this.deps.logger);
    saleMetrics.holdWon();
    return outcome.reservation;
  }

  /** The PostgreSQL half in one round trip (`urr_hold_seats`); its refusals become coded errors. */
  private async holdInDatabase(
    userId: string,
    eventId: string,
    seatIds: string[],
    idempotencyKey: string,
    token: bigint,
    terms: BuyerTerms,
  ): Promise<{ reservation: ReservationRecord; released: ReleasedSeat[] }> {
    const { policy } = this.deps;
    const id = randomUUID();
    const number = newReservationNumber();
    const expiresAt = new Date(this.clock().getTime() + policy.holdTtlMs);
    const result = await this.deps.store.statement((repos) =>
      repos.seats.hold({
        reservationId: id,
        number,
        userId,
        eventId,
        seatIds,
        idempotencyKey,
        token,
        expiresAt,
        maxTickets: policy.maxTicketsPerUser,
        buyerTier: terms.tier,
        bookingFee: terms.bookingFee,
      }),
    );
    switch (result.outcome) {
      case "LIMIT":
        throw overLimit(policy.maxTicketsPerUser, result.owned);
      case "MISSING":
        throw new NotFoundError("Seat", result.seatIds.join(", "));
      case "FOREIGN":
        throw new BadUserInputError("Some seats belong to another event", "seatIds", {
          seatIds: result.seatIds,
        });
      case "TAKEN":
        throw seatsTaken(result.seats);
      case "CHANGED":
        throw seatsTaken(seatIds.map((seatId) => ({ id: seatId, label: seatId })));
      case "EVENT_CLOSED":
        // Cancelled or deleted after holdSeats' sale check, while this hold waited for its seats:
        // the same refusal that check gives now.
        assertNotClosed(await this.deps.store.repos.saleEvents.find(eventId), eventId);
        throw new ForbiddenError("This event was cancelled", "EVENT_CANCELLED");
      case "TWIN":
        throw new ConcurrentTwin();
    }
    const createdAt = new Date(result.createdAt);
    return {
      released: result.released.map((s) => ({ id: s.id, eventId, fencingToken: s.token })),
      reservation: {
        id,
        number,
        userId,
        eventId,
        status: "PENDING",
        totalAmount: result.items.reduce((sum, item) => sum + item.price + terms.bookingFee, 0),
        currency: "KRW",
        buyerTier: terms.tier,
        expiresAt,
        idempotencyKey,
        endReason: null,
        paymentId: null,
        confirmedAt: null,
        createdAt,
        updatedAt: createdAt,
        items: result.items.map((item) => ({
          id: "",
          seatId: item.seatId,
          ticketTypeId: null,
          quantity: 1,
          unitPrice: item.price,
          bookingFee: terms.bookingFee,
          fencingToken: token,
        })),
      },
    };
  }

  private async load(id: string): Promise<ReservationRecord> {
    const reservation = await this.deps.store.repos.reservations.findById(id);
    if (!reservation) throw new NotFoundError("Reservation", id);
    return reservation;
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
    previous: Map<string, bigint>,
    userId: string,
  ) {
    try {
      await this.deps.locks.release(eventId, seatIds, token);
      const byToken = new Map<bigint, string[]>();
      for (const [seatId, earlier] of previous)
        byToken.set(earlier, [...(byToken.get(earlier) ?? []), seatId]);
      for (const [earlier, ids] of byToken)
        await this.deps.locks.restore(eventId, ids, userId, earlier, this.deps.policy.holdTtlMs);
    } catch (error) {
      // The locks expire on their own; PostgreSQL never recorded this hold.
      this.deps.logger.warn({ err: error, eventId }, "could not release seat locks after a failed hold");
    }
  }

  /** The conflict error for seats Redis says others hold, with their labels. */
  private async takenByOthers(seatIds: string[]): Promise<ConflictError> {
    return seatsTaken(await this.deps.store.repos.seats.findByIds(seatIds));
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

/** Thrown inside the hold transaction when a twin request with the same key committed first. */
class ConcurrentTwin extends Error {
  constructor() {
    super("a concurrent request with the same idempotency key won");
  }
}

/** The same idempotency key must mean the same request. */
export function sameRequest(reservation: ReservationRecord, eventId: string): ReservationRecord {
  if (reservation.eventId !== eventId) {
    throw new BadUserInputError("This idempotencyKey was already used for another event", "idempotencyKey");
  }
  return reservation;
}
