/**
 * Who is speaking, and the "you are muted" hint, from audio levels on a 0..1 linear scale
 * (1 = full scale; -20 dB ≈ 0.1, -40 dB ≈ 0.01).
 *
 * Levels:
 * - the peer: `receiver.getSynchronizationSources()[0].audioLevel`, the level the sender wrote
 *   into each RTP packet's header (RFC 6464). It is synchronous and cheap, so it can be read ten
 *   times a second, unlike getStats. Chromium fills it in only while the remote audio plays out
 *   (the call's <audio>/<video> element); it stays 0 for a track nobody plays (tested in 156).
 * - the local mic: an AnalyserNode's RMS over a *clone* of the mic track. Muting sets
 *   `enabled = false` on the track we send, which makes that track (and anything analysing it)
 *   silent; a clone has its own `enabled` and keeps hearing the mic, so we can tell the user they
 *   are talking into a muted mic. The clone does not reach the peer.
 *
 * `SpeakingDetector` turns levels into a yes/no with hysteresis: a level must stay above `on` for
 * `attackMs` to start speaking (a cough or a click does not light up the tile) and below `off` for
 * `releaseMs` to stop (the pauses between words do not make it flicker).
 */

export interface SpeakingOptions {
  /** Level at which speech starts (default 0.03 ≈ -30 dBov). */
  on: number;
  /** Level under which speech may end (default 0.015 ≈ -36 dBov). */
  off: number;
  attackMs: number;
  releaseMs: number;
}

export const SPEAKING: Readonly<SpeakingOptions> = { on: 0.03, off: 0.015, attackMs: 150, releaseMs: 500 };
/**
 * For the muted hint: only talking for half a second counts, and the hint stays up three seconds
 * after the talking stops, long enough to read.
 */
export const MUTED_SPEECH: Readonly<SpeakingOptions> = { ...SPEAKING, attackMs: 500, releaseMs: 3000 };

export class SpeakingDetector {
  #speaking = false;
  /** Since when the level has been on the other side of the threshold, if it is. */
  #crossedAt: number | undefined;

  constructor(private readonly options: SpeakingOptions = SPEAKING) {}

  get speaking(): boolean {
    return this.#speaking;
  }

  /** Feeds one level read at time `at` (ms); returns whether the person is speaking now. */
  push(level: number, at: number): boolean {
    const crossing = this.#speaking ? level < this.options.off : level >= this.options.on;
    if (!crossing) {
      this.#crossedAt = undefined;
      return this.#speaking;
    }
    this.#crossedAt ??= at;
    const hold = this.#speaking ? this.options.releaseMs : this.options.attackMs;
    if (at - this.#crossedAt >= hold) {
      this.#speaking = !this.#speaking;
      this.#crossedAt = undefined;
    }
    return this.#speaking;
  }
}

/** The peer's audio level as their browser measured it; undefined before any audio packet. */
export function receiverLevel(receiver: Pick<RTCRtpReceiver, 'getSynchronizationSources'>): () => number | undefined {
  return () => receiver.getSynchronizationSources()[0]?.audioLevel;
}

/**
 * The local mic's level, even while muted (see the header). Pass the page's AudioContext, resumed
 * after a user gesture (the "Join call" click), so that autoplay rules do not keep it suspended.
 */
export function micLevel(track: MediaStreamTrack, context: AudioContext): { read: () => number; stop: () => void } {
  const clone = track.clone();
  clone.enabled = true; // a clone copies `enabled`: the user may have muted in the lobby already
  const source = context.createMediaStreamSource(new MediaStream([clone]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  return {
    read() {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      return Math.sqrt(sum / samples.length);
    },
    stop() {
      source.disconnect();
      clone.stop();
    },
  };
}

/**
 * Reads `level` every `intervalMs` into a detector and reports each change of `speaking`.
 * Returns the function that stops it.
 */
export function watchSpeaking(
  level: () => number | undefined,
  onChange: (speaking: boolean) => void,
  options: SpeakingOptions = SPEAKING,
  intervalMs = 100,
): () => void {
  const detector = new SpeakingDetector(options);
  const timer = setInterval(() => {
    const before = detector.speaking;
    if (detector.push(level() ?? 0, performance.now()) !== before) onChange(detector.speaking);
  }, intervalMs);
  return () => clearInterval(timer);
}
