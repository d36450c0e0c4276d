import { checkId, liveStream, requireViewer } from "@urr/subgraph-kit";
import type { QueueTicketView } from "../domain/queue.service.ts";
import { type QueueTick, tickChannel } from "../domain/queue-tick.ts";
import type { SubscriptionResolvers } from "../generated/graphql.ts";

/**
 * `queuePosition`: the caller's place now, then one update per admission round that moves it. A
 * round only carries the serving number, so each subscriber's new position is arithmetic on its own
 * number; only a subscriber the round may have admitted (or a cleared queue) reads its place again.
 */
export const Subscription: SubscriptionResolvers = {
  queuePosition: {
    subscribe: async (_p, { eventId }, ctx) => {
      const user = requireViewer(ctx.viewer);
      const id = checkId(eventId, "eventId");
      await ctx.queue.requireEvent(id);
      let current: QueueTicketView | undefined;
      let leave: (() => void) | undefined;
      const settle = (view: QueueTicketView) => {
        const changed =
          current?.state !== view.state ||
          current.position !== view.position ||
          current.estimatedWaitSeconds !== view.estimatedWaitSeconds;
        current = view;
        return { value: changed ? { queuePosition: view } : undefined, last: view.state !== "QUEUED" };
      };
      return liveStream<QueueTick, { queuePosition: QueueTicketView }>({
        pubsub: ctx.pubsub,
        channel: tickChannel(id),
        initial: async () => {
          const first = settle(await ctx.queue.status(user, id));
          if (!first.last) leave = ctx.presence.enter(id, user.userId);
          return first;
        },
        step: async (tick) => {
          const previous = current;
          if (!previous) return {};
          // A re-read caused by this round (admitted, or the queue was cleared) is dated by it.
          return settle(
            ctx.queue.advance(previous, tick) ?? {
              ...(await ctx.queue.status(user, id)),
              asOf: new Date(tick.at),
            },
          );
        },
        coalesce: (older, newer) => ({ ...newer, reset: older.reset || newer.reset }),
        onClose: () => leave?.(),
      });
    },
    resolve: (payload: { queuePosition: QueueTicketView }) => payload.queuePosition,
  },
};
