/**
 * The call's links, and their one owner: the current link (link.ts) with its recovery
 * (recovery.ts), at most one warm link (warm-link.ts), made before the other person is known
 * and handed over when someone of the role it was made for arrives, and, on a caller's side while
 * it rings, one link per standby of the callee (protocol/signaling.ts, Standby), one of which
 * becomes the current link when its connection takes the seat. No link sends the user's tracks
 * before it is the current one, nor while the links are held (a callee standing by, before Accept). The engine (../call.ts) tells it
 * what the room said (met someone, alone, they left, the join may be lost); this decides which
 * link that means, and reports the current link's remote tracks and state.
 */
import type { JoinOffer, Signal } from '../../../protocol/signaling.ts';
import type { CallFlags } from '../flags.ts';
import type { Log } from '../log.ts';
import type { LocalMedia } from '../media/local-media.ts';
import type { IceServers } from './ice-servers.ts';
import { type Link, type LinkOptions, type RemoteMedia, RtcLink } from './link.ts';
import { type LinkHealth, LinkRecovery } from './recovery.ts';
import { WarmLink } from './warm-link.ts';

/** How the current link is doing: its connection ('new' while there is none) and its health. */
export interface LinkState extends LinkHealth {
  connection: RTCPeerConnectionState;
}

export interface CallLinksOptions {
  media: Pick<LocalMedia, 'state'>;
  ice: Pick<IceServers, 'config' | 'refresh'>;
  flags: CallFlags;
  log: Log;
  /** Sends a signal to the other person, or to the standby `to`. */
  send: (signal: Signal, to?: string) => void;
  /** Whether an ICE restart's offer can reach them now (our socket is open and they are seated). */
  canRestart: () => boolean;
  /** The current link's remote tracks; undefined once it is closed. */
  onRemote: (remote: RemoteMedia | undefined) => void;
  onState: (patch: Partial<LinkState>) => void;
  /** Every new RTCPeerConnection, before its first offer. */
  onCreated: (pc: RTCPeerConnection) => void;
  /** The DTLS certificates every new link presents (none: the browser makes one per link). */
  certificates?: () => RTCCertificate[];
  /** Seam for unit tests. */
  createLink?: ((options: LinkOptions) => Link) | undefined;
}

export class CallLinks {
  #current: Link | undefined;
  #recovery: LinkRecovery | undefined;
  #warm: WarmLink<Link> | undefined;
  /** The caller's links to the callee's standbys, by their peer id. */
  readonly #standbys = new Map<string, Link>();
  /** No tracks on any link (a callee standing by): see `hold`. */
  #holding = false;

  constructor(private readonly options: CallLinksOptions) {}

  /** The link to the person in the call, while there is one. */
  get current(): Link | undefined {
    return this.#current;
  }

  /** Standing by: links carry no tracks until `release` (the user's Accept). */
  hold(): void {
    this.#holding = true;
  }

  release(): Promise<void> {
    this.#holding = false;
    return this.sendTracks();
  }

  /**
   * A standby of the callee arrived: an answering link for its offer, with no tracks on it. One
   * we know already (the room introduces them again after our socket reconnected) keeps its link,
   * as the standby keeps its own.
   */
  standby(peerId: string, polite: boolean): void {
    const known = this.#standbys.get(peerId);
    if (known && known.pc.connectionState !== 'closed') return;
    const link = this.#make(polite, false, (signal) => this.options.send(signal, peerId), false);
    this.#standbys.set(peerId, link);
  }

  dropStandby(peerId: string): void {
    this.#standbys.get(peerId)?.close();
    this.#standbys.delete(peerId);
  }

  /** In the lobby: an offering warm link, unless there is a link already. */
  prepare(): void {
    if (!this.#current && !this.#warm) this.#warmUp(true);
  }

  /** The warm link's offer for `join` to carry, if it is an offering link with its offer made. */
  offerForJoin(): JoinOffer | undefined {
    return this.#warm?.offerForJoin();
  }

  /** Settles when the warm link has made the offer it is making now (see WarmLink.offerPending). */
  offerPending(): Promise<void> | undefined {
    return this.#warm?.offerPending();
  }

  /**
   * Someone is seated with us. The same person we are linked to (a signaling reconnect on either
   * side) keeps the running link, which offers again if its offer's answer was lost; anyone else
   * gets a new link (`offer`: we are the newcomer), the warm one if it fits.
   */
  meet(polite: boolean, offer: boolean, samePerson: boolean, peerId?: string): void {
    const link = this.#current;
    const standby = peerId === undefined ? undefined : this.#standbys.get(peerId);
    if (standby) this.#promote(standby, polite);
    else if (!samePerson || !link || link.pc.connectionState === 'closed') this.#open(polite, offer);
    else if (link.pc.signalingState === 'have-local-offer') void link.offerAgain();
  }

  /** Both sides are in the room again: a restart that waited for that can go. */
  resume(): void {
    this.#recovery?.resume();
  }

  /** Seated alone: with no link to keep, an answering warm link gets ready for the newcomer's offer. */
  alone(): void {
    if (!this.#current) this.#warmUp(false);
  }

  /** They said bye: their link closes, and an answering warm link waits for the next one. */
  left(): void {
    this.#closeCurrent();
    this.#warmUp(false);
  }

  /** The join's socket dropped: an offer that went with it may have reached someone whose answer is now lost. */
  joinLost(): void {
    this.#dropWarm();
  }

  /** A signal from the person in the call, or from their standby `from`. */
  handle(signal: Signal, from?: string): Promise<void> | undefined {
    return (from === undefined ? this.#current : this.#standbys.get(from))?.handle(signal);
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    for (const link of this.#all()) link.setIceServers(iceServers);
  }

  /** The user's tracks changed: every link sends the new ones. */
  async sendTracks(): Promise<void> {
    await Promise.all(this.#all().map((link) => link.sendTracks()));
  }

  close(): void {
    this.#closeCurrent();
    this.#dropWarm();
    this.#dropStandbys();
  }

  #all(): Link[] {
    return [this.#current, this.#warm?.link, ...this.#standbys.values()].filter((link) => link !== undefined);
  }

  #open(polite: boolean, offer: boolean): void {
    this.#closeCurrent();
    this.#use(this.#take(polite, offer), polite);
  }

  /**
   * The standby's connection took the seat: its link, connected already, is the call's, the other
   * standbys' links go, and the user's tracks go on it (the only step left before media flows).
   */
  #promote(link: Link, polite: boolean): void {
    this.#closeCurrent();
    this.#dropWarm();
    for (const [peerId, standby] of this.#standbys) if (standby === link) this.#standbys.delete(peerId);
    this.#dropStandbys();
    this.options.onCreated(link.pc);
    this.#use(link, polite);
    void link.sendTracks();
  }

  #dropStandbys(): void {
    for (const link of this.#standbys.values()) link.close();
    this.#standbys.clear();
  }

  #use(link: Link, polite: boolean): void {
    this.#current = link;
    const { ice, canRestart, log } = this.options;
    this.#recovery = new LinkRecovery({ link, polite, ice, canRestart, log });
    // An answering link learns the peer's tracks from their offer (onRemote); `remote` undefined means closed.
    if (link.remote) this.options.onRemote(link.remote);
    this.options.onState({ connection: link.pc.connectionState, reconnecting: false, relayNeeded: false });
  }

  /** The warm link if it has this role and is still fresh, else a new one. */
  #take(polite: boolean, offer: boolean): Link {
    const warm = this.#warm;
    this.#warm = undefined;
    let link = warm?.offer === offer ? warm.take() : undefined;
    if (!link) {
      warm?.close();
      link = this.#make(polite, offer, (signal) => this.options.send(signal));
    }
    link.setPolite(polite);
    return link;
  }

  #closeCurrent(): void {
    if (!this.#current) return;
    this.#recovery?.stop();
    this.#recovery = undefined;
    this.#current.close();
    this.#current = undefined;
    this.options.onRemote(undefined);
    this.options.onState({ connection: 'new' });
  }

  /** A warm link of this role for the next person: the one there is, or a new one in its place. */
  #warmUp(offer: boolean): void {
    if (this.#warm?.offer === offer) return;
    this.#dropWarm();
    this.#warm = new WarmLink(
      offer,
      (send) => this.#make(false, offer, send),
      (signal) => this.options.send(signal),
    );
  }

  #dropWarm(): void {
    this.#warm?.close();
    this.#warm = undefined;
  }

  /** `announce`: hand its RTCPeerConnection over now (a standby's is handed over once it is the call's). */
  #make(polite: boolean, offer: boolean, send: (signal: Signal) => void, announce = true): Link {
    const { ice, flags, media, certificates, createLink = (options) => new RtcLink(options) } = this.options;
    const presented = certificates?.() ?? [];
    // Not const: an offering link reports its remote tracks while being made, before it is assigned.
    let link: Link | undefined;
    link = createLink({
      polite,
      offer,
      debug: flags.debug,
      configuration: {
        iceServers: ice.config?.iceServers ?? [],
        iceTransportPolicy: flags.relay ? 'relay' : 'all',
        bundlePolicy: 'max-bundle',
        // Gathers from the start: an answering warm link is ready when the offer comes.
        iceCandidatePoolSize: 1,
        ...(presented.length > 0 && { certificates: presented }),
      },
      send,
      // Read whenever tracks go on the senders: nothing while held or while a standby's.
      media: () => (this.#sendsTracks(link) ? media.state : { ...media.state, ...NO_TRACKS }),
      onRemote: (remote) => link && this.#current === link && this.options.onRemote(remote),
      onConnectionState: (connection) => {
        if (link && this.#current === link) {
          this.options.onState({ connection, ...this.#recovery?.onConnectionState(connection) });
        }
      },
    });
    if (announce) this.options.onCreated(link.pc);
    return link;
  }

  /** Undefined: a link being made (an offering one puts tracks on as it is made), not a standby's. */
  #sendsTracks(link: Link | undefined): boolean {
    if (this.#holding) return false;
    for (const standby of this.#standbys.values()) if (standby === link) return false;
    return true;
  }
}

const NO_TRACKS = { mic: undefined, camera: undefined, screen: undefined } as const;
