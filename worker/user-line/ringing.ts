/**
 * The ringing state machine (rules: protocol/user-line.ts, Ringing). The callee's line owns each
 * call: `ring` starts it (or settles it at once: offline, busy), then exactly one of `answer`
 * (accept, decline), `cancel` (from the caller's line) or `timeOut` settles it. The UserLine runs
 * all of them in its one queue, so whichever comes first wins and the others find the call
 * settled. Each change goes to the callee's tabs, to the caller's line (which mirrors it for the
 * caller's tabs: `mirror`) and, once settled, to the `calls` row.
 */
import type { CallOutcome } from '../../protocol/calls.ts';
import type { CallView } from '../../protocol/user-line.ts';
import { usingDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { type CallBook, type CallRecord, callerView } from './call-book.ts';
import { lineOf } from './handoff.ts';
import type { CallRefusal, RingRequest } from './rpc.ts';
import { endCall, settleCall } from './store.ts';
import { lineLog, sendLine } from './wire.ts';

export class Ringing {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly userId: string,
    private readonly calls: CallBook,
    private readonly timeoutMs: number,
    private readonly openTabs: () => WebSocket[],
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
      ...(outcome === 'ringing' ? { deadline: now + this.timeoutMs } : {}),
    };
    this.calls.put(record, now);
    this.#toTabs(record);
    await this.#report(record);
    return callerView(record);
  }

  /** Callee's line: this user accepts or declines from the tab `ws`. */
  async answer(
    callId: string,
    outcome: 'answered' | 'declined',
    ws: WebSocket,
    now: number,
  ): Promise<CallRefusal | undefined> {
    const record = this.calls.get(callId);
    if (record?.call.direction !== 'incoming') return 'unknown_call';
    return this.#settle(record, outcome, now, ws);
  }

  /** Callee's line: the caller's line passes on its user's `cancel`. */
  async cancel(callId: string, callerId: string, now: number): Promise<CallRefusal | undefined> {
    const record = this.calls.get(callId);
    if (record?.call.direction !== 'incoming' || record.call.other.userId !== callerId) return 'unknown_call';
    return this.#settle(record, 'cancelled', now);
  }

  /** Callee's line: rings past their deadline end as `no_answer`. */
  async timeOut(now: number): Promise<void> {
    for (const record of this.calls.due(now)) await this.#settle(record, 'no_answer', now);
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

  /** Caller's line: the callee's line reports a change. A settled call never rings again. */
  mirror(view: CallView, now: number): void {
    const known = this.calls.get(view.id);
    if (known && known.call.outcome !== 'ringing') return;
    const record: CallRecord = { call: view, changedAt: now };
    this.calls.put(record, now);
    this.#toTabs(record);
  }

  /** This user left a room: an answered call there is over (whoever leaves first ends it). */
  roomLeft(roomId: string, now: number): void {
    for (const record of this.calls.answeredIn(roomId)) {
      this.calls.put({ ...record, ended: true, changedAt: now }, now);
      const ended = usingDatabase(this.env, (db) => endCall(db, record.call.id));
      this.ctx.waitUntil(ended.catch((error) => lineLog('call_end_not_recorded', error)));
    }
  }

  async #settle(
    record: CallRecord,
    outcome: CallOutcome,
    now: number,
    winner?: WebSocket,
  ): Promise<CallRefusal | undefined> {
    if (record.call.outcome !== 'ringing') return 'call_settled';
    const settled = this.calls.settle(record, outcome, now);
    this.#toTabs(settled, winner);
    await this.#report(settled);
    return undefined;
  }

  /** Every tab hears the call; on `answered`, the callee's tab that accepted knows it did. */
  #toTabs(record: CallRecord, winner?: WebSocket): void {
    const { call } = record;
    const answered = call.outcome === 'answered' && call.direction === 'incoming';
    for (const ws of this.openTabs()) {
      sendLine(ws, { type: 'call', call: answered ? { ...call, answeredHere: ws === winner } : call });
    }
  }

  /** Callee's line: the caller's line hears the change, and a settled outcome is written. */
  async #report(record: CallRecord): Promise<void> {
    const caller = lineOf(this.env, record.call.other.userId)
      .callChanged(callerView(record))
      .catch((error) => lineLog('caller_not_told', error));
    const outcome = record.call.outcome;
    const written =
      outcome === 'ringing'
        ? undefined
        : usingDatabase(this.env, (db) => settleCall(db, record.call.id, outcome)).catch((error) =>
            lineLog('call_outcome_not_recorded', error),
          );
    await Promise.all([caller, written]);
  }
}
