/**
 * What the tab knows from its user line (protocol/user-line.ts): contacts' presence, the latest
 * view of each call it heard of, and the quiet notices a callee gets ("Answered on another
 * device", "<name> tried to call", a missed call). One store per tab, `line`, filled by the line
 * client (ringing.tsx) and read by any page through `useLine`; `reduce` is pure, so that the rules
 * are unit-tested without a socket.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CallView, LineClientMessage, LineServerMessage, Presence } from '../../protocol/user-line.ts';

/** `key`: the call's id, or the text itself for a notice about no call (a ring refused). */
export interface Notice {
  key: string;
  text: string;
}

export interface LineState {
  presence: Readonly<Record<string, Presence>>;
  /** The latest view of each call, by id. */
  calls: Readonly<Record<string, CallView>>;
  /** Moves at each `contacts-changed`: lists of contacts refetch when it does. */
  contactsVersion: number;
  notices: readonly Notice[];
}

export const EMPTY_LINE: LineState = { presence: {}, calls: {}, contactsVersion: 0, notices: [] };

export function reduce(state: LineState, message: LineServerMessage): LineState {
  switch (message.type) {
    case 'presence': {
      const presence = { ...state.presence };
      for (const { userId, presence: word } of message.contacts) presence[userId] = word;
      return { ...state, presence };
    }
    case 'contacts-changed':
      return { ...state, contactsVersion: state.contactsVersion + 1 };
    case 'call': {
      const { call } = message;
      const before = state.calls[call.id];
      // Views may cross (the ring's HTTP answer and the line): a settled call never rings again.
      if (before && before.outcome !== 'ringing' && call.outcome === 'ringing') return state;
      const notice = noticeFor(before, call);
      return {
        ...state,
        calls: { ...state.calls, [call.id]: call },
        notices: notice ? [...state.notices.filter((shown) => shown.key !== call.id), notice] : state.notices,
      };
    }
    case 'error':
      return state;
  }
}

/** What a callee is told quietly when a call changes without them answering it here. */
function noticeFor(before: CallView | undefined, after: CallView): Notice | undefined {
  if (after.direction !== 'incoming') return undefined;
  const { username } = after.other;
  const text =
    after.outcome === 'busy'
      ? `${username} tried to call`
      : before?.outcome !== 'ringing'
        ? undefined
        : after.outcome === 'answered' && !after.answeredHere
          ? 'Answered on another device'
          : after.outcome === 'cancelled' || after.outcome === 'no_answer'
            ? `Missed call from ${username}`
            : undefined;
  return text ? { key: after.id, text } : undefined;
}

/** The call a room belongs to, if this tab rang or was rung in it. */
export function callInRoom(state: LineState, roomId: string): CallView | undefined {
  return Object.values(state.calls).find((call) => call.roomId === roomId);
}

/** The call ringing this user, if any (the line lets only one ring at a time). */
export function ringingIncoming(state: LineState): CallView | undefined {
  return Object.values(state.calls).find((call) => call.direction === 'incoming' && call.outcome === 'ringing');
}

type Listener = (state: LineState) => void;

/** The line's answer to a tab's `ring`: the call, or why nothing rang (protocol/user-line.ts). */
export type RingAnswer = Extract<LineServerMessage, { type: 'call' | 'error' }>;

export class LineStore {
  #state = EMPTY_LINE;
  readonly #listeners = new Set<Listener>();
  /** `ring`s sent and not answered yet, by request id. */
  readonly #waiting = new Map<string, (answer: RingAnswer | undefined) => void>();
  /** Set by the line client while it runs; false when the line is not open. */
  sender: (message: LineClientMessage) => boolean = () => false;

  get state(): LineState {
    return this.#state;
  }

  apply(message: LineServerMessage): void {
    this.#set(reduce(this.#state, message));
    if ((message.type === 'call' || message.type === 'error') && message.requestId) {
      this.#waiting.get(message.requestId)?.(message);
    }
  }

  /**
   * Sends a `ring` on the line; resolves with its answer, `undefined` when the line did not answer
   * within `timeoutMs`, or `false` at once when the line is not open (nothing was sent).
   */
  ring(
    message: Extract<LineClientMessage, { type: 'ring' }>,
    timeoutMs: number,
  ): Promise<RingAnswer | undefined | false> {
    if (!this.send(message)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (answer: RingAnswer | undefined) => {
        clearTimeout(timer);
        this.#waiting.delete(message.requestId);
        resolve(answer);
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiting.set(message.requestId, done);
    });
  }

  /** Shows a notice that belongs to no call (a ring the server refused, say). */
  notify(text: string): void {
    this.#set({
      ...this.#state,
      notices: [...this.#state.notices.filter((notice) => notice.key !== text), { key: text, text }],
    });
  }

  dismiss(key: string): void {
    this.#set({ ...this.#state, notices: this.#state.notices.filter((notice) => notice.key !== key) });
  }

  /** Signed out: nothing of this user stays in the tab. */
  clear(): void {
    this.#set(EMPTY_LINE);
  }

  send(message: LineClientMessage): boolean {
    return this.sender(message);
  }

  /**
   * Sends now, or if the line is down, when it is back (the line greets every tab it opens, so
   * the next thing heard means it is open). The returned function gives up.
   */
  sendWhenOpen(message: LineClientMessage): () => void {
    if (this.send(message)) return () => {};
    const off = this.subscribe(() => {
      if (this.send(message)) off();
    });
    return off;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(state: LineState): void {
    this.#state = state;
    for (const listener of [...this.#listeners]) listener(state);
  }
}

export const line = new LineStore();

/** A value read from the line, re-rendering when it changes; `deps`: what `select` reads besides the state. */
export function useLine<T>(select: (state: LineState) => T, deps: readonly unknown[] = []): T {
  const [value, setValue] = useState(() => select(line.state));
  useEffect(() => {
    setValue(() => select(line.state));
    return line.subscribe((state) => setValue(() => select(state)));
  }, deps);
  return value;
}
