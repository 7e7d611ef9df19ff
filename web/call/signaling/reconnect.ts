/**
 * When the signaling socket drops, try again: one retry at a time, after a growing delay
 * (../backoff.ts). Which closes are worth a retry is close-reason.ts's answer.
 */
import { backoffDelay } from '../backoff.ts';

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
