/**
 * ICE servers for the call: STUN, and TURN with short-lived credentials from
 * `GET /api/turn-credentials?room=`, fetched once the room socket is open (the server hands them
 * only to someone with a socket in the room: the engine calls `ensureFresh` on every open) and
 * again before they expire, so a long call can still gather relay candidates (an ICE restart needs
 * valid credentials). The engine applies each new set with `setConfiguration`, without touching
 * the connection.
 *
 * When the credentials cannot be fetched the call still goes ahead with no ICE servers (direct
 * host candidates can connect two people on the same network) and a retry is scheduled.
 */
import type { TurnCredentials } from '../../../protocol/turn.ts';
import { Emitter } from '../emitter.ts';
import type { Log } from '../log.ts';

/** The server's answer (protocol/turn.ts), its expiry parsed: when the credentials stop working, ms since the epoch. */
export type IceConfig = Omit<TurnCredentials, 'expiresAt'> & { expiresAt: number };

/** Refresh this long before expiry, so a slow fetch still lands in time. */
const MARGIN_MS = 60_000;
/** Never sooner than this, even for credentials that are about to expire (no fetch loops). */
const MIN_DELAY_MS = 10_000;
const RETRY_MS = 30_000;

/** When to fetch again: a margin before expiry, or at 80 % of a lifetime too short for that margin. */
export function refreshDelay(expiresAt: number, now: number): number {
  const life = expiresAt - now;
  return Math.max(MIN_DELAY_MS, life - MARGIN_MS, life * 0.8);
}

export class IceServers {
  readonly #events = new Emitter<{ change: IceConfig }>();
  #config: IceConfig | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inflight: Promise<IceConfig> | undefined;
  #stopped = false;
  /** No timer until the next `ensureFresh` (see `pause`). */
  #paused = false;
  #settleReady: ((config: IceConfig) => void) | undefined;
  /** Settles with the first config (or the fallback), once `ensureFresh` started it all; never rejects. */
  readonly ready = new Promise<IceConfig>((resolve) => {
    this.#settleReady = resolve;
  });

  constructor(
    private readonly load: () => Promise<IceConfig>,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  readonly on = this.#events.on.bind(this.#events);

  /** The latest config; undefined until `ready` settles. */
  get config(): IceConfig | undefined {
    return this.#config;
  }

  /**
   * Fetches now unless the credentials in hand are good for a while yet: the first call starts the
   * fetching, and a later one catches up after fetches that failed while the room socket was down.
   */
  ensureFresh(): void {
    this.#paused = false;
    const config = this.#config;
    if (!config || config.expiresAt - this.now() <= MARGIN_MS) void this.refresh();
  }

  /** Fetches now (an ICE restart wants credentials good for the whole new gathering). */
  refresh(): Promise<IceConfig> {
    clearTimeout(this.#timer);
    // One fetch at a time: each that finishes re-arms the timer, so two at once would loop twice.
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * No refresh until the next `ensureFresh`: while the room socket is closed for good (a lobby that
   * sat too long) every fetch would be refused, and an abandoned tab would poll for nothing.
   */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#timer);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#events.clear();
  }

  async #fetch(): Promise<IceConfig> {
    let config: IceConfig;
    let next: number;
    try {
      config = await this.load();
      next = refreshDelay(config.expiresAt, this.now());
      this.log(
        `ICE servers: ${config.iceServers.length}, relay ${config.relay}, refresh in ${Math.round(next / 1000)} s`,
      );
    } catch (error) {
      this.log('could not fetch ICE servers, going on without', error);
      config = this.#config ?? { iceServers: [], expiresAt: this.now() + RETRY_MS, relay: false };
      next = RETRY_MS;
    }
    if (this.#stopped) return config;
    this.#config = config;
    this.#settleReady?.(config);
    this.#events.emit('change', config);
    clearTimeout(this.#timer);
    if (!this.#paused) this.#timer = setTimeout(() => void this.refresh(), next);
    return config;
  }
}
