import { graphqlMetrics } from "./graphql-metrics.ts";

/**
 * Counts open subscriptions for graphql-ws servers: `opened` from `onOperation` when the result is
 * a stream (a subscription), `closed` from `onComplete`, which graphql-ws calls for every operation
 * that got that far, however it ended (client complete, error, socket closed). Only ids counted
 * as opened are counted down, so queries on the socket and refused subscriptions never move it.
 */
export class SubscriptionCounter {
  private readonly open = new WeakMap<object, Set<string>>();

  opened(connection: object, id: string, result: unknown): void {
    if (!result || typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") return;
    let ids = this.open.get(connection);
    if (!ids) {
      ids = new Set();
      this.open.set(connection, ids);
    }
    if (ids.has(id)) return;
    ids.add(id);
    graphqlMetrics.openSubscriptions.inc();
  }

  closed(connection: object, id: string): void {
    if (this.open.get(connection)?.delete(id)) graphqlMetrics.openSubscriptions.dec();
  }
}
