/**
 * Standing by (protocol/signaling.ts, Standby), both sides of it, for the call engine (call.ts),
 * which hands it the room's standby messages and asks it what a `welcome` or `peer-joined` means
 * while standing by.
 *
 * The callee's ringing tab: the engine prepares as in the lobby, then stands by with that offer
 * and connects to the seated caller, with no seat and no tracks (the links are held); Accept
 * releases the tracks onto that connection and takes the seat on the same socket.
 *
 * The caller: one link per standby of the callee (link/call-links.ts); the one whose connection
 * answers becomes the call's.
 */
import type { Peer, ServerMessage } from '../../protocol/signaling.ts';
import type { CallLinks } from './link/call-links.ts';
import type { Log } from './log.ts';

type StandbyMessage = Extract<
  ServerMessage,
  { type: 'standing-by' | 'standby-joined' | 'standby-answering' | 'standby-left' }
>;

export interface StandbyHost {
  links: CallLinks;
  log: Log;
  /** The other person the call knows of. */
  peer: () => Peer | undefined;
  /** They are connected to us (not seated with us yet). */
  present: (peer: Peer) => void;
  /** They are seated with us, on the link the call has. */
  seated: (peer: Peer) => void;
  /** They are seated with us: link to them (`offer`: we are the newcomer). */
  meet: (peer: Peer, polite: boolean, offer: boolean) => void;
}

export class Standby {
  /** The callee's tab stands by until `join`'s welcome. */
  #standingBy = false;
  /** The caller's view of the callee's standbys, by peer id, with its role towards each. */
  readonly #standbys = new Map<string, { peer: Peer; polite: boolean }>();

  constructor(private readonly host: StandbyHost) {}

  get standingBy(): boolean {
    return this.#standingBy;
  }

  /** The ringing tab begins to stand by: no link sends the user's tracks until Accept. */
  begin(): void {
    this.#standingBy = true;
    this.host.links.hold();
  }

  /** Accept: the user's tracks go on the connection made while it rang. */
  accept(): void {
    if (this.#standingBy) void this.host.links.release();
  }

  /**
   * `welcome` for our `join`: whether it seated us on the standby's connection, whose link to the
   * caller is the call's already (otherwise the engine meets the peer as anyone joining does).
   */
  seated(peer: Peer | null | undefined): boolean {
    if (!this.#standingBy) return false;
    this.#standingBy = false;
    if (!peer || peer.peerId !== this.host.peer()?.peerId || !this.host.links.current) return false;
    this.host.seated(peer);
    return true;
  }

  /** `peer-joined`: whether it was the caller taking the seat as we stand by (we offer to them). */
  peerJoined(peer: Peer, polite: boolean): boolean {
    if (this.#standingBy) this.#standByFor(peer, polite);
    return this.#standingBy;
  }

  handle(message: StandbyMessage): void {
    const { links, log } = this.host;
    switch (message.type) {
      case 'standing-by':
        log(`standing by as ${message.peerId}, caller ${message.peer?.peerId ?? 'not seated yet'}`);
        // Its offer went with `standby`; with nobody to take it, a new one follows the caller. A
        // new standby (a reconnect) is a new connection to the caller, whoever had one before.
        if (message.peer) this.#standByFor(message.peer, message.polite, true);
        else links.joinLost();
        return;
      case 'standby-joined':
        log(`standby joined: ${message.peer.peerId}`);
        this.#standbys.set(message.peer.peerId, { peer: message.peer, polite: message.polite });
        links.standby(message.peer.peerId, message.polite);
        return;
      case 'standby-answering': {
        // Their Accept: the call is on that connection now; `peer-joined` confirms it.
        const standby = this.#standbys.get(message.peerId);
        log(`standby answering: ${message.peerId}`);
        if (standby) this.host.meet({ ...standby.peer, media: message.media }, standby.polite, false);
        return;
      }
      case 'standby-left':
        this.#standbys.delete(message.peerId);
        links.dropStandby(message.peerId);
        return;
      default:
        message satisfies never;
    }
  }

  /** An offering link to the seated caller (the one we have, if it is them still, unless `fresh`). */
  #standByFor(peer: Peer, polite: boolean, fresh = false): void {
    this.host.links.meet(polite, true, !fresh && this.#isKnown(peer));
    this.host.present(peer);
  }

  #isKnown(peer: Peer): boolean {
    const known = this.host.peer();
    return known?.peerId === peer.peerId && known.userId === peer.userId;
  }
}
