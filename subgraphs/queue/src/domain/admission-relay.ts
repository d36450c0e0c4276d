import { createHash, randomUUID } from "node:crypto";
import {
  AUDIT_TOPIC,
  AuditRecorded,
  createEvent,
  type EventTransport,
  InvalidEventError,
  type OutboxRow,
  parseEvent,
  QUEUE_TOPIC,
  QueueAdmitted,
} from "@urr/events";
import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { QueueStore } from "../store/queue-store.ts";
import { waitingRoomMetrics } from "./waiting-room-metrics.ts";

/** The same admission always gets the same event id, so a re-sent batch is deduplicated downstream. */
function admissionEventId(eventId: string, userId: string, number: number): string {
  const hex = createHash("sha256").update(`queue.admitted|${eventId}|${userId}|${number}`).digest("hex");
  // Shaped as an RFC 9562 version-8 (custom) UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Publishes admissions to queue-events and admins' audit entries to audit-events. The queue has no
 * database, so its outboxes are Redis lists appended by the same script that admits (an admission
 * and its event are one atomic step) or that applies an admin's change (the change and its audit
 * entry); this relay sends the head of each list and trims it, one instance at a time (a lease). A
 * crash between sending and trimming re-sends the batch with the same event ids: at least once,
 * applied once.
 */
export class AdmissionRelay {
  private job: PeriodicJob | undefined;
  private readonly owner = randomUUID();

  constructor(
    private readonly deps: {
      store: QueueStore;
      transport: EventTransport | undefined;
      logger: Logger;
      batchSize?: number;
    },
  ) {}

  async relayOnce(): Promise<number> {
    const { store, transport } = this.deps;
    if (!(await store.lease("admission-relay", this.owner, 10_000))) return 0;
    const batch = await store.pendingAdmissions(this.deps.batchSize ?? 200);
    if (batch.length === 0) return 0;
    if (transport) {
      const rows: OutboxRow[] = [];
      for (const a of batch) {
        try {
          const envelope = createEvent(
            QueueAdmitted,
            a.eventId,
            {
              eventId: a.eventId,
              userId: a.userId,
              queueNumber: a.number,
              admittedAt: new Date(a.admittedAt).toISOString(),
            },
            { id: admissionEventId(a.eventId, a.userId, a.number), occurredAt: new Date(a.admittedAt) },
          );
          rows.push({ id: envelope.id, topic: QUEUE_TOPIC, messageKey: a.eventId, envelope, attempts: 0 });
        } catch (error) {
          if (!(error instanceof InvalidEventError)) throw error;
          // A record the contract refuses would fail forever and block every admission behind it.
          this.deps.logger.error({ err: error, admission: a }, "dropped an invalid admission record");
        }
      }
      if (rows.length > 0) await transport.deliver(rows);
    }
    // Without a transport nobody subscribes to queue-events (embedded mode): the list is trimmed.
    await store.ackAdmissions(batch.length);
    // Every admission passes through this list once, whether a join or a round admitted it.
    for (const a of batch) waitingRoomMetrics.admitted(a.eventId, 1);
    return batch.length;
  }

  /** The audit outbox: envelopes stored whole (ids fixed when the admin acted), parsed as catalog will. */
  async relayAuditsOnce(): Promise<number> {
    const { store, transport } = this.deps;
    if (!(await store.lease("admission-relay", this.owner, 10_000))) return 0;
    const batch = await store.pendingAudits(this.deps.batchSize ?? 200);
    if (batch.length === 0) return 0;
    if (transport) {
      const rows: OutboxRow[] = [];
      for (const text of batch) {
        try {
          const envelope = parseEvent(AuditRecorded, JSON.parse(text));
          rows.push({
            id: envelope.id,
            topic: AUDIT_TOPIC,
            messageKey: envelope.aggregateId,
            envelope,
            attempts: 0,
          });
        } catch (error) {
          if (!(error instanceof InvalidEventError || error instanceof SyntaxError)) throw error;
          // As for admissions: a record that can never be sent must not block the ones behind it.
          this.deps.logger.error({ err: error, entry: text }, "dropped an invalid audit record");
        }
      }
      if (rows.length > 0) await transport.deliver(rows);
    }
    await store.ackAudits(batch.length);
    return batch.length;
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "admission relay",
      intervalMs,
      logger: this.deps.logger,
      failureLevel: "warn",
      run: async () => {
        while ((await this.relayOnce()) >= (this.deps.batchSize ?? 200));
        while ((await this.relayAuditsOnce()) >= (this.deps.batchSize ?? 200));
      },
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
