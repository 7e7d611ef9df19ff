/**
 * The recovery of the current link: its health (what the call screen says while it is broken)
 * and, on the impolite side, its ICE restarts (ice-restarts.ts) with fresh TURN credentials.
 */
import type { Log } from '../log.ts';
import { IceRestarts } from './ice-restarts.ts';
import type { IceServers } from './ice-servers.ts';
import type { Link } from './link.ts';

/** How the connection to the peer is doing, beyond its RTCPeerConnectionState. */
export interface LinkHealth {
  /** It worked, then broke: it is being restarted ("Reconnecting…" until connected again). */
  reconnecting: boolean;
  /** ICE failed and there is no TURN relay to fall back on: this network needs one. */
  relayNeeded: boolean;
}

export interface LinkRecoveryOptions {
  link: Pick<Link, 'restartIce'>;
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

  /** Both sides are in the room again: a restart that waited for that can go. */
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
