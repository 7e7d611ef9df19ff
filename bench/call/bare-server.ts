/**
 * The trivial relay of benchmark part A: one Node HTTP server on a free loopback port that serves
 * the bare page and relays WebSocket messages between the two sockets of a room, nothing more.
 * `/ice` hands the page its RTCConfiguration: the same servers the app gets (ice.ts), relay-only
 * when asked.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { TurnServer } from '../../e2e/support/call-turn.ts';
import { benchIceServers } from './ice.ts';

const PAGE = `<!doctype html>
<meta charset="utf-8"><title>bare call</title>
<video id="local" autoplay playsinline muted></video><video id="remote" autoplay playsinline></video>
<button disabled>Join call</button>
<script type="module" src="/client.js"></script>`;
const CLIENT = readFileSync(new URL('./bare-client.js', import.meta.url));

export interface BareServer {
  /** Page URL of a room: `${url}/?room=…&relay=1`. */
  url: string;
  stop(): Promise<void>;
}

export async function startBareServer(turn: TurnServer): Promise<BareServer> {
  const http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (url.pathname === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(CLIENT);
    } else if (url.pathname === '/ice') {
      const relay = url.searchParams.get('relay') === '1';
      const config = { iceServers: benchIceServers(turn, 'bare', 'bare'), iceTransportPolicy: relay ? 'relay' : 'all' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    } else {
      response.writeHead(404).end();
    }
  });

  const rooms = new Map<string, Set<WebSocket>>();
  const sockets = new WebSocketServer({ server: http, path: '/ws' });
  sockets.on('connection', (socket, request) => {
    const room = new URL(request.url ?? '', 'http://localhost').searchParams.get('room') ?? '';
    const members = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, members);
    const [other] = members;
    members.add(socket);
    socket.send(JSON.stringify({ type: 'welcome', peer: other !== undefined }));
    other?.send(JSON.stringify({ type: 'peer-joined' }));
    socket.on('message', (data) => {
      for (const member of members) if (member !== socket) member.send(data.toString());
    });
    socket.on('close', () => {
      members.delete(socket);
      if (members.size === 0) rooms.delete(room);
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        http.close(() => resolve());
      }),
  };
}
