/**
 * Preact glue for the call engine's emitters: the latest value of an event, re-rendering on each.
 * The engine stays UI-free; components read it only through this.
 */
import { useEffect, useState } from 'preact/hooks';

type Subscribe<T> = (listener: (value: T) => void) => () => void;

export function useEmitted<T>(subscribe: Subscribe<T>, initial: T, deps: readonly unknown[] = []): T {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    setValue(initial);
    return subscribe(setValue);
    // `subscribe` is a new closure each render: callers list what it depends on in `deps`.
  }, deps);
  return value;
}
