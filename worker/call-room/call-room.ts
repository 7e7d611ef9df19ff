/**
 * # The call room: the server side of protocol/signaling.ts
 *
 * Two people who share a room link meet here to exchange what their browsers need to connect to
 * each other directly: session descriptions, ICE candidates and who has their microphone, camera
 * or screen on. The media itself never passes through us. The rules (messages, seats, recovery,
 * sessions, limits, close codes) are written once, in protocol/signaling.ts; this file and its
 * parts say how the room keeps them.
 *
 * Each room is one Durable Object of this class, addressed by `ROOMS.idFromName(roomId)`. The
 * stateless Worker in front (worker/rooms/routes.ts) checks the session cookie, that the room
 * exists and that the request is a WebSocket upgrade, then hands the socket over with the verified
 * user and session (handoff.ts). The room never reads identity from anything the browser sends.
 * The Worker also calls `present` and `hasSocket` (rpc.ts). Each user's line hears when they take
 * or leave a seat (seat-notices.ts), for their presence.
 *
 * ## State, and sleeping
 * The room uses the WebSocket Hibernation API, so an idle call costs nothing: between messages
 * the object may be evicted from memory while its sockets stay connected. Nothing that matters
 * lives only in instance fields. Each socket carries its own state in its attachment (connection.ts:
 * user, session, peer id, seat, media state, when it opened, last message, rate-limit bucket), and
 * the room's state is rebuilt from `ctx.getWebSockets()` whenever it is needed (each attachment is
 * deserialised once and then kept in memory, connection.ts). A seat or media change is written at
 * once; what every message changes (last message, bucket) within SAVE_SOON_MS, by the room's one
 * timer, which keeps it from hibernating until then. Storage holds what
 * must outlive a socket: the seats of people who dropped without saying bye (absences.ts), and
 * when the sessions were last checked (sweeps.ts; kept in memory too). PINGs are answered by the
 * runtime itself (`setWebSocketAutoResponse`), without waking the room, and their times are read
 * back with `getWebSocketAutoResponseTimestamp`. One alarm, armed while any socket is
 * open, wakes the room every SESSION_CHECK_INTERVAL_MS for the sweep (sweeps.ts: ended sessions,
 * lobby timeouts). Events are handled one at a time in arrival order (serial.ts), since checking a
 * session awaits the database (the alarm's sweep awaits it outside the queue, and only its closes
 * are queued); a relay awaits nothing, so it runs at once unless an event before it still awaits.
 * While the last sweep is older than the interval (a late alarm), nothing is relayed
 * before another sweep.
 *
 * ## Each frame
 * Admitted by its size, rate and schema, invalid ones counted against MAX_STRIKES (admission.ts).
 * `signal` and `media` are rebuilt from the parsed
 * fields (the schemas are strict, so nothing unexpected survives parsing) and go to the other
 * seated socket only (seats.ts). A join that took a seat is recorded as a visit (the user's recent
 * rooms, worker/rooms/store.ts), after the welcome. Two people seated together are in a call of
 * the history (link-calls.ts).
 *
 * ## Seats
 * Held by live sockets, and by absence records for those who dropped (absences.ts). Only a join
 * looks for sockets silent past the liveness window (and closes them), because only a newcomer
 * needs the seat: a relay still goes to a quiet socket, which costs nothing if it is dead and is
 * right if it is merely slow (in an overloaded runtime, PINGs can wait behind a backlog of messages).
 */
import { DurableObject } from 'cloudflare:workers';
import {
  type ClientMessage,
  ClientMessageSchema,
  CloseCode,
  type ErrorCode,
  MAX_MESSAGE_BURST,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGES_PER_SECOND,
  MAX_SOCKETS_PER_ROOM,
  MAX_SOCKETS_PER_USER,
  type MediaState,
  PING,
  PONG,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../../protocol/signaling.ts';
import { openDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { errorFacts } from '../http/errors.ts';
import { recordVisit } from '../rooms/store.ts';
import { Absences } from './absences.ts';
import { Admission } from './admission.ts';
import { type Connection, Connections, newConnection } from './connection.ts';
import { type Handoff, readHandoff } from './handoff.ts';
import { LinkCalls } from './link-calls.ts';
import type { CallRoomRpc } from './rpc.ts';
import { SeatNotices } from './seat-notices.ts';
import { Seats } from './seats.ts';
import { Serial } from './serial.ts';
import { Standbys } from './standbys.ts';
import { type Expired, Sweeps } from './sweeps.ts';
import { closeQuietly, log, send } from './wire.ts';

/** Invalid messages a socket may send before it is closed: a correct client sends none. */
const MAX_STRIKES = 100;

type JoinMessage = Extract<ClientMessage, { type: 'join' }>;
/** What goes on to the other seat. */
type RelayedMessage = Extract<ClientMessage, { type: 'signal' | 'media' }>;

export class CallRoom extends DurableObject<Env> implements CallRoomRpc {
  readonly #connections: Connections;
  readonly #seats: Seats;
  readonly #standbys: Standbys;
  readonly #sweeps: Sweeps;
  readonly #serial = new Serial();
  readonly #admission: Admission<Connection, typeof ClientMessageSchema, ErrorCode>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#connections = new Connections(ctx);
    const notices = new SeatNotices(ctx, env, (userId) => this.#seats.members().some((m) => m.conn.userId === userId));
    this.#standbys = new Standbys(this.#connections, () => this.#seats.members());
    this.#seats = new Seats(this.#connections, new Absences(ctx.storage.kv), [
      new LinkCalls(ctx, env),
      notices,
      this.#standbys,
    ]);
    this.#sweeps = new Sweeps(ctx, env, this.#connections);
    this.#admission = new Admission(this.#connections, {
      schema: ClientMessageSchema,
      maxBytes: MAX_MESSAGE_BYTES,
      perSecond: MAX_MESSAGES_PER_SECOND,
      burst: MAX_MESSAGE_BURST,
      maxStrikes: MAX_STRIKES,
      invalidText: 'That is not a valid protocol message.',
      strikesReason: 'too many invalid messages',
      saveFrame: (ws) => this.#connections.saveSoon(ws),
      sendError: (ws, code, message) => send(ws, { type: 'error', code, message }),
      refuse: (ws, code, reason, now) => this.#refuse(ws, code, reason, now),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    const handoff = readHandoff(request);
    if (!handoff) return new Response('Rooms are entered through the Worker.', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    const overLimit = this.#overSocketLimit(handoff);
    if (overLimit) {
      // Accepted only to be closed with a code the client understands; the room never hears of it.
      server.accept();
      console.log(
        JSON.stringify({ event: 'socket_refused', roomId: handoff.roomId, userId: handoff.user.id, reason: overLimit }),
      );
      closeQuietly(server, CloseCode.TooManySockets, overLimit);
      return new Response(null, { status: 101, webSocket: client });
    }
    const now = Date.now();
    this.ctx.acceptWebSocket(server);
    this.#connections.save(server, newConnection(handoff, now));
    await this.#sweeps.arm(now);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Who is in the call now (live, joined sockets): the lobby shows it before the user joins. Only
   * looks: a silent member loses their seat to a join, never to someone reading the lobby.
   */
  async present(): Promise<{ username: string; media: MediaState }[]> {
    return this.#seats
      .live(this.#seats.members(), Date.now())
      .map(({ conn }) => ({ username: conn.username, media: conn.media }));
  }

  /** Whether the user has an open socket here, in the lobby or seated (TURN credentials need one). */
  async hasSocket(userId: string): Promise<boolean> {
    return this.#connections.open().some((ws) => this.#connections.get(ws).userId === userId);
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void | Promise<void> {
    return this.#serial.runNow(() => {
      // Frames still in flight from a socket the room has closed are not its business any more.
      if (ws.readyState !== WebSocket.OPEN) return;
      const now = Date.now();
      const parsed = this.#admission.admit(ws, message, now);
      if (parsed) return this.#handle(ws, this.#connections.get(ws), parsed, now);
    });
  }

  override webSocketClose(ws: WebSocket, code: number): void | Promise<void> {
    return this.#serial.runNow(() => {
      // A client closes with 1000 only to leave (see CloseCode.Normal): a bye, even if the bye
      // message itself was overtaken by the close on its way here.
      this.#seats.leave(ws, code === CloseCode.Normal ? 'bye' : 'gone', Date.now());
      this.#standbys.gone(ws);
      // Before compatibility date 2026-04-07 the runtime does not answer a close frame by itself.
      // 1005, 1006 and 1015 mean that no close frame arrived: there is nothing to answer.
      if (code !== 1005 && code !== 1006 && code !== 1015) closeQuietly(ws, CloseCode.Normal, 'closed');
    });
  }

  override webSocketError(ws: WebSocket): void | Promise<void> {
    return this.#serial.runNow(() => {
      this.#seats.leave(ws, 'gone', Date.now());
      this.#standbys.gone(ws);
    });
  }

  /**
   * The sweep (sweeps.ts), every SESSION_CHECK_INTERVAL_MS while any socket is open. Its query runs
   * outside the queue, so the room goes on relaying while the database answers; closing is queued.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    if (!(await this.#sweeps.rearm(now))) return;
    const expired = await this.#sweeps.sweep(now);
    await this.#serial.run(() => this.#close(expired));
  }

  /** Why a new socket of this user would be one too many, or undefined. */
  #overSocketLimit(handoff: Handoff): string | undefined {
    const open = this.#connections.open();
    if (open.length >= MAX_SOCKETS_PER_ROOM) return 'too many sockets in this room';
    const mine = open.filter((ws) => this.#connections.get(ws).userId === handoff.user.id);
    return mine.length >= MAX_SOCKETS_PER_USER ? 'too many sockets of yours in this room' : undefined;
  }

  async #sweep(now: number): Promise<void> {
    this.#close(await this.#sweeps.sweep(now));
  }

  /** Closes what a sweep found, unless it changed meanwhile: closed already, or a lobby that joined. */
  #close(expired: Expired[]): void {
    for (const { ws, code, reason } of expired) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (code === CloseCode.LobbyTimeout && this.#connections.get(ws).joined) continue;
      this.#refuse(ws, code, reason, Date.now());
    }
  }

  /** A promise only when it awaits (a join, a late sweep): a relay holds back no other event (serial.ts). */
  #handle(ws: WebSocket, conn: Connection, message: ClientMessage, now: number): void | Promise<void> {
    if (message.type === 'join') return this.#join(ws, conn, message, now);
    if (message.type === 'bye') {
      this.#seats.leave(ws, 'bye', now);
      closeQuietly(ws, CloseCode.Normal, 'bye');
      return;
    }
    if (message.type === 'standby') {
      const refusal = this.#standbys.stand(ws, conn, message);
      if (refusal) this.#admission.reject(ws, 'standby_refused', refusal, now);
      return;
    }
    if (!conn.joined && !(conn.standby && message.type === 'signal')) {
      this.#admission.reject(ws, 'not_joined', 'Join the room first.', now);
      return;
    }
    // Nothing is relayed on sessions checked longer ago than the interval (sweeps.ts).
    if (this.#sweeps.isDue(now)) return this.#relayAfterSweep(ws, conn, message, now);
    this.#relay(ws, conn, message);
  }

  async #relayAfterSweep(ws: WebSocket, conn: Connection, message: RelayedMessage, now: number): Promise<void> {
    await this.#sweep(now);
    if (ws.readyState === WebSocket.OPEN) this.#relay(ws, conn, message);
  }

  #relay(ws: WebSocket, conn: Connection, message: RelayedMessage): void {
    switch (message.type) {
      case 'signal': {
        // Rebuilt from the parsed fields; the schemas are strict, so nothing else survived parsing.
        const signal: ServerMessage = { type: 'signal', from: conn.peerId, signal: message.signal };
        const relayed = conn.standby
          ? this.#standbys.toCaller(conn, signal)
          : message.to
            ? this.#standbys.toStandby(ws, message.to, signal)
            : this.#seats.toPeer(ws, signal);
        if (!relayed) send(ws, { type: 'error', code: 'no_peer', message: 'Nobody else is in the room yet.' });
        break;
      }
      case 'media':
        conn.media = message.media;
        this.#connections.save(ws, conn);
        this.#seats.toPeer(ws, { type: 'media', from: conn.peerId, media: message.media });
        break;
      default:
        message satisfies never;
    }
  }

  async #join(ws: WebSocket, conn: Connection, join: JoinMessage, now: number): Promise<void> {
    if (conn.joined) {
      this.#admission.reject(ws, 'already_joined', 'This connection has already joined.', now);
      return;
    }
    if (join.version !== PROTOCOL_VERSION) {
      closeQuietly(ws, CloseCode.UnsupportedVersion, `this room speaks protocol ${PROTOCOL_VERSION}`);
      return;
    }
    // One database connection for the session check and, once seated, the visit: opening it is
    // the costliest part of a join (the pool connects on its first query).
    const { db, close } = openDatabase(this.env.DATABASE_URL, this.env.DB_PROXY);
    let visit: Promise<void> = Promise.resolve();
    try {
      if (!(await this.#sweeps.liveAtJoin(ws, conn, db, now))) return;
      if (ws.readyState !== WebSocket.OPEN) return;
      this.#standbys.joining(ws, conn, join.media);
      if (!this.#seats.join(ws, conn, join, Date.now())) return;
      // Once per join, after the welcome: the visit is bookkeeping, never worth a delay.
      visit = recordVisit(db, conn.userId, conn.roomId).catch((error) =>
        log('visit_not_recorded', conn, errorFacts(error)),
      );
    } finally {
      this.ctx.waitUntil(visit.finally(close));
    }
  }

  /** Closes a socket that broke a limit; if it held a seat, that counts as a drop, not a bye. */
  #refuse(ws: WebSocket, code: number, reason: string, now: number): void {
    log('socket_refused', this.#connections.get(ws), { code, reason });
    this.#seats.leave(ws, 'gone', now);
    this.#standbys.gone(ws);
    closeQuietly(ws, code, reason);
  }
}
