import type { Producer } from "kafkajs";
import type { EventTransport, OutboxRow } from "./relay.ts";

/**
 * The outbox relay's Kafka transport: one batch per relay pass, `acks: all`, the aggregate id as the
 * message key (so one aggregate's events stay in order in one partition), type, id and the W3C
 * `traceparent` (when traced) in headers.
 */
export class KafkaEventTransport implements EventTransport {
  constructor(private readonly producer: Producer) {}

  async deliver(rows: OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicRows]) => ({
        topic,
        messages: topicRows.map((row) => ({
          key: row.messageKey,
          value: JSON.stringify(row.envelope),
          headers: {
            "event-id": row.envelope.id,
            "event-type": row.envelope.type,
            ...(row.traceparent ? { traceparent: row.traceparent } : {}),
          },
        })),
      })),
    });
  }
}
