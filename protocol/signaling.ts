/**
 * The call-room signaling protocol, version 2: the one contract between the room Durable Object
 * (worker/call-room) and the call engine (web/call). Both sides validate every message they receive
 * with these schemas; nothing is forwarded blindly. This file is the only normative text of the
 * rules below and of each message and close code: the room (worker/call-room/call-room.ts), the
 * engine (web/call) and README say what their side does and point here.
 *
 * Flow: the browser opens `GET /api/rooms/:id/ws` (the Worker has already checked the session
 * cookie and the room) and sends `join`. The room answers `welcome` with its peer id, the other
 * peer if one is seated, and whether this side is the polite peer of perfect negotiation. When
 * the other peer arrives it gets `peer-joined`; when it leaves, `peer-left`. The socket may be
 * opened early (the lobby) and `join` sent later: until it joins it holds no seat, is not in the
 * call and hears nothing.
 *
 * Negotiation starts only when both peers are seated, so there is never an offer to queue: the
 * newcomer (`welcome` with a peer) sends the first offer, the other side (`peer-joined`) answers
 * it and never offers first (version 2; in version 1 the impolite peer offered). A client may
 * ready its RTCPeerConnection, offer and candidates beforehand, but sends no `signal` until then.
 * It may send that offer in `join` instead: the room hands it to the seated peer right after
 * `peer-joined`, as a `signal`, and drops it when nobody is there (`welcome` says so).
 * A `signal` sent while alone is answered with an `error` (code `no_peer`) and dropped.
 *
 * Roles: `polite` is derived from the two user ids (the smaller id is polite), so it is stable
 * across reloads and reconnects; the impolite peer is the one that restarts ICE.
 *
 * Recovery: a client whose socket dropped (1006, 1001, `Stale`, …) reconnects on its own with
 * backoff and sends `resume` with the peer id the room gave it last time. The room gives that peer
 * id back unless another user's connection holds it (a peer id names a connection, not a person:
 * the only view it can mislead is the other side's view of this same user). So a peer id names
 * one RTCPeerConnection on the client's side: the other peer hears `peer-left` (gone) then
 * `peer-joined` with the SAME peer id and keeps its RTCPeerConnection, media never stops for a
 * signaling hiccup (so a `join` with `resume` carries no offer); a reload has no peer id to resume,
 * so a new peer id means a new RTCPeerConnection. When ICE is `disconnected` for a few seconds or `failed`, the impolite peer
 * (only it: no crossing restarts) fetches fresh TURN credentials and calls `restartIce()`; the
 * restart offer goes through the usual perfect negotiation, once both peers are seated.
 *
 * Seats: a room seats ROOM_CAPACITY people. A peer id names one connection, not a person: the
 * same user connecting again (reload, second tab, reconnect) takes over their own seat, the old
 * socket is closed with `Replaced`, and the other peer hears `peer-left` (reason `gone`) for the
 * old peer id, then `peer-joined` for the new one, with the same user id (and the same peer id
 * after a reconnect: see Recovery). Someone who drops without `bye` keeps
 * their seat for LIVENESS_WINDOW_MS after their last sign of life, so a third person cannot take
 * it while they reconnect; `bye` frees it at once.
 *
 * Liveness: clients send the exact text PING at least every PING_INTERVAL_MS; the room answers
 * PONG without waking up (WebSocket auto-response). A socket silent for LIVENESS_WINDOW_MS no
 * longer holds its seat: it is closed with `Stale` when someone else joins.
 *
 * Sessions: a socket belongs to the session that opened it, and the Worker checks that session in
 * Postgres before it opens the socket. `join` is refused (`SessionEnded`) once that session was
 * revoked (logout, password reset or change, a device signed out) or expired: a join less than
 * JOIN_RECHECK_AFTER_MS after its socket opened relies on the Worker's check (so a join right
 * after opening a link costs no query), a later one is checked in Postgres again first (close
 * `Unavailable` when that fails). So a session revoked before its socket opened never takes a seat,
 * nor does one revoked at least JOIN_RECHECK_AFTER_MS before the join. The room also re-checks the
 * sessions of its open sockets at least every SESSION_CHECK_INTERVAL_MS, closing those whose
 * session ended with `SessionEnded`, so a socket stops signaling within that interval of the
 * revocation (seated or not) and is closed within twice it. TURN credentials
 * (`GET /api/turn-credentials?room=`) are handed out only to a user with an open socket in the room.
 *
 * Sockets: at most MAX_SOCKETS_PER_USER open sockets per user in a room and MAX_SOCKETS_PER_ROOM in
 * all; a socket over either is closed at once with `TooManySockets`. A socket that has not joined
 * LOBBY_TIMEOUT_MS after it opened is closed with `LobbyTimeout`; the client opens a new one when
 * the user joins.
 *
 * Standby (a rung call's room only): while it rings, each ringing tab of the callee may connect
 * to the seated caller ahead of Accept, with no seat. The Worker tells the room who the room's
 * invitee is (the callee of the rung call that made it); only that user may send `standby`, on a
 * socket that has not joined, at most MAX_STANDBYS at once, and not while they hold a seat. The
 * room answers `standing-by` (with the seated caller, if any). A standby is the newcomer towards
 * the caller: it makes the first offer, in `standby` (handed to the caller right after
 * `standby-joined`, dropped when nobody is seated) or when it hears `peer-joined`. The seated
 * caller hears `standby-joined` for each standby (also those there before it sat down, right after
 * its `welcome`) and `standby-left` when one goes; it addresses its signals to a standby with
 * `to`, which keeps naming that connection once it takes the seat (a signal that crossed its join
 * still reaches it). A standby's signals go to the seated caller only, and it hears only the
 * caller's signals to it, `peer-joined` and `peer-left`: no `media`, no `error` of others. Neither
 * side sends media on a standby's connection (no RTP before the answer). Accept sends `join` on
 * the standby socket: the caller hears `standby-answering` at once, and the join takes the seat
 * like any join, keeping the peer id, so the caller's `peer-joined` names the connection it
 * already has; both sides only put their tracks on it. The invitee's other standbys are closed
 * then with `AnsweredElsewhere`. The first standby to join wins: its tab tells the user line it
 * answered only after its `welcome`, so the line and the room name the same tab.
 *
 * Limits: at most MAX_MESSAGE_BYTES per message and MAX_MESSAGES_PER_SECOND sustained (bursts of
 * MAX_MESSAGE_BURST), PINGs not counted. Invalid messages are answered with `error`; a client that
 * keeps sending them, or breaks a limit, is closed (see CloseCode). The other peer sees none of it,
 * only a `peer-left` (gone) if the culprit held a seat.
 */
import * as v from 'valibot';

/** 2: the newcomer makes the first offer (see above); a v1 client would offer from the other side too. */
export const PROTOCOL_VERSION = 2;
/** Larger messages are refused with close code 1009. An SDP with many codecs fits easily. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
export const PING = 'ping';
export const PONG = 'pong';
export const PING_INTERVAL_MS = 10_000;
export const LIVENESS_WINDOW_MS = 30_000;
/** One-to-one calls. */
export const ROOM_CAPACITY = 2;
/** Sustained message rate per socket (a token bucket): far above what negotiation needs. */
export const MAX_MESSAGES_PER_SECOND = 50;
/** Messages a socket may send at once, e.g. a burst of ICE candidates. */
export const MAX_MESSAGE_BURST = 200;
/** Open sockets one user may have in one room: a few tabs and a reconnect in flight. */
export const MAX_SOCKETS_PER_USER = 4;
/** Open sockets in one room, joined or not: two seats and the lobbies of a few visitors. */
export const MAX_SOCKETS_PER_ROOM = 16;
/** Standby sockets in a rung room at once (see Standby): the callee's ringing tabs. */
export const MAX_STANDBYS = 3;
/** A socket that has not joined this long after it opened is closed (`LobbyTimeout`). */
export const LOBBY_TIMEOUT_MS = 10 * 60_000;
/**
 * A `join` this soon after its socket opened relies on the session check the Worker made to open
 * it; a later one is checked again (see Sessions). Short next to SESSION_CHECK_INTERVAL_MS, and
 * long enough for someone who opens a link and joins at once.
 */
export const JOIN_RECHECK_AFTER_MS = 10_000;
/** The room re-checks the sessions of its open sockets at least this often (see Sessions). */
export const SESSION_CHECK_INTERVAL_MS = 30_000;

/**
 * WebSocket close codes used by the room (1000–1015 are standard; 4000–4999 are ours), and what a
 * client should do about each.
 */
export const CloseCode = {
  /**
   * Normal: the client said bye. Done. Both ways: a client closes with 1000 only to leave, and
   * the room takes that close as its bye (the message may arrive after the close, or never).
   */
  Normal: 1000,
  /** Repeated invalid messages (a bug): reconnecting will not help until the client is fixed. */
  PolicyViolation: 1008,
  /** A message over MAX_MESSAGE_BYTES (a bug). */
  MessageTooBig: 1009,
  /** The room could not check the session behind a `join` (its database did not answer). Reconnect. */
  Unavailable: 1011,
  /** Two other people are already in the call. Do not retry on your own; tell the user. */
  RoomFull: 4001,
  /**
   * The same user connected again (reload, second tab, reconnect): this socket lost its seat.
   * Do not reconnect automatically, or two tabs would take the seat from each other forever.
   */
  Replaced: 4002,
  /** The client speaks another protocol version: reload the app. */
  UnsupportedVersion: 4003,
  /** Neither a PING nor a message for LIVENESS_WINDOW_MS: the seat was given up. Reconnect. */
  Stale: 4004,
  /**
   * The session that opened this socket ended (logout, password reset or change, signed out from
   * another device, expiry): see Sessions. Do not reconnect; the user has to sign in again.
   */
  SessionEnded: 4005,
  /**
   * Over MAX_SOCKETS_PER_USER for this user in this room, or MAX_SOCKETS_PER_ROOM in the room. Do
   * not reconnect on your own (it would only be refused again); close other tabs first.
   */
  TooManySockets: 4006,
  /** Opened but not joined within LOBBY_TIMEOUT_MS. Do not reconnect now: open a new socket to join. */
  LobbyTimeout: 4007,
  /** Over MAX_MESSAGES_PER_SECOND (a bug). */
  RateLimited: 4008,
  /**
   * A standby (see Standby) whose ring was answered in another tab of the same user, which took
   * the seat. Do not reconnect: the call is that tab's.
   */
  AnsweredElsewhere: 4009,
} as const;

const PeerIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

export const MediaStateSchema = v.strictObject({
  mic: v.boolean(),
  camera: v.boolean(),
  screen: v.boolean(),
});
export type MediaState = v.InferOutput<typeof MediaStateSchema>;

const SdpSchema = v.pipe(v.string(), v.maxLength(MAX_MESSAGE_BYTES));

const SessionDescriptionSchema = v.strictObject({
  type: v.picklist(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: SdpSchema,
});

/** A first offer sent along with `join` (see above). */
export const JoinOfferSchema = v.strictObject({ type: v.literal('offer'), sdp: SdpSchema });
export type JoinOffer = v.InferOutput<typeof JoinOfferSchema>;

const IceCandidateSchema = v.strictObject({
  candidate: v.pipe(v.string(), v.maxLength(4096)),
  sdpMid: v.nullish(v.pipe(v.string(), v.maxLength(256))),
  sdpMLineIndex: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1024))),
  usernameFragment: v.nullish(v.pipe(v.string(), v.maxLength(256))),
});

/** What travels between the two browsers, opaque to the room beyond its shape. */
export const SignalSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('description'), description: SessionDescriptionSchema }),
  v.strictObject({ kind: v.literal('candidate'), candidate: IceCandidateSchema }),
]);
export type Signal = v.InferOutput<typeof SignalSchema>;

/**
 * A seated peer, as the other side sees it: one connection (`peerId`, see Seats) and the person
 * holding it, with what they have on.
 */
export const PeerSchema = v.strictObject({
  peerId: PeerIdSchema,
  userId: v.string(),
  username: v.string(),
  media: MediaStateSchema,
});
export type Peer = v.InferOutput<typeof PeerSchema>;

/** Browser → room. */
export const ClientMessageSchema = v.variant('type', [
  /**
   * Take a seat (see Seats): answered with `welcome`, or `room-full` then close `RoomFull`. Sent
   * once per socket, when the user joins (the socket may have been open in the lobby before). A
   * `version` other than PROTOCOL_VERSION is closed with `UnsupportedVersion`, a session that
   * ended with `SessionEnded`; `already_joined` if sent again.
   */
  v.strictObject({
    type: v.literal('join'),
    version: v.number(),
    /**
     * What this side has on now, or is opening as it joins (Accept opens the camera and microphone
     * in the same click; a device that fails is corrected by `media`); the other peer gets it in
     * `welcome`, `peer-joined` or `standby-answering`.
     */
    media: MediaStateSchema,
    /** The peer id this client had before its socket dropped: see Recovery. */
    resume: v.optional(PeerIdSchema),
    /** The newcomer's first offer, handed to the seated peer or dropped (see Flow); never with `resume`. */
    offer: v.optional(JoinOfferSchema),
  }),
  /**
   * To the other seated peer, as `signal` with `from`; `not_joined` before `join` (or `standby`),
   * `no_peer` while alone. A standby's goes to the seated caller (see Standby).
   */
  v.strictObject({
    type: v.literal('signal'),
    signal: SignalSchema,
    /** From a seated socket: to this standby, or the seat it took, instead of the seated peer (`no_peer` if there is none). */
    to: v.optional(PeerIdSchema),
  }),
  /**
   * Wait beside the seats while a rung call rings this user (see Standby): answered with
   * `standing-by`, or refused with `error` `standby_refused` (not the room's invitee, already
   * seated or standing by, MAX_STANDBYS reached). A `version` other than PROTOCOL_VERSION is
   * closed with `UnsupportedVersion`.
   */
  v.strictObject({
    type: v.literal('standby'),
    version: v.number(),
    /** The first offer, handed to the seated caller or dropped, as with `join`. */
    offer: v.optional(JoinOfferSchema),
  }),
  /**
   * This side's microphone, camera or screen changed: relayed to the other seated peer as `media`,
   * and remembered, so a peer arriving later finds it in `welcome` or `peer-joined`.
   */
  v.strictObject({ type: v.literal('media'), media: MediaStateSchema }),
  /** Leaving the call: the seat is freed at once, the other peer hears `peer-left` (bye), the room closes with `Normal`. */
  v.strictObject({ type: v.literal('bye') }),
]);
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;

/**
 * Why a message was refused (in `error`); the socket stays open (see Limits for when it does not).
 * `bad_message`: not valid JSON, or not one of ClientMessageSchema · `not_joined`: `signal` or
 * `media` before `join` · `no_peer`: a `signal` while nobody else is seated (dropped, not queued) ·
 * `already_joined`: a second `join` on one socket · `standby_refused`: a `standby` the rules
 * refuse (see Standby).
 */
export const ErrorCodeSchema = v.picklist([
  'bad_message',
  'not_joined',
  'no_peer',
  'already_joined',
  'standby_refused',
]);
export type ErrorCode = v.InferOutput<typeof ErrorCodeSchema>;

/** Room → browser. */
export const ServerMessageSchema = v.variant('type', [
  /**
   * The answer to `join`: this socket's seat. `peerId` names this connection (kept across a
   * Recovery). With a peer, this side is the newcomer and makes the first offer (see Flow).
   */
  v.strictObject({
    type: v.literal('welcome'),
    version: v.literal(PROTOCOL_VERSION),
    peerId: PeerIdSchema,
    /** The other peer, if seated; `polite` is this side's role towards it (false when alone). */
    peer: v.nullable(PeerSchema),
    polite: v.boolean(),
  }),
  /**
   * The other peer took the seat beside this one (new, reloaded, or back from a drop with the same
   * peer id: see Recovery). It makes the first offer; this side answers it and never offers first.
   */
  v.strictObject({ type: v.literal('peer-joined'), peer: PeerSchema, polite: v.boolean() }),
  /** The other peer left its seat (or this peer id was replaced: see Seats). */
  v.strictObject({
    type: v.literal('peer-left'),
    peerId: PeerIdSchema,
    /** `bye`: ended the call; `gone`: the connection was lost (they may come back). */
    reason: v.picklist(['bye', 'gone']),
  }),
  /** The other peer's `signal` (or the offer it sent with `join`), rebuilt from its parsed fields. */
  v.strictObject({ type: v.literal('signal'), from: PeerIdSchema, signal: SignalSchema }),
  /** The other peer's `media`, rebuilt from its parsed fields. */
  v.strictObject({ type: v.literal('media'), from: PeerIdSchema, media: MediaStateSchema }),
  /**
   * The answer to `standby`: this socket's peer id (kept when it joins) and the seated caller, if
   * any, with this side's role towards them (see Standby).
   */
  v.strictObject({
    type: v.literal('standing-by'),
    version: v.literal(PROTOCOL_VERSION),
    peerId: PeerIdSchema,
    peer: v.nullable(PeerSchema),
    polite: v.boolean(),
  }),
  /** To the seated caller: the invitee stands by on another connection, which makes the first offer. */
  v.strictObject({ type: v.literal('standby-joined'), peer: PeerSchema, polite: v.boolean() }),
  /**
   * To the seated caller: that standby sent `join` (its user's Accept) and takes the seat now; sent
   * before the room's bookkeeping of the seat, so the caller may put its tracks on that connection
   * at once. `peer-joined` follows for it.
   */
  v.strictObject({
    type: v.literal('standby-answering'),
    peerId: PeerIdSchema,
    /** The media its `join` announced. */
    media: MediaStateSchema,
  }),
  /** To the seated caller: that standby is gone (closed, or closed by the room); not when it took the seat. */
  v.strictObject({ type: v.literal('standby-left'), peerId: PeerIdSchema }),
  /** Both seats are held: the room closes the socket with `RoomFull` right after. */
  v.strictObject({ type: v.literal('room-full') }),
  /** A refused message (ErrorCode); `message` is for people (logs, the debug console), not for logic. */
  v.strictObject({ type: v.literal('error'), code: ErrorCodeSchema, message: v.string() }),
]);
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;

/** Parses one incoming frame; `undefined` for anything that is not a valid message. */
export function parseMessage<S extends v.GenericSchema>(schema: S, data: string): v.InferOutput<S> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = v.safeParse(schema, json);
  return result.success ? result.output : undefined;
}

/** The polite peer of a pair: stable for the same two users, whoever joined first. */
export function isPolite(userId: string, otherUserId: string): boolean {
  return userId < otherUserId;
}
