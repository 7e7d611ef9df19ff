/**
 * The lobby's microphone level meter: the mic's RMS (speaking.ts `micLevel`, an AnalyserNode on a
 * clone of the track) ten times a second, on a decibel scale so that normal speech fills about
 * half of it. A muted mic shows empty: that is what the other person will hear.
 */
import { useEffect, useState } from 'preact/hooks';
import { micLevel } from '../../call/insight/speaking.ts';

/** -60 dBFS (silence in a room) … 0 dBFS (full scale) onto 0 … 1. */
export function meterValue(rms: number): number {
  if (rms <= 0) return 0;
  return Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60));
}

export function MicMeter({ track, on }: { track: MediaStreamTrack | undefined; on: boolean }) {
  const [value, setValue] = useState(0);
  useEffect(() => {
    if (!track || !on) {
      setValue(0);
      return;
    }
    const context = new AudioContext();
    // Suspended until a user gesture where autoplay rules say so; the first click wakes it up.
    const resume = () => void context.resume();
    document.addEventListener('pointerdown', resume, { once: true });
    const level = micLevel(track, context);
    const timer = setInterval(() => setValue(meterValue(level.read())), 100);
    return () => {
      clearInterval(timer);
      document.removeEventListener('pointerdown', resume);
      level.stop();
      void context.close();
    };
  }, [track, on]);
  return (
    <div class="mic-meter">
      <label for="mic-level">Microphone level</label>
      <meter id="mic-level" min={0} max={1} low={0.25} high={0.9} optimum={0.5} value={value} />
    </div>
  );
}
