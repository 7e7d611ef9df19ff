/**
 * A warm link (call-links.ts): a link made before the other person is known, so that none has to be
 * made, and no ICE candidate gathered, once they are.
 * - Offering (the lobby): it lays out its media plan, sets its offer and gathers candidates while
 *   the user is still looking at their preview. What it would send is held back until the room
 *   names the peer; then the offer leaves at once, in one message: the local description read at
 *   that moment already lists every candidate gathered so far, so the held candidates need not
 *   follow it. Anything later is trickled as usual. Better still, that offer can ride in the
 *   `join` itself (`offerForJoin`), and the room hands it to the peer with their `peer-joined`.
 * - Answering (waiting alone in the call): it gathers into its candidate pool
 *   (`iceCandidatePoolSize`), so its answer to the newcomer's offer can list them at once.
 */
import type { JoinOffer, Signal } from '../../../protocol/signaling.ts';

/** The part of a link (link.ts) this needs (plain objects stand in for it in unit tests). */
export interface Warmable {
  readonly pc: Pick<RTCPeerConnection, 'localDescription' | 'signalingState' | 'connectionState'>;
  close(): void;
}

export class WarmLink<L extends Warmable> {
  readonly #link: L;
  #held: Signal[] | undefined = [];
  #closed = false;
  #settleOffer: () => void = () => {};
  /** Settles when an offering link has its offer held, or is closed. */
  readonly #offerSettled = new Promise<void>((resolve) => {
    this.#settleOffer = resolve;
  });

  /** `make` builds the link around the `send` it is given; `deliver` sends to the peer. */
  constructor(
    readonly offer: boolean,
    make: (send: (signal: Signal) => void) => L,
    private readonly deliver: (signal: Signal) => void,
  ) {
    this.#link = make((signal) => {
      // A closed link may still finish an offer it had begun: that one is for nobody.
      if (this.#closed) return;
      if (signal.kind === 'description') this.#settleOffer();
      if (this.#held) this.#held.push(signal);
      else this.deliver(signal);
    });
  }

  /**
   * While an offering link has not set its first offer yet (it was made a moment ago, when the
   * ICE servers came): settles once that offer is held for `join`, or the link is closed.
   * Undefined when there is nothing to wait for.
   */
  offerPending(): Promise<void> | undefined {
    const { pc } = this.#link;
    const held = this.#held;
    const making = this.offer && held !== undefined && !held.some((signal) => signal.kind === 'description');
    return making && pc.signalingState === 'stable' && pc.connectionState === 'new' ? this.#offerSettled : undefined;
  }

  get link(): L {
    return this.#link;
  }

  /** The offer, with the candidates gathered so far, for `join` to carry; only once, and held no more. */
  offerForJoin(): JoinOffer | undefined {
    const held = this.#held;
    const local = this.#link.pc.localDescription;
    if (!held?.some((signal) => signal.kind === 'description') || local?.type !== 'offer') return undefined;
    this.#held = [];
    return { type: 'offer', sdp: local.sdp };
  }

  /**
   * Hands the link over for a call and lets its signals out, what was held first; undefined when
   * it can no longer make one (it was used, or failed): then it is for the caller to close.
   */
  take(): L | undefined {
    const { pc } = this.#link;
    // Stable before an offer is made (always, for an answering link); anything else was a use.
    const fresh = pc.signalingState === 'stable' || (this.offer && pc.signalingState === 'have-local-offer');
    if (!this.#held || !fresh || pc.connectionState !== 'new') return undefined;
    const held = this.#held;
    this.#held = undefined;
    const local = pc.localDescription;
    if (local?.type === 'offer' && held.some((signal) => signal.kind === 'description')) {
      this.deliver({ kind: 'description', description: { type: 'offer', sdp: local.sdp } });
    } else {
      for (const signal of held) this.deliver(signal);
    }
    return this.#link;
  }

  close(): void {
    this.#closed = true;
    this.#settleOffer();
    this.#held = undefined;
    this.#link.close();
  }
}
