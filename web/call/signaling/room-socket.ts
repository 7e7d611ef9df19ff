/**
 * The room's signaling socket: its URL, and its opening as early as the page can. A call link
 * opened cold spends its first moments on GET /api/auth/me and the call page's code; the app's
 * entry (main.tsx) opens the room socket alongside them (`openEarly`), and the signaling client
 * (client.ts) takes it (`takeEarly`) instead of opening one when the lobby starts. The socket is a
 * lobby socket like any other (protocol/signaling.ts: no seat until `join`); the upgrade checks
 * the session cookie itself, so a signed-out visitor's is refused and never used.
 */
import { roomSocketPath } from '../../../protocol/rooms.ts';

/** `GET /api/rooms/:id/ws` on the page's own origin, ws: or wss: to match. */
export function roomSocketUrl(origin: string, roomId: string): string {
  const url = new URL(roomSocketPath(roomId), origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

let early: WebSocket | undefined;

/** Opens the room's socket now, for the signaling client to take later. */
export function openEarly(origin: string, roomId: string): void {
  early = new WebSocket(roomSocketUrl(origin, roomId));
}

/** The socket `openEarly` opened for this URL, once, if it is still connecting or open; any other is closed. */
export function takeEarly(url: string): WebSocket | undefined {
  const socket = early;
  early = undefined;
  // 1: WebSocket.OPEN, spelled out as in client.ts.
  if (socket?.url === url && socket.readyState <= 1) return socket;
  // Not the room this page joins (the app moved on to another link): no code, it was not a bye.
  socket?.close();
  return undefined;
}
