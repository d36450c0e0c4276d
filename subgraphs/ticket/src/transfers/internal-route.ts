import {
  isUuid,
  RESERVATION_REFUND_CHECK_ROUTE,
  ReservationRefundCheck,
  TRANSFER_CLAIM_ROUTE,
  TransferClaim,
  TransferClaimRequest,
} from "@urr/contracts";
import type { Logger } from "@urr/logger";
import { sendContract } from "@urr/subgraph-kit";
import express, { type Application, type RequestHandler } from "express";
import type { TransferService } from "./transfer.service.ts";

/**
 * `POST /internal/reservations/:id/refund-check` for payment's refund check, and
 * `POST /internal/transfers/:id/claim` for payment's TransferChecker: reserves the listing for the
 * buyer for the payment window, or says why not (a 200 with `outcome: REFUSED`). Behind the same
 * service-token guard as the other internal routes; safe to retry (the same buyer gets the same claim).
 */
export function mountTransferClaimRoute(
  app: Application,
  deps: { guard: RequestHandler; transfers: TransferService; logger: Logger },
): void {
  // Before payment refunds a paid reservation on request: were any of its tickets sold on or listed?
  app.post(RESERVATION_REFUND_CHECK_ROUTE, deps.guard, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) {
      res.status(400).json({ error: "reservation id must be a UUID" });
      return;
    }
    try {
      const check = await deps.transfers.refundCheck(id.toLowerCase());
      if (!check) {
        res.status(404).json({ error: "no such reservation" });
        return;
      }
      sendContract(res, ReservationRefundCheck, check, deps.logger);
    } catch (error) {
      deps.logger.error({ err: error }, "internal reservation transfers lookup failed");
      res.status(503).json({ error: "unavailable" });
    }
  });
  app.post(TRANSFER_CLAIM_ROUTE, deps.guard, express.json({ limit: "4kb" }), async (req, res) => {
    const id = String(req.params.id);
    const body = TransferClaimRequest.safeParse(req.body);
    if (!isUuid(id) || !body.success) {
      res.status(400).json({ error: "transfer id and buyerId must be UUIDs" });
      return;
    }
    try {
      const claim = await deps.transfers.claim(id.toLowerCase(), body.data.buyerId.toLowerCase());
      if (!claim) {
        res.status(404).json({ error: "no such transfer" });
        return;
      }
      sendContract(res, TransferClaim, claim, deps.logger);
    } catch (error) {
      deps.logger.error({ err: error }, "internal transfer claim failed");
      res.status(503).json({ error: "unavailable" });
    }
  });
}
