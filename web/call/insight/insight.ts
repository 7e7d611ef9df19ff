/**
 * How the call is going, for the quality indicators, the stats panel and the speaking
 * indicators: the stats, speaking and quality modules wired to one call's engine and media.
 * UI-free; components subscribe to its events.
 *
 * - `sample`: one graded stats sample a second (stats.ts) from the current peer connection. A
 *   peer reload makes a new RTCPeerConnection (the engine's `peer-connection` event): sampling
 *   follows it, starting over so rates never mix two connections.
 * - `speaking`: the peer from their RTP audio level, the user from their mic (while unmuted).
 * - `muted-speech`: the user has been talking into a muted mic (speaking.ts MUTED_SPEECH).
 * - `setup`: the call setup time, ms, from joining (or, for whoever waited alone in the room,
 *   from the other person's arrival) to the first remote video frame on screen; measured once.
 */
import type { CallEngine, RemoteMedia } from '../call.ts';
import { Emitter } from '../emitter.ts';
import type { LocalMedia, LocalMediaState } from '../media/local-media.ts';
import { MUTED_SPEECH, micLevel, receiverLevel, watchSpeaking } from './speaking.ts';
import { firstFrameAt, type GradedSample, sampleStats } from './stats.ts';

export interface Speaking {
  self: boolean;
  remote: boolean;
}

export interface InsightEvents {
  sample: GradedSample | undefined;
  speaking: Speaking;
  'muted-speech': boolean;
  setup: number | undefined;
}

/** A level source for the local mic: speaking.ts `micLevel` in the browser. */
type MicLevel = (track: MediaStreamTrack) => { read: () => number; stop: () => void };

export interface InsightOptions {
  engine: Pick<CallEngine, 'on'>;
  media: Pick<LocalMedia, 'on' | 'state'>;
  /** Seam for unit tests (Node has no AudioContext). */
  micLevel?: MicLevel;
}

const stopAll = (stops: (() => void)[]) => {
  for (const stop of stops.splice(0)) stop();
};

export class CallInsight {
  readonly #events = new Emitter<InsightEvents>();
  readonly #unsubscribe: (() => void)[];
  readonly #micLevel: MicLevel;
  #sample: GradedSample | undefined;
  #speaking: Speaking = { self: false, remote: false };
  #mutedSpeech = false;
  #setup: number | undefined;
  #setupStart: number | undefined;
  #joined = false;
  #waitedAlone = false;
  #pc: RTCPeerConnection | undefined;
  #remote: RemoteMedia | undefined;
  #mic: { track: MediaStreamTrack; on: boolean; level: ReturnType<MicLevel> } | undefined;
  /** What runs for the current peer connection, and for the current mic track. */
  readonly #linkWatchers: (() => void)[] = [];
  readonly #micWatchers: (() => void)[] = [];
  #audio: AudioContext | undefined;
  /** Removes the listeners that wake a suspended AudioContext on the first click or key. */
  readonly #wakeAudio = new AbortController();

  constructor(private readonly options: InsightOptions) {
    this.#micLevel = options.micLevel ?? ((track) => micLevel(track, this.#audioContext()));
    const { engine, media } = options;
    this.#unsubscribe = [
      engine.on('state', ({ phase }) => {
        if (phase === 'joining' && !this.#joined) this.#start();
        if (phase === 'waiting' && this.#setup === undefined) this.#waitedAlone = true;
        // Someone who waited alone could not connect before the other person came: time from then.
        if (phase === 'in-call' && this.#waitedAlone) {
          this.#waitedAlone = false;
          this.#setupStart = performance.now();
        }
        if (phase === 'ended') this.dispose();
      }),
      engine.on('peer-connection', (pc) => this.#follow(pc)),
      engine.on('remote', (remote) => this.#onRemote(remote)),
      media.on('change', (state) => this.#joined && this.#listenToMic(state)),
    ];
  }

  readonly on = this.#events.on.bind(this.#events);

  get sample(): GradedSample | undefined {
    return this.#sample;
  }

  get speaking(): Speaking {
    return this.#speaking;
  }

  get mutedSpeech(): boolean {
    return this.#mutedSpeech;
  }

  get setup(): number | undefined {
    return this.#setup;
  }

  /**
   * Times the call setup on the element showing the remote video: the first frame it presents,
   * if the setup is still unmeasured. Returns the function that stops waiting (element gone).
   */
  timeFirstFrame(video: HTMLVideoElement): () => void {
    const abort = new AbortController();
    if (this.#setup === undefined) {
      firstFrameAt(video, abort.signal).then(
        (at) => this.#setupStart !== undefined && this.#measured(at - this.#setupStart),
        () => {}, // aborted: that element left before showing a frame; the next one is timed instead
      );
    }
    return () => abort.abort();
  }

  /** Stops every timer, level reader and listener (the visit to the call page ends, or the call did). */
  dispose(): void {
    stopAll(this.#unsubscribe);
    this.#onRemote(undefined);
    this.#listenToMic({ mic: undefined, micOn: false });
    this.#wakeAudio.abort();
    void this.#audio?.close();
    this.#audio = undefined;
  }

  /** The join moment: called from the engine's own `joining` step, in the "Join call" click. */
  #start(): void {
    this.#joined = true;
    this.#setupStart = performance.now();
    this.#listenToMic(this.options.media.state);
    if (this.#pc) this.#watchLink(this.#pc);
  }

  #follow(pc: RTCPeerConnection): void {
    stopAll(this.#linkWatchers);
    this.#pc = pc;
    if (this.#joined) this.#watchLink(pc);
  }

  /** Stats and the other person's voice, from joining on (the lobby's connection shows nothing). */
  #watchLink(pc: RTCPeerConnection): void {
    this.#linkWatchers.push(sampleStats(pc, (sample) => this.#setSample(sample)));
    this.#watchRemoteSpeaking();
  }

  /**
   * The engine announces the peer's tracks once the connection they belong to exists (its
   * `peer-connection` event came first): at once on the side that made the first offer, when
   * their offer arrives on the side that answers; undefined means that connection closed.
   */
  #onRemote(remote: RemoteMedia | undefined): void {
    this.#remote = remote;
    if (remote) {
      this.#watchRemoteSpeaking();
      return;
    }
    stopAll(this.#linkWatchers);
    this.#pc = undefined;
    this.#setSample(undefined);
    this.#setSpeaking({ remote: false });
  }

  #watchRemoteSpeaking(): void {
    const mic = this.#remote?.mic;
    const receiver = this.#pc?.getReceivers().find((each) => each.track === mic);
    if (!receiver) return; // the other half (tracks or connection) is still to come
    this.#linkWatchers.push(watchSpeaking(receiverLevel(receiver), (remote) => this.#setSpeaking({ remote })));
  }

  /**
   * Listens to the mic (a new one after a device switch): whether the user speaks while it is on,
   * or talks into it while muted. Either detector starts afresh on mute or unmute, so the hint
   * goes the moment the user unmutes and comes back if they mute and talk again.
   */
  #listenToMic({ mic, micOn }: Pick<LocalMediaState, 'mic' | 'micOn'>): void {
    if (mic !== this.#mic?.track) {
      this.#mic?.level.stop();
      this.#mic = mic && { track: mic, on: micOn, level: this.#micLevel(mic) };
    } else if (micOn === this.#mic?.on) {
      return;
    }
    stopAll(this.#micWatchers);
    this.#setSpeaking({ self: false });
    this.#setMutedSpeech(false);
    if (!this.#mic) return;
    this.#mic.on = micOn;
    const { read } = this.#mic.level;
    this.#micWatchers.push(
      micOn
        ? watchSpeaking(read, (self) => this.#setSpeaking({ self }))
        : watchSpeaking(read, (talking) => this.#setMutedSpeech(talking), MUTED_SPEECH),
    );
  }

  /**
   * One AudioContext for the call, made on joining: inside the "Join call" click, so autoplay
   * rules let it run. A tab that rejoins by itself after a reload has had no click yet; the
   * first one wakes it up.
   */
  #audioContext(): AudioContext {
    if (!this.#audio) {
      const audio = new AudioContext();
      if (audio.state === 'suspended') {
        const wake = () => void audio.resume().catch(() => {});
        for (const type of ['pointerdown', 'keydown']) {
          document.addEventListener(type, wake, { once: true, signal: this.#wakeAudio.signal });
        }
      }
      this.#audio = audio;
    }
    return this.#audio;
  }

  #measured(ms: number): void {
    if (this.#setup !== undefined) return;
    this.#setup = ms;
    this.#events.emit('setup', ms);
  }

  #setSample(sample: GradedSample | undefined): void {
    this.#sample = sample;
    this.#events.emit('sample', sample);
  }

  #setSpeaking(patch: Partial<Speaking>): void {
    const next = { ...this.#speaking, ...patch };
    if (next.self === this.#speaking.self && next.remote === this.#speaking.remote) return;
    this.#speaking = next;
    this.#events.emit('speaking', next);
  }

  #setMutedSpeech(speaking: boolean): void {
    if (speaking === this.#mutedSpeech) return;
    this.#mutedSpeech = speaking;
    this.#events.emit('muted-speech', speaking);
  }
}
