import type { MembershipTierState } from "@urr/contracts";
import type { Logger } from "@urr/logger";
import type { EventDirectory, MembershipTier, SaleWindow } from "./event-directory.ts";

/** Where a fan's current membership can always be read again: its owner, ticket. */
export interface MembershipSource {
  membership(artistId: string, userId: string): Promise<MembershipTierState["membership"]>;
}

/** Fans without a membership remembered at once, at most (memory stays bounded under a crowd). */
const MAX_NON_MEMBERS = 50_000;

/**
 * The pre-sale tiers live in a store that can lose them (memory, Redis), and membership-events
 * sends each state once, so a DIAMOND member whose tier was lost would wait for the general sale
 * until their membership next changed. A miss is therefore not an answer: the membership is read
 * again from ticket and saved under the same revision guard membership-events uses (a fetched
 * state never overwrites a newer delivered one). Concurrent misses on one fan and artist share one
 * call; a fan ticket says has no membership (or only a PENDING, never paid one) stays a non-member
 * for `nonMemberTtlMs`, or until a membership-event for them reaches this instance.
 *
 * Ticket unreachable (down, slow, circuit open, an answer that breaks the contract): the fan is
 * treated as BRONZE for this join, with a warning, and nothing is remembered, so the next join
 * asks again. Refusing the join instead would make ticket's outage stop the general sale for
 * everyone; BRONZE can only make a member wait for the general sale, never let a non-member in
 * early, and ticket re-checks the tier itself at hold time (FORBIDDEN, reason PRESALE_STAGE).
 */
export class RecoveringTierDirectory implements EventDirectory {
  private readonly inFlight = new Map<string, Promise<MembershipTier | null>>();
  private readonly nonMemberUntil = new Map<string, number>();

  constructor(
    private readonly deps: {
      directory: EventDirectory;
      ticket: MembershipSource;
      logger: Logger;
      nonMemberTtlMs: number;
      now?: () => number;
    },
  ) {}

  async tier(artistId: string, userId: string): Promise<MembershipTier | null> {
    const known = await this.deps.directory.tier(artistId, userId);
    if (known) return known;
    const key = `${artistId}|${userId}`;
    const until = this.nonMemberUntil.get(key);
    if (until !== undefined) {
      if (until > this.now()) return null;
      this.nonMemberUntil.delete(key);
    }
    let flight = this.inFlight.get(key);
    if (!flight) {
      flight = this.recover(artistId, userId, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return flight;
  }

  saveTier(artistId: string, userId: string, tier: MembershipTier): Promise<boolean> {
    this.nonMemberUntil.delete(`${artistId}|${userId}`);
    return this.deps.directory.saveTier(artistId, userId, tier);
  }

  saveEvent(window: SaleWindow): Promise<boolean> {
    return this.deps.directory.saveEvent(window);
  }

  deleteEvent(eventId: string, revision: number): Promise<boolean> {
    return this.deps.directory.deleteEvent(eventId, revision);
  }

  event(eventId: string): Promise<SaleWindow | null> {
    return this.deps.directory.event(eventId);
  }

  private async recover(artistId: string, userId: string, key: string): Promise<MembershipTier | null> {
    let membership: MembershipTierState["membership"];
    try {
      membership = await this.deps.ticket.membership(artistId, userId);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, artistId, userId },
        "queue: could not read the membership from ticket; the fan is treated as BRONZE for this join",
      );
      return null;
    }
    if (!membership?.expiresAt) {
      this.rememberNonMember(key);
      return null;
    }
    await this.deps.directory.saveTier(artistId, userId, {
      tier: membership.tier,
      expiresAt: new Date(membership.expiresAt),
      revision: membership.revision,
    });
    // membership-events may have delivered a newer state meanwhile: the directory holds the newest.
    return this.deps.directory.tier(artistId, userId);
  }

  private rememberNonMember(key: string): void {
    if (this.deps.nonMemberTtlMs <= 0) return;
    if (this.nonMemberUntil.size >= MAX_NON_MEMBERS) {
      const oldest = this.nonMemberUntil.keys().next().value;
      if (oldest !== undefined) this.nonMemberUntil.delete(oldest);
    }
    this.nonMemberUntil.set(key, this.now() + this.deps.nonMemberTtlMs);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
