import { randomUUID } from "node:crypto";
import {
  createEvent,
  HttpEventTransport,
  InvalidEventError,
  MembershipActivated,
  MembershipExpired,
  MembershipTierChanged,
  sign,
} from "@urr/events";
import { type CommunityHarness, fan, refusal, startCommunityHarness } from "./support/community-harness.ts";
import { CREATE_POST } from "./support/operations.ts";

/**
 * community's copy of ticket's memberships: each membership-events message applied exactly once
 * (processed-event record in the effect's transaction), the newest revision kept, contract
 * refusals dead-lettered, over signed HTTP as between the embedded processes.
 */
const SECRET = "community-membership-events-secret-0123456789";
let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunityHarness({ EVENT_DELIVERY_SECRET: SECRET });
});
afterAll(() => h.close());

const YEAR = 365 * 86_400_000;
function state(
  membershipId: string,
  userId: string,
  artistId: string,
  revision: number,
  expiresAt = Date.now() + YEAR,
) {
  return {
    membershipId,
    userId,
    artistId,
    tier: "SILVER" as const,
    points: 200,
    expiresAt: new Date(expiresAt).toISOString(),
    revision,
  };
}
const activated = (s: ReturnType<typeof state>) =>
  createEvent(MembershipActivated, s.membershipId, { ...s, paymentId: randomUUID() });
const held = (membershipId: string) =>
  h.sql.query<{ status: string; revision: number }>(
    "SELECT status::text AS status, revision FROM memberships WHERE membership_id = $1",
    [membershipId],
  );
const processed = (eventId: string) =>
  h.count("SELECT count(*) AS n FROM processed_events WHERE event_id = $1", [eventId]);
const canPost = async (userId: string, artistId: string) =>
  (await h.call(CREATE_POST, { artistId, input: { title: "t", body: "b" } }, { ...fan(0), userId }))
    .errors === undefined;

describe("membership-events projection", () => {
  it("applies an event once however often it is delivered, concurrently too", async () => {
    const s = state(randomUUID(), fan(201).userId, randomUUID(), 1);
    const event = activated(s);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => h.app.memberships.handle(event)));
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
    expect(await processed(event.id)).toBe(1);
    expect(await h.app.memberships.handle(event)).toBe("duplicate");
    expect(await held(s.membershipId)).toEqual([{ status: "ACTIVE", revision: 1 }]);
  });

  it("keeps the newest revision: a late older state is ignored, the member stays lapsed", async () => {
    const userId = fan(202).userId;
    const artistId = randomUUID();
    const membershipId = randomUUID();
    // The expiry (revision 2) overtakes the activation (revision 1).
    expect(
      await h.app.memberships.handle(
        createEvent(MembershipExpired, membershipId, state(membershipId, userId, artistId, 2)),
      ),
    ).toBe("applied");
    const late = activated(state(membershipId, userId, artistId, 1));
    expect(await h.app.memberships.handle(late)).toBe("stale");
    expect(await processed(late.id)).toBe(1); // seen, so a redelivery is a duplicate, not a re-check
    expect(await held(membershipId)).toEqual([{ status: "EXPIRED", revision: 2 }]);
    expect(await canPost(userId, artistId)).toBe(false);
  });

  it("a tier change at the activation's revision (same transaction in ticket) changes nothing", async () => {
    const s = state(randomUUID(), fan(203).userId, randomUUID(), 1);
    expect(await h.app.memberships.handle(activated(s))).toBe("applied");
    const tier = createEvent(MembershipTierChanged, s.membershipId, {
      ...s,
      tier: "SILVER",
      previousTier: "GOLD",
    });
    expect(await h.app.memberships.handle(tier)).toBe("stale");
    const next = createEvent(MembershipTierChanged, s.membershipId, {
      ...s,
      tier: "GOLD",
      points: 600,
      revision: 2,
      previousTier: "SILVER",
    });
    expect(await h.app.memberships.handle(next)).toBe("applied");
    expect(await held(s.membershipId)).toEqual([{ status: "ACTIVE", revision: 2 }]);
    expect(await canPost(s.userId, s.artistId)).toBe(true);
  });

  it("refuses messages that break the contract, writing nothing", async () => {
    const s = state(randomUUID(), fan(204).userId, randomUUID(), 1);
    const broken = { ...activated(s), payload: { ...s, revision: 0 } };
    await expect(h.app.memberships.handle(broken)).rejects.toBeInstanceOf(InvalidEventError);
    await expect(
      h.app.memberships.handle({ ...activated(s), type: "membership.cancelled" }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    expect(await held(s.membershipId)).toEqual([]);
    expect(await processed(broken.id)).toBe(0);
  });

  it("receives signed deliveries over HTTP, rejects poison without blocking, refuses bad signatures", async () => {
    const base = h.app.subgraph.url.replace(/\/graphql$/, "");
    const s = state(randomUUID(), fan(205).userId, randomUUID(), 1);
    const transport = new HttpEventTransport(
      [{ url: `${base}/internal/events`, topics: ["membership-events"] }],
      SECRET,
    );
    await transport.deliver([
      {
        id: randomUUID(),
        topic: "membership-events",
        messageKey: s.membershipId,
        envelope: activated(s),
        attempts: 0,
      },
    ]);
    expect(await held(s.membershipId)).toEqual([{ status: "ACTIVE", revision: 1 }]);

    const other = state(randomUUID(), fan(206).userId, randomUUID(), 1);
    const body = JSON.stringify({
      events: [{ type: "membership.activated", payload: {} }, activated(other)],
    });
    const mixed = await fetch(`${base}/internal/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-urr-signature": sign(body, SECRET) },
      body,
    });
    expect(await mixed.json()).toEqual({ outcomes: ["rejected", "applied"] });

    const forged = await fetch(`${base}/internal/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-urr-signature": sign(body, "x".repeat(40)) },
      body,
    });
    expect(forged.status).toBe(401);
  });

  it("a lapsed member's refusal names the artist", async () => {
    const userId = fan(207).userId;
    const artistId = randomUUID();
    const membershipId = randomUUID();
    await h.app.memberships.handle(activated(state(membershipId, userId, artistId, 1, Date.now() - 1000)));
    const response = await h.call(
      CREATE_POST,
      { artistId, input: { title: "t", body: "b" } },
      { ...fan(0), userId },
    );
    expect(refusal(response)).toMatchObject({ code: "FORBIDDEN", reason: "MEMBERSHIP_EXPIRED", artistId });
  });
});
