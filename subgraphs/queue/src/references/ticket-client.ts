import { MembershipTierState, membershipTierPath } from "@urr/contracts";
import { type CircuitBreaker, InternalApiClient, InternalApiError } from "@urr/subgraph-kit";

/**
 * The queue's line to ticket, owner of the memberships: one fan's current membership of one artist,
 * for rebuilding the pre-sale tier a volatile store lost. Timeout per attempt, one retry (a fan's
 * join waits on it), and a circuit breaker (five failures in a row fail fast for ten seconds);
 * answers are parsed with the shared contract, so a malformed one is an InternalApiError, never a tier.
 */
export class TicketClient {
  private readonly api: InternalApiClient;

  constructor(options: {
    baseUrl: string;
    secret: string;
    timeoutMs?: number;
    retries?: number;
    baseDelayMs?: number;
    breaker?: CircuitBreaker;
  }) {
    this.api = new InternalApiClient({ caller: "queue", service: "ticket", retries: 1, ...options });
  }

  async membership(artistId: string, userId: string): Promise<MembershipTierState["membership"]> {
    const state = await this.api.get(membershipTierPath({ userId, artistId }), MembershipTierState);
    // The route always answers 200; a 404 is a ticket without it (not mounted, a proxy's page).
    if (!state)
      throw new InternalApiError(
        "INTERNAL_API_CONTRACT_VIOLATION",
        "ticket",
        "answered 404 (is the route mounted?)",
      );
    return state.membership;
  }
}
