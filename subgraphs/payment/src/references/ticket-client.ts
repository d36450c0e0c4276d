import { signServiceToken } from "@urr/auth-tokens";
import { CircuitBreaker, withRetries } from "@urr/subgraph-kit";

/** What ticket's internal API says about a reservation (see ticket's http/internal-api.ts). */
export interface ReservationSnapshot {
  id: string;
  number: string;
  userId: string;
  eventId: string;
  status: "PENDING" | "CONFIRMED" | "CANCELLED" | "EXPIRED" | "REFUNDED";
  totalAmount: number;
  currency: string;
  expiresAt: string;
  paymentId: string | null;
  holdIntact: boolean;
  holdProblem: string | null;
}

class TransientError extends Error {}

/**
 * Payment's synchronous line to the ticket subgraph, for the checks that cannot wait for an event
 * (is this reservation the caller's, still held, and for how much). Each attempt has a timeout;
 * network errors and 5xx are retried twice with backoff; five failures in a row open the circuit
 * for ten seconds, during which calls fail at once instead of piling onto a sick service.
 */
export class TicketClient {
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly options: {
      baseUrl: string;
      secret: string;
      timeoutMs?: number;
      retries?: number;
      breaker?: CircuitBreaker;
    },
  ) {
    this.breaker =
      options.breaker ?? new CircuitBreaker({ service: "ticket", failureThreshold: 5, resetAfterMs: 10_000 });
  }

  /** The reservation, or null when ticket does not know it. Throws when ticket cannot be reached. */
  reservation(id: string): Promise<ReservationSnapshot | null> {
    return this.breaker.run(() =>
      withRetries(() => this.fetchReservation(id), {
        retries: this.options.retries ?? 2,
        baseDelayMs: 100,
        retryable: (error) => error instanceof TransientError,
      }),
    );
  }

  private async fetchReservation(id: string): Promise<ReservationSnapshot | null> {
    const token = await signServiceToken(this.options.secret, "payment", "ticket");
    let response: Response;
    try {
      response = await fetch(
        new URL(`/internal/reservations/${encodeURIComponent(id)}`, this.options.baseUrl),
        {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
        },
      );
    } catch (error) {
      throw new TransientError(
        `ticket unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.status === 404) return null;
    if (response.status >= 500) throw new TransientError(`ticket answered ${response.status}`);
    if (!response.ok) throw new Error(`ticket refused the reservation check: ${response.status}`);
    return (await response.json()) as ReservationSnapshot;
  }
}
