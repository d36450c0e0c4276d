import {
  MembershipOrderSnapshot,
  membershipOrderPath,
  ReservationRefundCheck,
  ReservationSnapshot,
  reservationRefundCheckPath,
  reservationSnapshotPath,
  TransferClaim,
  transferClaimPath,
} from "@urr/contracts";
import { type CircuitBreaker, InternalApiClient } from "@urr/subgraph-kit";

/** What ticket's internal API says about a reservation: the shared contract in @urr/contracts. */
export type { MembershipOrderSnapshot, ReservationSnapshot, TransferClaim } from "@urr/contracts";

/**
 * Payment's synchronous line to the ticket subgraph, for the checks that cannot wait for an event
 * (is this reservation or membership order the caller's, still payable, and for how much). Each attempt has a timeout;
 * network errors and 5xx are retried twice with backoff; five failures in a row open the circuit
 * for ten seconds, during which calls fail at once instead of piling onto a sick service. An answer
 * that breaks the contract is an InternalApiError (INTERNAL_API_CONTRACT_VIOLATION), never a cast.
 */
export class TicketClient {
  private readonly api: InternalApiClient;

  constructor(options: {
    baseUrl: string;
    secret: string;
    timeoutMs?: number;
    retries?: number;
    breaker?: CircuitBreaker;
  }) {
    this.api = new InternalApiClient({ caller: "payment", service: "ticket", ...options });
  }

  /** The reservation, or null when ticket does not know it. Throws when ticket cannot be reached. */
  reservation(id: string): Promise<ReservationSnapshot | null> {
    return this.api.get(reservationSnapshotPath(id), ReservationSnapshot);
  }

  /** The fan-club membership order, or null when ticket does not know it. Throws when unreachable. */
  membershipOrder(id: string): Promise<MembershipOrderSnapshot | null> {
    return this.api.get(membershipOrderPath(id), MembershipOrderSnapshot);
  }

  /**
   * Reserves a listed ticket for the buyer's payment window, or says why not; null when ticket does
   * not know the transfer. Safe to retry: the same buyer gets the same claim.
   */
  /**
   * Before a requested refund: how many of a reservation's tickets changed hands or are listed (when
   * none, ticket blocks listing them for a while); null when ticket does not know it. Safe to retry.
   */
  refundCheck(id: string): Promise<ReservationRefundCheck | null> {
    return this.api.post(reservationRefundCheckPath(id), {}, ReservationRefundCheck);
  }

  claimTransfer(id: string, buyerId: string): Promise<TransferClaim | null> {
    return this.api.post(transferClaimPath(id), { buyerId }, TransferClaim);
  }
}
