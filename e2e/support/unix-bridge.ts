/**
 * Byte-for-byte TCP ↔ Unix-socket forwarding, the one way across a network namespace: a socket file
 * is reached by path, and paths are not namespaced, while TCP ports are. One side serves a socket
 * file that opens a TCP connection on its own side; the other listens on TCP and connects each
 * client to that file. Nothing is parsed, so it carries HTTP, WebSockets and Postgres alike.
 *
 * @example
 *   // host: Postgres on 127.0.0.1:54320 reachable through /tmp/x/pg.sock
 *   const served = await serveUnixToTcp('/tmp/x/pg.sock', 54320);
 *   // inside the namespace: its own 127.0.0.1:54320 leads there
 *   const bridge = await bridgeTcpToUnix(54320, '/tmp/x/pg.sock');
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Bridge {
  /** The TCP port listened on (bridgeTcpToUnix), or the port connected to (serveUnixToTcp). */
  port: number;
  close(): Promise<void>;
}

/** Serves `socketPath`: each connection to it is joined to a new TCP connection to 127.0.0.1:`port`. */
export function serveUnixToTcp(socketPath: string, port: number): Promise<Bridge> {
  return listen(socketPath, port, () => connect({ host: '127.0.0.1', port }));
}

/** Listens on 127.0.0.1:`port` (0: any free port); each connection is joined to `socketPath`. */
export function bridgeTcpToUnix(port: number, socketPath: string): Promise<Bridge> {
  return listen(port, port, () => connect({ path: socketPath }));
}

/** Listens on a socket file (a string) or a loopback TCP port (a number). */
function listen(where: string | number, port: number, connectUpstream: () => Socket): Promise<Bridge> {
  const live = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectUpstream();
    for (const socket of [client, upstream]) {
      live.add(socket);
      socket.once('close', () => live.delete(socket));
      // A reset on one side ends the other: the far end sees the connection drop, as over plain TCP.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`bridge on ${where}: ${error.message}`, { cause: error })));
    const listening = () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address && port === 0 ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of live) socket.destroy();
            server.close(() => done());
          }),
      });
    };
    if (typeof where === 'string') server.listen(where, listening);
    else server.listen(where, '127.0.0.1', listening);
  });
}
