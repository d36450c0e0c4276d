import { createHmac, timingSafeEqual } from "node:crypto";
import type { Logger } from "@urr/logger";
import type { RequestHandler } from "express";
import { type EventEnvelope, InvalidEventError } from "./envelope.ts";
import { consumeTraced, countDeadLetter } from "./event-telemetry.ts";
import type { EventTransport, OutboxRow } from "./relay.ts";

/**
 * Event delivery over HTTP between subgraphs, used until Kafka carries the topics: the body is
 * signed with a shared secret (HMAC-SHA256), receivers apply each event idempotently and answer 2xx
 * only when every event was applied or recorded as rejected.
 *
 * Body: `{ events, deliveries }`, `deliveries[i]` naming the topic of `events[i]` and its W3C
 * `traceparent` (null untraced). It is inside the signed body rather than in a header because one
 * POST carries many events, each from its own trace.
 */
export const SIGNATURE_HEADER = "x-urr-signature";

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface Subscriber {
  url: string;
  topics: string[];
}

export class HttpEventTransport implements EventTransport {
  constructor(
    private readonly subscribers: Subscriber[],
    private readonly secret: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async deliver(rows: OutboxRow[]): Promise<void> {
    for (const subscriber of this.subscribers) {
      const sent = rows.filter((r) => subscriber.topics.includes(r.topic));
      if (sent.length === 0) continue;
      const body = JSON.stringify({
        events: sent.map((r) => r.envelope),
        deliveries: sent.map((r) => ({ topic: r.topic, traceparent: r.traceparent ?? null })),
      });
      const response = await fetch(subscriber.url, {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: sign(body, this.secret) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new Error(`${subscriber.url} answered ${response.status}`);
    }
  }
}

export type ApplyEvent = (event: EventEnvelope) => Promise<string>;

/** Positions of the batch's events grouped by aggregate, in arrival order within each group. */
function byAggregate(events: unknown[]): Map<string, number[]> {
  const lanes = new Map<string, number[]>();
  events.forEach((event, index) => {
    const aggregate = (event as { aggregateId?: unknown } | null)?.aggregateId;
    // Malformed events get a lane of their own: they are rejected, never block others.
    const key = typeof aggregate === "string" ? aggregate : `#${index}`;
    lanes.set(key, [...(lanes.get(key) ?? []), index]);
  });
  return lanes;
}

/** Aggregates of one batch applied at the same time (each aggregate's events stay in order). */
const PARALLEL_AGGREGATES = 8;

/**
 * The receiving end: verifies the signature, applies events in order per aggregate (like a Kafka
 * partition keyed by aggregate id; different aggregates run side by side, a few at a time), and
 * answers with what happened to each. A message that fails validation is logged and skipped (it
 * would fail forever and block everything behind it); any other failure answers 500 so the sender
 * retries the batch (the consumers' processed-event records make the retry apply each event once).
 */
export function eventReceiver(secret: string, apply: ApplyEvent, logger: Logger): RequestHandler {
  return async (req, res) => {
    const raw = (req as { rawBody?: string }).rawBody ?? "";
    const signature = req.header(SIGNATURE_HEADER) ?? "";
    const expected = sign(raw, secret);
    if (
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      res.status(401).json({ error: "bad signature" });
      return;
    }
    const body = req.body as { events?: unknown[]; deliveries?: unknown[] } | undefined;
    const events = body?.events;
    if (!Array.isArray(events)) {
      res.status(400).json({ error: "body must be { events: [...] }" });
      return;
    }
    const outcomes: string[] = new Array(events.length);
    const applyAt = async (index: number) => {
      const event = events[index];
      const { topic, traceparent } = deliveryAt(body?.deliveries, index);
      try {
        outcomes[index] = await consumeTraced(topic, traceparent, event, () => apply(event as EventEnvelope));
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        logger.error({ err: error, event }, "rejected an invalid event");
        countDeadLetter(topic);
        outcomes[index] = "rejected";
      }
    };
    try {
      const lanes = [...byAggregate(events).values()];
      const worker = async () => {
        for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
          for (const index of lane) await applyAt(index);
        }
      };
      // Every lane finishes (or fails) before the answer, so a retry never overlaps this attempt.
      const settled = await Promise.allSettled(
        Array.from({ length: Math.min(PARALLEL_AGGREGATES, lanes.length) }, worker),
      );
      const failed = settled.find((s) => s.status === "rejected");
      if (failed) throw failed.reason;
      res.json({ outcomes });
    } catch (error) {
      logger.error({ err: error }, "applying events failed; the sender will retry");
      res.status(500).json({ error: "not applied" });
    }
  };
}

/** What the sender said about the event at `index` (an older sender says nothing). */
function deliveryAt(
  deliveries: unknown[] | undefined,
  index: number,
): { topic: string; traceparent?: string } {
  const entry = deliveries?.[index] as { topic?: unknown; traceparent?: unknown } | undefined;
  return {
    topic: typeof entry?.topic === "string" && entry.topic.length <= 100 ? entry.topic : "unknown",
    ...(typeof entry?.traceparent === "string" ? { traceparent: entry.traceparent } : {}),
  };
}
