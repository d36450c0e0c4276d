import type { Logger } from "@urr/logger";
import type { Consumer, Kafka, Producer } from "kafkajs";
import { InvalidEventError } from "./envelope.ts";
import { consumeTraced, countDeadLetter } from "./event-telemetry.ts";
import { createProducer } from "./kafka-client.ts";

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Applies one message (idempotently); returns what happened, for logs and tests. */
  handle(message: unknown, topic: string): Promise<string>;
  logger: Logger;
  /** Dead letters go to `<topic><suffix>`. */
  deadLetterSuffix?: string;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/**
 * Consumes topics with a consumer group. A message that is not JSON or breaks its contract can never
 * succeed: it goes to the dead-letter topic with the reason and the partition moves on. Any other
 * failure (database down, …) is thrown, so kafkajs retries it and the offset is not committed: a
 * valid event is never skipped.
 */
export async function runConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const suffix = options.deadLetterSuffix ?? ".dlq";
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  const deadLetters: Producer = createProducer(options.kafka);
  await Promise.all([consumer.connect(), deadLetters.connect()]);
  for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const raw = message.value?.toString() ?? "";
      const traceparent = message.headers?.traceparent?.toString();
      let reason: string | undefined;
      try {
        const parsed: unknown = JSON.parse(raw);
        await consumeTraced(topic, traceparent, parsed, () => options.handle(parsed, topic));
      } catch (error) {
        if (!(error instanceof InvalidEventError) && !(error instanceof SyntaxError)) throw error;
        reason = error.message;
      }
      if (reason === undefined) return;
      countDeadLetter(topic);
      options.logger.error({ topic, partition, offset: message.offset, reason }, "dead-lettered a message");
      await deadLetters.send({
        topic: `${topic}${suffix}`,
        acks: -1,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              "dlq-reason": reason.slice(0, 1000),
              "dlq-source": `${topic}/${partition}/${message.offset}`,
            },
          },
        ],
      });
    },
  });
  return {
    async stop() {
      await consumer.disconnect();
      await deadLetters.disconnect();
    },
  };
}
