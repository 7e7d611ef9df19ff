/**
 * When the signaling socket drops, try again: which closes are worth it, and how long to wait.
 *
 * Exponential backoff with "equal jitter" (half the ceiling fixed, half random): after a server
 * restart every client in every room reconnects, and the random half spreads them out, while the
 * fixed half keeps a client that is refused at once from looping tight.
 */
import type { CloseReason } from './signaling.ts';

/** The first retry waits 250–500 ms; each failure doubles that, up to 7.5–15 s. */
const BASE_MS = 500;
const MAX_MS = 15_000;

/** How long to wait before attempt number `attempt` (0 for the first retry after a drop). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A dropped line (1006, 1001, the room's 4004 `Stale`, a close we did not ask for) is retried.
 * Room full, replaced by another tab, another protocol version, refused: the same socket would get
 * the same answer, or two tabs would take the seat from each other forever.
 */
export function shouldReconnect(reason: CloseReason): boolean {
  return reason === 'lost' || reason === 'normal';
}

/** Schedules retries one at a time; `reset` once a retry got back in. */
export class Reconnector {
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly retry: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  /** Retries after the next delay; returns that delay in ms. */
  schedule(): number {
    clearTimeout(this.#timer);
    const delay = backoffDelay(this.#attempt, this.random);
    this.#attempt += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.retry();
    }, delay);
    return delay;
  }

  /** Back in the room: the next drop starts again from the shortest delay. */
  reset(): void {
    this.#attempt = 0;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
