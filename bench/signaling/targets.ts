/**
 * The two things `npm run bench:signaling` loads: the app's call rooms, entered as a browser does
 * (session cookie, `join`, `welcome`), and the echo baseline, where a room is ready once both
 * sockets are open.
 */
import type WebSocket from 'ws';
import { roomSocketPath } from '../../protocol/rooms.ts';
import { PROTOCOL_VERSION } from '../../protocol/signaling.ts';
import type { Peer, Target } from './load.ts';
import { nextOfType, openSocket } from './sockets.ts';

export interface BenchRoom {
  id: string;
  /** The Cookie header of each of its two users. */
  cookies: [string, string];
}

interface Welcome {
  peerId: string;
}

/** What a browser does (protocol/signaling.ts): a seat goes to whoever speaks within 30 s. */
const PING_INTERVAL_MS = 10_000;

function keepAlive(ws: WebSocket): void {
  const timer = setInterval(() => ws.send('ping'), PING_INTERVAL_MS);
  ws.once('close', () => clearInterval(timer));
}

const JOIN = JSON.stringify({
  type: 'join',
  version: PROTOCOL_VERSION,
  media: { mic: true, camera: true, screen: false },
});

export const APP_TARGET = 'app (CallRoom)';

export function appTarget(origin: URL, rooms: BenchRoom[]): Target {
  const wsOrigin = origin.href.replace(/^http/, 'ws');
  return {
    name: APP_TARGET,
    async openRoom(index) {
      const room = rooms[index] as BenchRoom;
      const url = new URL(roomSocketPath(room.id), wsOrigin).href;
      const a = await openSocket(url, { cookie: room.cookies[0] });
      keepAlive(a);
      const aWelcome = nextOfType<Welcome>(a, 'welcome');
      a.send(JOIN);
      const aId = (await aWelcome).peerId;
      const b = await openSocket(url, { cookie: room.cookies[1] });
      keepAlive(b);
      const aHearsB = nextOfType(a, 'peer-joined');
      const bWelcome = nextOfType<Welcome>(b, 'welcome');
      b.send(JOIN);
      const bId = (await bWelcome).peerId;
      await aHearsB;
      const peer = (ws: WebSocket, side: 0 | 1, otherPeerId: string): Peer => ({
        ws,
        room: index,
        side,
        otherPeerId,
        received: 0,
      });
      return [peer(a, 0, bId), peer(b, 1, aId)];
    },
  };
}

/** `label` keeps the rooms of different runs apart. */
export function echoTarget(origin: URL, label: string): Target {
  const wsOrigin = origin.href.replace(/^http/, 'ws');
  return {
    name: 'echo baseline',
    async openRoom(index) {
      const url = `${wsOrigin}bench/echo/${label}-${index}`;
      const [a, b] = await Promise.all([openSocket(url), openSocket(url)]);
      return [
        { ws: a, room: index, side: 0, received: 0 },
        { ws: b, room: index, side: 1, received: 0 },
      ];
    },
  };
}
