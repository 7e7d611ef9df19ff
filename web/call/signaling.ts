/**
 * The signaling client: one WebSocket to the room (`GET /api/rooms/:id/ws`, protocol/signaling.ts).
 *
 * It takes a seat by sending `join` as soon as the socket opens, keeps the socket alive with the
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
import { Reconnector, shouldReconnect } from './reconnect.ts';

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
  #media: () => MediaState = () => ({ mic: false, camera: false, screen: false });
  /** The peer id of our last welcome: sent as `resume` when we join again. */
  #peerId: string | undefined;
  #lastHeard = 0;

  constructor(
    private readonly url: string,
    private readonly log: Log,
    private readonly openSocket: (url: string) => SocketLike = (url) => new WebSocket(url),
  ) {}

  readonly on = this.#events.on.bind(this.#events);

  get isOpen(): boolean {
    return this.#socket?.readyState === OPEN;
  }

  /** Opens a socket and joins; `media` is read when the socket opens, so it is never stale. */
  connect(media: () => MediaState): void {
    this.#media = media;
    this.#open();
  }

  #open(): void {
    this.#detach();
    const socket = this.openSocket(this.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.log(this.#peerId ? `socket open, rejoining as ${this.#peerId}` : 'socket open, joining');
      const join: ClientMessage = { type: 'join', version: PROTOCOL_VERSION, media: this.#media() };
      socket.send(JSON.stringify(this.#peerId ? { ...join, resume: this.#peerId } : join));
      this.#lastHeard = Date.now();
      this.#ping = setInterval(() => this.#keepAlive(socket), PING_INTERVAL_MS);
      this.#events.emit('open', undefined);
    });
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

  /** Sends a message if the socket is open; returns whether it was sent. */
  send(message: OutgoingMessage): boolean {
    if (!this.#socket || !this.isOpen) return false;
    this.#socket.send(JSON.stringify(message satisfies ClientMessage));
    return true;
  }

  /** Closes the socket on purpose: no `close` event follows, and no reconnect. */
  close(): void {
    const socket = this.#socket;
    this.#reconnector.stop();
    this.#detach();
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
  }
}
