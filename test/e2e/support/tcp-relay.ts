import type { AddressInfo, Socket } from "node:net";
import net from "node:net";

/** A TCP relay to a server, which the test can cut as if that server had stopped. */
export interface TcpRelay {
  readonly port: number;
  /** Drops every relayed connection and stops listening: new connections are refused. */
  cut(): Promise<void>;
}

/**
 * Stands in for a server the test must not stop itself (the machine's Redis is shared by other
 * tests): a client connected through the relay sees its connection drop and every reconnect
 * refused once `cut` is called, as it would if that server had gone away.
 */
export async function startTcpRelay(host: string, port: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    const onward = net.connect(port, host);
    track(client);
    track(onward);
    client.pipe(onward);
    onward.pipe(client);
    client.on("error", () => onward.destroy());
    onward.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
