/**
 * In-call text chat over an RTCDataChannel: messages go straight from one browser to the other
 * (DTLS-encrypted, like the media) and never touch our server.
 *
 * The channel is pre-negotiated (`negotiated: true, id: 0`): both sides create the same channel
 * themselves, so no `datachannel` event and no extra signaling are needed, and neither side can
 * miss the other's channel. The offerer attaches it before its first offer (with its
 * transceivers), so that offer carries the data section; the answerer attaches it after applying
 * that offer and before answering, where it fires no `negotiationneeded` of its own (checked in
 * Chromium 156); `follow` tells the two apart. It rides on the SCTP association, which survives
 * ICE restarts (checked too); only a new peer connection (a reload) needs a new channel, so the
 * history lives in `Chat` and each peer connection in turn gets a channel of its own.
 *
 * Every message received is validated (`ChatWireSchema`); anything else is dropped. Messages are
 * kept in arrival order: `sentAt` is the sender's clock, shown but not trusted for ordering.
 * The other browser is not trusted either: it could flood us. Frames beyond MAX_INCOMING_PER_SECOND
 * are dropped before parsing (and the panel says so), and the history keeps the latest
 * MAX_CHAT_HISTORY messages, so neither memory nor rendering grows without bound.
 */
import * as v from 'valibot';
import { Emitter } from '../emitter.ts';

export const MAX_CHAT_TEXT = 2000;
/** Messages the history keeps; older ones are removed as new ones arrive. */
export const MAX_CHAT_HISTORY = 500;
/** Frames accepted from the peer per second, in bursts of as many; far above anyone typing. */
export const MAX_INCOMING_PER_SECOND = 20;
const MAX_DATE = 8.64e15;
/** Both sides must use the same label and id for the pre-negotiated channel. */
export const CHAT_CHANNEL = { label: 'chat', id: 0 } as const;

export const ChatWireSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CHAT_TEXT)),
  /** Sender's clock, ms since the epoch; at most the last time a Date can hold, so it always shows. */
  sentAt: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_DATE)),
});
export type ChatWire = v.InferOutput<typeof ChatWireSchema>;

export interface ChatMessage extends ChatWire {
  from: 'me' | 'peer';
}

/** One frame from the channel as a message, or undefined for anything else. */
export function parseChatWire(data: unknown): ChatWire | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const result = v.safeParse(ChatWireSchema, JSON.parse(data));
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}

/** Who sent it and its id: unique within a visit, and the list key of the message in the panel. */
export const messageKey = (message: ChatMessage): string => `${message.from}:${message.id}`;

/**
 * The history and the unread count, with no channel: what the chat panel and the "Chat" button's
 * badge show. Messages from the peer count as unread while the panel is closed.
 */
export class ChatLog {
  readonly #messages: ChatMessage[] = [];
  /** Keys of the messages in the history (not of removed ones), to spot a resend. */
  readonly #seen = new Set<string>();
  #unread = 0;
  #panelOpen = false;
  #trimmed = false;

  /** The latest MAX_CHAT_HISTORY messages, oldest first. */
  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  /** True once older messages have been removed to stay within MAX_CHAT_HISTORY. */
  get trimmed(): boolean {
    return this.#trimmed;
  }

  get unread(): number {
    return this.#unread;
  }

  get panelOpen(): boolean {
    return this.#panelOpen;
  }

  /** False for a message already in the log (a resend). */
  add(message: ChatMessage): boolean {
    if (this.#seen.has(messageKey(message))) return false;
    this.#seen.add(messageKey(message));
    this.#messages.push(message);
    if (this.#messages.length > MAX_CHAT_HISTORY) {
      this.#seen.delete(messageKey(this.#messages.shift() as ChatMessage));
      this.#trimmed = true;
    }
    if (message.from === 'peer' && !this.#panelOpen) this.#unread += 1;
    return true;
  }

  /** Opening the panel reads everything; while it is open nothing new is unread. */
  setPanelOpen(open: boolean): void {
    this.#panelOpen = open;
    if (open) this.#unread = 0;
  }
}

/** A token bucket for the peer's frames: bursts of MAX_INCOMING_PER_SECOND, refilled at that rate. */
class IncomingBudget {
  #tokens = MAX_INCOMING_PER_SECOND;
  #at: number | undefined;

  /** Spends one frame at time `now` (ms); false when the peer is over the rate. */
  take(now: number): boolean {
    // A clock set back refills nothing rather than draining.
    const elapsed = this.#at === undefined ? 0 : Math.max(0, now - this.#at);
    this.#tokens = Math.min(MAX_INCOMING_PER_SECOND, this.#tokens + (elapsed / 1000) * MAX_INCOMING_PER_SECOND);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** 96 random bits in hex; not crypto.randomUUID, which exists only in secure contexts. */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export type ChatState = 'connecting' | 'open' | 'closed';

export interface ChatEvents {
  /** The history, the unread count or the channel state changed: render again. */
  change: undefined;
}

type FollowedPeerConnection = Pick<
  RTCPeerConnection,
  'createDataChannel' | 'getTransceivers' | 'signalingState' | 'addEventListener' | 'removeEventListener'
>;

type Channel = Pick<RTCDataChannel, 'readyState' | 'send' | 'close' | 'addEventListener' | 'removeEventListener'>;

export class Chat extends ChatLog {
  readonly events = new Emitter<ChatEvents>();
  #channel: Channel | undefined;
  readonly #budget = new IncomingBudget();
  #dropped = 0;

  constructor(private readonly clock: { now: () => number; newId: () => string } = { now: Date.now, newId: randomId }) {
    super();
  }

  /** Frames from the peer dropped for coming faster than MAX_INCOMING_PER_SECOND. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The send box is enabled only while `open`. */
  get state(): ChatState {
    const ready = this.#channel?.readyState;
    return ready === 'open' ? 'open' : ready === 'connecting' ? 'connecting' : 'closed';
  }

  /**
   * Follows one of the call's peer connections from its birth (the engine's `peer-connection`
   * event): the side that offers has laid out its media plan already (../link/link.ts) and attaches
   * now, so the channel rides in its first offer; the side that answers attaches once that offer
   * is applied, just before its answer. Attaching there any earlier would make it offer too, and
   * the two first offers would collide. The returned function stops following and detaches.
   */
  follow(pc: FollowedPeerConnection): () => void {
    if (pc.getTransceivers().length > 0) return this.attach(pc);
    let detach: (() => void) | undefined;
    const onSignaling = () => {
      if (pc.signalingState !== 'have-remote-offer') return;
      pc.removeEventListener('signalingstatechange', onSignaling);
      // signalingstatechange fires before setRemoteDescription resolves, so before the answer.
      detach = this.attach(pc);
    };
    pc.addEventListener('signalingstatechange', onSignaling);
    return () => {
      pc.removeEventListener('signalingstatechange', onSignaling);
      detach?.();
    };
  }

  /** Opens the chat channel on `pc`; the returned function closes it (before the pc goes away). */
  attach(pc: Pick<RTCPeerConnection, 'createDataChannel'>): () => void {
    const channel = pc.createDataChannel(CHAT_CHANNEL.label, { negotiated: true, id: CHAT_CHANNEL.id });
    return this.bind(channel);
  }

  /** Uses an already created channel (what `attach` does after creating it). */
  bind(channel: Channel): () => void {
    this.#channel = channel;
    const changed = () => this.events.emit('change', undefined);
    const message = (event: Event) => {
      if (!this.#budget.take(this.clock.now())) {
        this.#dropped += 1;
        // Only the first drop changes what the panel shows; a flood must not cost a render a frame.
        if (this.#dropped === 1) changed();
        return;
      }
      const wire = parseChatWire((event as MessageEvent).data);
      if (wire && this.add({ ...wire, from: 'peer' })) changed();
    };
    const events = ['open', 'close'] as const;
    for (const type of events) channel.addEventListener(type, changed);
    channel.addEventListener('message', message);
    changed();
    return () => {
      for (const type of events) channel.removeEventListener(type, changed);
      channel.removeEventListener('message', message);
      channel.close();
      if (this.#channel === channel) this.#channel = undefined;
      changed();
    };
  }

  /**
   * Sends `text` (trimmed) and adds it to the history. Returns the message, or undefined when
   * there is nothing to send, it is too long, or the channel is not open.
   */
  send(text: string): ChatMessage | undefined {
    const wire = { id: this.clock.newId(), text: text.trim(), sentAt: this.clock.now() };
    if (this.state !== 'open' || !v.is(ChatWireSchema, wire)) return undefined;
    this.#channel?.send(JSON.stringify(wire));
    const message: ChatMessage = { ...wire, from: 'me' };
    this.add(message);
    this.events.emit('change', undefined);
    return message;
  }

  override setPanelOpen(open: boolean): void {
    super.setPanelOpen(open);
    this.events.emit('change', undefined);
  }
}
