/**
 * When the signaling socket drops, try again: which closes are worth it, and how long to wait.
 *
 * Exponential backoff with "equal jitter" (half the ceiling fixed, half random): after a server
 * restart every client in every room reconnects, and the random half spreads them out, while the
 * fixed half keeps a client that is refused at once from looping tight.
 */
import type { CloseReason } from './client.ts';

/** The first retry waits 250–500 ms; each failure doubles that, up to 7.5–15 s. */
const BASE_MS = 500;
const MAX_MS = 15_000;

/** How long to wait before attempt number `attempt` (0 for the first retry after a drop). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A dropped line (1006, 1001, 1011, the room's 4004 `Stale`, a close we did not ask for) is
 * retried. Room full, replaced by another tab, another protocol version, refused, session ended,
 * too many sockets: the same socket would get the same answer, or two tabs would take the seat
 * from each other forever. A lobby closed for never joining is reopened by `join`, not by a retry.
 */
export function shouldReconnect(reason: CloseReason): boolean {
  return reason === 'lost' || reason === 'normal';
}

/** Where the browser says the network is back (`window`); absent outside a browser. */
export type NetworkEvents = Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;

/**
 * Schedules retries one at a time; `reset` once a retry got back in. A pending retry goes at once
 * when the browser reports the network back (`online`): after a long outage the backoff may
 * otherwise sit out most of its 15 s while the network already works.
 */
export class Reconnector {
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #retryNow = () => {
    if (this.#timer === undefined) return;
    this.stop();
    this.retry();
  };

  constructor(
    private readonly retry: () => void,
    private readonly random: () => number = Math.random,
    private readonly network: NetworkEvents = globalThis as NetworkEvents,
  ) {}

  /** Retries after the next delay, or when the network is back; returns that delay in ms. */
  schedule(): number {
    this.stop();
    const delay = backoffDelay(this.#attempt, this.random);
    this.#attempt += 1;
    this.#timer = setTimeout(this.#retryNow, delay);
    this.network.addEventListener?.('online', this.#retryNow);
    return delay;
  }

  /** Back in the room: the next drop starts again from the shortest delay. */
  reset(): void {
    this.#attempt = 0;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.network.removeEventListener?.('online', this.#retryNow);
  }
}
