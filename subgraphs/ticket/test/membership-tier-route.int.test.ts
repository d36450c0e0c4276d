import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { MembershipTierState, membershipTierPath } from "@urr/contracts";
import { InternalApiClient } from "@urr/subgraph-kit";
import { joinAndPay } from "./support/membership-fixtures.ts";
import { fan, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";

/**
 * `GET /internal/memberships/tier`, from which the queue rebuilds a pre-sale tier its store lost:
 * the membership as ticket holds it now (tier, status, term, the revision membership-events carry),
 * `membership: null` for a fan who never joined, and nothing at all without a service token.
 */
const SECRET = "t".repeat(40);
let h: TicketHarness;
let queue: InternalApiClient;
beforeAll(async () => {
  h = await startTicketHarness({ INTERNAL_API_SECRET: SECRET });
  queue = new InternalApiClient({
    caller: "queue",
    service: "ticket",
    baseUrl: h.app.subgraph.url,
    secret: SECRET,
  });
});
afterAll(() => h.close());

const userOf = (n: number) => (fan(n) as AuthenticatedViewer).userId;

describe("ticket's internal membership tier route", () => {
  it("answers a paid membership's tier, term and revision, and null for a fan who never joined", async () => {
    const artistId = await h.publishArtist();
    await joinAndPay(h, fan(41), artistId);
    const rows = await h.sql.query<{ revision: number }>(
      "SELECT revision FROM memberships WHERE user_id = $1 AND artist_id = $2",
      [userOf(41), artistId],
    );
    const member = await queue.get(membershipTierPath({ userId: userOf(41), artistId }), MembershipTierState);
    expect(member).toEqual({
      userId: userOf(41),
      artistId,
      membership: {
        tier: "SILVER",
        status: "ACTIVE",
        expiresAt: expect.any(String),
        revision: rows[0]?.revision,
      },
    });
    const stranger = await queue.get(
      membershipTierPath({ userId: userOf(42), artistId }),
      MembershipTierState,
    );
    expect(stranger).toEqual({ userId: userOf(42), artistId, membership: null });
  });

  it("refuses a call without a service token, and ids that are not UUIDs", async () => {
    const path = membershipTierPath({ userId: randomUUID(), artistId: randomUUID() });
    expect((await fetch(new URL(path, h.app.subgraph.url))).status).toBe(401);
    await expect(
      queue.get(membershipTierPath({ userId: "nope", artistId: randomUUID() }), MembershipTierState),
    ).rejects.toMatchObject({ code: "INTERNAL_API_REFUSED" });
  });
});
