/**
 * What every frame from a socket passes before it is handled, in both Durable Objects that take
 * client frames (this room, and the user line: worker/user-line/): its size, its rate (a token
 * bucket in the socket's attachment, connection.ts), then the schema. Invalid or refused messages
 * are answered with an error and counted as strikes; a socket past its strikes is cut off. The
 * limits and close codes are each protocol's (protocol/signaling.ts, protocol/user-line.ts, whose
 * codes for these closes are the room's).
 */
import type * as v from 'valibot';
import { CloseCode, parseMessage } from '../../protocol/signaling.ts';
import { type Connections, spendToken } from './connection.ts';
import { isTooBig } from './wire.ts';

/** What a socket's attachment needs for its limits. */
interface Limited {
  lastMessageAt: number;
  tokens: number;
  tokensAt: number;
  strikes: number;
}

export interface AdmissionRules<S extends v.GenericSchema, Code extends string> {
  schema: S;
  maxBytes: number;
  perSecond: number;
  burst: number;
  /** Strikes a socket may collect; one more closes it. */
  maxStrikes: number;
  /** What a frame that is no message of the protocol is told. */
  invalidText: string;
  /** The close reason of a socket past its strikes. */
  strikesReason: string;
  /** Writes what every frame changes (last message, bucket): at once or soon (connection.ts). */
  saveFrame: (ws: WebSocket) => void;
  sendError: (ws: WebSocket, code: Code, message: string) => void;
  /** Closes a socket that broke a limit, with whatever else that means for the object. */
  refuse: (ws: WebSocket, code: number, reason: string, now: number) => void;
}

export class Admission<C extends Limited, S extends v.GenericSchema, Code extends string> {
  constructor(
    private readonly connections: Connections<C>,
    private readonly rules: AdmissionRules<S, Code | 'bad_message'>,
  ) {}

  /** The limits, in order: size, rate, then the schema. Undefined when the frame goes no further. */
  admit(ws: WebSocket, message: string | ArrayBuffer, now: number): v.InferOutput<S> | undefined {
    const { rules } = this;
    const conn = this.connections.get(ws);
    const allowed = spendToken(conn, now, rules.perSecond, rules.burst);
    conn.lastMessageAt = now;
    rules.saveFrame(ws);
    if (isTooBig(message, rules.maxBytes)) rules.refuse(ws, CloseCode.MessageTooBig, 'message too big', now);
    else if (!allowed) rules.refuse(ws, CloseCode.RateLimited, 'too many messages', now);
    else {
      const parsed = typeof message === 'string' ? parseMessage(rules.schema, message) : undefined;
      if (!parsed) this.reject(ws, 'bad_message', rules.invalidText, now);
      return parsed;
    }
    return undefined;
  }

  /** Answers an invalid or refused message with an error; a socket that keeps sending them is cut off. */
  reject(ws: WebSocket, code: Code | 'bad_message', message: string, now: number): void {
    const conn = this.connections.get(ws);
    conn.strikes += 1;
    this.connections.save(ws, conn);
    if (conn.strikes > this.rules.maxStrikes) {
      this.rules.refuse(ws, CloseCode.PolicyViolation, this.rules.strikesReason, now);
    } else this.rules.sendError(ws, code, message);
  }
}
