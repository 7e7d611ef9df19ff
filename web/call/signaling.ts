/**
 * The signaling client: one WebSocket to the room (`GET /api/rooms/:id/ws`, protocol/signaling.ts).
 *
 * The lobby may open the socket early (`preconnect`): the room counts a socket in the call only once
 * it sends `join`, so the click on "Join call" costs one message instead of a connection (TCP, TLS,
 * the Worker's session and room checks). `connect` takes a seat on that socket, or on a new one.
 *
 * It sends `join` as soon as the socket is open and a seat is wanted, keeps the socket alive with the
 * bare PING text every PING_INTERVAL_MS (the room answers PONG without waking up), validates every
 * incoming frame against the protocol schema (anything else is logged and dropped), and turns the
 * room's close codes into reasons the engine can act on (room full, replaced by another tab, …).
 *
 * It knows nothing about WebRTC, and `connect()` may be called again after a close: reconnecting
 * is a matter of opening a new socket while the peer connection keeps running.
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
} from '../../protocol/signaling.ts';
import type { Log } from './config.ts';
import { Emitter } from './emitter.ts';

export type CloseReason =
  | 'normal'
  | 'room-full'
  | 'replaced'
  | 'unsupported-version'
  | 'rate-limited'
  | 'refused'
  | 'lost';

export function closeReason(code: number): CloseReason {
  switch (code) {
    case CloseCode.Normal:
      return 'normal';
    case CloseCode.RoomFull:
      return 'room-full';
    case CloseCode.Replaced:
      return 'replaced';
    case CloseCode.UnsupportedVersion:
      return 'unsupported-version';
    case CloseCode.RateLimited:
      return 'rate-limited';
    case CloseCode.PolicyViolation:
    case CloseCode.MessageTooBig:
      return 'refused';
    default:
      // 1006 (no close frame), 1001 (server going away) and anything unknown: the line dropped.
      return 'lost';
  }
}

/** `GET /api/rooms/:id/ws` on the page's own origin, ws: or wss: to match. */
export function roomSocketUrl(origin: string, roomId: string): string {
  const url = new URL(`/api/rooms/${encodeURIComponent(roomId)}/ws`, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export interface SignalingEvents {
  open: undefined;
  message: ServerMessage;
  close: { code: number; reason: CloseReason };
}

/** What the engine sends; `join` is sent by the client itself when the socket opens. */
export type OutgoingMessage = Exclude<ClientMessage, { type: 'join' }>;

export type SocketLike = Pick<WebSocket, 'addEventListener' | 'send' | 'close' | 'readyState'>;

/** WebSocket.OPEN, spelled out so the module also loads where WebSocket is not global (unit tests). */
const OPEN = 1;

export class SignalingClient {
  readonly #events = new Emitter<SignalingEvents>();
  #socket: SocketLike | undefined;
  #ping: ReturnType<typeof setInterval> | undefined;
  /** What to join with, once a seat is wanted on the current socket. */
  #joinWith: { media: () => MediaState; offer: () => JoinOffer | undefined } | undefined;
  /** `join` has gone out on the current socket: other messages may follow it. */
  #joinSent = false;

  constructor(
    private readonly url: string,
    private readonly log: Log,
    private readonly openSocket: (url: string) => SocketLike = (url) => new WebSocket(url),
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
   * Takes a seat: on the socket `preconnect` opened if it is still there, else on a new one.
   * `media` and a first `offer` to send with `join` are read as it leaves, so they are never stale.
   */
  connect(media: () => MediaState, offer: () => JoinOffer | undefined = () => undefined): void {
    if (!this.#socket || this.#joinWith) {
      this.#detach();
      this.#open();
    }
    this.#joinWith = { media, offer };
    if (this.isOpen) this.#sendJoin();
  }

  #open(): void {
    const socket = this.openSocket(this.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.log('socket open');
      this.#ping = setInterval(() => socket.send(PING), PING_INTERVAL_MS);
      if (this.#joinWith) this.#sendJoin();
      this.#events.emit('open', undefined);
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket || event.data === PONG) return;
      const message = typeof event.data === 'string' ? parseMessage(ServerMessageSchema, event.data) : undefined;
      if (!message) {
        this.log('dropped a frame that is not a valid message', event.data);
        return;
      }
      this.#events.emit('message', message);
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket) return;
      this.#detach();
      const reason = closeReason(event.code);
      this.log(`socket closed: ${event.code} (${reason})`);
      this.#events.emit('close', { code: event.code, reason });
    });
  }

  #sendJoin(): void {
    const join = this.#joinWith;
    if (!this.#socket || !join) return;
    const offer = join.offer();
    this.log(offer ? 'joining, with an offer' : 'joining');
    const message: ClientMessage = {
      type: 'join',
      version: PROTOCOL_VERSION,
      media: join.media(),
      ...(offer && { offer }),
    };
    this.#socket.send(JSON.stringify(message));
    this.#joinSent = true;
  }

  /** Sends a message if the socket is open and has joined; returns whether it was sent. */
  send(message: OutgoingMessage): boolean {
    if (!this.#socket || !this.isOpen || !this.#joinSent) return false;
    this.#socket.send(JSON.stringify(message satisfies ClientMessage));
    return true;
  }

  /** Closes the socket on purpose: no `close` event follows. */
  close(): void {
    const socket = this.#socket;
    this.#detach();
    socket?.close(CloseCode.Normal);
  }

  #detach(): void {
    clearInterval(this.#ping);
    this.#ping = undefined;
    this.#socket = undefined;
    this.#joinWith = undefined;
    this.#joinSent = false;
  }
}
