import {
  contextFromTraceparent,
  contextWith,
  counter,
  currentTraceparent,
  histogram,
  markFailed,
  type Span,
  SpanKind,
  startSpan,
  withSpan,
} from "@urr/telemetry";
import { InvalidEventError } from "./envelope.ts";
import type { OutboxRow } from "./relay.ts";

/** Seconds from an outbox row's commit to its publication: 50 ms to 5 min. */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

const published = counter({
  name: "urr_outbox_published_total",
  help: "Outbox events published, by topic",
  labelNames: ["topic"] as const,
});
const lag = histogram({
  name: "urr_outbox_lag_seconds",
  help: "Time from an event's transaction to its publication, by topic",
  labelNames: ["topic"] as const,
  buckets: LAG_BUCKETS,
});
const deliveryFailures = counter({
  name: "urr_outbox_delivery_failures_total",
  help: "Relay passes that failed to publish, by topic of the events waiting (retried with back-off)",
  labelNames: ["topic"] as const,
});
const consumed = counter({
  name: "urr_events_consumed_total",
  help: "Events a consumer handled, by topic and outcome (applied, failed: retried)",
  labelNames: ["topic", "outcome"] as const,
});
const deadLettered = counter({
  name: "urr_events_dead_lettered_total",
  help: "Events that can never apply (malformed, unknown type): dead-lettered on Kafka, logged and skipped over HTTP",
  labelNames: ["topic"] as const,
});

/** A relay pass's spans: one PRODUCER span per row, a child of the transaction that wrote it. */
export interface Publication {
  /** The rows as the transport sends them: `traceparent` now names the publish span. */
  rows: OutboxRow[];
  succeeded(): void;
  failed(error: unknown): void;
}

export function startPublication(rows: OutboxRow[]): Publication {
  const spans: Span[] = [];
  const sent = rows.map((row) => {
    const span = startSpan(`publish ${row.topic}`, {
      kind: SpanKind.PRODUCER,
      parent: contextFromTraceparent(row.traceparent),
      attributes: {
        "messaging.destination.name": row.topic,
        "messaging.message.id": row.envelope.id,
        "urr.event.type": row.envelope.type,
      },
    });
    spans.push(span);
    return { ...row, traceparent: currentTraceparent(contextWith(span)) ?? row.traceparent ?? null };
  });
  const topics = [...new Set(rows.map((r) => r.topic))];
  return {
    rows: sent,
    succeeded() {
      const now = Date.now();
      for (const row of rows) {
        published.inc({ topic: row.topic });
        if (row.createdAt !== undefined)
          lag.observe({ topic: row.topic }, Math.max(0, now - new Date(row.createdAt).getTime()) / 1000);
      }
      for (const span of spans) span.end();
    },
    failed(error) {
      for (const topic of topics) deliveryFailures.inc({ topic });
      for (const span of spans) {
        markFailed(span, error);
        span.end();
      }
    },
  };
}

/**
 * Applies one received event in a CONSUMER span continuing the producer's trace (its
 * `traceparent` from the Kafka headers or the HTTP delivery), so the effect — and the events it
 * writes to its own outbox — belong to the trace that caused them. Counts the outcome.
 */
export async function consumeTraced<T>(
  topic: string,
  traceparent: string | null | undefined,
  message: unknown,
  handle: () => Promise<T>,
): Promise<T> {
  const type = (message as { type?: unknown } | null)?.type;
  try {
    const outcome = await withSpan(
      `process ${typeof type === "string" ? type : topic}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromTraceparent(traceparent),
        attributes: { "messaging.destination.name": topic },
      },
      handle,
    );
    consumed.inc({ topic, outcome: "applied" });
    return outcome;
  } catch (error) {
    // An invalid event is counted where it is dead-lettered; anything else is retried.
    if (!(error instanceof InvalidEventError)) consumed.inc({ topic, outcome: "failed" });
    throw error;
  }
}

/** One message that can never apply, set aside (Kafka: `<topic>.dlq`; HTTP: logged, skipped). */
export function countDeadLetter(topic: string): void {
  deadLettered.inc({ topic });
}
