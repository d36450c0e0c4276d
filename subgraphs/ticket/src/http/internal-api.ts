import { InvalidServiceTokenError, verifyServiceToken } from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import type { Application, RequestHandler } from "express";
import type { ReservationService } from "../domain/reservation.service.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What payment learns about a reservation before it takes money for it. */
export interface ReservationSnapshot {
  id: string;
  number: string;
  userId: string;
  eventId: string;
  status: string;
  totalAmount: number;
  currency: string;
  expiresAt: string;
  paymentId: string | null;
  /** Whether the hold still owns every seat (the fencing check), for pending reservations. */
  holdIntact: boolean;
  holdProblem: string | null;
}

function requireService(secret: string, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.header("authorization") ?? "")?.[1];
    try {
      if (!token) throw new InvalidServiceTokenError("missing");
      res.locals.caller = await verifyServiceToken(token, secret, "ticket");
      next();
    } catch (error) {
      logger.warn({ err: error, path: req.path }, "refused an internal call");
      res.status(401).json({ error: "service token required" });
    }
  };
}

/**
 * Ticket's internal API: routes for other services only, behind a service token (never reachable
 * with a user's credentials, never exposed through the gateway).
 */
export function mountInternalApi(
  app: Application,
  deps: { secret: string; store: TicketStore; reservations: ReservationService; logger: Logger },
): void {
  app.get("/internal/reservations/:id", requireService(deps.secret, deps.logger), async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) {
      res.status(400).json({ error: "reservation id must be a UUID" });
      return;
    }
    try {
      const reservation = await deps.store.repos.reservations.findById(id);
      if (!reservation) {
        res.status(404).json({ error: "no such reservation" });
        return;
      }
      const hold = await deps.reservations.checkHold(id);
      const snapshot: ReservationSnapshot = {
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
      };
      res.json(snapshot);
    } catch (error) {
      deps.logger.error({ err: error }, "internal reservation lookup failed");
      res.status(503).json({ error: "unavailable" });
    }
  });
}
