/**
 * The ceiling for live-queue: a plain graphql-ws server with no federation, no gateway and no Redis,
 * pushing the same position updates to the same number of subscribers. POST /tick
 * `{ "serving": n, "at": ms }` broadcasts one admission round; each subscriber turns it into its
 * own position, as the queue subgraph does. Prints `ready <port>` when listening.
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema } from "graphql";
// Aliased: biome reads any `use…` call as a React hook now that the web pages bring React.
import { useServer as serveGraphqlWs } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";

const schema = buildSchema(`
  type Query { ok: Boolean }
  type QueueTicket { state: String! position: Int! estimatedWaitSeconds: Int asOf: String! }
  type Subscription { queuePosition(number: Int!): QueueTicket! }
`);

interface Tick {
  serving: number;
  at: number;
}

const ticks = new EventEmitter();
ticks.setMaxListeners(0);
/** The latest round: a new subscriber gets its position from it first, as from the real queue. */
let latest: Tick = { serving: 1, at: Date.now() };

/** One subscriber's positions: a queue of ticks turned into updates, closable at any time. */
function positions(number: number): AsyncIterableIterator<{ queuePosition: unknown }> {
  const pending: Tick[] = [latest];
  let wake: (() => void) | undefined;
  let done = false;
  const listener = (tick: Tick) => {
    pending.push(tick);
    wake?.();
  };
  ticks.on("tick", listener);
  const close = () => {
    done = true;
    ticks.off("tick", listener);
    wake?.();
  };
  return {
    async next() {
      for (;;) {
        const tick = done ? undefined : pending.shift();
        if (tick) {
          const position = Math.max(0, number - tick.serving);
          // Admitted: this is the last update (as the real queue ends the subscription).
          if (position === 0) close();
          return {
            done: false,
            value: {
              queuePosition: {
                state: position > 0 ? "QUEUED" : "ACTIVE",
                position,
                estimatedWaitSeconds: position,
                asOf: new Date(tick.at).toISOString(),
              },
            },
          };
        }
        if (done) return { done: true, value: undefined };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/tick") {
    res.writeHead(404).end();
    return;
  }
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    latest = JSON.parse(body) as Tick;
    ticks.emit("tick", latest);
    res.writeHead(204).end();
  });
});
serveGraphqlWs(
  {
    schema,
    roots: {
      subscription: {
        queuePosition: ({ number }: { number: number }) => positions(number),
      },
    },
  },
  new WebSocketServer({ server, path: "/graphql" }),
);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
