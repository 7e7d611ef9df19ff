/**
 * Tells a user's line (worker/user-line/) when that user takes or gives up a seat in this room, so
 * their contacts see them "In a call" and an answered call's end is recorded. Seats report every
 * change as it happens (seats.ts); those of one event (a reload taking over its own seat is a leave
 * then a join) are settled together right after it, so a line hears only real changes. Each notice
 * carries a number that grows per room, so a line ignores one overtaken by a newer one.
 */
import type { Env } from '../env.ts';
import { errorFacts } from '../http/errors.ts';
import type { Connection } from './connection.ts';

const TOLD = 'seat-told:';
const SEQ = 'seat-notice-seq';

export class SeatNotices {
  readonly #pending = new Map<string, string>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly isSeated: (userId: string) => boolean,
  ) {}

  /** The user's seat may have changed (a Seats callback). */
  readonly changed = (conn: Connection): void => {
    if (this.#pending.size === 0) queueMicrotask(() => this.#flush());
    this.#pending.set(conn.userId, conn.roomId);
  };

  #flush(): void {
    const kv = this.ctx.storage.kv;
    for (const [userId, roomId] of this.#pending) {
      const seated = this.isSeated(userId);
      if ((kv.get<boolean>(TOLD + userId) ?? false) === seated) continue;
      if (seated) kv.put(TOLD + userId, true);
      else kv.delete(TOLD + userId);
      const seq = (kv.get<number>(SEQ) ?? 0) + 1;
      kv.put(SEQ, seq);
      const line = this.env.USER_LINES.get(this.env.USER_LINES.idFromName(userId));
      const told = line.seated(roomId, seated, seq).catch((error) => {
        console.error(JSON.stringify({ event: 'seat_notice_failed', roomId, userId, ...errorFacts(error) }));
      });
      this.ctx.waitUntil(told);
    }
    this.#pending.clear();
  }
}
