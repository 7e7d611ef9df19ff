import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallEvents } from '../call.ts';
import type { CallPhase, CallState } from '../call-state.ts';
import { Emitter } from '../emitter.ts';
import type { LocalMediaState } from '../media/local-media.ts';
import { CallInsight, type InsightEvents } from './insight.ts';

/** A stand-in for the browser's pieces: tracks are plain objects compared by identity. */
const track = (kind: 'audio' | 'video') => ({ kind }) as MediaStreamTrack;

/** A peer connection whose stats report an RTT and whose mic receiver reports `level.remote`. */
function fakePeerConnection(rttSeconds: number, level: { remote: number }) {
  const mic = track('audio');
  const report = new Map<string, object>([
    ['T', { id: 'T', type: 'transport', timestamp: 0, selectedCandidatePairId: 'P' }],
    ['P', { id: 'P', type: 'candidate-pair', timestamp: 0, currentRoundTripTime: rttSeconds }],
  ]);
  const pc = {
    getStats: async () => report,
    getReceivers: () => [{ track: mic, getSynchronizationSources: () => [{ audioLevel: level.remote }] }],
  } as unknown as RTCPeerConnection;
  return { pc, remote: { mic, video: track('video'), screenAudio: track('audio') } };
}

/** A video element whose first frame the test presents with `present(atMs)`. */
function fakeVideo() {
  let callback: VideoFrameRequestCallback | undefined;
  const video = {
    requestVideoFrameCallback: (cb: VideoFrameRequestCallback) => {
      callback = cb;
      return 1;
    },
    cancelVideoFrameCallback: () => {
      callback = undefined;
    },
  } as unknown as HTMLVideoElement;
  const present = (at: number) => callback?.(at, { presentationTime: at } as VideoFrameCallbackMetadata);
  return { video, present };
}

let engine: Emitter<CallEvents>;
let mediaEvents: Emitter<{ change: LocalMediaState }>;
let mediaState: Pick<LocalMediaState, 'mic' | 'micOn'>;
let level: { remote: number };
/** The level each microphone track hears. */
let micLevels: Map<MediaStreamTrack | undefined, number>;
let insight: CallInsight;
let seen: { [K in keyof InsightEvents]: InsightEvents[K][] };

const talk = (value: number) => micLevels.set(mediaState.mic, value);
const setPhase = (phase: CallPhase) => engine.emit('state', { phase } as CallState);
const setMedia = (patch: Partial<LocalMediaState>) => {
  mediaState = { ...mediaState, ...patch };
  mediaEvents.emit('change', mediaState as LocalMediaState);
};

beforeEach(() => {
  vi.useFakeTimers();
  engine = new Emitter();
  mediaEvents = new Emitter();
  mediaState = { mic: track('audio'), micOn: true };
  level = { remote: 0 };
  micLevels = new Map();
  insight = new CallInsight({
    engine,
    media: {
      on: mediaEvents.on.bind(mediaEvents),
      get state() {
        return mediaState as LocalMediaState;
      },
    },
    micLevel: (mic) => ({ read: () => micLevels.get(mic) ?? 0, stop: () => {} }),
  });
  seen = { sample: [], speaking: [], 'muted-speech': [], setup: [] };
  for (const type of Object.keys(seen) as (keyof InsightEvents)[]) {
    insight.on(type, (value) => (seen[type] as unknown[]).push(value));
  }
});

afterEach(() => {
  insight.dispose();
  vi.useRealTimers();
});

/** The engine meeting a peer the way the impolite side does: tracks first, then the connection. */
function connect(rttSeconds = 0.05) {
  const peer = fakePeerConnection(rttSeconds, level);
  engine.emit('remote', peer.remote);
  engine.emit('peer-connection', peer.pc);
  setPhase('in-call');
  return peer;
}

/** The engine dropping that connection (the peer left, or reloaded). */
const disconnect = () => engine.emit('remote', undefined);

describe('CallInsight stats', () => {
  it('samples the current connection every second, and follows a new one', async () => {
    setPhase('joining');
    connect(0.05);
    await vi.advanceTimersByTimeAsync(1500);
    expect(seen.sample.map((sample) => sample?.rttMs)).toEqual([50, 50]);

    disconnect();
    expect(insight.sample).toBeUndefined();
    connect(0.2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.sample.map((sample) => sample?.rttMs)).toEqual([50, 50, undefined, 200, 200]);
    // The grade comes with each sample: 200 ms round trip is fair.
    expect(insight.sample?.quality.inbound).toBe('fair');
  });
});

describe('CallInsight setup time', () => {
  it('runs from joining to the first remote frame, and is measured once', async () => {
    setPhase('joining');
    await vi.advanceTimersByTimeAsync(300);
    connect();
    const first = fakeVideo();
    insight.timeFirstFrame(first.video);
    first.present(performance.now() + 200);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.setup).toEqual([500]);

    // A reconnection shows a new first frame: not a new setup.
    const second = fakeVideo();
    insight.timeFirstFrame(second.video);
    second.present(performance.now() + 5000);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.setup).toEqual([500]);
  });

  it('for whoever waited alone, runs from the other person’s arrival', async () => {
    setPhase('joining');
    setPhase('waiting');
    await vi.advanceTimersByTimeAsync(60_000);
    connect();
    const { video, present } = fakeVideo();
    insight.timeFirstFrame(video);
    present(performance.now() + 250);
    await vi.advanceTimersByTimeAsync(0);
    expect(insight.setup).toBe(250);
  });

  it('for whoever waited alone on a connection made before the wait (a warm link), runs from the arrival too', async () => {
    setPhase('joining');
    const peer = fakePeerConnection(0.05, level);
    engine.emit('peer-connection', peer.pc);
    setPhase('waiting');
    await vi.advanceTimersByTimeAsync(60_000);
    engine.emit('remote', peer.remote);
    setPhase('in-call');
    const { video, present } = fakeVideo();
    insight.timeFirstFrame(video);
    present(performance.now() + 250);
    await vi.advanceTimersByTimeAsync(0);
    expect(insight.setup).toBe(250);
  });

  it('samples nothing in the lobby: the lobby’s connection is watched from joining on', async () => {
    const peer = fakePeerConnection(0.05, level);
    engine.emit('peer-connection', peer.pc);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(insight.sample).toBeUndefined();
    setPhase('joining');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(insight.sample).toBeDefined();
  });

  it('stops waiting for a frame when the element goes', async () => {
    setPhase('joining');
    const { video, present } = fakeVideo();
    insight.timeFirstFrame(video)();
    present(performance.now() + 100);
    await vi.advanceTimersByTimeAsync(0);
    expect(insight.setup).toBeUndefined();
  });
});

describe('CallInsight speaking', () => {
  it('hears the peer once both their tracks and the connection are known', () => {
    setPhase('joining');
    level.remote = 0.2;
    connect();
    vi.advanceTimersByTime(1000);
    expect(seen.speaking).toEqual([{ self: false, remote: true }]);
    level.remote = 0;
    vi.advanceTimersByTime(1000);
    expect(insight.speaking.remote).toBe(false);
    disconnect();
    level.remote = 0.2;
    vi.advanceTimersByTime(1000);
    expect(insight.speaking.remote).toBe(false);
  });

  it('shows the user speaking while unmuted, and the muted hint when they speak while muted', () => {
    talk(0.2);
    vi.advanceTimersByTime(1000);
    expect(seen.speaking).toEqual([]); // the lobby has its own meter: nothing before joining

    setPhase('joining');
    vi.advanceTimersByTime(1000);
    expect(insight.speaking.self).toBe(true);
    expect(seen['muted-speech']).toEqual([]);

    setMedia({ micOn: false });
    vi.advanceTimersByTime(1000);
    expect(insight.speaking.self).toBe(false);
    expect(seen['muted-speech']).toEqual([true]);

    talk(0);
    vi.advanceTimersByTime(4000);
    expect(seen['muted-speech']).toEqual([true, false]);
  });

  it('drops the muted hint the moment the user unmutes, and brings it back if they mute again', () => {
    talk(0.2);
    setMedia({ micOn: false });
    setPhase('joining');
    vi.advanceTimersByTime(1000);
    expect(insight.mutedSpeech).toBe(true);
    setMedia({ micOn: true });
    expect(insight.mutedSpeech).toBe(false);
    setMedia({ micOn: false });
    vi.advanceTimersByTime(1000);
    expect(seen['muted-speech']).toEqual([true, false, true]);
  });

  it('listens to the new microphone after a device switch', () => {
    const other = track('audio');
    micLevels.set(other, 0.3);
    setPhase('joining');
    vi.advanceTimersByTime(1000);
    expect(insight.speaking.self).toBe(false);
    setMedia({ mic: other });
    vi.advanceTimersByTime(1000);
    expect(insight.speaking.self).toBe(true);
  });
});

describe('CallInsight end', () => {
  it('stops everything when the call ends', async () => {
    setPhase('joining');
    level.remote = 0.2;
    talk(0.2);
    connect();
    setPhase('ended');
    const counts = Object.values(seen).map((values) => values.length);
    await vi.advanceTimersByTimeAsync(5000);
    expect(Object.values(seen).map((values) => values.length)).toEqual(counts);
  });
});
