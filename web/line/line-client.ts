/**
 * The tab's user line: one WebSocket to the user's own line (`GET USER_LINE_PATH`,
 * protocol/user-line.ts), open on every page while signed in. It keeps the socket alive with the
 * bare PING text, treats a socket that stays silent past SILENCE_LIMIT_MS as dropped (a dead
 * network can leave one "open" for minutes), reconnects with backoff (the same Reconnector as the
 * room socket), validates every frame against the protocol schema (anything else is dropped) and
 * hands the messages on. It knows nothing of what they mean: that is line-state.ts.
 */
import {
  type LineClientMessage,
  LineCloseCode,
  type LineServerMessage,
  LineServerMessageSchema,
  PING,
  PING_INTERVAL_MS,
  PONG,
  parseMessage,
  USER_LINE_PATH,
} from '../../protocol/user-line.ts';
import { Emitter } from '../call/emitter.ts';
import { type NetworkEvents, Reconnector } from '../call/signaling/reconnect.ts';

export type SocketLike = Pick<WebSocket, 'addEventListener' | 'send' | 'close' | 'readyState'>;

export interface LineEvents {
  message: LineServerMessage;
}

/** `GET USER_LINE_PATH` on the page's own origin, ws: or wss: to match. */
export function lineSocketUrl(origin: string): string {
  const url = new URL(USER_LINE_PATH, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** WebSocket.OPEN, spelled out so the module also loads where WebSocket is not global (unit tests). */
const OPEN = 1;
/** Nothing heard (not even a PONG) for this long: the line is dead even if the socket looks open. */
export const SILENCE_LIMIT_MS = PING_INTERVAL_MS * 1.5;
/** The line's answers that a retry would only get again (protocol/user-line.ts, LineCloseCode). */
const FINAL_CLOSES: ReadonlySet<number> = new Set([
  LineCloseCode.PolicyViolation,
  LineCloseCode.MessageTooBig,
  LineCloseCode.SessionEnded,
  LineCloseCode.TooManySockets,
  LineCloseCode.RateLimited,
]);

export class LineClient {
  readonly #events = new Emitter<LineEvents>();
  readonly #reconnector: Reconnector;
  #socket: SocketLike | undefined;
  #ping: ReturnType<typeof setInterval> | undefined;
  #lastHeard = 0;

  constructor(
    private readonly url: string,
    private readonly openSocket: (url: string) => SocketLike = (url) => new WebSocket(url),
    network?: NetworkEvents,
  ) {
    this.#reconnector = new Reconnector(() => this.#open(), Math.random, network);
  }

  readonly on = this.#events.on.bind(this.#events);

  start(): void {
    if (!this.#socket) this.#open();
  }

  /** Sends if the line is open; returns whether it was sent. */
  send(message: LineClientMessage): boolean {
    if (this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes on purpose (signed out, tab closing): no retry. */
  stop(): void {
    const socket = this.#socket;
    this.#reconnector.stop();
    this.#detach();
    socket?.close(1000);
  }

  #open(): void {
    const socket = this.openSocket(this.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      this.#reconnector.reset();
      this.#ping = setInterval(() => this.#keepAlive(socket), PING_INTERVAL_MS);
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      if (event.data === PONG || typeof event.data !== 'string') return;
      const message = parseMessage(LineServerMessageSchema, event.data);
      if (message) this.#events.emit('message', message);
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket === socket) this.#dropped(event.code);
    });
  }

  #keepAlive(socket: SocketLike): void {
    if (Date.now() - this.#lastHeard <= SILENCE_LIMIT_MS) {
      socket.send(PING);
      return;
    }
    this.#dropped(1006);
    socket.close();
  }

  #dropped(code: number): void {
    this.#detach();
    if (!FINAL_CLOSES.has(code)) this.#reconnector.schedule();
  }

  #detach(): void {
    clearInterval(this.#ping);
    this.#ping = undefined;
    this.#socket = undefined;
  }
}
