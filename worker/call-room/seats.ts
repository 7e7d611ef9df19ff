/**
 * The room's two seats (rules: protocol/signaling.ts, Seats; how the room keeps them: call-room.ts):
 * who holds one, taking one with `join`, giving one up, and relaying to the other seated peer.
 * Synchronous on purpose: the room has done every check that needs the network before it calls in
 * here, so no other event can interleave a seat change.
 */
import {
  type ClientMessage,
  CloseCode,
  PROTOCOL_VERSION,
  ROOM_CAPACITY,
  type ServerMessage,
} from '../../protocol/signaling.ts';
import type { Absences } from './absences.ts';
import { type Connection, type Connections, isLive, type Member, towards } from './connection.ts';
import { closeQuietly, log, send } from './wire.ts';

type JoinMessage = Extract<ClientMessage, { type: 'join' }>;

/**
 * Hears every seat taken and given up: link-calls.ts records calls from it, seat-notices.ts tells
 * the user's line.
 */
export interface SeatObserver {
  /** `conn` took a seat; `peer` is the other seated person, if any. */
  seated(conn: Connection, peer: Connection | undefined, now: number): void;
  left(conn: Connection, now: number): void;
}

export class Seats {
  constructor(
    private readonly connections: Connections,
    private readonly absences: Absences,
    /** Hear every seat taken and given up, in this order. */
    private readonly observers: readonly SeatObserver[] = [],
  ) {}

  /** The sockets that have joined and are not closing. */
  members(): Member[] {
    const members: Member[] = [];
    for (const ws of this.connections.open()) {
      const conn = this.connections.get(ws);
      if (conn.joined) members.push({ ws, conn });
    }
    return members;
  }

  /** The members who gave a sign of life within the liveness window. Only looks. */
  live(members: Member[], now: number): Member[] {
    return members.filter((m) => isLive(this.connections.lastSignOfLife(m.ws), now));
  }

  /** Seats the socket, or turns it away with room-full; whether it got a seat. */
  join(ws: WebSocket, conn: Connection, join: JoinMessage, now: number): boolean {
    const { media, offer } = join;
    const members = this.#liveMembers(now);
    const ghosts = members.filter((m) => m.conn.userId === conn.userId);
    const peers = members.filter((m) => m.conn.userId !== conn.userId);
    const away = this.absences.holders(now).filter((userId) => userId !== conn.userId);
    const seatsTaken = new Set([...peers.map((p) => p.conn.userId), ...away]).size;
    if (seatsTaken >= ROOM_CAPACITY) {
      log('room_full', conn);
      send(ws, { type: 'room-full' });
      closeQuietly(ws, CloseCode.RoomFull, 'room full');
      return false;
    }
    for (const ghost of ghosts) {
      this.leave(ghost.ws, 'gone', now, peers);
      closeQuietly(ghost.ws, CloseCode.Replaced, 'replaced by a newer connection');
    }
    this.absences.forget(conn.userId);
    if (join.resume && this.#canResume(join.resume, conn.userId)) conn.peerId = join.resume;
    conn.joined = true;
    conn.media = media;
    this.connections.save(ws, conn);
    const peer = peers[0];
    for (const observer of this.observers) observer.seated(conn, peer?.conn, now);
    send(ws, {
      type: 'welcome',
      version: PROTOCOL_VERSION,
      peerId: conn.peerId,
      ...towards(conn, peer?.conn),
    });
    for (const p of peers) {
      send(p.ws, { type: 'peer-joined', ...towards(p.conn, conn) });
      // The newcomer's first offer, sent with its join: to the peer now, or to nobody when alone.
      if (offer) send(p.ws, { type: 'signal', from: conn.peerId, signal: { kind: 'description', description: offer } });
    }
    return true;
  }

  /** Sends to the other member, if there is one; whether there was. */
  toPeer(ws: WebSocket, message: ServerMessage): boolean {
    const peer = this.members().find((m) => m.ws !== ws);
    if (peer) send(peer.ws, message);
    return peer !== undefined;
  }

  /**
   * The socket gives up its seat, if it held one, and `audience` hears it. Without a bye the
   * user's seat waits for them (absences.ts); with one it is free at once.
   */
  leave(ws: WebSocket, reason: 'bye' | 'gone', now: number, audience?: Member[]): void {
    const conn = this.connections.get(ws);
    if (!conn.joined) return;
    conn.joined = false;
    this.connections.save(ws, conn);
    for (const observer of this.observers) observer.left(conn, now);
    for (const member of audience ?? this.members()) {
      if (member.ws !== ws) send(member.ws, { type: 'peer-left', peerId: conn.peerId, reason });
    }
    if (reason === 'bye') this.absences.forget(conn.userId);
    else this.absences.record(conn.userId, this.connections.lastSignOfLife(ws), now);
  }

  /**
   * A reconnecting client gets its peer id back (protocol: Recovery), so the other side keeps its
   * RTCPeerConnection; unless another user's socket in the room holds that id, joined or not.
   */
  #canResume(peerId: string, userId: string): boolean {
    const open = this.connections.open().map((ws) => this.connections.get(ws));
    return open.every((c) => c.userId === userId || c.peerId !== peerId);
  }

  /** The members, once those silent past the liveness window have lost their seats (see Seats). */
  #liveMembers(now: number): Member[] {
    const members = this.members();
    const live = this.live(members, now);
    for (const { ws } of members.filter((m) => !live.includes(m))) {
      this.leave(ws, 'gone', now, live);
      closeQuietly(ws, CloseCode.Stale, 'silent for too long');
    }
    return live;
  }
}
