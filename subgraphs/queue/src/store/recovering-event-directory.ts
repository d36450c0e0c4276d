import type { EventState } from "@urr/contracts";
import { ServiceUnavailableError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { EventDirectory, MembershipTier, SaleWindow } from "./event-directory.ts";

/** Where the current state of an event can always be read again: its owner, the catalog. */
export interface EventStateSource {
  event(eventId: string): Promise<EventState | null>;
  openEvents(): AsyncIterable<EventState[]>;
}

export function saleWindowOf(state: EventState): SaleWindow {
  return {
    eventId: state.eventId,
    artistId: state.artistId,
    saleStartsAt: new Date(state.saleStartsAt),
    saleEndsAt: new Date(state.saleEndsAt),
    cancelledAt: state.cancelledAt ? new Date(state.cancelledAt) : null,
    revision: state.revision,
  };
}

/** Unknown ids remembered at once, at most: a flood of made-up ids cannot grow memory without bound. */
const MAX_UNKNOWN = 10_000;

/**
 * The sale windows live in a store that can lose them (this process's memory in embedded mode,
 * Redis in services mode), and catalog-events sends each state once. So a miss is not an answer:
 * the window is read again from catalog and saved with the same revision guard catalog-events
 * uses (a fetched state never overwrites a newer delivered one). Concurrent misses on one event
 * share one catalog call; an event catalog does not know stays unknown for `unknownTtlMs`, so
 * made-up ids do not hammer catalog; a catalog that cannot answer gives SERVICE_UNAVAILABLE
 * (retry shortly), never NOT_FOUND.
 */
export class RecoveringEventDirectory implements EventDirectory {
  private readonly inFlight = new Map<string, Promise<SaleWindow | null>>();
  private readonly unknownUntil = new Map<string, number>();

  constructor(
    private readonly deps: {
      directory: EventDirectory;
      catalog: EventStateSource;
      /** For the start-up read of every open event; its own circuit, so start-up retries while catalog
       * is still starting do not open the circuit misses go through. Defaults to `catalog`. */
      bulk?: EventStateSource;
      logger: Logger;
      unknownTtlMs: number;
      now?: () => number;
    },
  ) {}

  async event(eventId: string): Promise<SaleWindow | null> {
    const known = await this.deps.directory.event(eventId);
    if (known) return known;
    const until = this.unknownUntil.get(eventId);
    if (until !== undefined) {
      if (until > this.now()) return null;
      this.unknownUntil.delete(eventId);
    }
    let flight = this.inFlight.get(eventId);
    if (!flight) {
      flight = this.recover(eventId).finally(() => this.inFlight.delete(eventId));
      this.inFlight.set(eventId, flight);
    }
    return flight;
  }

  /** Every open event (on sale or upcoming) from catalog into the directory; returns how many. */
  async recoverOpenEvents(): Promise<number> {
    let saved = 0;
    for await (const page of (this.deps.bulk ?? this.deps.catalog).openEvents()) {
      for (const state of page) if (await this.deps.directory.saveEvent(saleWindowOf(state))) saved++;
    }
    return saved;
  }

  /**
   * Start-up: every open event read from catalog in the background, retried with backoff while
   * catalog is not up yet (all processes start together). Best effort: a miss recovers by itself.
   */
  warmUp(options: { attempts: number; baseDelayMs: number }): { done: Promise<void>; stop(): Promise<void> } {
    const abort = new AbortController();
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        abort.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    const done = (async () => {
      for (let attempt = 1; attempt <= options.attempts && !abort.signal.aborted; attempt++) {
        try {
          const saved = await this.recoverOpenEvents();
          this.deps.logger.info({ saved }, "queue: sale windows of open events read from catalog");
          return;
        } catch (error) {
          const last = attempt === options.attempts;
          this.deps.logger[last ? "warn" : "debug"](
            { err: error, attempt },
            last
              ? "queue: could not read open events from catalog; misses will ask"
              : "queue: catalog not ready",
          );
          if (!last) await pause(options.baseDelayMs * 2 ** (attempt - 1));
        }
      }
    })();
    return {
      done,
      async stop() {
        abort.abort();
        await done;
      },
    };
  }

  saveEvent(window: SaleWindow): Promise<boolean> {
    this.unknownUntil.delete(window.eventId);
    return this.deps.directory.saveEvent(window);
  }

  deleteEvent(eventId: string, revision: number): Promise<boolean> {
    return this.deps.directory.deleteEvent(eventId, revision);
  }

  saveTier(artistId: string, userId: string, tier: MembershipTier): Promise<boolean> {
    return this.deps.directory.saveTier(artistId, userId, tier);
  }

  tier(artistId: string, userId: string): Promise<MembershipTier | null> {
    return this.deps.directory.tier(artistId, userId);
  }

  private async recover(eventId: string): Promise<SaleWindow | null> {
    let state: EventState | null;
    try {
      state = await this.deps.catalog.event(eventId);
    } catch (error) {
      // The cause stays in the logs; the fan learns only that retrying shortly may work.
      this.deps.logger.error({ err: error, eventId }, "queue: could not read the event from catalog");
      throw new ServiceUnavailableError(
        "The waiting room cannot reach the catalog right now, retry shortly",
        {
          reason: "CATALOG_UNAVAILABLE",
        },
      );
    }
    if (!state) {
      this.rememberUnknown(eventId);
      return null;
    }
    await this.deps.directory.saveEvent(saleWindowOf(state));
    // catalog-events may have delivered a newer state meanwhile: the directory holds the newest.
    return this.deps.directory.event(eventId);
  }

  private rememberUnknown(eventId: string): void {
    if (this.deps.unknownTtlMs <= 0) return;
    if (this.unknownUntil.size >= MAX_UNKNOWN) {
      const oldest = this.unknownUntil.keys().next().value;
      if (oldest !== undefined) this.unknownUntil.delete(oldest);
    }
    this.unknownUntil.set(eventId, this.now() + this.deps.unknownTtlMs);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
