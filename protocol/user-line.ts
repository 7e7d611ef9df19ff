/**
 * The user line: one WebSocket per open tab of a signed-in user, to that user's own Durable Object
 * (worker/user-line/). It carries presence and ringing. This file is the only normative text of
 * its rules and messages; the Durable Object and the SPA say what their side does and point here.
 *
 * Flow: every page of the SPA, once signed in, opens `GET USER_LINE_PATH` (the Worker checks the
 * session cookie). The line answers with `presence` for all of the user's contacts, then pushes a
 * `presence` with the changed entries whenever a contact's presence changes, and `contacts-changed`
 * when the contact list or its requests changed (the tab refetches them over HTTP).
 *
 * Presence: `online` while the user has at least one tab's line open, `in-call` while they are
 * seated in a call room, `offline` otherwise. Only mutual contacts see it.
 *
 * Ringing: the caller rings a contact with `POST /api/calls` (HTTP; 403 unless they are mutual
 * contacts, throttled per caller). The callee's line owns the ringing state machine: it settles
 * every call to exactly one outcome (protocol/calls.ts), whatever the races. Every tab of the
 * callee gets `call` (incoming, `ringing`); every tab of the caller gets `call` (outgoing) at each
 * change. `accept`, `decline` (callee) and `cancel` (caller) are messages on the line; the first
 * one to reach the callee's line wins, later ones get `error` `call_settled`. On `answered`, both
 * open the call's room and join at once; the tab whose `accept` won gets `answeredHere: true`, the
 * callee's other tabs stop ringing ("Answered on another device").
 *
 * Liveness: clients send the exact text PING every PING_INTERVAL_MS (auto-response PONG, as for
 * rooms). Limits: MAX_MESSAGE_BYTES per message, MAX_MESSAGES_PER_SECOND; invalid messages get
 * `error`, and persistent abuse closes the socket (CloseCode).
 */
import * as v from 'valibot';
import { CallOutcomeSchema } from './calls.ts';

/** The line's WebSocket, relative to the origin. */
export const USER_LINE_PATH = '/api/line/ws';

export const PresenceSchema = v.picklist(['online', 'in-call', 'offline']);
export type Presence = v.InferOutput<typeof PresenceSchema>;

const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** A person as the line names them. */
export const PersonSchema = v.strictObject({ userId: IdSchema, username: v.string() });
export type Person = v.InferOutput<typeof PersonSchema>;

/** A call as one side sees it: `other` is the other person; `outcome` is `ringing` until settled. */
export const CallViewSchema = v.strictObject({
  id: IdSchema,
  roomId: v.string(),
  direction: v.picklist(['incoming', 'outgoing']),
  other: PersonSchema,
  outcome: CallOutcomeSchema,
  /** Only on `answered`, to the callee's tabs: whether this tab's `accept` won. */
  answeredHere: v.optional(v.boolean()),
});
export type CallView = v.InferOutput<typeof CallViewSchema>;

/** Browser → line. */
export const LineClientMessageSchema = v.variant('type', [
  /** The callee accepts a ringing call (from this tab). */
  v.strictObject({ type: v.literal('accept'), callId: IdSchema }),
  /** The callee declines a ringing call. */
  v.strictObject({ type: v.literal('decline'), callId: IdSchema }),
  /** The caller gives up before an answer. */
  v.strictObject({ type: v.literal('cancel'), callId: IdSchema }),
]);
export type LineClientMessage = v.InferOutput<typeof LineClientMessageSchema>;

/** Line → browser. */
export const LineServerMessageSchema = v.variant('type', [
  /** Contacts' presence: all of them right after the line opens, then only those that changed. */
  v.strictObject({
    type: v.literal('presence'),
    contacts: v.array(v.strictObject({ userId: IdSchema, presence: PresenceSchema })),
  }),
  /** The contact list or its requests changed: refetch them. */
  v.strictObject({ type: v.literal('contacts-changed') }),
  /** A call of this user started ringing or changed (see Ringing). */
  v.strictObject({ type: v.literal('call'), call: CallViewSchema }),
  /** A refused message; `message` is for people, not for logic. */
  v.strictObject({
    type: v.literal('error'),
    code: v.picklist(['bad_message', 'unknown_call', 'call_settled']),
    message: v.string(),
  }),
]);
export type LineServerMessage = v.InferOutput<typeof LineServerMessageSchema>;
