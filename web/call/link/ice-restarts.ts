/**
 * When a broken link is restarted (protocol/signaling.ts, Recovery): IceRestarts decides when to
 * restart ICE; the restart itself, and what the call screen says meanwhile, are recovery.ts's.
 * Only the impolite side restarts, so two restarts never cross; the polite side answers the
 * restart offer through perfect negotiation.
 *
 * - `failed`: restart now. `disconnected`: often a blip that ICE heals by itself (a lost packet
 *   burst, a Wi-Fi hiccup), so restart only if it lasts DISCONNECTED_GRACE_MS.
 * - A restart needs the peer on the other end of signaling: while our socket is down or the peer
 *   is away, the restart waits (`due`) and goes as soon as `resume()` is called.
 * - A restart that has not brought `connected` back within the retry delay is tried again, with a
 *   growing delay: the network may come back only later (a train out of a tunnel).
 */
import { backoffDelay } from '../backoff.ts';

export const DISCONNECTED_GRACE_MS = 4_000;
/** A restart gets at least this long (ICE checks plus DTLS) before the next one is tried. */
const RETRY_FLOOR_MS = 8_000;

export interface IceRestartOptions {
  /** Whether the restart offer can reach the peer now (our socket is open and they are seated). */
  canRestart: () => boolean;
  restart: () => void;
}

export class IceRestarts {
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A restart is waiting for signaling or the peer. */
  #due = false;
  /** A restart went out and its retry timer runs: new failures wait for that timer. */
  #inFlight = false;
  #attempt = 0;

  constructor(private readonly options: IceRestartOptions) {}

  onConnectionState(state: RTCPeerConnectionState): void {
    switch (state) {
      case 'connected':
        this.stop();
        this.#attempt = 0;
        return;
      case 'disconnected':
        if (!this.#timer && !this.#due) this.#timer = setTimeout(() => this.#restartNow(), DISCONNECTED_GRACE_MS);
        return;
      case 'failed':
        if (!this.#inFlight) this.#restartNow();
        return;
      default:
        // new, connecting, closed: nothing to decide.
        return;
    }
  }

  /** Signaling or the peer is back: a restart that was waiting goes now. */
  resume(): void {
    if (this.#due) this.#restartNow();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = false;
    this.#inFlight = false;
  }

  #restartNow(): void {
    this.stop();
    if (!this.options.canRestart()) {
      this.#due = true;
      return;
    }
    this.#inFlight = true;
    this.options.restart();
    const wait = RETRY_FLOOR_MS + backoffDelay(this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => this.#restartNow(), wait);
  }
}
