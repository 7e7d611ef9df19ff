/**
 * The ringing state machine (rules: protocol/user-line.ts, Ringing). The callee's line owns each
 * call: `ring` starts it (or settles it at once: offline, busy), then exactly one of `answer`
 * (accept, decline), `cancel` (from the caller's line), `timeOut` or a failed write (`stored`)
 * settles it. The UserLine runs all of them in its one queue, so whichever comes first wins and
 * the others find the call settled. Each change goes to the callee's tabs, to the caller's line
 * (which mirrors it for the caller's tabs: `mirror`) and, once settled, to the `calls` row.
 *
 * A call rings before its room and row are written (the caller's line writes them alongside:
 * outgoing.ts), so its record starts `unstored`. An `accept` that comes first wins but does not
 * answer yet: it is kept in the record (`acceptedBy`), the queue moves on, and `stored` answers
 * the call once the caller's line says the rows exist, or fails it when they could not be written.
 * Outcomes reach the `calls` row only once it exists.
 */
import { type CallOutcome, RING_TIMEOUT_MS } from '../../protocol/calls.ts';
import type { CallView, RingOutcome } from '../../protocol/user-line.ts';
import { setCallEnded } from '../calls/store.ts';
import { usingDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { type CallBook, type CallRecord, callerView } from './call-book.ts';
import { lineOf } from './handoff.ts';
import type { CallRefusal, RingRequest } from './rpc.ts';
import { settleCall } from './store.ts';
import { lineLog, sendLine } from './wire.ts';

/** How long an `accept` waits for the call's rows before the call fails (the caller's line went quiet). */
const STORE_WAIT_MS = 10_000;

export class Ringing {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly userId: string,
    private readonly calls: CallBook,
    private readonly openTabs: () => WebSocket[],
    private readonly tabIdOf: (ws: WebSocket) => string,
  ) {}

  /** Callee's line: a new call. Busy when in a call or with another call ringing, in or out. */
  async ring(request: RingRequest, seated: boolean, now: number): Promise<CallView> {
    const known = this.calls.get(request.id);
    if (known) return callerView(known);
    const busy = seated || this.calls.ringing().length > 0;
    const outcome: CallOutcome = this.openTabs().length === 0 ? 'offline' : busy ? 'busy' : 'ringing';
    const record: CallRecord = {
      call: { id: request.id, roomId: request.roomId, direction: 'incoming', other: request.caller, outcome },
      me: request.callee,
      changedAt: now,
      unstored: true,
      ...(outcome === 'ringing' ? { deadline: now + ringTimeout(this.env) } : {}),
    };
    this.calls.put(record, now);
    this.#toTabs(record);
    await this.#report(record);
    return callerView(record);
  }

  /** Callee's line: this user accepts or declines from the tab `tabId`. */
  async answer(
    callId: string,
    outcome: 'answered' | 'declined',
    tabId: string,
    now: number,
  ): Promise<CallRefusal | undefined> {
    const record = this.calls.get(callId);
    if (record?.call.direction !== 'incoming') return 'unknown_call';
    if (record.acceptedBy) return 'call_settled';
    if (outcome === 'answered' && record.unstored && record.call.outcome === 'ringing') {
      this.calls.put({ ...record, acceptedBy: tabId, deadline: now + STORE_WAIT_MS, changedAt: now }, now);
      return undefined;
    }
    return this.#settle(record, outcome, now, tabId);
  }

  /** Callee's line: the caller's line passes on its user's `cancel`. */
  async cancel(callId: string, callerId: string, now: number): Promise<CallRefusal | undefined> {
    const record = this.calls.get(callId);
    if (record?.call.direction !== 'incoming' || record.call.other.userId !== callerId) return 'unknown_call';
    if (record.acceptedBy) return 'call_settled';
    return this.#settle(record, 'cancelled', now);
  }

  /** Callee's line: rings past their deadline end as `no_answer`; a waiting accept past its wait, `failed`. */
  async timeOut(now: number): Promise<void> {
    for (const record of this.calls.due(now))
      await this.#settle(record, record.acceptedBy ? 'failed' : 'no_answer', now);
  }

  /** Callee's line: the caller's line wrote the call's room and row (`written`), or could not. */
  async stored(callId: string, written: boolean, now: number): Promise<void> {
    const record = this.calls.get(callId);
    if (record?.call.direction !== 'incoming' || !record.unstored) return;
    if (!written) {
      await this.#settle(record, 'failed', now);
      return;
    }
    const stored: CallRecord = { ...record };
    delete stored.unstored;
    this.calls.put(stored, now);
    if (stored.acceptedBy) await this.#settle(stored, 'answered', now, stored.acceptedBy);
    else await this.#write(stored);
  }

  /** Caller's line: this user cancels; the callee's line decides. */
  async giveUp(callId: string): Promise<CallRefusal | undefined> {
    const record = this.calls.get(callId);
    if (record?.call.direction !== 'outgoing') return 'unknown_call';
    if (record.call.outcome !== 'ringing') return 'call_settled';
    try {
      return await lineOf(this.env, record.call.other.userId).cancel(callId, this.userId);
    } catch (error) {
      // The callee's line did not answer; its timeout still settles the call.
      lineLog('cancel_failed', error);
      return undefined;
    }
  }

  /** Caller's line: the callee's line reports a change (or answers the ring). A settled call never rings again. */
  mirror(view: CallView, now: number): void {
    const known = this.calls.get(view.id);
    if (known && (known.call.outcome !== 'ringing' || view.outcome === 'ringing')) return;
    const record: CallRecord = { call: view, changedAt: now };
    this.calls.put(record, now);
    this.#toTabs(record);
  }

  /** This user left a room: an answered call there is over (whoever leaves first ends it). */
  roomLeft(roomId: string, now: number): void {
    for (const record of this.calls.answeredIn(roomId)) {
      this.calls.put({ ...record, ended: true, changedAt: now }, now);
      const ended = usingDatabase(this.env, (db) => setCallEnded(db, record.call.id, true));
      this.ctx.waitUntil(ended.catch((error) => lineLog('call_end_not_recorded', error)));
    }
  }

  async #settle(
    record: CallRecord,
    outcome: RingOutcome,
    now: number,
    winner?: string,
  ): Promise<CallRefusal | undefined> {
    if (record.call.outcome !== 'ringing') return 'call_settled';
    const settled = this.calls.settle(record, outcome, now);
    this.#toTabs(settled, winner);
    await this.#report(settled);
    return undefined;
  }

  /** Every tab hears the call; on `answered`, the callee's tab whose accept won knows it did. */
  #toTabs(record: CallRecord, winner?: string): void {
    const { call } = record;
    const answered = call.outcome === 'answered' && call.direction === 'incoming';
    for (const ws of this.openTabs()) {
      sendLine(ws, { type: 'call', call: answered ? { ...call, answeredHere: this.tabIdOf(ws) === winner } : call });
    }
  }

  /** Callee's line: the caller's line hears the change, and a settled outcome is written. */
  async #report(record: CallRecord): Promise<void> {
    const caller = lineOf(this.env, record.call.other.userId)
      .callChanged(callerView(record))
      .catch((error) => lineLog('caller_not_told', error));
    await Promise.all([caller, this.#write(record)]);
  }

  /** A settled outcome, to the call's row once that exists. */
  async #write(record: CallRecord): Promise<void> {
    const outcome = record.call.outcome;
    if (record.unstored || !isStoredOutcome(outcome)) return;
    await usingDatabase(this.env, (db) => settleCall(db, record.call.id, outcome)).catch((error) =>
      lineLog('call_outcome_not_recorded', error),
    );
  }
}

/** RING_TIMEOUT_MS, unless the environment sets another (tests, development). */
function ringTimeout(env: Env): number {
  const configured = Number(env.RING_TIMEOUT_MS);
  return Number.isInteger(configured) && configured > 0 ? configured : RING_TIMEOUT_MS;
}

/** The settled outcomes a `calls` row records (`failed` calls have no row). */
function isStoredOutcome(outcome: RingOutcome): outcome is Exclude<CallOutcome, 'ringing'> {
  return outcome !== 'ringing' && outcome !== 'failed';
}
