/**
 * A line's sense of time (rules: protocol/user-line.ts, Liveness and Sessions): when its tabs'
 * sessions were last checked, which tabs a sweep closes (silent past LIVENESS_WINDOW_MS: `Stale`;
 * session ended: `SessionEnded`, through the room's `endedSessions`), and its one alarm, set for
 * the next sweep while tabs are open or the next ring deadline, whichever comes first.
 */
import { LineCloseCode, SESSION_CHECK_INTERVAL_MS } from '../../protocol/user-line.ts';
import { type Connections, isLive } from '../call-room/connection.ts';
import { type Expired, endedSessions } from '../call-room/sweeps.ts';
import type { Env } from '../env.ts';
import type { Tab } from './tab.ts';

export const CHECKED_AT = 'sessions-checked-at';

export class LineClock {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly tabs: Connections<Tab>,
  ) {}

  /** A first tab opens: its session was checked by the Worker a moment ago. */
  firstTabOpened(now: number): void {
    this.ctx.storage.kv.put(CHECKED_AT, now);
  }

  /** The sessions were checked an interval ago or more: sweep before letting anything through. */
  isDue(now: number): boolean {
    const checkedAt = this.ctx.storage.kv.get<number>(CHECKED_AT) ?? 0;
    return this.tabs.open().length > 0 && now - checkedAt >= SESSION_CHECK_INTERVAL_MS;
  }

  /** The open tabs to close now; the sessions count as checked. */
  async sweep(now: number): Promise<Expired[]> {
    const expired: Expired[] = [];
    const live: { ws: WebSocket; sessionId: string }[] = [];
    for (const ws of this.tabs.open()) {
      if (isLive(this.tabs.lastSignOfLife(ws), now)) live.push({ ws, sessionId: this.tabs.get(ws).sessionId });
      else expired.push({ ws, code: LineCloseCode.Stale, reason: 'silent for too long' });
    }
    expired.push(...(await endedSessions(this.env, live)));
    this.ctx.storage.kv.put(CHECKED_AT, now);
    return expired;
  }

  /** Sets the alarm for the next sweep (while tabs are open) or `deadline`, whichever is first. */
  async arm(deadline: number | undefined): Promise<void> {
    const checkedAt = this.ctx.storage.kv.get<number>(CHECKED_AT) ?? Date.now();
    const sweep = this.tabs.open().length > 0 ? checkedAt + SESSION_CHECK_INTERVAL_MS : undefined;
    const next = Math.min(...[deadline, sweep].filter((t): t is number => t !== undefined));
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
    else await this.ctx.storage.deleteAlarm();
  }
}
