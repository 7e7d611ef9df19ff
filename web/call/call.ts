/**
 * The call engine: one person's side of a one-to-one call in a room. UI-free; the call screen
 * renders its `state` and `remote` tracks and calls its methods, nothing more.
 *
 * It turns what the room says (signaling/client.ts) into a call phase, and tells the call's links
 * (link/call-links.ts) what that means for them: someone is seated with us, we are alone, they
 * left, a join may be lost. The user's media (media/local-media.ts) goes to the links as tracks
 * and to the other person as `media` messages. The rules both sides follow (who offers first,
 * seats, resuming after a dropped socket, close codes) are written once, in protocol/signaling.ts.
 * What its `state` holds, and which closes of the room socket end the call: call-state.ts.
 *
 * `prepare` (the lobby) opens the room socket without a seat and, once it has brought the ICE
 * servers (TURN credentials are handed out only to someone with a socket in the room), has an
 * offering warm link made, so that joining is one message that carries its offer.
 *
 * `standBy` (a callee's ringing tab) does what `prepare` does, then stands by with that offer;
 * `join` is then Accept. Both sides of standing by are standby.ts's.
 *
 * Hooks for what builds on this (insight, chat): the `peer-connection` event hands over each new
 * RTCPeerConnection synchronously, before its first offer (the warm one in the lobby), so a
 * pre-negotiated data channel created there rides in that offer; `peerConnection` is the current
 * one.
 */
import type { MediaState, Peer, ServerMessage } from '../../protocol/signaling.ts';
import { type CallEnd, type CallState, callEndOf } from './call-state.ts';
import { Emitter } from './emitter.ts';
import type { CallFlags } from './flags.ts';
import { CallLinks } from './link/call-links.ts';
import type { IceServers } from './link/ice-servers.ts';
import type { Link, LinkOptions, RemoteMedia } from './link/link.ts';
import { createLog, type Log } from './log.ts';
import { type LocalMedia, type LocalMediaState, mediaStateOf } from './media/local-media.ts';
import { SignalingClient, type SocketLike } from './signaling/client.ts';
import type { CloseReason } from './signaling/close-reason.ts';
import { Standby } from './standby.ts';

/** How long `join` waits for an offer being made; far above the few ms it takes (it rides in `join`). */
const OFFER_WAIT_MS = 500;

export type { RemoteMedia };

export interface CallEvents {
  state: CallState;
  remote: RemoteMedia | undefined;
  'peer-connection': RTCPeerConnection;
}

export interface CallOptions {
  media: Pick<LocalMedia, 'state' | 'on' | 'stop'>;
  ice: IceServers;
  flags: CallFlags;
  /** The room's signaling URL (signaling/room-socket.ts roomSocketUrl). */
  socketUrl: string;
  /**
   * This browser's long-lived DTLS certificate (safety/certificate-store.ts), loading while the
   * ICE servers are fetched: every peer connection presents it, so the safety code stays the same
   * from call to call. Undefined (or resolving to undefined): each connection makes its own.
   */
  certificate?: Promise<RTCCertificate | undefined>;
  /** Seams for unit tests: the socket and the link. */
  openSocket?: (url: string) => SocketLike;
  createLink?: (options: LinkOptions) => Link;
}

export class CallEngine {
  readonly #events = new Emitter<CallEvents>();
  readonly #log: Log;
  readonly #signaling: SignalingClient;
  readonly #unsubscribe: (() => void)[] = [];
  #state: CallState;
  readonly #links: CallLinks;
  #remote: RemoteMedia | undefined;
  #sentMedia = '';
  /** Undefined until the certificate has loaded. */
  #certificates: RTCCertificate[] | undefined;
  readonly #standby: Standby;

  constructor(private readonly options: CallOptions) {
    this.#log = createLog('engine', options.flags.debug);
    if (!options.certificate) this.#certificates = [];
    this.#signaling = new SignalingClient(
      options.socketUrl,
      createLog('signaling', options.flags.debug),
      options.openSocket,
    );
    this.#state = {
      phase: 'idle',
      peer: undefined,
      connection: 'new',
      signaling: 'connecting',
      ended: undefined,
      relayOnly: options.flags.relay,
      reconnecting: false,
      relayNeeded: false,
    };
    const { media, ice } = options;
    this.#links = new CallLinks({
      ...options,
      log: this.#log,
      send: (signal, to) => this.#signaling.send({ type: 'signal', signal, ...(to !== undefined && { to }) }),
      canRestart: () => this.#signaling.isOpen && this.#state.peer?.presence === 'here',
      onRemote: (remote) => this.#setRemote(remote),
      onState: (patch) => this.#update(patch),
      onCreated: (pc) => this.#events.emit('peer-connection', pc),
      certificates: () => this.#certificates ?? [],
    });
    this.#standby = new Standby({
      links: this.#links,
      log: this.#log,
      peer: () => this.#state.peer,
      present: (peer) => this.#update({ peer: { ...peer, presence: 'here' } }),
      seated: (peer) => this.#seated(peer),
      meet: (peer, polite, offer) => this.#meet(peer, polite, offer),
    });
    this.#unsubscribe.push(
      this.#signaling.on('open', () => {
        // TURN credentials are handed out only with a socket open in the room: now is the time.
        ice.ensureFresh();
        this.#update({ signaling: 'open' });
      }),
      this.#signaling.on('message', (message) => this.#onMessage(message)),
      this.#signaling.on('close', ({ reason }) => this.#onClose(reason)),
      media.on('change', (state) => void this.#onLocalMedia(state)),
      ice.on('change', ({ iceServers }) => this.#links.setIceServers(iceServers)),
    );
  }

  readonly on = this.#events.on.bind(this.#events);

  get state(): CallState {
    return this.#state;
  }

  /** The peer's tracks while connected to them (also announced by the `remote` event). */
  get remote(): RemoteMedia | undefined {
    return this.#remote;
  }

  get peerConnection(): RTCPeerConnection | undefined {
    return this.#links.current?.pc;
  }

  /** In the lobby: opens the room socket without a seat and makes the warm link (see above). */
  async prepare(): Promise<void> {
    if (this.#state.phase !== 'idle') return;
    this.#signaling.preconnect();
    await Promise.all([this.options.ice.ready, this.#loadCertificate()]);
    if (!this.#isEnded()) this.#links.prepare();
  }

  /** While a call rings this user: `prepare`, then stand by with the offer (see above). */
  async standBy(): Promise<void> {
    if (this.#state.phase !== 'idle' || this.#standby.standingBy) return;
    this.#standby.begin();
    await this.prepare();
    await this.#offerMade();
    if (this.#standby.standingBy && !this.#isEnded()) this.#signaling.standBy(() => this.#links.offerForJoin());
  }

  /** Whether this side stands by (see above): then `join` answers on the connection it has. */
  get standingBy(): boolean {
    return this.#standby.standingBy;
  }

  /**
   * Takes a seat in the room once ICE servers are known (a peer connection needs them at once).
   * `opening`: the devices being opened in the same click (Accept), announced in `join` rather
   * than the nothing there is yet, so the other side shows the video as it arrives; what the
   * devices turn out to be follows as `media`.
   */
  async join(opening?: MediaState): Promise<void> {
    if (this.#state.phase !== 'idle') return;
    // Accept: before the seat is taken.
    this.#standby.accept();
    // The ICE servers wait for an open socket: open one if the lobby has none (anymore).
    this.#signaling.preconnect();
    this.#update({ phase: 'joining', signaling: this.#signaling.isOpen ? 'open' : 'connecting' });
    // Known already when the lobby fetched them: then `join` leaves at once, not a microtask later.
    if (!this.options.ice.config || !this.#certificates) {
      await Promise.all([this.options.ice.ready, this.#loadCertificate()]);
    }
    // Clicked as the warm link makes its offer (the ICE servers came a moment ago): a few ms for
    // that offer to ride in `join` save a round trip through the room after `welcome`.
    await this.#offerMade();
    if (this.#isEnded()) return;
    this.#signaling.connect(
      () => {
        const joinMedia = opening ?? mediaStateOf(this.options.media.state);
        this.#sentMedia = JSON.stringify(joinMedia);
        return joinMedia;
      },
      () => this.#links.offerForJoin(),
    );
  }

  /** Resolves once the offer being made (if any) is, or after OFFER_WAIT_MS; never rejects. */
  async #offerMade(): Promise<void> {
    const offer = this.#links.offerPending();
    if (offer) await Promise.race([offer, new Promise((resolve) => setTimeout(resolve, OFFER_WAIT_MS))]);
  }

  /** Resolves once the certificate is known (or known to be missing); never rejects. */
  async #loadCertificate(): Promise<void> {
    const certificate = await this.options.certificate?.catch(() => undefined);
    this.#certificates = certificate ? [certificate] : [];
  }

  /** Ends the call for this side: says bye (the seat is freed at once), stops every device. */
  hangUp(): void {
    if (this.#isEnded()) return;
    this.#signaling.send({ type: 'bye' });
    this.#end('hung-up');
  }

  #onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.#log(`welcome as ${message.peerId}, polite ${message.polite}, peer ${message.peer?.peerId ?? 'none'}`);
        if (this.#standby.seated(message.peer)) return;
        // The newcomer, told of the peer here, makes the first offer; the side it arrives to answers.
        if (message.peer) this.#meet(message.peer, message.polite, true);
        else this.#alone();
        return;
      case 'peer-joined':
        this.#log(`peer joined: ${message.peer.peerId}`);
        if (!this.#standby.peerJoined(message.peer, message.polite)) this.#meet(message.peer, message.polite, false);
        return;
      case 'standing-by':
      case 'standby-joined':
      case 'standby-answering':
      case 'standby-left':
        this.#standby.handle(message);
        return;
      case 'peer-left': {
        const { peer } = this.#state;
        if (peer?.peerId !== message.peerId) return;
        this.#log(`peer left (${message.reason})`);
        if (message.reason === 'bye') {
          this.#links.left();
          this.#update({ phase: 'waiting', peer: { ...peer, presence: 'left' } });
        } else {
          this.#update({ peer: { ...peer, presence: 'lost' } });
        }
        return;
      }
      case 'signal':
        if (message.from === this.#state.peer?.peerId) void this.#links.handle(message.signal);
        else void this.#links.handle(message.signal, message.from);
        return;
      case 'media': {
        const { peer } = this.#state;
        if (peer?.peerId === message.from) this.#update({ peer: { ...peer, media: message.media } });
        return;
      }
      case 'room-full':
        this.#end('room-full');
        return;
      case 'error':
        // e.g. `no_peer` for a candidate sent just as the peer left: harmless, worth a log line.
        this.#log(`room says ${message.code}: ${message.message}`);
        return;
      default:
        message satisfies never;
    }
  }

  #onClose(reason: CloseReason): void {
    switch (reason) {
      case 'lobby-timeout':
        // The lobby's socket only: `join` opens a new one, which fetches ICE servers again.
        this.options.ice.pause();
        return;
      case 'normal':
      case 'lost':
        // An offer that went with a join may have reached a peer whose answer is now lost.
        if (this.#state.phase === 'joining') this.#links.joinLost();
        // The peer connection runs on without the room while signaling reconnects by itself.
        if (!this.#isEnded()) this.#update({ signaling: 'lost' });
        return;
      default:
        this.#end(callEndOf(reason));
    }
  }

  /** Someone is seated with us: link to them (`offer`: we are the newcomer), or keep the link we have. */
  #meet(peer: Peer, polite: boolean, offer: boolean): void {
    const known = this.#state.peer;
    // A standby of theirs that took the seat brings its link (call-links.ts).
    this.#links.meet(polite, offer, known?.peerId === peer.peerId && known.userId === peer.userId, peer.peerId);
    this.#seated(peer);
  }

  /** In the call with them, on the link we have. */
  #seated(peer: Peer): void {
    this.#update({ phase: 'in-call', peer: { ...peer, presence: 'here' } });
    this.#links.resume();
  }

  /** Seated with nobody else: a peer we still had (our signaling reconnected first) is away, not gone. */
  #alone(): void {
    const { peer } = this.#state;
    this.#links.alone();
    this.#update({ phase: 'waiting', peer: peer?.presence === 'here' ? { ...peer, presence: 'lost' } : peer });
  }

  async #onLocalMedia(state: LocalMediaState): Promise<void> {
    const media: MediaState = mediaStateOf(state);
    const serialized = JSON.stringify(media);
    // While the devices open, the peer hears only the outcome (no "camera off" as the mic comes first).
    const settled = !state.starting && serialized !== this.#sentMedia;
    if (settled && this.#signaling.send({ type: 'media', media })) this.#sentMedia = serialized;
    await this.#links.sendTracks();
  }

  #end(reason: CallEnd): void {
    this.#log(`call ended: ${reason}`);
    this.#signaling.close();
    this.#links.close();
    this.options.media.stop();
    this.options.ice.stop();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#update({ phase: 'ended', ended: reason });
  }

  #setRemote(remote: RemoteMedia | undefined): void {
    this.#remote = remote;
    this.#events.emit('remote', remote);
  }

  #isEnded(): boolean {
    return this.#state.phase === 'ended';
  }

  #update(patch: Partial<CallState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#events.emit('state', this.#state);
  }
}
