import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { EventEnvelope } from "./envelope.ts";
import { startPublication } from "./event-telemetry.ts";

/** One unpublished outbox row. */
export interface OutboxRow {
  id: string;
  topic: string;
  messageKey: string;
  envelope: EventEnvelope;
  attempts: number;
  /**
   * W3C trace context: read from the row, the transaction that wrote the event; handed to the
   * transport, the relay's publish span (Kafka header, HTTP delivery), which consumers continue.
   */
  traceparent?: string | null;
  /** When the event's transaction wrote it (outbox lag). */
  createdAt?: Date | string;
}

/** Where the relay sends events (HTTP now, Kafka with the events issue). Throws when not accepted. */
export interface EventTransport {
  deliver(rows: OutboxRow[]): Promise<void>;
}

/** The few database calls the relay needs; satisfied by any generated Prisma client. */
export interface RelayDatabase extends RelaySql {
  $transaction<T>(work: (tx: RelaySql) => Promise<T>, options?: { timeout?: number }): Promise<T>;
}
export interface RelaySql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * How long delivery may fail before it is a warning (with the error's stack): a subscriber that is
 * still starting (every `npm start` relays catalog's demo events before ticket listens) or
 * restarting is the usual cause, and a first start printed five stack traces for it. Rows are never
 * dropped either way; the failures are counted on them.
 */
const QUIET_FAILURES_MS = 30_000;

/**
 * Publishes the outbox: claims a batch of unpublished rows with `FOR UPDATE SKIP LOCKED` (several
 * relays never send the same row at the same time), delivers it, and marks it published in the same
 * transaction. A failed delivery leaves the rows unpublished with the error and an attempt count,
 * and is retried with exponential backoff: at least once, in order per key.
 *
 * `soleRelay`: this process alone publishes this outbox (embedded PGlite, which one process opens),
 * so no row locks are needed, and holding a transaction across the delivery would lock the whole
 * database (PGlite has one connection) while the subscriber works, which may itself wait for this
 * database: requests stalled behind it and timed out (P2028). The batch is then read, delivered and
 * marked with no transaction open; the periodic job never overlaps runs, so order per key holds.
 */
export class OutboxRelay {
  private job: PeriodicJob | undefined;
  private failures = 0;
  private failingSince = 0;
  private nextAttemptAt = 0;

  constructor(
    private readonly deps: {
      db: RelayDatabase;
      transport: EventTransport;
      logger: Logger;
      batchSize?: number;
      soleRelay?: boolean;
    },
  ) {}

  /** Returns how many rows were published. */
  async relayOnce(): Promise<number> {
    let outcome: { published: number; failure?: unknown };
    try {
      outcome = this.deps.soleRelay
        ? await this.claimAndDeliver(this.deps.db, "")
        : await this.deps.db.$transaction((tx) => this.claimAndDeliver(tx, " FOR UPDATE SKIP LOCKED"), {
            timeout: 30_000,
          });
    } catch (error) {
      outcome = { published: 0, failure: error };
    }
    if (outcome.failure === undefined) {
      if (this.failures > 0 && Date.now() - this.failingSince >= QUIET_FAILURES_MS) {
        this.deps.logger.info({ failures: this.failures }, "outbox delivery recovered");
      }
      this.failures = 0;
      return outcome.published;
    }
    if (this.failures++ === 0) this.failingSince = Date.now();
    this.nextAttemptAt = Date.now() + Math.min(30_000, 250 * 2 ** this.failures);
    const reason = outcome.failure instanceof Error ? outcome.failure.message : String(outcome.failure);
    if (Date.now() - this.failingSince < QUIET_FAILURES_MS) {
      this.deps.logger.info({ reason, failures: this.failures }, "outbox delivery failed; will retry");
    } else {
      this.deps.logger.warn(
        { err: outcome.failure, failures: this.failures },
        "outbox delivery failing; will retry",
      );
    }
    return 0;
  }

  /**
   * One batch (in one transaction holding its row locks, unless this is the sole relay). A failed
   * delivery is recorded on the rows (attempts, last error) and that record is committed: the rows
   * stay unpublished for the next try.
   */
  private async claimAndDeliver(
    tx: RelaySql,
    lock: string,
  ): Promise<{ published: number; failure?: unknown }> {
    const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
      `SELECT id, topic, message_key AS "messageKey", envelope, attempts, traceparent, created_at AS "createdAt"
       FROM outbox_events
       WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1${lock}`,
      this.deps.batchSize ?? 100,
    );
    if (rows.length === 0) return { published: 0 };
    const ids = rows.map((r) => r.id);
    const publication = startPublication(rows);
    try {
      await this.deps.transport.deliver(publication.rows);
      publication.succeeded();
    } catch (failure) {
      publication.failed(failure);
      const reason = (failure instanceof Error ? failure.message : String(failure)).slice(0, 1000);
      await tx.$executeRawUnsafe(
        "UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])",
        ids,
        reason,
      );
      return { published: 0, failure };
    }
    await tx.$executeRawUnsafe(
      "UPDATE outbox_events SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])",
      ids,
    );
    return { published: rows.length };
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "outbox relay",
      intervalMs,
      logger: this.deps.logger,
      due: () => Date.now() >= this.nextAttemptAt,
      run: async () => {
        // Drain: keep going while full batches come back.
        while ((await this.relayOnce()) >= (this.deps.batchSize ?? 100));
      },
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
