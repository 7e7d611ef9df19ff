/**
 * A test client for a user's line, in workerd: opened through the Worker (`GET /api/line/ws` with
 * the user's cookie, the real path) or straight into the line with a verified user (the fast path,
 * for tests that open hundreds of sockets), reading the line's messages in order, each checked
 * against the protocol schema. Also: mutual contacts written straight into the database.
 */
import { env, exports } from 'cloudflare:workers';
import {
  type CallView,
  type LineClientMessage,
  type LineServerMessage,
  LineServerMessageSchema,
  parseMessage,
  USER_LINE_PATH,
} from '../../protocol/user-line.ts';
import { usingDatabase } from '../db/client.ts';
import { contacts } from '../db/schema.ts';
import { connectToLine } from '../user-line/handoff.ts';
import { sessionOf } from './room-socket.ts';

export class LineSocket {
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #inbox: string[] = [];
  #wake: (() => void) | undefined;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener('message', (event) => {
      this.#inbox.push(typeof event.data === 'string' ? event.data : '<binary>');
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener('close', (event) => {
        try {
          ws.close(event.code === 1005 || event.code === 1006 ? 1000 : event.code);
        } catch {}
        resolve({ code: event.code, reason: event.reason });
        this.#wake?.();
      });
    });
  }

  send(message: LineClientMessage | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async nextRaw(timeoutMs = 3_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inbox.length === 0) {
      if (Date.now() > deadline) throw new Error('no message from the line in time');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.#inbox.shift() as string;
  }

  /** The next message, which must be valid protocol (and of `type`, if given). */
  async next<T extends LineServerMessage['type']>(type?: T): Promise<Extract<LineServerMessage, { type: T }>> {
    const raw = await this.nextRaw();
    const message = parseMessage(LineServerMessageSchema, raw);
    if (!message) throw new Error(`not a line message: ${raw}`);
    if (type && message.type !== type) throw new Error(`expected ${type}, got ${raw}`);
    return message as Extract<LineServerMessage, { type: T }>;
  }

  /** The next message of `type`; presence changes on the way are skipped, anything else fails. */
  async skipPresence<T extends LineServerMessage['type']>(type: T): Promise<Extract<LineServerMessage, { type: T }>> {
    for (;;) {
      const message = await this.next();
      if (message.type === type) return message as Extract<LineServerMessage, { type: T }>;
      if (message.type !== 'presence') throw new Error(`expected ${type}, got ${JSON.stringify(message)}`);
    }
  }

  async call(): Promise<CallView> {
    return (await this.skipPresence('call')).call;
  }

  async error(): Promise<string> {
    return (await this.skipPresence('error')).code;
  }

  /** Everything received so far, without waiting. */
  drain(): string[] {
    return this.#inbox.splice(0);
  }

  /** Nothing else has arrived: a PING comes back as the very next frame. */
  async expectNothingMore(): Promise<void> {
    this.send('ping');
    const raw = await this.nextRaw();
    if (raw !== 'pong') throw new Error(`expected nothing more, got ${raw}`);
  }
}

/** Opens a line through the Worker, with the user's cookie; answers its first `presence`. */
export async function openLine(cookie: string): Promise<{ line: LineSocket; presence: LineServerMessage }> {
  const response = await exports.default.fetch(new URL(USER_LINE_PATH, 'http://localhost'), {
    headers: { upgrade: 'websocket', cookie },
  });
  if (!response.webSocket) throw new Error(`no upgrade: ${response.status} ${await response.text()}`);
  const line = new LineSocket(response.webSocket);
  return { line, presence: await line.next('presence') };
}

/** Opens a line straight into the user's Durable Object, as the Worker would (a made-up user gets a session). */
export async function openLineDirectly(user: { id: string; username: string }): Promise<LineSocket> {
  const response = await connectToLine(env, { user, sessionId: await sessionOf(user) });
  if (!response.webSocket) throw new Error(`no upgrade: ${response.status}`);
  return new LineSocket(response.webSocket);
}

/** Makes two users mutual contacts, as accepting a request would. */
export async function makeContacts(a: string, b: string): Promise<void> {
  await usingDatabase(env, (db) =>
    db.insert(contacts).values([
      { userId: a, contactId: b },
      { userId: b, contactId: a },
    ]),
  );
}
