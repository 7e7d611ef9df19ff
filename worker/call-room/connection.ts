/**
 * What a room knows about one of its WebSockets. It lives in the socket's attachment, so it
 * survives hibernation with the socket; memory only holds a copy of it, to save reading it again,
 * and is ahead of it for at most SAVE_SOON_MS in what every message changes (`saveSoon`).
 */
import {
  isPolite,
  LIVENESS_WINDOW_MS,
  MAX_MESSAGE_BURST,
  MAX_MESSAGES_PER_SECOND,
  type MediaState,
  type Peer,
} from '../../protocol/signaling.ts';
import { randomId } from '../rooms/ids.ts';
import type { Handoff } from './handoff.ts';

export interface Connection {
  roomId: string;
  userId: string;
  username: string;
  /** The session that opened the socket (sessions.ts): checked at a late `join` and by the room's sweeps. */
  sessionId: string;
  /** When the socket opened: one that has not joined by LOBBY_TIMEOUT_MS later is closed. */
  openedAt: number;
  /** Names this connection to the other peer; a new one for every socket. */
  peerId: string;
  /** Holds a seat (has joined and not left). */
  joined: boolean;
  /** The rung call's invitee (protocol/signaling.ts, Standby), and whether this socket stands by. */
  invitee?: boolean;
  standby?: boolean;
  media: MediaState;
  /** When it last sent a message; its PINGs are answered by the runtime and timed there. */
  lastMessageAt: number;
  /** Token bucket: messages it may send, as of `tokensAt`. */
  tokens: number;
  tokensAt: number;
  /** Invalid messages so far. */
  strikes: number;
}

export interface Member {
  ws: WebSocket;
  conn: Connection;
}

const NOTHING_ON: MediaState = { mic: false, camera: false, screen: false };

export function newConnection({ roomId, user, sessionId, invitee }: Handoff, now: number): Connection {
  return {
    roomId,
    userId: user.id,
    username: user.username,
    sessionId,
    openedAt: now,
    peerId: randomId(12),
    joined: false,
    ...(invitee && { invitee }),
    media: NOTHING_ON,
    lastMessageAt: now,
    tokens: MAX_MESSAGE_BURST,
    tokensAt: now,
    strikes: 0,
  };
}

/** Spends one message from the bucket (the room's rate unless given); false when the socket is over it. */
export function spendToken(
  conn: Pick<Connection, 'tokens' | 'tokensAt'>,
  now: number,
  perSecond = MAX_MESSAGES_PER_SECOND,
  burst = MAX_MESSAGE_BURST,
): boolean {
  const refilled = conn.tokens + ((now - conn.tokensAt) / 1000) * perSecond;
  conn.tokens = Math.min(burst, refilled);
  conn.tokensAt = now;
  if (conn.tokens < 1) return false;
  conn.tokens -= 1;
  return true;
}

/** The connection as the other peer sees it: whitelisted fields only. */
const describePeer = (conn: Connection): Peer => ({
  peerId: conn.peerId,
  userId: conn.userId,
  username: conn.username,
  media: conn.media,
});

/** The other connection as `self` is told of it (`welcome`, `peer-joined`, …): who, and `self`'s role. */
export function towards(self: Connection, other: Connection): { peer: Peer; polite: boolean };
export function towards(self: Connection, other: Connection | undefined): { peer: Peer | null; polite: boolean };
export function towards(self: Connection, other: Connection | undefined): { peer: Peer | null; polite: boolean } {
  return other
    ? { peer: describePeer(other), polite: isPolite(self.userId, other.userId) }
    : { peer: null, polite: false };
}

export const isLive = (lastSignOfLife: number, now: number): boolean => now - lastSignOfLife < LIVENESS_WINDOW_MS;

/**
 * The connections read so far, by socket. Every message reads its socket's connection and the other
 * seat's, so each is deserialised once and then kept here; the attachment stays the record. A
 * socket belongs to one Durable Object, so one map serves every room and user line of the isolate,
 * and an object woken from hibernation gets new socket objects, so it reads each connection back
 * from its attachment on first use.
 */
const known = new WeakMap<WebSocket, object>();

/**
 * How long a change made with `saveSoon` may live in memory only. A Durable Object hibernates only
 * after 10 s without an event and with no timer pending, so the timer that writes these changes
 * keeps it in memory until they are written: what it reads back after a wake-up is what it had.
 */
export const SAVE_SOON_MS = 2_000;

/**
 * Reads and writes the attachments, and asks the runtime when each socket last PINGed. The user
 * line (worker/user-line/) keeps its tabs with it too, in attachments of its own shape.
 */
export class Connections<C extends { lastMessageAt: number } = Connection> {
  /** Sockets whose connection changed in memory since it was last written (`saveSoon`). */
  readonly #unsaved = new Set<WebSocket>();
  #saving: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: DurableObjectState) {}

  /** The room's sockets that are open: not closing, not closed. */
  open(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  get(ws: WebSocket): C {
    let conn = known.get(ws) as C | undefined;
    if (!conn) {
      conn = ws.deserializeAttachment() as C;
      known.set(ws, conn);
    }
    return conn;
  }

  /** Writes the connection now: for what must outlive the object at once (a seat, media state). */
  save(ws: WebSocket, conn: C): void {
    ws.serializeAttachment(conn);
    known.set(ws, conn);
    this.#unsaved.delete(ws);
  }

  /**
   * Writes the connection (changed in place, as `get` returned it) within SAVE_SOON_MS: for what
   * every message changes (the rate-limit bucket, the last message time), so a burst of messages
   * costs one write, not one each.
   */
  saveSoon(ws: WebSocket): void {
    this.#unsaved.add(ws);
    this.#saving ??= setTimeout(() => this.#saveUnsaved(), SAVE_SOON_MS);
  }

  #saveUnsaved(): void {
    this.#saving = undefined;
    for (const ws of this.#unsaved) {
      try {
        ws.serializeAttachment(this.get(ws));
      } catch {
        // Closed meanwhile: its attachment is never read again.
      }
    }
    this.#unsaved.clear();
  }

  /** The latest of its last message and its last PING (which the runtime answered, maybe asleep). */
  lastSignOfLife(ws: WebSocket): number {
    const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
    return Math.max(this.get(ws).lastMessageAt, pinged);
  }
}
