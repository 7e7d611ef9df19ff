/**
 * The caller's ring limit (protocol/user-line.ts: RINGS_PER_CALLER in RING_WINDOW_MS), counted by
 * the caller's own line: it is the one place every ring of that user starts, so a synchronous
 * count in its storage is exact under concurrent rings with no database write, and it survives a
 * restart of the line. A fixed window, as the Worker's Postgres throttles (worker/http/rate-limit.ts).
 */
import { RING_WINDOW_MS, RINGS_PER_CALLER } from '../../protocol/user-line.ts';

const KEY = 'ring-window';

interface RingWindow {
  startedAt: number;
  hits: number;
}

export class RingLimit {
  constructor(private readonly kv: SyncKvStorage) {}

  /** Counts one ring: undefined while within the limit, else the whole seconds until it resets. */
  hit(now: number): number | undefined {
    const known = this.kv.get<RingWindow>(KEY);
    const window =
      known && now - known.startedAt < RING_WINDOW_MS
        ? { ...known, hits: known.hits + 1 }
        : { startedAt: now, hits: 1 };
    this.kv.put(KEY, window);
    if (window.hits <= RINGS_PER_CALLER) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + RING_WINDOW_MS - now) / 1000));
  }
}
