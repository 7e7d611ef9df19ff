/**
 * # The call room
 *
 * Two people who share a room link meet here to exchange what their browsers need to connect to
 * each other directly: session descriptions (offers and answers), ICE candidates and who has
 * their microphone, camera or screen on. The media itself never passes through us.
 *
 * Each room is one Durable Object of this class, addressed by `ROOMS.idFromName(roomId)`. The
 * stateless Worker in front (routes.ts) checks the session cookie, that the room exists and that
 * the request is a WebSocket upgrade, then hands the socket over with the verified user
 * (handoff.ts). The room never reads identity from anything the browser sends.
 *
 * ## State, and sleeping
 * The room uses the WebSocket Hibernation API, so an idle call costs nothing: between messages
 * the object may be evicted from memory while its sockets stay connected. Nothing that matters
 * lives in instance fields. Each socket carries its own state in its attachment (connection.ts:
 * user, peer id, seat, media state, last message, rate-limit bucket), and the room's state is
 * rebuilt from `ctx.getWebSockets()` whenever it is needed. The only thing in storage is what
 * must outlive a socket: the seats of people who dropped without saying bye (absences.ts).
 * Pings are answered by the runtime itself (`setWebSocketAutoResponse`), without waking the
 * room, and their times are read back with `getWebSocketAutoResponseTimestamp`. There is no
 * timer and no alarm: the room only ever acts because a message or a close arrived.
 *
 * ## Seats
 * Two seats (ROOM_CAPACITY). A socket takes one by sending `join`; a third person gets
 * `room-full` and close code 4001. The same person connecting again (reload, second tab,
 * reconnect) takes over their own seat: the old socket is closed with 4002, and the other peer
 * hears `peer-left` (gone) for the old peer id then `peer-joined` for the new one (the same one
 * when the client resumed it after a drop: see Recovery in the protocol). A seat is held
 * by a live socket, or, for someone who dropped without `bye`, by their absence record, until
 * LIVENESS_WINDOW_MS after their last sign of life (a message or a PING). A socket that is
 * closing, or silent past that window, never holds a seat: when someone joins, the room closes it
 * with 4004 and tells the other peer it is gone. Only a join looks, because only a newcomer needs
 * the seat: a relay still goes to a quiet socket, which costs nothing if it is dead and is right if
 * it is merely slow (in an overloaded runtime, PINGs can wait behind a backlog of messages).
 *
 * ## Messages
 * Every frame is checked before anything else: over MAX_MESSAGE_BYTES closes with 1009; over the
 * rate (a token bucket of MAX_MESSAGE_BURST refilled at MAX_MESSAGES_PER_SECOND) closes with
 * 4008; then it is parsed against the protocol schema (protocol/signaling.ts). An invalid message
 * is answered with an `error`, and one more than MAX_STRIKES closes the socket with 1008. None
 * of this is ever visible to the other peer beyond a `peer-left` if the culprit held a seat.
 * `signal` and `media` go to the other seated peer only, rebuilt from the parsed fields (the
 * schemas are strict, so nothing unexpected survives parsing). `media` is also remembered, so a
 * late joiner finds it in `welcome`. `bye` frees the seat at once and closes with 1000.
 *
 * ## An offer before the other peer is here
 * It is not queued (as apprtc's collider does): a `signal` sent while alone gets `no_peer` and is
 * dropped. Clients start negotiating only once both are seated (`welcome` with a peer, or
 * `peer-joined`), and perfect negotiation then needs no replay of anything stale; a reconnecting
 * peer, in particular, never receives an offer made to its previous connection. The one exception
 * is decided here, in one step: an offer sent with `join` goes to the peer seated at that moment,
 * right after its `peer-joined`, or nowhere.
 *
 * ## Close codes
 * 1000 bye · 1008 repeated invalid messages · 1009 message too big · 4001 room full ·
 * 4002 replaced by the same user's newer connection · 4003 unsupported protocol version ·
 * 4004 silent past the liveness window · 4008 too many messages. (CloseCode in the protocol.)
 */
import { DurableObject } from 'cloudflare:workers';
import type * as v from 'valibot';
import {
  type ClientMessage,
  ClientMessageSchema,
  CloseCode,
  type ErrorCode,
  isPolite,
  type MediaState,
  PING,
  PONG,
  PROTOCOL_VERSION,
  parseMessage,
  ROOM_CAPACITY,
  type ServerMessage,
} from '../../protocol/signaling.ts';
import type { Env } from '../env.ts';
import { Absences } from './absences.ts';
import {
  type Connection,
  Connections,
  describePeer,
  isLive,
  type Member,
  newConnection,
  spendToken,
} from './connection.ts';
import { readHandoff } from './handoff.ts';
import { closeQuietly, isTooBig, log, send } from './wire.ts';

/** Invalid messages a socket may send before it is closed: a correct client sends none. */
const MAX_STRIKES = 100;

type ErrorCodeValue = v.InferOutput<typeof ErrorCode>;
type JoinMessage = Extract<ClientMessage, { type: 'join' }>;

export class CallRoom extends DurableObject<Env> {
  readonly #connections: Connections;
  readonly #absences: Absences;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#connections = new Connections(ctx);
    this.#absences = new Absences(ctx.storage.kv);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    const handoff = readHandoff(request);
    if (!handoff) return new Response('Rooms are entered through the Worker.', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.#connections.save(server, newConnection(handoff, Date.now()));
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Who is in the call now (live, joined sockets): the lobby shows it before the user joins. Only
   * looks: a silent member loses their seat to a join, never to someone reading the lobby.
   */
  async present(): Promise<{ username: string; media: MediaState }[]> {
    return this.#live(this.#members(), Date.now()).map(({ conn }) => ({ username: conn.username, media: conn.media }));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Frames still in flight from a socket the room has closed are not its business any more.
    if (ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    const parsed = this.#admit(ws, message, now);
    if (parsed) this.#handle(ws, this.#connections.get(ws), parsed, now);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // A client closes with 1000 only to leave (see CloseCode.Normal): a bye, even if the bye
    // message itself was overtaken by the close on its way here.
    this.#leave(ws, code === CloseCode.Normal ? 'bye' : 'gone', Date.now());
    // Before compatibility date 2026-04-07 the runtime does not answer a close frame by itself.
    // 1005, 1006 and 1015 mean that no close frame arrived: there is nothing to answer.
    if (code !== 1005 && code !== 1006 && code !== 1015) closeQuietly(ws, CloseCode.Normal, 'closed');
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#leave(ws, 'gone', Date.now());
  }

  /** The limits, in order: size, rate, then the schema. Undefined when the frame goes no further. */
  #admit(ws: WebSocket, message: string | ArrayBuffer, now: number): ClientMessage | undefined {
    const conn = this.#connections.get(ws);
    const allowed = spendToken(conn, now);
    conn.lastMessageAt = now;
    this.#connections.save(ws, conn);
    if (isTooBig(message)) this.#refuse(ws, CloseCode.MessageTooBig, 'message too big', now);
    else if (!allowed) this.#refuse(ws, CloseCode.RateLimited, 'too many messages', now);
    else {
      const parsed = typeof message === 'string' ? parseMessage(ClientMessageSchema, message) : undefined;
      if (!parsed) this.#reject(ws, 'bad_message', 'That is not a valid protocol message.', now);
      return parsed;
    }
    return undefined;
  }

  #handle(ws: WebSocket, conn: Connection, message: ClientMessage, now: number): void {
    if ((message.type === 'signal' || message.type === 'media') && !conn.joined) {
      this.#reject(ws, 'not_joined', 'Join the room first.', now);
      return;
    }
    switch (message.type) {
      case 'join':
        this.#join(ws, conn, message, now);
        break;
      case 'signal': {
        // Rebuilt from the parsed fields; the schemas are strict, so nothing else survived parsing.
        const relayed = this.#toPeer(ws, { type: 'signal', from: conn.peerId, signal: message.signal });
        if (!relayed) send(ws, { type: 'error', code: 'no_peer', message: 'Nobody else is in the room yet.' });
        break;
      }
      case 'media':
        conn.media = message.media;
        this.#connections.save(ws, conn);
        this.#toPeer(ws, { type: 'media', from: conn.peerId, media: message.media });
        break;
      case 'bye':
        this.#leave(ws, 'bye', now);
        closeQuietly(ws, CloseCode.Normal, 'bye');
        break;
      default:
        message satisfies never;
    }
  }

  #join(ws: WebSocket, conn: Connection, join: JoinMessage, now: number): void {
    const { version, media, offer } = join;
    if (conn.joined) {
      this.#reject(ws, 'already_joined', 'This connection has already joined.', now);
      return;
    }
    if (version !== PROTOCOL_VERSION) {
      closeQuietly(ws, CloseCode.UnsupportedVersion, `this room speaks protocol ${PROTOCOL_VERSION}`);
      return;
    }
    const members = this.#liveMembers(now);
    const ghosts = members.filter((m) => m.conn.userId === conn.userId);
    const peers = members.filter((m) => m.conn.userId !== conn.userId);
    const away = this.#absences.holders(now).filter((userId) => userId !== conn.userId);
    const seatsTaken = new Set([...peers.map((p) => p.conn.userId), ...away]).size;
    if (seatsTaken >= ROOM_CAPACITY) {
      log('room_full', conn);
      send(ws, { type: 'room-full' });
      closeQuietly(ws, CloseCode.RoomFull, 'room full');
      return;
    }
    for (const ghost of ghosts) {
      this.#leave(ghost.ws, 'gone', now, peers);
      closeQuietly(ghost.ws, CloseCode.Replaced, 'replaced by a newer connection');
    }
    this.#absences.forget(conn.userId);
    if (join.resume && this.#canResume(join.resume, conn.userId)) conn.peerId = join.resume;
    conn.joined = true;
    conn.media = media;
    this.#connections.save(ws, conn);
    const peer = peers[0];
    send(ws, {
      type: 'welcome',
      version: PROTOCOL_VERSION,
      peerId: conn.peerId,
      peer: peer ? describePeer(peer.conn) : null,
      polite: peer ? isPolite(conn.userId, peer.conn.userId) : false,
    });
    for (const p of peers) {
      send(p.ws, { type: 'peer-joined', peer: describePeer(conn), polite: isPolite(p.conn.userId, conn.userId) });
      // The newcomer's first offer, sent with its join: to the peer now, or to nobody when alone.
      if (offer) send(p.ws, { type: 'signal', from: conn.peerId, signal: { kind: 'description', description: offer } });
    }
  }

  /**
   * A reconnecting client gets its peer id back (protocol: Recovery), so the other side keeps its
   * RTCPeerConnection; unless another user's socket in the room holds that id, joined or not.
   */
  #canResume(peerId: string, userId: string): boolean {
    const open = this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
    return open.map((ws) => this.#connections.get(ws)).every((c) => c.userId === userId || c.peerId !== peerId);
  }

  /** The sockets that have joined and are not closing. */
  #members(): Member[] {
    const members: Member[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const conn = this.#connections.get(ws);
      if (conn.joined) members.push({ ws, conn });
    }
    return members;
  }

  /** The members, once those silent past the liveness window have lost their seats (see Seats). */
  #liveMembers(now: number): Member[] {
    const members = this.#members();
    const live = this.#live(members, now);
    for (const { ws } of members.filter((m) => !live.includes(m))) {
      this.#leave(ws, 'gone', now, live);
      closeQuietly(ws, CloseCode.Stale, 'silent for too long');
    }
    return live;
  }

  #live(members: Member[], now: number): Member[] {
    return members.filter((m) => isLive(this.#connections.lastSignOfLife(m.ws), now));
  }

  /** Sends to the other member, if there is one; whether there was. */
  #toPeer(ws: WebSocket, message: ServerMessage): boolean {
    const peer = this.#members().find((m) => m.ws !== ws);
    if (peer) send(peer.ws, message);
    return peer !== undefined;
  }

  /**
   * The socket gives up its seat, if it held one, and `audience` hears it. Without a bye the
   * user's seat waits for them (absences.ts); with one it is free at once.
   */
  #leave(ws: WebSocket, reason: 'bye' | 'gone', now: number, audience?: Member[]): void {
    const conn = this.#connections.get(ws);
    if (!conn.joined) return;
    conn.joined = false;
    this.#connections.save(ws, conn);
    for (const member of audience ?? this.#members()) {
      if (member.ws !== ws) send(member.ws, { type: 'peer-left', peerId: conn.peerId, reason });
    }
    if (reason === 'bye') this.#absences.forget(conn.userId);
    else this.#absences.record(conn.userId, this.#connections.lastSignOfLife(ws), now);
  }

  /** Answers an invalid message with an error; a socket that keeps sending them is cut off. */
  #reject(ws: WebSocket, code: ErrorCodeValue, message: string, now: number): void {
    const conn = this.#connections.get(ws);
    conn.strikes += 1;
    this.#connections.save(ws, conn);
    if (conn.strikes > MAX_STRIKES) this.#refuse(ws, CloseCode.PolicyViolation, 'too many invalid messages', now);
    else send(ws, { type: 'error', code, message });
  }

  /** Closes a socket that broke a limit; if it held a seat, that counts as a drop, not a bye. */
  #refuse(ws: WebSocket, code: number, reason: string, now: number): void {
    log('socket_refused', this.#connections.get(ws), { code, reason });
    this.#leave(ws, 'gone', now);
    closeQuietly(ws, code, reason);
  }
}
