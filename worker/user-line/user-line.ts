/**
 * # The user line: the server side of protocol/user-line.ts
 *
 * One Durable Object per user (`USER_LINES.idFromName(userId)`), holding a hibernatable WebSocket
 * for each open tab of theirs. It is the one place that knows whether that user is online or in a
 * call, and the one owner of every call ringing *to* them. The rules (messages, outcomes, limits,
 * close codes) are written once, in protocol/user-line.ts; this file says how the line keeps them.
 *
 * The stateless Worker (routes.ts) checks the session cookie and hands the socket over with the
 * verified user (handoff.ts). A ring starts on the caller's line (outgoing.ts: a tab's `ring`, or
 * `POST /api/calls` through `startCall`), which asks the callee's line to ring (ringing.ts) while it
 * writes the call's rows. Call rooms tell a user's line when that user takes or leaves a seat
 * (worker/call-room/seat-notices.ts); the contacts API tells it when contacts changed (rpc.ts).
 *
 * Each frame is admitted by its size, rate and schema, refused messages counted as strikes
 * (worker/call-room/admission.ts, as in the room).
 *
 * ## State, and sleeping
 * As in the call room: per-tab state in socket attachments (tab.ts), what outlives a socket in
 * synchronous storage (presence-book.ts, call-book.ts), PINGs answered by the runtime, no timers.
 * One alarm, armed for the earliest of the next session sweep (while tabs are open) and the next
 * ring deadline (line-clock.ts). Events that await (the database, other lines) run one at a time in arrival order
 * (worker/call-room/serial.ts): that queue is what settles every race of a call to one outcome,
 * since `accept`, `decline`, `cancel` and the timeout all reach the callee's line and run there in
 * turn; the first settles the call and the others find it settled.
 *
 * ## Presence fan-out
 * When its first tab opens, a line reads its user's contact ids (one query) and calls `watch` on
 * each contact's line, which records it as a watcher and answers that contact's presence. When the
 * presence of the line's own user changes, it calls `presenceChanged` on its watchers only: the
 * contacts who have a tab open. A watcher whose tabs have all closed answers false and is dropped.
 * Every presence carries a version, so a late message never overwrites a newer one. Line-to-line
 * calls never wait on the called line's queue (they only read and write storage), so two lines
 * calling each other cannot deadlock; presence pushes leave through a queue of their own, in order,
 * without holding up ringing.
 */
import { DurableObject } from 'cloudflare:workers';
import {
  type CallView,
  type LineClientMessage,
  LineClientMessageSchema,
  LineCloseCode,
  type LineErrorCode,
  MAX_MESSAGE_BURST,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGES_PER_SECOND,
  MAX_TABS,
  type Person,
  PING,
  PONG,
} from '../../protocol/user-line.ts';
import { Admission } from '../call-room/admission.ts';
import { Connections } from '../call-room/connection.ts';
import { Serial } from '../call-room/serial.ts';
import { closeQuietly } from '../call-room/wire.ts';
import type { Env } from '../env.ts';
import { CallBook } from './call-book.ts';
import { readLineHandoff } from './handoff.ts';
import { LineClock } from './line-clock.ts';
import { Outgoing } from './outgoing.ts';
import { PresenceBook } from './presence-book.ts';
import { RingLimit } from './ring-limit.ts';
import { Ringing } from './ringing.ts';
import type { CallRefusal, PresenceStamp, RingRequest, StartedCall, UserLineRpc } from './rpc.ts';
import { newTab, type Tab } from './tab.ts';
import { Watching } from './watching.ts';
import { lineLog, sendLine } from './wire.ts';

/** Refused messages a tab may send before it is closed: a correct client sends almost none. */
const MAX_STRIKES = 50;

export class UserLine extends DurableObject<Env> implements UserLineRpc {
  readonly #tabs: Connections<Tab>;
  readonly #presence: PresenceBook;
  readonly #calls: CallBook;
  readonly #ringing: Ringing;
  readonly #outgoing: Outgoing;
  readonly #watching: Watching;
  readonly #clock: LineClock;
  readonly #serial = new Serial();
  readonly #admission: Admission<Tab, typeof LineClientMessageSchema, LineErrorCode>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#tabs = new Connections<Tab>(ctx);
    this.#clock = new LineClock(ctx, env, this.#tabs);
    this.#presence = new PresenceBook(ctx.storage.kv);
    this.#calls = new CallBook(ctx.storage.kv);
    const userId = ctx.id.name;
    if (!userId) throw new Error('a user line is addressed by idFromName(userId)');
    this.#watching = new Watching(env, userId, this.#presence, () => this.#openTabs());
    this.#ringing = new Ringing(
      ctx,
      env,
      userId,
      this.#calls,
      () => this.#openTabs(),
      (ws) => this.#tabs.get(ws).id,
    );
    const limit = new RingLimit(ctx.storage.kv);
    this.#outgoing = new Outgoing(ctx, env, userId, this.#presence, limit, (view, now) =>
      this.#ringing.mirror(view, now),
    );
    this.#admission = new Admission(this.#tabs, {
      schema: LineClientMessageSchema,
      maxBytes: MAX_MESSAGE_BYTES,
      perSecond: MAX_MESSAGES_PER_SECOND,
      burst: MAX_MESSAGE_BURST,
      maxStrikes: MAX_STRIKES,
      invalidText: 'That is not a valid line message.',
      strikesReason: 'too many refused messages',
      saveFrame: (ws) => this.#tabs.save(ws, this.#tabs.get(ws)),
      sendError: (ws, code, message) => sendLine(ws, { type: 'error', code, message }),
      refuse: (ws, code, reason) => this.#refuse(ws, code, reason),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    const handoff = readLineHandoff(request);
    if (!handoff) return new Response('Lines are opened through the Worker.', { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    if (this.#openTabs().length >= MAX_TABS) {
      server.accept();
      closeQuietly(server, LineCloseCode.TooManySockets, 'too many open tabs');
      return new Response(null, { status: 101, webSocket: client });
    }
    const now = Date.now();
    if (this.#openTabs().length === 0) this.#clock.firstTabOpened(now);
    this.ctx.acceptWebSocket(server);
    this.#tabs.save(server, newTab(handoff, now));
    this.#serial.run(() => this.#greet(server)).catch((error) => lineLog('greet_failed', error));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.#serial.run(async () => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const parsed = this.#admission.admit(ws, message, Date.now());
      if (parsed) await this.#handle(ws, parsed);
    });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await this.#serial.run(async () => {
      // As in the room: answer a close frame that arrived (1005, 1006, 1015: none did).
      if (code !== 1005 && code !== 1006 && code !== 1015) closeQuietly(ws, LineCloseCode.Normal, 'closed');
      await this.#tabsChanged();
    });
  }

  override async webSocketError(): Promise<void> {
    await this.#serial.run(() => this.#tabsChanged());
  }

  override async alarm(): Promise<void> {
    await this.#serial.run(async () => {
      const now = Date.now();
      await this.#ringing.timeOut(now);
      if (this.#clock.isDue(now)) await this.#sweep(now);
      await this.#arm();
    });
  }

  // ---- RPC (rpc.ts) ----

  async startCall(caller: Person, contactId: string): Promise<StartedCall> {
    if (caller.userId !== this.ctx.id.name) throw new Error('a line rings for its own user only');
    return this.#outgoing.start(caller, contactId, Date.now());
  }

  async ring(call: RingRequest): Promise<CallView> {
    return this.#serial.run(async () => {
      const view = await this.#ringing.ring(call, this.#presence.isSeated(), Date.now());
      await this.#arm();
      return view;
    });
  }

  async stored(callId: string, written: boolean): Promise<void> {
    await this.#serial.run(async () => {
      await this.#ringing.stored(callId, written, Date.now());
      await this.#arm();
    });
  }

  async cancel(callId: string, callerId: string): Promise<CallRefusal | undefined> {
    return this.#serial.run(() => this.#ringing.cancel(callId, callerId, Date.now()));
  }

  async callChanged(view: CallView): Promise<void> {
    this.#ringing.mirror(view, Date.now());
  }

  async watch(watcherId: string): Promise<PresenceStamp> {
    this.#presence.addWatcher(watcherId);
    return this.#presence.current();
  }

  async unwatch(watcherId: string): Promise<void> {
    this.#presence.dropWatcher(watcherId);
  }

  async presenceChanged(contactId: string, stamp: PresenceStamp): Promise<boolean> {
    return this.#watching.heard(contactId, stamp);
  }

  async seated(roomId: string, seated: boolean, seq: number): Promise<void> {
    const now = Date.now();
    this.#presence.recordSeat(roomId, seated, seq, now);
    this.#watching.announce();
    if (!seated) this.#ringing.roomLeft(roomId, now);
  }

  async contactsChanged(): Promise<void> {
    await this.#serial.run(() => this.#watching.contactsChanged());
  }

  async contactRemoved(contactId: string): Promise<void> {
    this.#presence.forget(contactId);
    this.#presence.dropWatcher(contactId);
  }

  // ---- Tabs ----

  #openTabs(): WebSocket[] {
    return this.#tabs.open();
  }

  /** A new tab: contacts' presence (asking them first if it is the only tab), then ringing calls. */
  async #greet(ws: WebSocket): Promise<void> {
    if (!this.#presence.isWatching()) {
      try {
        await this.#watching.start();
      } catch (error) {
        lineLog('contacts_unavailable', error);
        closeQuietly(ws, LineCloseCode.Unavailable, 'could not read your contacts, try again');
        await this.#tabsChanged();
        return;
      }
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    sendLine(ws, { type: 'presence', contacts: this.#presence.seen() });
    for (const record of this.#calls.ringing()) sendLine(ws, { type: 'call', call: record.call });
    this.#watching.announce();
    await this.#arm();
  }

  /** A tab closed: the last one takes presence offline and stops listening to contacts. */
  async #tabsChanged(): Promise<void> {
    if (this.#openTabs().length === 0 && this.#presence.isWatching()) this.#presence.setWatching(false);
    this.#watching.announce();
    await this.#arm();
  }

  async #handle(ws: WebSocket, message: LineClientMessage): Promise<void> {
    // Nothing reaches another person on sessions checked longer ago than the interval.
    const now = Date.now();
    if (this.#clock.isDue(now)) {
      await this.#sweep(now);
      if (ws.readyState !== WebSocket.OPEN) return;
    }
    switch (message.type) {
      case 'ring': {
        // Not awaited, as `cancel`: the callee's line may be ringing this user at the same moment.
        const { userId, username } = this.#tabs.get(ws);
        this.#outgoing.ringFromTab(ws, { userId, username }, message, now);
        break;
      }
      case 'accept':
      case 'decline': {
        const outcome = message.type === 'accept' ? 'answered' : 'declined';
        this.#refused(ws, await this.#ringing.answer(message.callId, outcome, this.#tabs.get(ws).id, now));
        await this.#arm();
        break;
      }
      case 'cancel':
        // The callee's line decides, and this queue does not wait for it: two users cancelling
        // calls to each other at once would otherwise each hold their line waiting for the other.
        this.#ringing.giveUp(message.callId).then((refusal) => this.#refused(ws, refusal));
        break;
      default:
        message satisfies never;
    }
  }

  #refused(ws: WebSocket, refusal: CallRefusal | undefined): void {
    const unknown = 'No call of yours with that id is ringing here.';
    if (refusal === 'unknown_call') this.#admission.reject(ws, refusal, unknown, Date.now());
    // A settled call is a race lost, not a fault: no strike.
    else if (refusal === 'call_settled') sendLine(ws, { type: 'error', code: refusal, message: 'That call is over.' });
  }

  #refuse(ws: WebSocket, code: number, reason: string): void {
    console.log(JSON.stringify({ event: 'line_refused', userId: this.#tabs.get(ws).userId, code, reason }));
    closeQuietly(ws, code, reason);
  }

  /** Closes tabs silent past the liveness window and those whose session ended (line-clock.ts). */
  async #sweep(now: number): Promise<void> {
    for (const { ws, code, reason } of await this.#clock.sweep(now)) this.#refuse(ws, code, reason);
    await this.#tabsChanged();
  }

  #arm(): Promise<void> {
    return this.#clock.arm(this.#calls.nextDeadline());
  }
}
