/**
 * The caller's side of a ring (rules: protocol/user-line.ts, Ringing), on the caller's own line,
 * which both the line's `ring` message and `POST /api/calls` reach. `start` counts the ring
 * (ring-limit.ts), checks the contact against the list the line keeps (presence-book.ts; Postgres
 * for one it does not know), makes the call's ids and asks the callee's line to ring at once,
 * writing the call's room and row alongside rather than before: the database is off the ring's
 * path. Once both are done, the caller gets the call (they open its room at once) and the callee's
 * line hears whether the rows exist (ringing.ts `stored`): until then an accept waits there, so
 * nobody is sent into a room that does not exist.
 *
 * Nothing here waits on this line's queue of events, and the queue does not wait for it: the
 * callee's line may be ringing this user at the same moment.
 */
import type { CallView, LineClientMessage, LineServerMessage, Person } from '../../protocol/user-line.ts';
import { usingDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { newRoomId } from '../rooms/ids.ts';
import { lineOf } from './handoff.ts';
import type { PresenceBook } from './presence-book.ts';
import type { RingLimit } from './ring-limit.ts';
import type { StartedCall, UserLineRpc } from './rpc.ts';
import { contactOf, forgetRingCall, storeRingCall } from './store.ts';
import { lineLog, sendLine } from './wire.ts';

export class Outgoing {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly userId: string,
    private readonly presence: PresenceBook,
    private readonly limit: RingLimit,
    /** Records a view of an outgoing call and tells this user's tabs (ringing.ts `mirror`). */
    private readonly mirror: (view: CallView, now: number) => void,
  ) {}

  /** Rings `contactId` for `caller` (this line's user); the caller's view of the call, or why not. */
  async start(caller: Person, contactId: string, now: number): Promise<StartedCall> {
    // Counted first and synchronously: exact for rings sent at once, whoever they ring.
    const retryAfterSeconds = this.limit.hit(now);
    if (retryAfterSeconds !== undefined) return { refused: 'rate_limited', retryAfterSeconds };
    const callee = contactId === this.userId ? undefined : await this.#contact(contactId);
    if (!callee) return { refused: 'not_a_contact' };
    const call: CallView = {
      id: crypto.randomUUID(),
      roomId: newRoomId(),
      direction: 'outgoing',
      other: callee,
      outcome: 'ringing',
    };
    const calleeLine = lineOf(this.env, contactId);
    const rung = calleeLine.ring({ id: call.id, roomId: call.roomId, caller, callee });
    const rows = { id: call.id, roomId: call.roomId, callerId: this.userId, calleeId: contactId };
    const stored = usingDatabase(this.env, (db) => storeRingCall(db, rows));
    // The callee's phone rings now; the caller, who opens the room at once, hears once it exists.
    const [ring, write] = await Promise.allSettled([rung, stored]);
    if (ring.status === 'rejected') lineLog('ring_failed', ring.reason);
    if (write.status === 'rejected') lineLog('call_not_stored', write.reason);
    const written = write.status === 'fulfilled' && write.value;
    this.ctx.waitUntil(this.#confirm(calleeLine, call, ring.status === 'fulfilled', written));
    const view = ring.status === 'fulfilled' && written ? ring.value : { ...call, outcome: 'failed' as const };
    this.mirror(view, Date.now());
    return { call: view };
  }

  /** A tab's `ring`: the tab `ws` gets the answer, with the message's request id. */
  ringFromTab(ws: WebSocket, caller: Person, message: Extract<LineClientMessage, { type: 'ring' }>, now: number): void {
    this.start(caller, message.contactId, now).then(
      (started) => sendLine(ws, ringAnswer(message.requestId, started)),
      (error) => {
        lineLog('ring_failed', error);
        sendLine(ws, ringAnswer(message.requestId, undefined));
      },
    );
  }

  /** A mutual contact of this user, from the line's list, or else from Postgres (a contact added a moment ago). */
  async #contact(contactId: string): Promise<Person | undefined> {
    return this.presence.contact(contactId) ?? usingDatabase(this.env, (db) => contactOf(db, this.userId, contactId));
  }

  /** The callee's line hears whether the rows exist; a call that never rang loses them (in nobody's history). */
  async #confirm(calleeLine: DurableObjectStub<UserLineRpc>, call: CallView, rang: boolean, written: boolean) {
    if (!rang && written) {
      await usingDatabase(this.env, (db) => forgetRingCall(db, call.roomId)).catch((error) =>
        lineLog('failed_call_not_forgotten', error),
      );
    }
    await calleeLine.stored(call.id, rang && written).catch((error) => lineLog('callee_not_told_stored', error));
  }
}

/** The line's answer to a tab's `ring` (protocol/user-line.ts): the call, or why nothing rang. */
function ringAnswer(requestId: string, started: StartedCall | undefined): LineServerMessage {
  if (!started) {
    return { type: 'error', code: 'unavailable', requestId, message: 'Could not reach EdgeCall just now. Try again.' };
  }
  if ('call' in started) return { type: 'call', call: started.call, requestId };
  if (started.refused === 'not_a_contact') {
    return { type: 'error', code: 'not_a_contact', requestId, message: 'You can only call your contacts.' };
  }
  return { type: 'error', code: 'rate_limited', requestId, message: tooManyRings(started.retryAfterSeconds) };
}

/** Why a ring over the limit was refused, for people (the line's `error` and the HTTP 429 alike). */
export function tooManyRings(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many calls. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
