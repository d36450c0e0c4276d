import type { Logger } from "@urr/logger";
import { RedisPubSub } from "graphql-redis-subscriptions";
import { PubSub, type PubSubEngine } from "graphql-subscriptions";
import Redis from "ioredis";

/**
 * Where live updates travel between the process that changes something and the processes holding
 * subscriptions to it. With Redis (production, several replicas) any replica's subscriber sees any
 * replica's change; without it (embedded `npm start`, one process per subgraph) it stays in-process.
 */
export interface LiveChannel {
  pubsub: PubSubEngine;
  close(): Promise<void>;
}

export function openLiveChannel(redisUrl: string | undefined, logger: Logger): LiveChannel {
  if (!redisUrl) return { pubsub: new PubSub(), close: async () => {} };
  // A subscribing Redis connection can do nothing else, hence two.
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl);
  for (const connection of [publisher, subscriber]) {
    connection.on("error", (err) => logger.warn({ err }, "live channel: Redis connection error"));
  }
  const pubsub = new RedisPubSub({ publisher, subscriber });
  return {
    pubsub,
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/** What a stream sends for one message: a value (or nothing), and whether it is the last. */
export interface Emit<T> {
  value?: T;
  last?: boolean;
}

export interface LiveStreamOptions<TMessage, TOut> {
  pubsub: PubSubEngine;
  channel: string;
  /** Read once the channel is subscribed, so no change between the read and the first message is lost. */
  initial(): Promise<Emit<TOut>>;
  /** Turns one message into what to send (undefined: nothing). Runs one message at a time. */
  step(message: TMessage): Promise<Emit<TOut>>;
  /**
   * Merges a message into the one still waiting, when the subscriber reads slower than messages
   * arrive (for position ticks the newer replaces the older; seat changes concatenate).
   */
  coalesce(waiting: TMessage, next: TMessage): TMessage;
  onClose?(): void;
}

/**
 * A subscription's event stream: subscribe, read the current state, then one output per message.
 * Unlike an async generator it can be closed while waiting for the next message (a client that
 * unsubscribes from a quiet channel releases it at once), and a slow reader never makes it buffer
 * more than one pending message.
 */
export async function liveStream<TMessage, TOut>(
  options: LiveStreamOptions<TMessage, TOut>,
): Promise<AsyncIterableIterator<TOut>> {
  let pending: { message: TMessage } | undefined;
  let ready: TOut | undefined;
  let ended = false;
  let wake: (() => void) | undefined;

  const subscription = await options.pubsub.subscribe(
    options.channel,
    (message: TMessage) => {
      pending = pending ? { message: options.coalesce(pending.message, message) } : { message };
      wake?.();
    },
    {},
  );
  const close = () => {
    if (ended) return;
    ended = true;
    options.pubsub.unsubscribe(subscription);
    options.onClose?.();
    wake?.();
  };

  const accept = (emit: Emit<TOut>) => {
    ready = emit.value;
    if (emit.last) close();
  };
  try {
    accept(await options.initial());
  } catch (error) {
    close();
    throw error;
  }

  const iterator: AsyncIterableIterator<TOut> = {
    async next(): Promise<IteratorResult<TOut>> {
      for (;;) {
        if (ready !== undefined) {
          const value = ready;
          ready = undefined;
          return { value, done: false };
        }
        if (ended) return { value: undefined, done: true };
        if (pending) {
          const { message } = pending;
          pending = undefined;
          try {
            accept(await options.step(message));
          } catch (error) {
            close();
            throw error;
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<TOut>> {
      close();
      ready = undefined;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
