/**
 * Perfect negotiation (W3C WebRTC 1.0 §10.7, MDN "Establishing a connection: the WebRTC perfect
 * negotiation pattern"): either side may change what it sends at any time, and offers that cross
 * on the wire ("glare") resolve themselves. The room assigns roles: the polite side gives way —
 * it rolls back its own offer and answers the other's; the impolite side ignores the colliding
 * offer and waits for the answer to its own.
 *
 * - `negotiationneeded` → `setLocalDescription()` with no argument (the browser makes the right
 *   offer for its current state) → send it.
 * - Incoming description: detect a collision (we are making an offer, or are not stable and not
 *   just applying an answer); the impolite side ignores a colliding offer; otherwise apply it
 *   (the browser rolls back our offer implicitly) and answer offers with `setLocalDescription()`.
 * - Trickle ICE: candidates go out as they are found; an incoming candidate that fails is an
 *   error, except while we are ignoring the offer it belongs to.
 *
 * `beforeAnswer` runs between applying a remote offer and answering it: the answerer sets up its
 * senders there (see media-slots.ts) so the first answer already carries its media. The answer is
 * started as soon as it returns, before any work it scheduled: the answer is on the call's
 * critical path, a re-render of the page is not.
 */
import type { Signal } from '../../../protocol/signaling.ts';
import type { Log } from '../log.ts';

/** The part of RTCPeerConnection that negotiation uses (a fake implements it in unit tests). */
export type NegotiatingConnection = { readonly localDescription: RTCSessionDescriptionInit | null } & Pick<
  RTCPeerConnection,
  | 'signalingState'
  | 'setLocalDescription'
  | 'setRemoteDescription'
  | 'addIceCandidate'
  | 'addEventListener'
  | 'removeEventListener'
>;

export interface NegotiationOptions {
  polite: boolean;
  send: (signal: Signal) => void;
  log: Log;
  /** Synchronous: the answer is started right after it returns (see above). */
  beforeAnswer?: () => void;
  /** An error negotiation cannot recover from by itself (reported, not thrown: handlers are async). */
  onError?: (error: unknown) => void;
}

export class PerfectNegotiation {
  /** Starts as `options.polite`; a link made before the peer was known learns its role later. */
  polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswerPending = false;

  constructor(
    private readonly pc: NegotiatingConnection,
    private readonly options: NegotiationOptions,
  ) {
    this.polite = options.polite;
    pc.addEventListener('negotiationneeded', this.#onNegotiationNeeded);
    pc.addEventListener('icecandidate', this.#onIceCandidate);
  }

  dispose(): void {
    this.pc.removeEventListener('negotiationneeded', this.#onNegotiationNeeded);
    this.pc.removeEventListener('icecandidate', this.#onIceCandidate);
  }

  /** Handles one signal from the peer, in the order they arrive. */
  async handle(signal: Signal): Promise<void> {
    const { log } = this.options;
    try {
      switch (signal.kind) {
        case 'description':
          await this.#onDescription(signal.description);
          return;
        case 'candidate':
          try {
            await this.pc.addIceCandidate(signal.candidate);
          } catch (error) {
            // Candidates of an offer we ignored have no remote description to land in.
            if (!this.#ignoreOffer) throw error;
            log('dropped a candidate of the ignored offer');
          }
          return;
        default:
          signal satisfies never;
      }
    } catch (error) {
      log('negotiation error', error);
      this.options.onError?.(error);
    }
  }

  async #onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const { log, send } = this.options;
    const { polite } = this;
    const readyForOffer =
      !this.#makingOffer && (this.pc.signalingState === 'stable' || this.#settingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !polite && offerCollision;
    if (this.#ignoreOffer) {
      log('glare: ignoring their offer (impolite), waiting for the answer to ours');
      return;
    }
    if (offerCollision) log('glare: rolling back our offer (polite) to answer theirs');
    this.#settingRemoteAnswerPending = description.type === 'answer';
    log(`applying remote ${description.type} in state ${this.pc.signalingState}`);
    await this.pc.setRemoteDescription(description);
    this.#settingRemoteAnswerPending = false;
    if (description.type !== 'offer') return;
    this.options.beforeAnswer?.();
    // Started in the same task: what beforeAnswer set off (a render of the peer's tiles, the
    // senders' replaceTrack) runs while the browser makes the answer, not before it.
    await this.pc.setLocalDescription();
    log('sending answer');
    this.#sendLocalDescription(send);
  }

  readonly #onNegotiationNeeded = async (): Promise<void> => {
    const { log, send } = this.options;
    try {
      this.#makingOffer = true;
      log(`negotiation needed in state ${this.pc.signalingState}: making an offer`);
      await this.pc.setLocalDescription();
      // A remote offer may have rolled ours back meanwhile: then there is nothing to send.
      if (this.pc.localDescription?.type !== 'offer') return;
      log('sending offer');
      this.#sendLocalDescription(send);
    } catch (error) {
      log('making an offer failed', error);
      this.options.onError?.(error);
    } finally {
      this.#makingOffer = false;
    }
  };

  readonly #onIceCandidate = (event: RTCPeerConnectionIceEvent): void => {
    // null marks the end of this generation's candidates: the other side learns that from the SDP anyway.
    if (!event.candidate) return;
    this.options.send({ kind: 'candidate', candidate: candidateInit(event.candidate) });
  };

  #sendLocalDescription(send: (signal: Signal) => void): void {
    const local = this.pc.localDescription;
    if (!local) return;
    send({ kind: 'description', description: { type: local.type, sdp: local.sdp ?? '' } });
  }
}

type CandidateInit = Extract<Signal, { kind: 'candidate' }>['candidate'];

/** Only the fields the protocol carries; `toJSON()` shapes differ a little between browsers. */
function candidateInit(candidate: RTCIceCandidate): CandidateInit {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  };
}
