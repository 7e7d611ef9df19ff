/**
 * The other person's sound, through autoplay rules. Browsers may refuse to start audio that no
 * click started: Safari on iPhones when the page captures no microphone or camera, Chromium and
 * Firefox after a reload, which rejoins the call with no click at all. Such an element's `play()`
 * rejects with NotAllowedError; the gate keeps those elements and `unblock()`, called inside the
 * click on "Turn on sound", starts them again (browsers allow play() within a user gesture).
 *
 * @example
 *   gate.play(audioElement);            // when its stream is set
 *   gate.on('change', (blocked) => …);  // show or hide "Turn on sound"
 *   onClick={() => gate.unblock()}
 */
import { Emitter } from '../emitter.ts';

type Playable = Pick<HTMLMediaElement, 'play'>;

export class SoundGate extends Emitter<{ change: boolean }> {
  readonly #blocked = new Set<Playable>();

  get blocked(): boolean {
    return this.#blocked.size > 0;
  }

  /** Starts an element; one the browser refuses waits for unblock(). */
  play(element: Playable): void {
    this.#blocked.delete(element);
    element.play().then(
      () => this.#set(element, false),
      (error: unknown) => this.#set(element, error instanceof DOMException && error.name === 'NotAllowedError'),
    );
  }

  /** Call it inside a click: every refused element is started again. */
  unblock(): void {
    for (const element of [...this.#blocked]) this.play(element);
    this.emit('change', this.blocked);
  }

  /** An element left the page. */
  forget(element: Playable): void {
    this.#set(element, false);
  }

  #set(element: Playable, blocked: boolean): void {
    const before = this.blocked;
    if (blocked) this.#blocked.add(element);
    else this.#blocked.delete(element);
    if (this.blocked !== before) this.emit('change', this.blocked);
  }
}
