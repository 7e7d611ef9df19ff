/**
 * The user line: one WebSocket per open tab of a signed-in user, to that user's own Durable Object
 * (worker/user-line/). It carries presence and ringing. This file is the only normative text of
 * its rules and messages; the Durable Object, the SPA (web/line/) and README say what their side
 * does and point here. Liveness, sessions and close codes are those of the call room
 * (protocol/signaling.ts), re-exported below with what each means on a line.
 *
 * Flow: every page of the SPA, once signed in, opens `GET USER_LINE_PATH` (the Worker checks the
 * session cookie). The line answers with `presence` for all of the user's contacts, then `call`
 * for each call of this user that is ringing now (so a tab opened during a ring rings too). Then
 * it pushes a `presence` with the changed entries whenever a contact's presence changes, and
 * `contacts-changed` when the contact list or its requests changed (the tab refetches them over
 * HTTP). Nothing on the line is a reply to a request except `error`.
 *
 * Presence: `in-call` while the user is seated in a call room, else `online` while they have at
 * least one tab's line open, else `offline`. Only mutual contacts see it, and only while they
 * have a line open themselves.
 *
 * Ringing: the caller rings a contact with `POST /api/calls` (HTTP; 403 unless they are mutual
 * contacts, throttled per caller). The callee's line owns the ringing state machine: it settles
 * every call to exactly one outcome (protocol/calls.ts), whatever the races. Every tab of the
 * callee gets `call` (incoming, `ringing`); every tab of the caller gets `call` (outgoing) at each
 * change. A callee with no tab open settles `offline` at once; one in a call, or with another call
 * ringing in or out, settles `busy` at once (the callee's tabs get that `call` too: a quiet
 * notice, not a ring). `accept`, `decline` (callee) and `cancel` (caller) are messages on the line;
 * the first one to reach the callee's line wins, later ones get `error` `call_settled`. A ring
 * nobody answers settles `no_answer` RING_TIMEOUT_MS after it started. On `answered`, both open
 * the call's room and join at once; only the two of them may open that room. The tab whose
 * `accept` won gets `answeredHere: true`, the callee's other tabs `false` (they stop ringing:
 * "Answered on another device").
 *
 * Liveness: clients send the exact text PING every PING_INTERVAL_MS (answered PONG without waking
 * the line). A line silent for LIVENESS_WINDOW_MS no longer counts as an open tab: it is closed
 * with `Stale`, and the client reconnects.
 *
 * Sessions: as for rooms, a line belongs to the session that opened it and is closed with
 * `SessionEnded` within twice SESSION_CHECK_INTERVAL_MS of that session's end.
 *
 * Limits: at most MAX_TABS open lines per user (one more is closed at once with `TooManySockets`),
 * MAX_MESSAGE_BYTES per message, MAX_MESSAGES_PER_SECOND sustained (bursts of MAX_MESSAGE_BURST),
 * PINGs not counted. Invalid messages, and `accept`/`decline`/`cancel` the line cannot honour,
 * are answered with `error`; a client that keeps sending them, or breaks a limit, is closed
 * (LineCloseCode). Nothing a client sends on its line reaches anyone else unless it is a valid
 * `accept`, `decline` or `cancel` of one of its own ringing calls.
 */
import * as v from 'valibot';
import { CallOutcomeSchema } from './calls.ts';
import { CloseCode } from './signaling.ts';

export {
  LIVENESS_WINDOW_MS,
  PING,
  PING_INTERVAL_MS,
  PONG,
  parseMessage,
  SESSION_CHECK_INTERVAL_MS,
} from './signaling.ts';

/** The line's WebSocket, relative to the origin. */
export const USER_LINE_PATH = '/api/line/ws';

/** Open lines per user: many tabs and a reconnect in flight. */
export const MAX_TABS = 16;
/** The largest client message is an `accept` of about a hundred bytes. Larger: `MessageTooBig`. */
export const MAX_MESSAGE_BYTES = 1024;
/** Sustained messages per second per line (a token bucket): a person clicks far slower. */
export const MAX_MESSAGES_PER_SECOND = 10;
/** Messages a line may send at once. */
export const MAX_MESSAGE_BURST = 50;

/**
 * How a line is closed (values shared with the room's CloseCode, protocol/signaling.ts), and what
 * the client does about each.
 */
export const LineCloseCode = {
  /** The client closed it (the tab is going away). */
  Normal: CloseCode.Normal,
  /** Repeated invalid messages (a bug): do not reconnect until the client is fixed. */
  PolicyViolation: CloseCode.PolicyViolation,
  /** A message over MAX_MESSAGE_BYTES (a bug). */
  MessageTooBig: CloseCode.MessageTooBig,
  /** The line could not read the user's contacts (its database did not answer). Reconnect with backoff. */
  Unavailable: CloseCode.Unavailable,
  /** Silent for LIVENESS_WINDOW_MS (see Liveness). Reconnect. */
  Stale: CloseCode.Stale,
  /** The session that opened the line ended: do not reconnect; the user has to sign in again. */
  SessionEnded: CloseCode.SessionEnded,
  /** Over MAX_TABS lines for this user: do not reconnect on your own; close other tabs first. */
  TooManySockets: CloseCode.TooManySockets,
  /** Over MAX_MESSAGES_PER_SECOND (a bug). */
  RateLimited: CloseCode.RateLimited,
} as const;

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

/**
 * Why a message was refused (in `error`); the line stays open (see Limits for when it does not).
 * `bad_message`: not valid JSON, or not one of LineClientMessageSchema · `unknown_call`: no call of
 * this user with that id is ringing on this side (an `accept` from the caller, a `cancel` from the
 * callee, a made-up id) · `call_settled`: the call was settled by an earlier message, the
 * timeout, or the other side.
 */
export const LineErrorCodeSchema = v.picklist(['bad_message', 'unknown_call', 'call_settled']);
export type LineErrorCode = v.InferOutput<typeof LineErrorCodeSchema>;

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
  v.strictObject({ type: v.literal('error'), code: LineErrorCodeSchema, message: v.string() }),
]);
export type LineServerMessage = v.InferOutput<typeof LineServerMessageSchema>;
