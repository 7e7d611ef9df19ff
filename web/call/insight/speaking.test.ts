import { describe, expect, it, vi } from 'vitest';
import { MUTED_SPEECH, receiverLevel, SpeakingDetector, watchSpeaking } from './speaking.ts';

describe('SpeakingDetector', () => {
  /** Feeds `levels` 50 ms apart and returns what the detector said after each. */
  const run = (detector: SpeakingDetector, levels: number[], start = 0) =>
    levels.map((level, i) => detector.push(level, start + i * 50));

  it('starts speaking only after the level stays up for the attack time', () => {
    const detector = new SpeakingDetector({ on: 0.03, off: 0.015, attackMs: 150, releaseMs: 500 });
    expect(run(detector, [0.1, 0.1, 0.1, 0.1])).toEqual([false, false, false, true]);
  });

  it('ignores a short burst', () => {
    const detector = new SpeakingDetector();
    expect(run(detector, [0.5, 0.5, 0, 0.5, 0.5, 0])).not.toContain(true);
  });

  it('rides out pauses between words and stops after the release time', () => {
    const detector = new SpeakingDetector({ on: 0.03, off: 0.015, attackMs: 0, releaseMs: 200 });
    expect(detector.push(0.1, 0)).toBe(true);
    // 0.02 is under `on` but over `off`: still speaking, however long
    expect(run(detector, [0.02, 0.02, 0.02, 0.02, 0.02, 0.02], 50)).not.toContain(false);
    expect(run(detector, [0.001, 0.001, 0.001, 0.1, 0.001, 0.001, 0.001, 0.001, 0.001], 400)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('watchSpeaking', () => {
  it('reports each change once, with the muted-hint timing', () => {
    vi.useFakeTimers();
    let level = 0;
    const changes: boolean[] = [];
    const stop = watchSpeaking(
      () => level,
      (speaking) => changes.push(speaking),
      MUTED_SPEECH,
      100,
    );
    level = 0.2;
    vi.advanceTimersByTime(400);
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(changes).toEqual([true]);
    level = 0;
    vi.advanceTimersByTime(2500);
    expect(changes).toEqual([true]);
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([true, false]);
    stop();
    vi.useRealTimers();
  });
});

describe('receiverLevel', () => {
  it('reads the newest RTP audio level, if any packet came yet', () => {
    const sources: { audioLevel?: number }[] = [];
    const read = receiverLevel({ getSynchronizationSources: () => sources as RTCRtpSynchronizationSource[] });
    expect(read()).toBeUndefined();
    sources.push({ audioLevel: 0.25 });
    expect(read()).toBe(0.25);
  });
});
