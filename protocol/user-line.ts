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
 * HTTP). Nothing on the line is a reply to a request except `error`, and the `call` that answers a
 * `ring` (both carry the ring's `requestId`).
 *
 * Presence: `in-call` while the user is seated in a call room, else `online` while they have at
 * least one tab's line open, else `offline`. Only mutual contacts see it, and only while they
 * have a line open themselves.
 *
 * Ringing: the caller rings a contact with `ring` on their own line (answered on that tab with the
 * `call` view carrying the message's `requestId`, or `error` `not_a_contact` / `rate_limited` with
 * it), or with `POST /api/calls` (HTTP, the same operation: 201, 403 `not_a_contact`, 429). The
 * caller's line decides: only a mutual contact may be rung (anyone else: nothing reaches them), at
 * most RINGS_PER_CALLER in RING_WINDOW_MS, counted by the caller's line (exact under concurrent
 * rings). It checks the contact against the contact list it keeps while a tab is open (read when
 * the first tab opens, kept current by the contacts API), and reads Postgres for one it does not
 * know. Removing a contact reaches both lines before the removal is answered, so from then on
 * neither rings the other. The caller's line asks the callee's line to ring at once and writes the
 * call's room and row alongside, and only while the two are mutual contacts in Postgres; until the
 * callee's line hears that they are written, an `accept` waits there (nobody is sent into a room
 * that does not exist yet). A call whose rows could not be written (the database failed, or the
 * contact was removed meanwhile) settles `failed` on both sides and is in nobody's history.
 * The callee's line owns the ringing state machine: it settles
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
 * `ring` of a mutual contact within the ring limit, or a valid `accept`, `decline` or `cancel` of
 * one of its own ringing calls.
 */
import * as v from 'valibot';
import { CALL_OUTCOMES } from './calls.ts';
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
/** The largest client message is a `ring` of about two hundred bytes. Larger: `MessageTooBig`. */
export const MAX_MESSAGE_BYTES = 1024;
/** Rings a caller may start in RING_WINDOW_MS (one every ten seconds on average, far above a person redialling). */
export const RINGS_PER_CALLER = 60;
/** The ring limit's window: it starts at the first ring after the last window ended. */
export const RING_WINDOW_MS = 10 * 60_000;
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

/**
 * How a call stands on the line: its outcome (protocol/calls.ts), or `failed`: its room and row
 * could not be written (see Ringing), so nobody can join it and no history shows it.
 */
export const RingOutcomeSchema = v.picklist([...CALL_OUTCOMES, 'failed']);
export type RingOutcome = v.InferOutput<typeof RingOutcomeSchema>;

/** A call as one side sees it: `other` is the other person; `outcome` is `ringing` until settled. */
export const CallViewSchema = v.strictObject({
  id: IdSchema,
  roomId: v.string(),
  direction: v.picklist(['incoming', 'outgoing']),
  other: PersonSchema,
  outcome: RingOutcomeSchema,
  /** Only on `answered`, to the callee's tabs: whether this tab's `accept` won. */
  answeredHere: v.optional(v.boolean()),
});
export type CallView = v.InferOutput<typeof CallViewSchema>;

/** A tab's name for one of its `ring`s, echoed on the answer: any short string it chooses. */
const RequestIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** Browser → line. */
export const LineClientMessageSchema = v.variant('type', [
  /** The caller rings a contact (a user id); answered on this tab with `call` or `error`, with `requestId`. */
  v.strictObject({
    type: v.literal('ring'),
    contactId: v.pipe(v.string(), v.uuid()),
    requestId: RequestIdSchema,
  }),
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
 * timeout, or the other side · `not_a_contact`: a `ring` of someone who is not a mutual contact
 * (nothing reached them) · `rate_limited`: a `ring` past RINGS_PER_CALLER (nothing reached anyone)
 * · `unavailable`: a `ring` the line could not check (its database did not answer): try again.
 */
export const LineErrorCodeSchema = v.picklist([
  'bad_message',
  'unknown_call',
  'call_settled',
  'not_a_contact',
  'rate_limited',
  'unavailable',
]);
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
  /** A call of this user started ringing or changed (see Ringing); `requestId`: it answers this tab's `ring`. */
  v.strictObject({ type: v.literal('call'), call: CallViewSchema, requestId: v.optional(RequestIdSchema) }),
  /** A refused message; `message` is for people, not for logic; `requestId`: the refused `ring`'s. */
  v.strictObject({
    type: v.literal('error'),
    code: LineErrorCodeSchema,
    message: v.string(),
    requestId: v.optional(RequestIdSchema),
  }),
]);
export type LineServerMessage = v.InferOutput<typeof LineServerMessageSchema>;
