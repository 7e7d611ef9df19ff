/**
 * The safety check of a call: once the current peer connection is connected, which certificates it
 * uses (fingerprints.ts), and whether the other person's is the one verified before
 * (verified-devices.ts). UI-free: the "Safety code" panel, the "Verified" mark on their tile and the
 * "<name>'s safety code changed" notice read `state`; the panel shows the code (safety-code.ts,
 * loaded with the panel) and calls `markVerified`.
 *
 * A verified person whose certificate differs now (new device, reinstalled browser, or someone in
 * the middle) is verified no more: the stored mark is dropped at once, and the call says so until
 * they are verified again.
 */
import type { CallEngine } from '../call.ts';
import { Emitter } from '../emitter.ts';
import { type CallFingerprints, normalizeFingerprint, readFingerprints } from './fingerprints.ts';
import type { VerifiedDevices } from './verified-devices.ts';

export type SafetyStatus = 'unverified' | 'verified' | 'changed';

export interface SafetyState {
  /** The current connection's certificates, once connected (undefined with no one to check). */
  fingerprints: CallFingerprints | undefined;
  status: SafetyStatus;
  panelOpen: boolean;
}

export interface SafetyCheckOptions {
  engine: Pick<CallEngine, 'on' | 'state' | 'peerConnection'>;
  devices: Pick<VerifiedDevices, 'fingerprintOf' | 'markVerified' | 'forget'>;
  /** Seam for unit tests (Node has no RTCPeerConnection). */
  read?: (pc: RTCPeerConnection) => Promise<CallFingerprints | undefined>;
}

export class SafetyCheck {
  readonly #events = new Emitter<{ change: SafetyState }>();
  readonly #unsubscribe: () => void;
  #state: SafetyState = { fingerprints: undefined, status: 'unverified', panelOpen: false };
  /** The other person, and the connection whose certificates were read (or are being read). */
  #peerUserId: string | undefined;
  #readFrom: RTCPeerConnection | undefined;
  /** People whose certificate changed during this visit: they stay "changed" until verified again. */
  readonly #changed = new Set<string>();

  constructor(private readonly options: SafetyCheckOptions) {
    this.#unsubscribe = options.engine.on('state', () => this.#check());
    this.#check();
  }

  readonly on = this.#events.on.bind(this.#events);

  get state(): SafetyState {
    return this.#state;
  }

  setPanelOpen(panelOpen: boolean): void {
    if (panelOpen !== this.#state.panelOpen) this.#update({ panelOpen });
  }

  /** The two people compared the code and it matched: their device is verified. */
  markVerified(): void {
    const { fingerprints } = this.#state;
    const userId = this.#peerUserId;
    if (!fingerprints || userId === undefined) return;
    this.options.devices.markVerified(userId, normalizeFingerprint(fingerprints.remote));
    this.#changed.delete(userId);
    this.#update({ status: 'verified' });
  }

  dispose(): void {
    this.#unsubscribe();
    this.#events.clear();
  }

  #check(): void {
    const { engine } = this.options;
    const { peer, connection } = engine.state;
    const pc = engine.peerConnection;
    if (peer?.userId !== this.#peerUserId || !pc || connection === 'new' || connection === 'closed') {
      // Someone else, or no connection: nothing known about their certificate any more.
      this.#peerUserId = peer?.userId;
      this.#readFrom = undefined;
      if (this.#state.fingerprints) this.#update({ fingerprints: undefined, status: 'unverified' });
    }
    if (connection === 'connected' && pc && peer && this.#readFrom !== pc) {
      this.#readFrom = pc;
      void this.#read(pc, peer.userId);
    }
  }

  async #read(pc: RTCPeerConnection, userId: string): Promise<void> {
    const { read = readFingerprints, devices } = this.options;
    const fingerprints = await read(pc).catch(() => undefined);
    if (this.#readFrom !== pc) return;
    if (!fingerprints) {
      // Not reported yet: read again at the next state change.
      this.#readFrom = undefined;
      return;
    }
    const verified = devices.fingerprintOf(userId);
    const now = normalizeFingerprint(fingerprints.remote);
    if (verified !== undefined && verified !== now) {
      devices.forget(userId);
      this.#changed.add(userId);
    }
    const status = verified === now ? 'verified' : this.#changed.has(userId) ? 'changed' : 'unverified';
    this.#update({ fingerprints, status });
  }

  #update(patch: Partial<SafetyState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#events.emit('change', this.#state);
  }
}
