/**
 * How long to wait before trying again, for anything that retries over the network (the room
 * socket, signaling/reconnect.ts; an ICE restart, link/).
 *
 * Exponential backoff with "equal jitter" (half the ceiling fixed, half random): after a server
 * restart every client in every room reconnects, and the random half spreads them out, while the
 * fixed half keeps a client that is refused at once from looping tight.
 */

/** The first retry waits 250–500 ms; each failure doubles that, up to 7.5–15 s. */
const BASE_MS = 500;
const MAX_MS = 15_000;

/** How long to wait before attempt number `attempt` (0 for the first retry after a drop). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
