import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";

/** Requests a subgraph was sent through the proxy (readiness probes left out). */
export interface CountingProxy {
  /** The proxied subgraph's `/graphql` on the proxy's port, for `SUBGRAPH_<NAME>_URL`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`, for base URLs such as `AUTH_INTERNAL_URL`. */
  readonly origin: string;
  /** Every request and socket upgrade forwarded, as `METHOD path`, oldest first. */
  readonly seen: readonly string[];
  close(): Promise<void>;
}

/** The gateway's readiness check polls each subgraph's `/ready`; that is not an operation. */
const PROBES = new Set(["/ready", "/health"]);

/**
 * A transparent HTTP (and WebSocket) proxy in front of one subgraph that writes down what passes:
 * a gateway pointed at it cannot send the subgraph anything the test does not see. Used to show
 * that refused operations cost the subgraphs nothing, counted where the subgraph would receive them
 * rather than from the gateway's own logs.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    if (!PROBES.has(path.split("?")[0] ?? "")) seen.push(`${req.method} ${path}`);
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  // graphql-ws to the subgraph (federated subscriptions): the upgrade request is passed on as bytes.
  server.on("upgrade", (req, socket, head) => {
    seen.push(`UPGRADE ${req.url ?? "/"}`);
    const onward = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      onward.write(`${lines.join("\r\n")}\r\n\r\n`);
      onward.write(head);
      onward.pipe(socket);
      socket.pipe(onward);
    });
    const end = () => {
      onward.destroy();
      socket.destroy();
    };
    onward.on("error", end);
    socket.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${upstream.pathname}`,
    origin,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
