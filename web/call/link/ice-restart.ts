/**
 * When and how a broken peer connection is restarted (protocol/signaling.ts, Recovery), and
 * what the call screen says meanwhile.
 *
 * IceRestarts decides when to restart ICE. Only the impolite peer restarts, so two
 * restarts never cross; the polite peer answers the restart offer through perfect negotiation.
 *
 * - `failed`: restart now. `disconnected`: often a blip that ICE heals by itself (a lost packet
 *   burst, a Wi-Fi hiccup), so restart only if it lasts DISCONNECTED_GRACE_MS.
 * - A restart needs the peer on the other end of signaling: while our socket is down or the peer
 *   is away, the restart waits (`due`) and goes as soon as `resume()` is called.
 * - A restart that has not brought `connected` back within the retry delay is tried again, with a
 *   growing delay: the network may come back only later (a train out of a tunnel).
 */

import { backoffDelay } from '../backoff.ts';
import type { Log } from '../log.ts';
import type { IceServers } from './ice-servers.ts';
import type { PeerLink } from './peer-link.ts';

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

/** How the connection to the peer is doing, beyond its RTCPeerConnectionState. */
export interface LinkHealth {
  /** It worked, then broke: it is being restarted ("Reconnecting…" until connected again). */
  reconnecting: boolean;
  /** ICE failed and there is no TURN relay to fall back on: this network needs one. */
  relayNeeded: boolean;
}

export interface LinkRecoveryOptions {
  link: Pick<PeerLink, 'restartIce'>;
  polite: boolean;
  ice: Pick<IceServers, 'refresh' | 'config'>;
  canRestart: () => boolean;
  log: Log;
}

/**
 * The recovery of one link: its health, and its ICE restarts on the impolite side. The polite side
 * fetches fresh TURN credentials as soon as the connection breaks, so it can gather relay
 * candidates again when the restart offer comes (its relay may be the thing that went away).
 */
export class LinkRecovery {
  readonly #restarts: IceRestarts | undefined;
  #connectedOnce = false;
  #refreshedForBreak = false;
  #stopped = false;

  constructor(private readonly options: LinkRecoveryOptions) {
    if (!options.polite) {
      this.#restarts = new IceRestarts({ canRestart: options.canRestart, restart: () => void this.#restart() });
    }
  }

  /** The link's connection state changed: what that means for its health. */
  onConnectionState(connection: RTCPeerConnectionState): Partial<LinkHealth> {
    this.#restarts?.onConnectionState(connection);
    const health: Partial<LinkHealth> = {};
    if (connection === 'connected') {
      this.#connectedOnce = true;
      this.#refreshedForBreak = false;
      Object.assign(health, { reconnecting: false, relayNeeded: false });
    } else if (connection === 'disconnected' || connection === 'failed') {
      health.reconnecting = this.#connectedOnce;
      if (this.options.polite && !this.#refreshedForBreak) {
        this.#refreshedForBreak = true;
        void this.options.ice.refresh();
      }
    }
    if (connection === 'failed' && !this.options.ice.config?.relay) health.relayNeeded = true;
    return health;
  }

  /** Both peers are in the room again: a restart that waited for that can go. */
  resume(): void {
    this.#restarts?.resume();
  }

  stop(): void {
    this.#stopped = true;
    this.#restarts?.stop();
  }

  /** Fresh TURN credentials first: the old ones may be close to expiry, or the relay restarted. */
  async #restart(): Promise<void> {
    const { ice, link, log } = this.options;
    log('restarting ICE');
    const { iceServers } = await ice.refresh();
    if (this.#stopped) return;
    try {
      await link.restartIce(iceServers);
    } catch (error) {
      log('could not restart ICE', error);
    }
  }
}
