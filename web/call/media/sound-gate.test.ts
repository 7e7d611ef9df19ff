import { describe, expect, it } from 'vitest';
import { SoundGate } from './sound-gate.ts';

/** An <audio> whose play() the "browser" allows or refuses, as autoplay rules decide. */
function element(allowed: () => boolean) {
  return {
    plays: 0,
    play() {
      this.plays += 1;
      return allowed()
        ? Promise.resolve()
        : Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('sound gate', () => {
  it('an allowed element plays and nothing is blocked', async () => {
    const gate = new SoundGate();
    const audio = element(() => true);
    gate.play(audio);
    await settled();
    expect(audio.plays).toBe(1);
    expect(gate.blocked).toBe(false);
  });

  it('a refused element is blocked until unblock() (the click) starts it', async () => {
    const gate = new SoundGate();
    let gesture = false;
    const changes: boolean[] = [];
    gate.on('change', (blocked) => changes.push(blocked));
    const audio = element(() => gesture);
    gate.play(audio);
    await settled();
    expect(gate.blocked).toBe(true);

    gesture = true;
    gate.unblock();
    await settled();
    expect(audio.plays).toBe(2);
    expect(gate.blocked).toBe(false);
    expect(changes.at(0)).toBe(true);
    expect(changes.at(-1)).toBe(false);
  });

  it('other failures (no source, aborted) are not autoplay: no button for them', async () => {
    const gate = new SoundGate();
    gate.play({ play: () => Promise.reject(new DOMException('aborted', 'AbortError')) });
    await settled();
    expect(gate.blocked).toBe(false);
  });

  it('a blocked element that leaves the page no longer counts', async () => {
    const gate = new SoundGate();
    const audio = element(() => false);
    gate.play(audio);
    await settled();
    gate.forget(audio);
    expect(gate.blocked).toBe(false);
  });
});
