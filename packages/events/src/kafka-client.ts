import type { Logger } from "@urr/logger";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";

const LEVELS: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** One Kafka client per service, logging through the service's logger. */
export function createKafka(clientId: string, brokers: string[], logger: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        logger[LEVELS[level] ?? "info"]({ kafka: extra }, message);
      },
  });
}

/** A producer with kafkajs's default partitioner named explicitly (murmur2 on the key, like Java clients). */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
}
