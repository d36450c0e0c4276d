import { EventState, eventStatePath, OpenEventsPage, openEventsPath } from "@urr/contracts";
import { type CircuitBreaker, InternalApiClient } from "@urr/subgraph-kit";

/**
 * The queue's line to the catalog, owner of the events: their current state, for rebuilding the
 * sale windows a volatile store lost. Timeout per attempt, two retries for failures that may pass,
 * and a circuit breaker (five failures in a row fail fast for ten seconds); answers are parsed with
 * the shared contract, so a malformed one is an InternalApiError, never a window.
 */
export class CatalogClient {
  private readonly api: InternalApiClient;

  constructor(options: {
    baseUrl: string;
    secret: string;
    timeoutMs?: number;
    retries?: number;
    baseDelayMs?: number;
    breaker?: CircuitBreaker;
  }) {
    this.api = new InternalApiClient({ caller: "queue", service: "catalog", ...options });
  }

  /** One event's state (any status); null when catalog has no such event. */
  event(eventId: string): Promise<EventState | null> {
    return this.api.get(eventStatePath(eventId), EventState);
  }

  /** Every event on sale or upcoming, a page at a time. */
  async *openEvents(pageSize?: number): AsyncGenerator<EventState[]> {
    let after: string | null = null;
    do {
      const page: OpenEventsPage | null = await this.api.get(
        openEventsPath({ after, ...(pageSize ? { limit: pageSize } : {}) }),
        OpenEventsPage,
      );
      if (!page) return;
      yield page.events;
      after = page.nextCursor;
    } while (after);
  }
}
