/**
 * A fake RTCPeerConnection for unit tests of negotiation: the JSEP signaling-state machine
 * (stable / have-local-offer / have-remote-offer, implicit rollback when an offer meets ours, the
 * negotiation-needed flag re-checked on return to stable) and an operations chain, without media.
 * "Changes" stand for added tracks or transceivers: `change()` makes negotiation needed, and the
 * descriptions carry the count of changes they cover so a test can tell what got negotiated.
 */
export class FakePeerConnection extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly candidates: RTCIceCandidateInit[] = [];
  /** Local changes made, and how many of them the last completed exchange covered. */
  changes = 0;
  negotiated = 0;
  #offered = 0;
  #needed = false;
  #pending = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(readonly name: string) {
    super();
  }

  change(): void {
    this.changes += 1;
    this.#checkNegotiationNeeded();
  }

  setLocalDescription(): Promise<void> {
    return this.#enqueue(() => {
      if (this.signalingState === 'stable' || this.signalingState === 'have-local-offer') {
        this.#offered = this.changes;
        this.localDescription = { type: 'offer', sdp: `${this.name}:${this.#offered}` };
        this.signalingState = 'have-local-offer';
      } else if (this.signalingState === 'have-remote-offer') {
        this.localDescription = { type: 'answer', sdp: `${this.name}:answer` };
        this.#stable();
      } else {
        throw new DOMException(`no description to make in ${this.signalingState}`, 'InvalidStateError');
      }
    });
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.#enqueue(() => {
      if (description.type === 'offer') {
        // Browsers roll back our own pending offer implicitly (what the polite side relies on).
        if (this.signalingState === 'have-local-offer') this.#offered = this.negotiated;
        this.remoteDescription = description;
        this.signalingState = 'have-remote-offer';
      } else if (description.type === 'answer' && this.signalingState === 'have-local-offer') {
        this.remoteDescription = description;
        this.negotiated = this.#offered;
        this.#stable();
      } else {
        throw new DOMException(`cannot apply ${description.type} in ${this.signalingState}`, 'InvalidStateError');
      }
    });
  }

  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    return this.#enqueue(() => {
      if (!this.remoteDescription) throw new DOMException('no remote description', 'InvalidStateError');
      this.candidates.push(candidate);
    });
  }

  /** Emits a local ICE candidate as the browser would. */
  gather(candidate: string): void {
    const event = Object.assign(new Event('icecandidate'), {
      candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: this.name },
    });
    this.dispatchEvent(event);
  }

  #stable(): void {
    this.signalingState = 'stable';
    this.#needed = false;
    this.#checkNegotiationNeeded();
  }

  /** The spec's negotiation-needed flag: set once, fired once, from stable with an idle chain. */
  #checkNegotiationNeeded(): void {
    if (this.#needed || this.signalingState !== 'stable' || this.changes <= this.negotiated) return;
    this.#needed = true;
    setTimeout(() => {
      if (this.#pending === 0 && this.signalingState === 'stable' && this.#needed) {
        this.dispatchEvent(new Event('negotiationneeded'));
      } else {
        this.#needed = false;
        if (this.#pending === 0) this.#checkNegotiationNeeded();
      }
    });
  }

  #enqueue(operation: () => void): Promise<void> {
    this.#pending += 1;
    const result = this.#chain
      .then(() => new Promise<void>((resolve) => setTimeout(resolve)))
      .then(operation)
      .finally(() => {
        this.#pending -= 1;
        if (this.#pending === 0) this.#checkNegotiationNeeded();
      });
    this.#chain = result.catch(() => {});
    return result;
  }
}
