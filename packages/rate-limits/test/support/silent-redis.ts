import net from "node:net";

/**
 * A server that completes ioredis's handshake (INFO says the server is loaded, CLIENT answers OK)
 * and then never answers another command: a Redis that is up but stuck (paused, swapping, a
 * blocked script). Only the command timeout can notice it.
 */
export async function startSilentRedis(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (chunk) => {
      const text = chunk.toString("utf8").toUpperCase();
      for (const command of text.split("*").slice(1)) {
        if (command.includes("INFO")) {
          const info = "# Server\r\nloading:0\r\n";
          socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
        } else if (command.includes("CLIENT")) {
          socket.write("+OK\r\n");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
