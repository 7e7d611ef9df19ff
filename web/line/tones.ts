/**
 * The ringtone (a callee's tabs) and the ringback tone (the caller), made with Web Audio: no sound
 * file to download. Where the browser's autoplay rules keep the AudioContext suspended (no click
 * on the page yet), the tone starts at the first click or key press; until then the ringing is
 * seen, not heard (the dialog, and the tab title).
 */

interface Tone {
  /** Frequencies played together, in Hz. */
  mix: number[];
  /** On and off times of one cycle, in seconds, starting with on. */
  cadence: number[];
}

/** A bright double chirp, repeated every 3 s. */
const RINGTONE: Tone = { mix: [660, 880], cadence: [0.4, 0.2, 0.4, 2] };
/** The North American ringback: 440 + 480 Hz, 2 s on, 4 s off. */
const RINGBACK: Tone = { mix: [440, 480], cadence: [2, 4] };

export type ToneKind = 'ringtone' | 'ringback';

let context: AudioContext | undefined;

/** Plays the tone until the returned function is called (once or more). */
export function playTone(kind: ToneKind): () => void {
  const tone = kind === 'ringtone' ? RINGTONE : RINGBACK;
  if (typeof AudioContext === 'undefined') return () => {};
  context ??= new AudioContext();
  const audio = context;
  const output = audio.createGain();
  output.gain.value = 0.08;
  output.connect(audio.destination);
  const cycle = tone.cadence.reduce((sum, seconds) => sum + seconds, 0);
  let next = audio.currentTime;
  const scheduleCycle = () => {
    // Scheduled on the audio clock, a cycle ahead, so a busy main thread does not stutter it.
    while (next < audio.currentTime + cycle) {
      let at = Math.max(next, audio.currentTime);
      tone.cadence.forEach((seconds, index) => {
        if (index % 2 === 0) beep(audio, output, tone.mix, at, seconds);
        at += seconds;
      });
      next = at;
    }
  };
  const unlock = () => void audio.resume().then(scheduleCycle);
  if (audio.state !== 'running') {
    unlock();
    addEventListener('pointerdown', unlock, { once: true });
    addEventListener('keydown', unlock, { once: true });
  }
  scheduleCycle();
  const timer = setInterval(scheduleCycle, (cycle * 1000) / 2);
  return () => {
    clearInterval(timer);
    removeEventListener('pointerdown', unlock);
    removeEventListener('keydown', unlock);
    output.disconnect();
  };
}

function beep(audio: AudioContext, output: AudioNode, mix: number[], at: number, seconds: number): void {
  const envelope = audio.createGain();
  envelope.gain.setValueAtTime(0, at);
  envelope.gain.linearRampToValueAtTime(1, at + 0.02);
  envelope.gain.setValueAtTime(1, at + seconds - 0.02);
  envelope.gain.linearRampToValueAtTime(0, at + seconds);
  envelope.connect(output);
  for (const frequency of mix) {
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(envelope);
    oscillator.start(at);
    oscillator.stop(at + seconds);
  }
}
