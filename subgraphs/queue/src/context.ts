import type { BaseContext } from "@urr/subgraph-kit";
import type { PubSubEngine } from "graphql-subscriptions";
import type { Presence } from "./domain/presence.ts";
import type { QueueService } from "./domain/queue.service.ts";

export interface QueueContext extends BaseContext {
  queue: QueueService;
  pubsub: PubSubEngine;
  presence: Presence;
  /** Tells every subscriber of the event to re-read its place (after an admin cleared the queue). */
  announceClear(eventId: string): Promise<void>;
}

/** Catalog's event, as the queue references it: just its key. */
export interface EventRef {
  id: string;
}
