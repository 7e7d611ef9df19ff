/**
 * The room's standbys (rules: protocol/signaling.ts, Standby): the ringing tabs of a rung call's
 * invitee, connected to the seated caller before Accept so that answering needs no new connection.
 * A standby holds no seat; it only trades signals with the seated caller. This keeps who stands
 * by, introduces standbys and caller to each other whenever either arrives, and closes the
 * invitee's other standbys once one of their connections takes the seat.
 */
import {
  type ClientMessage,
  CloseCode,
  MAX_STANDBYS,
  type MediaState,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../../protocol/signaling.ts';
import { type Connection, type Connections, type Member, towards } from './connection.ts';
import type { SeatObserver } from './seats.ts';
import { closeQuietly, send } from './wire.ts';

type StandbyMessage = Extract<ClientMessage, { type: 'standby' }>;

export class Standbys implements SeatObserver {
  constructor(
    private readonly connections: Connections,
    /** The seated members (seats.ts). */
    private readonly members: () => Member[],
  ) {}

  /** `standby` from a socket: stands it by, or says why not (the refusal leaves it as it was). */
  stand(ws: WebSocket, conn: Connection, message: StandbyMessage): ErrorText | undefined {
    if (message.version !== PROTOCOL_VERSION) {
      closeQuietly(ws, CloseCode.UnsupportedVersion, `this room speaks protocol ${PROTOCOL_VERSION}`);
      return undefined;
    }
    const refusal = this.#refusal(conn);
    if (refusal) return refusal;
    conn.standby = true;
    this.connections.save(ws, conn);
    const caller = this.#caller(conn.userId);
    send(ws, {
      type: 'standing-by',
      version: PROTOCOL_VERSION,
      peerId: conn.peerId,
      ...towards(conn, caller?.conn),
    });
    // It knows the caller from `standing-by`: it offers now, or has sent its offer along.
    if (caller) this.#introduce(caller, { ws, conn }, message.offer, false);
    return undefined;
  }

  /** A standby's message, to the seated caller; whether there was one. */
  toCaller(conn: Connection, message: ServerMessage): boolean {
    const caller = this.#caller(conn.userId);
    if (caller) send(caller.ws, message);
    return caller !== undefined;
  }

  /**
   * A seated socket's message to the standby `peerId`, or to the seat that standby took: it keeps
   * its peer id, so a signal that crossed its join, and the caller's later signals on that
   * connection, still reach it. Whether there was one.
   */
  toStandby(from: WebSocket, peerId: string, message: ServerMessage): boolean {
    const to = (m: Member) => m.ws !== from && m.conn.peerId === peerId;
    const target = this.#standbys().find(to) ?? this.members().find(to);
    if (target) send(target.ws, message);
    return target !== undefined;
  }

  /** The socket closed or was closed: if it stood by, the caller hears it went. */
  gone(ws: WebSocket): void {
    const conn = this.connections.get(ws);
    if (!conn.standby) return;
    conn.standby = false;
    this.connections.save(ws, conn);
    this.toCaller(conn, { type: 'standby-left', peerId: conn.peerId });
  }

  /**
   * Taking the seat: a standby that joins is one no more (it keeps its peer id), and the caller
   * hears it at once, before the seat's bookkeeping (whose storage writes hold the room's output).
   */
  joining(ws: WebSocket, conn: Connection, media: MediaState): void {
    if (!conn.standby) return;
    conn.standby = false;
    this.connections.save(ws, conn);
    this.toCaller(conn, { type: 'standby-answering', peerId: conn.peerId, media });
  }

  seated(conn: Connection): void {
    const standbys = this.#standbys();
    if (standbys.length === 0) return;
    if (conn.invitee) {
      // Answered on this connection: the invitee's other tabs stop standing by.
      for (const standby of standbys.filter((m) => m.conn.userId === conn.userId)) {
        this.gone(standby.ws);
        closeQuietly(standby.ws, CloseCode.AnsweredElsewhere, 'answered on another connection');
      }
      return;
    }
    // The caller sat down: introduced right after its welcome, which Seats sends once this returns.
    queueMicrotask(() => {
      const caller = this.members().find((m) => m.conn.peerId === conn.peerId);
      if (!caller) return;
      for (const standby of this.#standbys()) this.#introduce(caller, standby, undefined, true);
    });
  }

  left(conn: Connection): void {
    if (conn.invitee) return;
    for (const { ws } of this.#standbys()) send(ws, { type: 'peer-left', peerId: conn.peerId, reason: 'gone' });
  }

  #refusal(conn: Connection): ErrorText | undefined {
    if (!conn.invitee) return 'Only the person this call rings can stand by.';
    if (conn.joined || conn.standby) return 'This connection has already joined or stands by.';
    if (this.members().some((m) => m.conn.userId === conn.userId)) return 'You are in this call already.';
    if (this.#standbys().length >= MAX_STANDBYS) return 'Too many connections stand by in this call.';
    return undefined;
  }

  /** The caller hears of the standby (and its offer); the standby of the caller, with `tellStandby`. */
  #introduce(caller: Member, standby: Member, offer: StandbyMessage['offer'], tellStandby: boolean): void {
    send(caller.ws, { type: 'standby-joined', ...towards(caller.conn, standby.conn) });
    if (offer) {
      send(caller.ws, {
        type: 'signal',
        from: standby.conn.peerId,
        signal: { kind: 'description', description: offer },
      });
    }
    if (!tellStandby) return;
    send(standby.ws, { type: 'peer-joined', ...towards(standby.conn, caller.conn) });
  }

  /** The seated member who is not the invitee: the caller. */
  #caller(inviteeId: string): Member | undefined {
    return this.members().find((m) => m.conn.userId !== inviteeId);
  }

  #standbys(): Member[] {
    const standbys: Member[] = [];
    for (const ws of this.connections.open()) {
      const conn = this.connections.get(ws);
      if (conn.standby) standbys.push({ ws, conn });
    }
    return standbys;
  }
}

/** Why a `standby` was refused, for the `standby_refused` error. */
type ErrorText = string;
