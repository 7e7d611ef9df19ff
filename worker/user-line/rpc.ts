/**
 * What the Worker, the call rooms and other users' lines may call on a user's line through its
 * binding (`env.USER_LINES`, addressed by `idFromName(userId)`), besides the WebSocket handoff
 * (handoff.ts). Declared apart from the UserLine class so that the bindings (env.ts) are typed
 * without importing the Durable Object: no import cycle. UserLine implements it.
 *
 * The line-to-line calls (`watch`, `presenceChanged`, `callChanged`) never wait for the called
 * line's queue of events, and the lines that wait for another's queue (`ring`, `cancel`, `stored`)
 * never do so from their own queue, so two lines that call each other at once cannot deadlock.
 */
import type { CallView, LineErrorCode, Person, Presence } from '../../protocol/user-line.ts';

/** A call the caller's line started (its room and row are being written), for the callee's line to ring. */
export interface RingRequest {
  id: string;
  roomId: string;
  caller: Person;
  callee: Person;
}

/** A user's presence and how many times it changed: a line keeps the newest it heard. */
export interface PresenceStamp {
  presence: Presence;
  version: number;
}

export type CallRefusal = Extract<LineErrorCode, 'unknown_call' | 'call_settled'>;

/** What ringing a contact came to: the caller's view of the call, or why nothing rang. */
export type StartedCall =
  | { call: CallView }
  | { refused: 'not_a_contact' }
  | { refused: 'rate_limited'; retryAfterSeconds: number };

export interface UserLineRpc extends Rpc.DurableObjectBranded {
  /** Caller's line (the Worker, for `POST /api/calls`): ring a contact, as the line's `ring` message does. */
  startCall(caller: Person, contactId: string): Promise<StartedCall>;
  /** Callee's line: ring this call (or settle it at once: offline, busy). The caller's view of it. */
  ring(call: RingRequest): Promise<CallView>;
  /** Callee's line: the caller's line wrote the call's room and row (true), or could not (the call fails). */
  stored(callId: string, written: boolean): Promise<void>;
  /** Callee's line: the caller gives up. Undefined when it was ringing and is now cancelled. */
  cancel(callId: string, callerId: string): Promise<CallRefusal | undefined>;
  /** Caller's line: the callee's line reports the call's new state, for the caller's tabs. */
  callChanged(view: CallView): Promise<void>;
  /** A contact's line opened: it hears this user's presence changes from now on; the current one. */
  watch(watcherId: string): Promise<PresenceStamp>;
  /** That contact no longer listens (the contact was removed). */
  unwatch(watcherId: string): Promise<void>;
  /** A contact's presence changed; false when this line has no tab open and stops listening. */
  presenceChanged(contactId: string, stamp: PresenceStamp): Promise<boolean>;
  /** A call room: this user took (true) or left (false) a seat there; `seq` grows per room. */
  seated(roomId: string, seated: boolean, seq: number): Promise<void>;
  /** The contacts API changed this user's contacts or requests. */
  contactsChanged(): Promise<void>;
  /** The contacts API removed this contact: from now on this line does not ring them. */
  contactRemoved(contactId: string): Promise<void>;
}
