import type { Logger } from "@urr/logger";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import type { TicketRepositories } from "../repositories/ticket-store.ts";
import type { ReservationRecord } from "./records.ts";

export interface ReleasedSeat {
  id: string;
  eventId: string;
  fencingToken: bigint;
}

/**
 * Gives back everything a pending reservation holds: its seats become AVAILABLE (version bumped,
 * token cleared) and its general-admission quantities return to stock. Runs inside the caller's
 * transaction, with the reservation row locked, so it happens exactly once.
 */
export async function releaseReservation(
  repos: TicketRepositories,
  reservation: ReservationRecord,
): Promise<ReleasedSeat[]> {
  const seats = await repos.seats.releaseHeldBy(reservation.id);
  for (const item of reservation.items) {
    if (item.ticketTypeId) await repos.ticketTypes.giveBack(item.ticketTypeId, item.quantity);
  }
  return seats;
}

/**
 * After commit: drop the Redis locks the released seats were held under (only if still ours).
 * Never throws: what it follows has committed, so its caller's answer is true whatever Redis does,
 * and a lock left behind expires on its own (a buyer meanwhile hears the seat is taken).
 */
export async function releaseSeatLocks(
  locks: SeatLockStore,
  seats: ReleasedSeat[],
  logger: Logger,
): Promise<void> {
  try {
    await releaseEach(locks, seats);
  } catch (error) {
    logger.warn(
      { err: error, seats: seats.length },
      "could not drop released seats' locks; they expire on their own",
    );
  }
}

async function releaseEach(locks: SeatLockStore, seats: ReleasedSeat[]): Promise<void> {
  const groups = new Map<string, { eventId: string; token: bigint; ids: string[] }>();
  for (const seat of seats) {
    const key = `${seat.eventId}|${seat.fencingToken}`;
    const group = groups.get(key) ?? { eventId: seat.eventId, token: seat.fencingToken, ids: [] };
    group.ids.push(seat.id);
    groups.set(key, group);
  }
  for (const group of groups.values()) await locks.release(group.eventId, group.ids, group.token);
}
