/**
 * Makes the engine's peer links (call.ts), and keeps at most one warm link (warm-link.ts): made
 * before the peer is known, handed out when a peer of the role it was made for arrives.
 */
import type { JoinOffer, Signal } from '../../../protocol/signaling.ts';
import type { CallFlags } from '../flags.ts';
import type { LocalMedia } from '../media/local-media.ts';
import type { IceServers } from './ice-servers.ts';
import { PeerLink, type PeerLinkOptions, type RemoteMedia } from './peer-link.ts';
import { WarmLink } from './warm-link.ts';

/** The part of a PeerLink the engine uses. */
export type Link = Pick<
  PeerLink,
  'pc' | 'remote' | 'handle' | 'setPolite' | 'setIceServers' | 'restartIce' | 'sendTracks' | 'close'
>;

export interface LinkMakerOptions {
  media: Pick<LocalMedia, 'state'>;
  ice: Pick<IceServers, 'config'>;
  flags: CallFlags;
  /** Sends a signal to the peer. */
  send: (signal: Signal) => void;
  /** What a link reports, once it exists (an offering link reports its remote tracks while being made). */
  onRemote: (link: Link, remote: RemoteMedia) => void;
  onConnectionState: (link: Link, state: RTCPeerConnectionState) => void;
  /** Every new RTCPeerConnection, before its first offer. */
  onCreated: (pc: RTCPeerConnection) => void;
  /** Seam for unit tests. */
  createLink?: ((options: PeerLinkOptions) => Link) | undefined;
}

export class LinkMaker {
  #warm: WarmLink<Link> | undefined;

  constructor(private readonly options: LinkMakerOptions) {}

  /** The warm link, while there is one: it gets track and ICE server updates like the call's. */
  get warm(): Link | undefined {
    return this.#warm?.link;
  }

  /** A link for a peer just met: the warm one if it has this role and is still fresh, else a new one. */
  link(polite: boolean, offer: boolean): Link {
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

  /** The warm link's offer for `join` to carry, if it is an offering link with its offer made. */
  offerForJoin(): JoinOffer | undefined {
    return this.#warm?.offerForJoin();
  }

  /** A warm link of this role for the next peer: the one there is, or a new one in its place. */
  warmUp(offer: boolean): void {
    if (this.#warm?.offer === offer) return;
    this.dropWarm();
    this.#warm = new WarmLink(offer, (send) => this.#make(false, offer, send), this.options.send);
  }

  dropWarm(): void {
    this.#warm?.close();
    this.#warm = undefined;
  }

  #make(polite: boolean, offer: boolean, send: (signal: Signal) => void): Link {
    const { ice, flags, media, createLink = (options) => new PeerLink(options) } = this.options;
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
      },
      send,
      media: () => media.state,
      onRemote: (remote) => link && this.options.onRemote(link, remote),
      onConnectionState: (state) => link && this.options.onConnectionState(link, state),
    });
    this.options.onCreated(link.pc);
    return link;
  }
}
