/**
 * The call's links, and their one owner: the current link (link.ts) with its recovery
 * (recovery.ts), and at most one warm link (warm-link.ts), made before the other person is known
 * and handed over when someone of the role it was made for arrives. The engine (../call.ts) tells it
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
  /** Sends a signal to the other person. */
  send: (signal: Signal) => void;
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

  constructor(private readonly options: CallLinksOptions) {}

  /** The link to the person in the call, while there is one. */
  get current(): Link | undefined {
    return this.#current;
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
  meet(polite: boolean, offer: boolean, samePerson: boolean): void {
    const link = this.#current;
    if (!samePerson || !link || link.pc.connectionState === 'closed') this.#open(polite, offer);
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

  /** A signal from the person in the call. */
  handle(signal: Signal): Promise<void> | undefined {
    return this.#current?.handle(signal);
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
  }

  #all(): Link[] {
    return [this.#current, this.#warm?.link].filter((link) => link !== undefined);
  }

  #open(polite: boolean, offer: boolean): void {
    this.#closeCurrent();
    const link = this.#take(polite, offer);
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
      link = this.#make(polite, offer, this.options.send);
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
    this.#warm = new WarmLink(offer, (send) => this.#make(false, offer, send), this.options.send);
  }

  #dropWarm(): void {
    this.#warm?.close();
    this.#warm = undefined;
  }

  #make(polite: boolean, offer: boolean, send: (signal: Signal) => void): Link {
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
      media: () => media.state,
      onRemote: (remote) => link && this.#current === link && this.options.onRemote(remote),
      onConnectionState: (connection) => {
        if (link && this.#current === link) {
          this.options.onState({ connection, ...this.#recovery?.onConnectionState(connection) });
        }
      },
    });
    this.options.onCreated(link.pc);
    return link;
  }
}
