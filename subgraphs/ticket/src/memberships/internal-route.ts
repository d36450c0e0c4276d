import { isUuid, MEMBERSHIP_ORDER_ROUTE, MembershipOrderSnapshot } from "@urr/contracts";
import type { Logger } from "@urr/logger";
import { sendContract } from "@urr/subgraph-kit";
import type { Application, RequestHandler } from "express";
import type { MembershipService } from "./membership.service.ts";

/**
 * `GET /internal/membership-orders/:id` for payment's MembershipChecker (is this the caller's open
 * order, and what does the membership cost now), behind the same service-token guard as the
 * reservation route; the answer is checked against its contract before it is sent.
 */
export function mountMembershipOrderRoute(
  app: Application,
  deps: { guard: RequestHandler; memberships: MembershipService; logger: Logger },
): void {
  app.get(MEMBERSHIP_ORDER_ROUTE, deps.guard, async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) {
      res.status(400).json({ error: "membership order id must be a UUID" });
      return;
    }
    try {
      const snapshot = await deps.memberships.orderSnapshot(id.toLowerCase());
      if (!snapshot) {
        res.status(404).json({ error: "no such membership order" });
        return;
      }
      sendContract(res, MembershipOrderSnapshot, snapshot, deps.logger);
    } catch (error) {
      deps.logger.error({ err: error }, "internal membership order lookup failed");
      res.status(503).json({ error: "unavailable" });
    }
  });
}
