/**
 * The small print of the room's sockets: measuring incoming frames, writing to sockets that may be
 * closing at any moment (their close handler does the bookkeeping, so a failed write is no error),
 * and the room's few structured log lines.
 */
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../protocol/signaling.ts';
import type { Connection } from './connection.ts';

/** UTF-8 takes at most 3 bytes per UTF-16 unit, so most messages are measured without encoding. */
export function isTooBig(message: string | ArrayBuffer, limit = MAX_MESSAGE_BYTES): boolean {
  if (typeof message !== 'string') return message.byteLength > limit;
  if (message.length * 3 <= limit) return false;
  return new TextEncoder().encode(message).byteLength > limit;
}

export function send(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {}
}

export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {}
}

export function log(event: string, conn: Connection, details: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ event, roomId: conn.roomId, userId: conn.userId, ...details }));
}
