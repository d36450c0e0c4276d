import {
  isUuid,
  MEMBERSHIP_ORDER_ROUTE,
  MEMBERSHIP_TIER_ROUTE,
  MembershipOrderSnapshot,
  MembershipTierState,
} from "@urr/contracts";
import type { Logger } from "@urr/logger";
import { sendContract } from "@urr/subgraph-kit";
import type { Application, RequestHandler } from "express";
import type { MembershipRepository } from "./membership.repository.ts";
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

/**
 * `GET /internal/memberships/tier?userId=…&artistId=…` for the queue, which keeps the pre-sale tiers
 * from membership-events in a store that can lose them and reads a lost one back from here: the
 * membership's current tier, status, term and revision (the revision membership-events carry), or
 * `membership: null` for a fan who never joined the artist's club.
 */
export function mountMembershipTierRoute(
  app: Application,
  deps: { guard: RequestHandler; memberships: Pick<MembershipRepository, "find">; logger: Logger },
): void {
  app.get(MEMBERSHIP_TIER_ROUTE, deps.guard, async (req, res) => {
    const userId = typeof req.query.userId === "string" ? req.query.userId : "";
    const artistId = typeof req.query.artistId === "string" ? req.query.artistId : "";
    if (!isUuid(userId) || !isUuid(artistId)) {
      res.status(400).json({ error: "userId and artistId must be UUIDs" });
      return;
    }
    try {
      const m = await deps.memberships.find(userId.toLowerCase(), artistId.toLowerCase());
      sendContract(
        res,
        MembershipTierState,
        {
          userId: userId.toLowerCase(),
          artistId: artistId.toLowerCase(),
          membership: m && {
            tier: m.tier,
            status: m.status,
            expiresAt: m.expiresAt?.toISOString() ?? null,
            revision: m.revision,
          },
        },
        deps.logger,
      );
    } catch (error) {
      deps.logger.error({ err: error }, "internal membership tier lookup failed");
      res.status(503).json({ error: "unavailable" });
    }
  });
}
