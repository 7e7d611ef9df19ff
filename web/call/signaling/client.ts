/**
 * The signaling client: one WebSocket to the room (`GET /api/rooms/:id/ws`, protocol/signaling.ts).
 *
 * The lobby may open the socket early (`preconnect`; a link opened cold even before the page,
 * room-socket.ts): the room counts a socket in the call only once it sends `join`, so the click on
 * "Join call" costs one message instead of a connection (TCP, TLS, the Worker's session and room
 * checks). `connect` takes a seat on that socket, or on a new one.
 *
 * It sends `join` as soon as the socket is open and a seat is wanted, keeps the socket alive with the
 * bare PING text every PING_INTERVAL_MS (the room answers PONG without waking up), validates every
 * incoming frame against the protocol schema (anything else is logged and dropped), and turns the
 * room's close codes into reasons the engine can act on (room full, replaced by another tab, …).
 *
 * It knows nothing about WebRTC. When the line drops (a close code worth retrying, or no PONG for
 * SILENCE_LIMIT_MS: a dead network can leave a socket "open" for minutes) it reconnects by itself
 * with backoff (reconnect.ts) and joins again with `resume`, the peer id the room gave it, so the
 * other side keeps its peer connection (protocol/signaling.ts, Recovery). Meanwhile the peer
 * connection keeps running; the engine only hears `close` and, once back, `open`.
 */
import {
  type ClientMessage,
  CloseCode,
  type JoinOffer,
  type MediaState,
  PING,
  PING_INTERVAL_MS,
  PONG,
  PROTOCOL_VERSION,
  parseMessage,
  type ServerMessage,
  ServerMessageSchema,
} from '../../../protocol/signaling.ts';
import { Emitter } from '../emitter.ts';
import type { Log } from '../log.ts';
import { type CloseReason, closeReason, shouldReconnect } from './close-reason.ts';
import { Reconnector } from './reconnect.ts';
import { takeEarly } from './room-socket.ts';

export interface SignalingEvents {
  open: undefined;
  message: ServerMessage;
  /** A retry follows by itself when `shouldReconnect(reason)` (reconnect.ts). */
  close: { code: number; reason: CloseReason };
}

/** What the engine sends; `join` is sent by the client itself when the socket opens. */
export type OutgoingMessage = Exclude<ClientMessage, { type: 'join' }>;

export type SocketLike = Pick<WebSocket, 'addEventListener' | 'send' | 'close' | 'readyState'>;

/** WebSocket.OPEN, spelled out so the module also loads where WebSocket is not global (unit tests). */
const OPEN = 1;
/** Nothing heard (not even a PONG) for this long: the line is dead even if the socket looks open. */
export const SILENCE_LIMIT_MS = PING_INTERVAL_MS * 1.5;
/** The close code we report for a silent line: 1006 is what a browser reports for a dropped one. */
const SILENT_CLOSE = 1006;

export class SignalingClient {
  readonly #events = new Emitter<SignalingEvents>();
  readonly #reconnector = new Reconnector(() => this.#open());
  #socket: SocketLike | undefined;
  #ping: ReturnType<typeof setInterval> | undefined;
  /** What to join with, from `connect` until `close`: every reconnect joins again with it. */
  #joinWith: { media: () => MediaState; offer: () => JoinOffer | undefined } | undefined;
  /** What to stand by with (protocol/signaling.ts, Standby), from `standBy` until `connect`. */
  #standbyWith: { offer: () => JoinOffer | undefined } | undefined;
  /** `join` has gone out on the current socket: other messages may follow it. */
  #joinSent = false;
  /** `standby` has gone out on the current socket (and no `join` yet): signals may follow it. */
  #standbySent = false;
  /** The peer id of our last welcome: sent as `resume` when we join again. */
  #peerId: string | undefined;
  #lastHeard = 0;

  constructor(
    private readonly url: string,
    private readonly log: Log,
    private readonly openSocket: (url: string) => SocketLike = (url) => takeEarly(url) ?? new WebSocket(url),
  ) {}

  readonly on = this.#events.on.bind(this.#events);

  get isOpen(): boolean {
    return this.#socket?.readyState === OPEN;
  }

  /** Opens a socket without taking a seat (the lobby); `connect` joins on it later. */
  preconnect(): void {
    if (!this.#socket) this.#open();
  }

  /**
   * Stands by on the socket (opening one if needed): a rung call's callee, before Accept. Every
   * reconnect stands by again, until `connect` takes the seat on the same socket.
   */
  standBy(offer: () => JoinOffer | undefined): void {
    this.#standbyWith = { offer };
    if (!this.#socket) this.#open();
    else if (this.isOpen && !this.#joinSent) this.#sendStandby();
  }

  /**
   * Takes a seat: on the socket `preconnect` opened if it is still there, else on a new one.
   * `media` and a first `offer` to send with `join` are read as it leaves, so they are never stale.
   */
  connect(media: () => MediaState, offer: () => JoinOffer | undefined = () => undefined): void {
    // A retry of the lobby's socket still pending would replace the one this join goes out on.
    this.#reconnector.stop();
    this.#reconnector.reset();
    this.#joinWith = { media, offer };
    this.#standbyWith = undefined;
    // A socket that has joined already is left for a new one (its seat is taken over).
    if (!this.#socket || this.#joinSent) this.#open();
    else if (this.isOpen) this.#sendJoin();
  }

  #open(): void {
    const replaced = this.#socket;
    this.#detach();
    // No code: 1000 would tell the room we left (protocol/signaling.ts, CloseCode.Normal).
    replaced?.close();
    const socket = this.openSocket(this.url);
    this.#socket = socket;
    const opened = () => {
      if (this.#socket !== socket) return;
      this.log('socket open');
      this.#lastHeard = Date.now();
      this.#ping = setInterval(() => this.#keepAlive(socket), PING_INTERVAL_MS);
      // A socket taken open may have joined already, before this ran.
      if (this.#joinWith && !this.#joinSent) this.#sendJoin();
      else if (this.#standbyWith && !this.#standbySent) this.#sendStandby();
      this.#events.emit('open', undefined);
    };
    // A socket opened early (room-socket.ts) may be open already: its open event has gone.
    if (socket.readyState === OPEN) queueMicrotask(opened);
    else socket.addEventListener('open', opened);
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      if (event.data === PONG) return;
      const message = typeof event.data === 'string' ? parseMessage(ServerMessageSchema, event.data) : undefined;
      if (!message) {
        this.log('dropped a frame that is not a valid message', event.data);
        return;
      }
      if (message.type === 'welcome') this.#seated(message.peerId);
      this.#events.emit('message', message);
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket === socket) this.#dropped(event.code);
    });
  }

  /** Joins on the open socket: a rejoin resumes our peer id; only a first join carries an offer. */
  #sendJoin(): void {
    const join = this.#joinWith;
    if (!this.#socket || !join) return;
    const base: ClientMessage = { type: 'join', version: PROTOCOL_VERSION, media: join.media() };
    const offer = this.#peerId ? undefined : join.offer();
    this.log(this.#peerId ? `rejoining as ${this.#peerId}` : offer ? 'joining, with an offer' : 'joining');
    const message: ClientMessage = this.#peerId
      ? { ...base, resume: this.#peerId }
      : { ...base, ...(offer && { offer }) };
    this.#socket.send(JSON.stringify(message));
    this.#joinSent = true;
    this.#standbySent = false;
  }

  #sendStandby(): void {
    const offer = this.#standbyWith?.offer();
    this.log(offer ? 'standing by, with an offer' : 'standing by');
    const message: ClientMessage = { type: 'standby', version: PROTOCOL_VERSION, ...(offer && { offer }) };
    this.#socket?.send(JSON.stringify(message));
    this.#standbySent = true;
  }

  /** Sends a message if the socket is open and has joined (a signal: or stands by); returns whether it was sent. */
  send(message: OutgoingMessage): boolean {
    const admitted = this.#joinSent || (this.#standbySent && message.type === 'signal');
    if (!this.#socket || !this.isOpen || !admitted) return false;
    this.#socket.send(JSON.stringify(message satisfies ClientMessage));
    return true;
  }

  /** Closes the socket on purpose: no `close` event follows, and no reconnect. */
  close(): void {
    const socket = this.#socket;
    this.#reconnector.stop();
    this.#detach();
    this.#joinWith = undefined;
    socket?.close(CloseCode.Normal);
  }

  #keepAlive(socket: SocketLike): void {
    if (Date.now() - this.#lastHeard <= SILENCE_LIMIT_MS) {
      socket.send(PING);
      return;
    }
    this.log('no answer from the room: the line is dead');
    this.#dropped(SILENT_CLOSE);
    socket.close();
  }

  #seated(peerId: string): void {
    this.#peerId = peerId;
    this.#reconnector.reset();
  }

  /** The socket closed without us asking: reconnect unless the room said stop. */
  #dropped(code: number): void {
    this.#detach();
    const reason = closeReason(code);
    const retry = shouldReconnect(reason) ? `, reconnecting in ${this.#reconnector.schedule()} ms` : '';
    this.log(`socket closed: ${code} (${reason})${retry}`);
    this.#events.emit('close', { code, reason });
  }

  #detach(): void {
    clearInterval(this.#ping);
    this.#ping = undefined;
    this.#socket = undefined;
    this.#joinSent = false;
    this.#standbySent = false;
  }
}
