/**
 * The room's part in the call history: while two people are seated together they are in a `link`
 * call (protocol/calls.ts), answered when the second sat down, with the first one as the caller,
 * and ended when either leaves. Someone back in their seat within the liveness window (a reload, a
 * dropped connection) continues the same call instead of starting another. The room of a rung call
 * records nothing here: the user line owns those calls (worker/calls/store.ts `startLinkCall`).
 *
 * The current call lives in storage (it must outlive sockets and hibernation); the database
 * writes run in order, one after the other, off the path of every message.
 */
import { LIVENESS_WINDOW_MS } from '../../protocol/signaling.ts';
import { setCallEnded, startLinkCall } from '../calls/store.ts';
import { type Database, usingDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { errorFacts } from '../http/errors.ts';
import type { Connection } from './connection.ts';
import type { SeatObserver } from './seats.ts';
import { log } from './wire.ts';

export const LINK_CALL = 'link-call';

interface CurrentCall {
  id: string;
  callerId: string;
  calleeId: string;
  /** When one of the two left; null while both are seated. */
  endedAt: number | null;
}

export class LinkCalls implements SeatObserver {
  #writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {}

  seated(conn: Connection, peer: Connection | undefined, now: number): void {
    if (!peer) return;
    const current = this.ctx.storage.kv.get<CurrentCall>(LINK_CALL);
    const samePair = current && involves(current, conn.userId) && involves(current, peer.userId);
    if (samePair && current.endedAt === null) return;
    if (samePair && current.endedAt !== null && now - current.endedAt < LIVENESS_WINDOW_MS) {
      this.ctx.storage.kv.put(LINK_CALL, { ...current, endedAt: null });
      this.#write(conn, (db) => setCallEnded(db, current.id, false));
      return;
    }
    const call: CurrentCall = { id: crypto.randomUUID(), callerId: peer.userId, calleeId: conn.userId, endedAt: null };
    this.ctx.storage.kv.put(LINK_CALL, call);
    this.#write(conn, (db) => startLinkCall(db, { ...call, roomId: conn.roomId }));
  }

  left(conn: Connection, now: number): void {
    const current = this.ctx.storage.kv.get<CurrentCall>(LINK_CALL);
    if (!current || current.endedAt !== null || !involves(current, conn.userId)) return;
    this.ctx.storage.kv.put(LINK_CALL, { ...current, endedAt: now });
    this.#write(conn, (db) => setCallEnded(db, current.id, true));
  }

  /** Queued after the writes before it, so a call is never ended before it was recorded. */
  #write(conn: Connection, work: (db: Database) => Promise<unknown>): void {
    this.#writes = this.#writes
      .then(() => usingDatabase(this.env, work))
      .then(
        () => undefined,
        (error) => log('link_call_not_recorded', conn, errorFacts(error)),
      );
    this.ctx.waitUntil(this.#writes);
  }
}

const involves = (call: CurrentCall, userId: string) => call.callerId === userId || call.calleeId === userId;
