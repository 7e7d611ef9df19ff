/**
 * Keeps a room's open sockets honest after the upgrade (protocol/signaling.ts, Sessions and
 * Sockets). The Worker checked the session when the socket opened, but a lobby can sit open for
 * minutes and a call last hours: logout, a password reset or change, or a device signed out must
 * reach those sockets too.
 *
 * - `join` checks the socket's own session first (`liveAtJoin`: one query), unless the socket opened
 *   less than JOIN_RECHECK_AFTER_MS ago (the Worker checked it then).
 * - While any socket is open an alarm fires ALARM_LEAD_MS before each SESSION_CHECK_INTERVAL_MS
 *   is over, and `sweep` reads the sessions of all of them in one query; sockets whose session ended are closed with
 *   `SessionEnded`, and sockets that have not joined LOBBY_TIMEOUT_MS after opening with
 *   `LobbyTimeout`.
 * - The time of the last check lives in storage (it survives hibernation). An alarm can be late;
 *   the room relays nothing while that check is older than the interval (`isDue`): it sweeps first.
 *   So a revoked socket signals for at most one interval after the revocation. Every message asks,
 *   so the time is kept in memory too (`checkedAt`), read from storage once after a wake-up.
 */
import {
  CloseCode,
  JOIN_RECHECK_AFTER_MS,
  LOBBY_TIMEOUT_MS,
  SESSION_CHECK_INTERVAL_MS,
} from '../../protocol/signaling.ts';
import { liveSessionIds } from '../auth/session.ts';
import { type Database, usingDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { errorFacts } from '../http/errors.ts';
import type { Connection, Connections } from './connection.ts';
import { closeQuietly, log } from './wire.ts';

const CHECKED_AT = 'sessions-checked-at';
/**
 * The last check's time, by room (its storage): written through to storage, read from it only
 * when memory has none (a room just woken from hibernation, or new).
 */
const lastChecks = new WeakMap<DurableObjectStorage, number>();

/** When the room's sessions were last checked (0: never). */
export function checkedAt(storage: DurableObjectStorage): number {
  let at = lastChecks.get(storage);
  if (at === undefined) {
    at = storage.kv.get<number>(CHECKED_AT) ?? 0;
    lastChecks.set(storage, at);
  }
  return at;
}

/** Records when the room's sessions were checked. */
export function setCheckedAt(storage: DurableObjectStorage, at: number): void {
  storage.kv.put(CHECKED_AT, at);
  lastChecks.set(storage, at);
}
/**
 * The alarm comes this much before the interval ends: its query runs while the room relays, and
 * should have answered before relays find the last check an interval old and sweep themselves.
 */
const ALARM_LEAD_MS = 5_000;

/** A socket the sweep found past its time, and the close code it gets. */
export interface Expired {
  ws: WebSocket;
  code: number;
  reason: string;
}

export class Sweeps {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly connections: Connections,
  ) {}

  /**
   * At a `join`: whether the socket's session is live (taken as checked by the Worker when the
   * socket opened less than JOIN_RECHECK_AFTER_MS ago). Closes the socket when it ended or cannot
   * be checked.
   */
  async liveAtJoin(ws: WebSocket, conn: Connection, db: Database, now: number): Promise<boolean> {
    if (now - conn.openedAt < JOIN_RECHECK_AFTER_MS) return true;
    let live: boolean;
    try {
      live = (await liveSessionIds(db, [conn.sessionId])).has(conn.sessionId);
    } catch (error) {
      log('session_check_failed', conn, errorFacts(error));
      closeQuietly(ws, CloseCode.Unavailable, 'could not check the session, try again');
      return false;
    }
    if (!live) {
      log('session_ended', conn);
      closeQuietly(ws, CloseCode.SessionEnded, 'session ended');
    }
    return live;
  }

  /** Arms the alarm if it is not armed: the first socket of a quiet room opened. */
  async arm(now: number): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) !== null) return;
    // No alarm, so no other socket: the one opening now had its session checked a moment ago.
    setCheckedAt(this.ctx.storage, now);
    await this.ctx.storage.setAlarm(now + SESSION_CHECK_INTERVAL_MS - ALARM_LEAD_MS);
  }

  /** For the alarm: arms the next one while sockets are open; whether there are any. */
  async rearm(now: number): Promise<boolean> {
    if (this.connections.open().length === 0) return false;
    await this.ctx.storage.setAlarm(now + SESSION_CHECK_INTERVAL_MS - ALARM_LEAD_MS);
    return true;
  }

  /** The sessions were last checked an interval ago or more (the alarm is late): sweep before relaying. */
  isDue(now: number): boolean {
    return now - checkedAt(this.ctx.storage) >= SESSION_CHECK_INTERVAL_MS;
  }

  /**
   * The open sockets to close: lobbies past LOBBY_TIMEOUT_MS, then those whose session ended
   * (`endedSessions`). Never a query in front of every relayed message: only when one is due.
   */
  async sweep(now: number): Promise<Expired[]> {
    const expired: Expired[] = [];
    const rest: { ws: WebSocket; sessionId: string }[] = [];
    for (const ws of this.connections.open()) {
      const conn = this.connections.get(ws);
      if (!conn.joined && now - conn.openedAt >= LOBBY_TIMEOUT_MS) {
        expired.push({ ws, code: CloseCode.LobbyTimeout, reason: 'never joined' });
      } else rest.push({ ws, sessionId: conn.sessionId });
    }
    expired.push(...(await endedSessions(this.env, rest)));
    setCheckedAt(this.ctx.storage, now);
    return expired;
  }
}

/**
 * The sockets whose session ended, closed with `SessionEnded`, in one query: for the room's sweep
 * and the user line's (worker/user-line/). When the database fails the sessions are trusted until
 * the next sweep (logged): a database outage must not cut every call.
 */
export async function endedSessions(env: Env, sockets: { ws: WebSocket; sessionId: string }[]): Promise<Expired[]> {
  if (sockets.length === 0) return [];
  try {
    const live = await usingDatabase(env, (db) =>
      liveSessionIds(
        db,
        sockets.map((s) => s.sessionId),
      ),
    );
    return sockets
      .filter(({ sessionId }) => !live.has(sessionId))
      .map(({ ws }) => ({ ws, code: CloseCode.SessionEnded, reason: 'session ended' }));
  } catch (error) {
    console.error(JSON.stringify({ event: 'session_sweep_failed', ...errorFacts(error) }));
    return [];
  }
}
