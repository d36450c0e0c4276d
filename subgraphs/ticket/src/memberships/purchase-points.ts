import type { ReservationRecord } from "../domain/records.ts";
import type { TicketRepositories } from "../repositories/ticket-store.ts";
import { applyChange } from "./membership-ledger.ts";
import { POINTS } from "./tiers.ts";

/**
 * +100 points for a confirmed ticket purchase of the artist's event, in the transaction that
 * confirms the reservation (the payment saga), if the buyer is an active member then. Once per
 * reservation: the saga confirms a reservation once, and the point log's unique index on the
 * reservation refuses a second entry whatever happens upstream. The membership is locked after the
 * reservation and its seats (every writer's lock order ends with memberships).
 */
export async function awardPurchasePoints(
  repos: TicketRepositories,
  reservation: Pick<ReservationRecord, "id" | "number" | "userId" | "eventId">,
  at: Date,
  sagaId: string | null,
): Promise<boolean> {
  const membership = await repos.memberships.lockActiveForEvent(reservation.userId, reservation.eventId, at);
  if (!membership) return false;
  const after = await applyChange(repos, membership, {
    action: "PURCHASE",
    points: POINTS.PURCHASE,
    description: `Tickets ${reservation.number}`,
    at,
    reservationId: reservation.id,
    announce: { kind: "NONE" },
    sagaId,
  });
  return after !== null;
}
