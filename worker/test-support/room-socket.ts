/**
 * A test client for a room's signaling WebSocket, in workerd: it opens through the Worker (the
 * real path, cookie and all) or straight into the room's Durable Object with a verified user (the
 * fast path, for tests that open hundreds of sockets), and reads the room's messages in order,
 * each one checked against the protocol schema.
 *
 * The fast path's users are made up by the tests, but the room checks their session at `join` and
 * records a visit to the room: so each made-up user gets a real user row and session on first use,
 * and each room id a real room row (once per test isolate).
 */
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { roomSocketPath } from '../../protocol/rooms.ts';
import {
  type ClientMessage,
  type MediaState,
  PING,
  PING_INTERVAL_MS,
  PONG,
  PROTOCOL_VERSION,
  parseMessage,
  type ServerMessage,
  ServerMessageSchema,
} from '../../protocol/signaling.ts';
import { createSession } from '../auth/session.ts';
import { connectToRoom } from '../call-room/handoff.ts';
import { usingDatabase } from '../db/client.ts';
import { rooms, sessions, users } from '../db/schema.ts';

export const NO_MEDIA: MediaState = { mic: false, camera: false, screen: false };

type Welcome = Extract<ServerMessage, { type: 'welcome' }>;

export class RoomSocket {
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #inbox: string[] = [];
  #wake: (() => void) | undefined;
  #keepingAlive = false;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener('message', (event) => {
      if (this.#keepingAlive && event.data === PONG) return;
      this.#inbox.push(typeof event.data === 'string' ? event.data : '<binary>');
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener('close', (event) => {
        // Answer the room's close frame, as a browser would (the runtime does not, before 2026-04-07).
        try {
          ws.close(event.code === 1005 || event.code === 1006 ? 1000 : event.code);
        } catch {}
        resolve({ code: event.code, reason: event.reason });
        this.#wake?.();
      });
    });
  }

  send(message: ClientMessage | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next raw frame the room sent. */
  async nextRaw(timeoutMs = 2_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inbox.length === 0) {
      if (Date.now() > deadline) throw new Error('no message from the room in time');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.#inbox.shift() as string;
  }

  /** The next message, which must be valid protocol (and of `type`, if given). */
  async next<T extends ServerMessage['type']>(
    type?: T,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const raw = await this.nextRaw(timeoutMs);
    const message = parseMessage(ServerMessageSchema, raw);
    if (!message) throw new Error(`not a protocol message: ${raw}`);
    if (type && message.type !== type) throw new Error(`expected ${type}, got ${raw}`);
    return message as Extract<ServerMessage, { type: T }>;
  }

  /**
   * PINGs as a browser sends them, so a long test never outlasts the room's liveness window; their
   * PONGs are dropped. Returns the stop.
   */
  keepAlive(): () => void {
    this.#keepingAlive = true;
    const timer = setInterval(() => this.send(PING), PING_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      this.#keepingAlive = false;
    };
  }

  /** Everything received so far, without waiting. */
  drain(): string[] {
    return this.#inbox.splice(0);
  }

  async join(media: MediaState = NO_MEDIA): Promise<Welcome> {
    this.send({ type: 'join', version: PROTOCOL_VERSION, media });
    return this.next('welcome');
  }
}

export interface RoomUser {
  id: string;
  username: string;
}

/** Opens a socket through the Worker: `GET /api/rooms/:id/ws` with the user's cookie. */
export async function connectThroughWorker(roomId: string, cookie: string): Promise<RoomSocket> {
  const response = await exports.default.fetch(new URL(roomSocketPath(roomId), 'http://localhost'), {
    headers: { upgrade: 'websocket', cookie },
  });
  if (!response.webSocket) throw new Error(`no upgrade: ${response.status} ${await response.text()}`);
  return new RoomSocket(response.webSocket);
}

/**
 * Opens a socket straight into the room's Durable Object, as the Worker would for `user`;
 * `invitee`: as the Worker does for the callee of a rung call's room.
 */
export async function connectDirectly(roomId: string, user: RoomUser, invitee = false): Promise<RoomSocket> {
  const sessionId = await sessionOf(user);
  await roomRow(roomId, user);
  const response = await connectToRoom(env, { roomId, user, sessionId, invitee });
  if (!response.webSocket) throw new Error(`no upgrade: ${response.status}`);
  return new RoomSocket(response.webSocket);
}

const sessionIds = new Map<string, Promise<string>>();
const roomRows = new Map<string, Promise<void>>();

/** The made-up user's session (with its user row), created on first use. */
export function sessionOf(user: RoomUser): Promise<string> {
  let sessionId = sessionIds.get(user.id);
  if (!sessionId) {
    sessionId = usingDatabase(env, async (db) => {
      const name = `room_${user.id.replaceAll('-', '')}`;
      await db
        .insert(users)
        .values({ id: user.id, username: name, email: `${name}@example.test`, passwordHash: 'none' });
      return (await createSession(db, user.id)).id;
    });
    sessionIds.set(user.id, sessionId);
  }
  return sessionId;
}

/** Revokes the made-up user's session, as logout would; their next connection gets a new one. */
export async function revokeSessionOf(user: RoomUser): Promise<void> {
  const sessionId = await sessionOf(user);
  await usingDatabase(env, (db) =>
    db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId)),
  );
  // Their next connection comes from a new sign-in.
  sessionIds.set(
    user.id,
    usingDatabase(env, async (db) => (await createSession(db, user.id)).id),
  );
}

function roomRow(roomId: string, owner: RoomUser): Promise<void> {
  let row = roomRows.get(roomId);
  if (!row) {
    row = usingDatabase(env, async (db) => {
      await db.insert(rooms).values({ id: roomId, ownerId: owner.id }).onConflictDoNothing();
    });
    roomRows.set(roomId, row);
  }
  return row;
}
