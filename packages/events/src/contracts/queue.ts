import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/** queue-events: admissions from the waiting room (replaces the original SQS FIFO). Key: event id. */
export const QUEUE_TOPIC = "queue-events";

export const QueueAdmitted = defineEvent({
  type: "queue.admitted",
  version: 1,
  topic: QUEUE_TOPIC,
  payload: z.object({
    eventId: z.uuid(),
    userId: z.uuid(),
    queueNumber: z.number().int().nonnegative(),
    admittedAt: z.iso.datetime({ offset: true }),
  }),
});
