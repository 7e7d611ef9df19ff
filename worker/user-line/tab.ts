/**
 * What a user's line knows about one open tab: it lives in the socket's attachment, so it survives
 * hibernation with the socket (worker/call-room/connection.ts's `Connections` reads and writes it).
 */
import { MAX_MESSAGE_BURST } from '../../protocol/user-line.ts';
import type { LineHandoff } from './handoff.ts';

export interface Tab {
  /** Names this tab in a call record (the tab whose `accept` waits for the call's rows: ringing.ts). */
  id: string;
  userId: string;
  username: string;
  /** The session that opened the line: checked by the line's sweeps. */
  sessionId: string;
  openedAt: number;
  /** When it last sent a message; its PINGs are answered by the runtime and timed there. */
  lastMessageAt: number;
  /** Token bucket: messages it may send, as of `tokensAt`. */
  tokens: number;
  tokensAt: number;
  /** Messages refused so far. */
  strikes: number;
}

export function newTab({ user, sessionId }: LineHandoff, now: number): Tab {
  return {
    id: crypto.randomUUID(),
    userId: user.id,
    username: user.username,
    sessionId,
    openedAt: now,
    lastMessageAt: now,
    tokens: MAX_MESSAGE_BURST,
    tokensAt: now,
    strikes: 0,
  };
}
