/**
 * Preact glue for the call engine's emitters: the latest value of an event, re-rendering on each.
 * The engine stays UI-free; components read it only through this.
 */
import { useLayoutEffect, useState } from 'preact/hooks';

type Subscribe<T> = (listener: (value: T) => void) => () => void;

export function useEmitted<T>(subscribe: Subscribe<T>, initial: T, deps: readonly unknown[] = []): T {
  const [value, setValue] = useState(initial);
  // A layout effect runs in the same task as the render that read `initial`: a plain effect runs
  // later, and an event emitted in between (the peer's tracks, right after "Join call") was lost.
  useLayoutEffect(() => {
    setValue(initial);
    return subscribe(setValue);
    // `subscribe` is a new closure each render: callers list what it depends on in `deps`.
  }, deps);
  return value;
}
