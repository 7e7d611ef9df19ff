/**
 * A link: one RTCPeerConnection to the other person, with everything that lives and dies with it:
 * perfect negotiation (negotiation.ts), the three-slot media plan (media-slots.ts) and the user's
 * current tracks on its senders. Their owner (call-links.ts) decides when a link is made and closed.
 *
 * The newcomer (`offer`) lays out the media plan and makes the first offer, whatever its role; the
 * other side adopts the plan from that offer, just before answering, so the very first answer
 * already sends its media. Only one side makes that first offer: politeness (from the user ids)
 * settles the glare of later ones.
 */
import type { Signal } from '../../../protocol/signaling.ts';
import { createLog, type Log } from '../log.ts';
import type { LocalMediaState } from '../media/local-media.ts';
import { MediaSlots } from './media-slots.ts';
import { PerfectNegotiation } from './negotiation.ts';

/** What the peer sends: the tracks exist for the whole connection and go live as media arrives. */
export interface RemoteMedia {
  mic: MediaStreamTrack;
  video: MediaStreamTrack;
  screenAudio: MediaStreamTrack;
}

export interface LinkOptions {
  polite: boolean;
  /** Lay out the media plan and make the first offer (the side that arrived second). */
  offer: boolean;
  configuration: RTCConfiguration;
  debug: boolean;
  send: (signal: Signal) => void;
  /** The user's media right now (read whenever tracks are put on the senders). */
  media: () => LocalMediaState;
  onRemote: (remote: RemoteMedia) => void;
  onConnectionState: (state: RTCPeerConnectionState) => void;
}

/**
 * One link to the other person, as its owner (call-links.ts) uses it; unit tests hand in plain
 * objects of this shape.
 */
export interface Link {
  readonly pc: RTCPeerConnection;
  /** The peer's tracks, once the media plan is laid out (also announced by `onRemote`). */
  readonly remote: RemoteMedia | undefined;
  /** A signal from the peer. */
  handle(signal: Signal): Promise<void>;
  /** The role towards the peer, for a link made before the peer was known (a warm link). */
  setPolite(polite: boolean): void;
  /** New TURN credentials: used for any later gathering (e.g. an ICE restart). */
  setIceServers(iceServers: RTCIceServer[]): void;
  /**
   * Restarts ICE with these servers (fresh TURN credentials): the next offer carries new ICE
   * credentials and both sides gather again, while the media plan and tracks stay as they are.
   * An offer of ours still unanswered is made again (`offerAgain`).
   */
  restartIce(iceServers: RTCIceServer[]): Promise<void>;
  /**
   * Our offer's answer was lost (the line dropped after it went out): the unanswered offer is
   * rolled back and a new one made, with an ICE restart so both sides gather afresh. A link in
   * `stable` simply restarts ICE.
   */
  offerAgain(): Promise<void>;
  /** Puts the user's current tracks on the senders. */
  sendTracks(): Promise<void>;
  close(): void;
}

/** A Link over a real RTCPeerConnection. */
export class RtcLink implements Link {
  readonly pc: RTCPeerConnection;
  readonly #negotiation: PerfectNegotiation;
  readonly #log: Log;
  #slots: MediaSlots | undefined;
  #sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: LinkOptions) {
    const { polite, offer, debug } = options;
    this.#log = createLog('link', debug);
    const pc = new RTCPeerConnection(options.configuration);
    this.pc = pc;
    this.#log(`new peer connection, ${offer ? 'offering' : 'waiting for their offer'}`);
    if (offer) void this.#useSlots(MediaSlots.create(pc));
    this.#negotiation = new PerfectNegotiation(pc, {
      polite,
      log: createLog('negotiation', debug),
      send: options.send,
      beforeAnswer: () => {
        if (this.#slots) return;
        const slots = MediaSlots.adopt(pc);
        // Not awaited: the answer needs the directions (set by adopt), not the tracks, which
        // replaceTrack puts on the senders meanwhile without a renegotiation.
        if (slots) void this.#useSlots(slots);
      },
      onError: (error) => this.#log('negotiation failed', error),
    });
    pc.addEventListener('connectionstatechange', () => {
      this.#log(`connection ${pc.connectionState}`);
      options.onConnectionState(pc.connectionState);
    });
    pc.addEventListener('iceconnectionstatechange', () => this.#log(`ICE ${pc.iceConnectionState}`));
    pc.addEventListener('signalingstatechange', () => {
      this.#log(`signaling ${pc.signalingState}`);
      // Sender parameters can only be set once negotiated: (re)apply the screen tuning then.
      if (pc.signalingState === 'stable') void this.#tune();
    });
  }

  get remote(): RemoteMedia | undefined {
    return this.#slots && remoteMedia(this.#slots);
  }

  handle(signal: Signal): Promise<void> {
    return this.#negotiation.handle(signal);
  }

  setPolite(polite: boolean): void {
    this.#negotiation.polite = polite;
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
  }

  async restartIce(iceServers: RTCIceServer[]): Promise<void> {
    this.setIceServers(iceServers);
    await this.offerAgain();
  }

  async offerAgain(): Promise<void> {
    // Perfect negotiation would otherwise wait for the lost answer forever.
    if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
    this.pc.restartIce();
  }

  /**
   * Puts the user's tracks on the senders: the screen takes the video slot while shared. Updates
   * run one after another, each with the state of its turn: two replaceTrack calls racing (camera
   * off then on, as when switching cameras) could otherwise land in the wrong order.
   */
  sendTracks(): Promise<void> {
    this.#sending = this.#sending.then(() => this.#applyTracks(this.options.media()));
    return this.#sending;
  }

  close(): void {
    this.#negotiation.dispose();
    this.pc.close();
  }

  async #applyTracks(state: LocalMediaState): Promise<void> {
    const slots = this.#slots;
    if (!slots) return;
    try {
      await Promise.all([
        slots.send('mic', state.mic ?? null),
        slots.send('video', state.screen?.video ?? state.camera ?? null),
        slots.send('screenAudio', state.screen?.audio ?? null),
      ]);
      await this.#tune();
    } catch (error) {
      this.#log('could not switch tracks', error);
    }
  }

  #useSlots(slots: MediaSlots): Promise<void> {
    this.#slots = slots;
    this.options.onRemote(remoteMedia(slots));
    return this.sendTracks();
  }

  async #tune(): Promise<void> {
    try {
      await this.#slots?.tuneVideo(!!this.options.media().screen);
    } catch (error) {
      // Only a preference: a browser that refuses it still sends the screen.
      this.#log('could not set the degradation preference', error);
    }
  }
}

function remoteMedia(slots: MediaSlots): RemoteMedia {
  return {
    mic: slots.remoteTrack('mic'),
    video: slots.remoteTrack('video'),
    screenAudio: slots.remoteTrack('screenAudio'),
  };
}
