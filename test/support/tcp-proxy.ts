import { connect, createServer, type Server, type Socket } from "node:net";

export type TcpProxy = { port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> };

/** A TCP proxy a test can cut, to take a real service away from the code under test and back. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const [socket, peer] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          sockets.add(socket);
          // Like a real connection: when one side goes (refused, reset, closed), so does the other.
          socket.on("close", () => {
            sockets.delete(socket);
            peer.destroy();
          });
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        const address = server?.address();
        if (typeof address === "object" && address) port = address.port;
        resolve();
      });
    });
  const cut = async () => {
    // close() waits for open connections to end, so they are destroyed first, not after.
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    server = undefined;
  };
  await listen();
  return { port, cut, restore: listen, close: cut };
}
