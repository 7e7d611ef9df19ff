/**
 * A line's calls, in Durable Object storage: the incoming ones it rings and settles (the callee's
 * line owns each call's state machine) and the outgoing ones it mirrors for the caller's tabs. A
 * settled call is kept a while so that a late `accept` or `cancel` hears `call_settled`, and an
 * answered one until its room is left, to write when it ended.
 */
import type { CallView, Person, RingOutcome } from '../../protocol/user-line.ts';

const CALL = 'call:';
/** Calls are forgotten this long after their last change... */
const SETTLED_MEMORY_MS = 60 * 60_000;
/** ...and answered ones this long after, if their room never said it was left. */
const ANSWERED_MEMORY_MS = 24 * 60 * 60_000;

export interface CallRecord {
  /** The call as this line's user sees it (without `answeredHere`). */
  call: CallView;
  /** Incoming calls only: this user as the caller sees them. */
  me?: Person;
  /** Incoming ringing calls: when they settle as `no_answer` (`failed` while an accept waits). */
  deadline?: number;
  /** Incoming calls: the caller's line has not said yet that the call's room and row are written. */
  unstored?: true;
  /** Incoming, unstored: the tab whose `accept` won and waits for them. */
  acceptedBy?: string;
  changedAt: number;
  /** Answered calls: someone left the room, the call is over. */
  ended?: boolean;
}

export class CallBook {
  constructor(private readonly kv: SyncKvStorage) {}

  get(callId: string): CallRecord | undefined {
    return this.kv.get<CallRecord>(CALL + callId);
  }

  /** Saves a record, and forgets those past their time. */
  put(record: CallRecord, now: number): void {
    this.kv.put(CALL + record.call.id, record);
    for (const other of this.all()) {
      const age = now - other.changedAt;
      const answered = other.call.outcome === 'answered' && !other.ended;
      // A ring lasts seconds: an outgoing one still `ringing` an hour on lost its settlement (the
      // callee's line could not reach this one) and must not keep its user busy.
      if (age > (answered ? ANSWERED_MEMORY_MS : SETTLED_MEMORY_MS)) {
        this.kv.delete(CALL + other.call.id);
      }
    }
  }

  all(): CallRecord[] {
    return [...this.kv.list<CallRecord>({ prefix: CALL })].map(([, record]) => record);
  }

  ringing(): CallRecord[] {
    return this.all().filter((r) => r.call.outcome === 'ringing');
  }

  /** Incoming calls still ringing past their deadline. */
  due(now: number): CallRecord[] {
    return this.ringing().filter((r) => r.deadline !== undefined && r.deadline <= now);
  }

  nextDeadline(): number | undefined {
    const deadlines = this.ringing().flatMap((r) => (r.deadline === undefined ? [] : [r.deadline]));
    return deadlines.length > 0 ? Math.min(...deadlines) : undefined;
  }

  /** Answered calls in this room that are not marked ended yet. */
  answeredIn(roomId: string): CallRecord[] {
    return this.all().filter((r) => r.call.roomId === roomId && r.call.outcome === 'answered' && !r.ended);
  }

  settle(record: CallRecord, outcome: RingOutcome, now: number): CallRecord {
    const settled: CallRecord = { ...record, call: { ...record.call, outcome }, changedAt: now };
    delete settled.deadline;
    delete settled.acceptedBy;
    this.put(settled, now);
    return settled;
  }
}

/** The caller's view of an incoming call record. */
export function callerView({ call, me }: CallRecord): CallView {
  if (!me) throw new Error('not an incoming call');
  return { id: call.id, roomId: call.roomId, direction: 'outgoing', other: me, outcome: call.outcome };
}
