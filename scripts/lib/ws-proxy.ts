/**
 * A loopback WebSocket-to-TCP proxy that speaks the protocol of Neon's proxy, so that
 * `@neondatabase/serverless` inside workerd reaches a local Postgres exactly as it reaches Neon.
 * The client opens `ws://127.0.0.1:PORT/TOKEN/v1?address=HOST:PORT` and sends raw Postgres bytes.
 *
 * Any web page the developer visits can open a WebSocket to 127.0.0.1, so the proxy answers only
 * what no page can send: an upgrade without an `Origin` header (browsers always send one) whose
 * path starts with this run's random token (a page cannot guess it).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createConnection } from 'node:net';
import { WebSocketServer } from 'ws';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export interface WsProxy {
  port: number;
  close(): Promise<void>;
}

/** `token` must be random per run and URL-safe; it becomes the first path segment. */
export async function startWsProxy(port: number, token: string): Promise<WsProxy> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port,
    verifyClient: ({ req }: { req: IncomingMessage }) => req.headers.origin === undefined && hasToken(req, token),
  });
  server.on('connection', (socket, request) => {
    const address = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    const [host, targetPort] = splitHostPort(address);
    // Only loopback targets: this proxy must never become a way out of the machine.
    if (!host || !LOOPBACK_HOSTS.has(host) || !targetPort) {
      socket.close(1008, 'address must be a loopback host:port');
      return;
    }
    const tcp = createConnection({ host, port: targetPort });
    tcp.on('data', (chunk) => socket.send(chunk));
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('message', (data: Buffer) => tcp.write(data));
    socket.on('close', () => tcp.destroy());
    socket.on('error', () => tcp.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

function hasToken(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(new URL(request.url ?? '/', 'http://proxy').pathname.split('/')[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function splitHostPort(address: string): [string, number] {
  const separator = address.lastIndexOf(':');
  if (separator <= 0) return ['', 0];
  return [address.slice(0, separator).replace(/^\[|\]$/g, ''), Number(address.slice(separator + 1))];
}
