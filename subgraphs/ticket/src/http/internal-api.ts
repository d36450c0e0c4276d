import { isUuid, RESERVATION_SNAPSHOT_ROUTE, ReservationSnapshot } from "@urr/contracts";
import type { Logger } from "@urr/logger";
import { sendContract, serviceTokenGuard } from "@urr/subgraph-kit";
import type { Application } from "express";
import type { ReservationService } from "../domain/reservation.service.ts";
import { mountMembershipOrderRoute, mountMembershipTierRoute } from "../memberships/internal-route.ts";
import type { MembershipService } from "../memberships/membership.service.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import { mountTransferClaimRoute } from "../transfers/internal-route.ts";
import type { TransferService } from "../transfers/transfer.service.ts";

/**
 * Ticket's internal API: routes for other services only, behind a service token (never reachable
 * with a user's credentials, never exposed through the gateway). Answers follow the contracts in
 * @urr/contracts, checked before they are sent.
 */
export function mountInternalApi(
  app: Application,
  deps: {
    secret: string;
    store: TicketStore;
    reservations: ReservationService;
    memberships: MembershipService;
    transfers: TransferService;
    logger: Logger;
  },
): void {
  const guard = serviceTokenGuard({ secret: deps.secret, audience: "ticket", logger: deps.logger });
  mountMembershipOrderRoute(app, { guard, memberships: deps.memberships, logger: deps.logger });
  mountMembershipTierRoute(app, { guard, memberships: deps.store.repos.memberships, logger: deps.logger });
  mountTransferClaimRoute(app, { guard, transfers: deps.transfers, logger: deps.logger });
  app.get(RESERVATION_SNAPSHOT_ROUTE, guard, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) {
      res.status(400).json({ error: "reservation id must be a UUID" });
      return;
    }
    try {
      const reservation = await deps.store.repos.reservations.findById(id.toLowerCase());
      if (!reservation) {
        res.status(404).json({ error: "no such reservation" });
        return;
      }
      const hold = await deps.reservations.checkHold(reservation.id);
      sendContract(
        res,
        ReservationSnapshot,
        {
          id: reservation.id,
          number: reservation.number,
          userId: reservation.userId,
          eventId: reservation.eventId,
          status: reservation.status,
          totalAmount: reservation.totalAmount,
          currency: reservation.currency,
          expiresAt: reservation.expiresAt.toISOString(),
          paymentId: reservation.paymentId,
          holdIntact: hold.intact,
          holdProblem: hold.intact ? null : hold.reason,
        },
        deps.logger,
      );
    } catch (error) {
      deps.logger.error({ err: error }, "internal reservation lookup failed");
      res.status(503).json({ error: "unavailable" });
    }
  });
}
