/**
 * A part of the call screen whose code loads the first time it shows (the chat panel, the stats
 * panel): most calls never open them, so the call page does not download them up front. It renders
 * nothing until its chunk arrives, then the part; later it renders at once. Needs no Suspense
 * boundary around the call screen.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { lazyCode } from '../../lazy.ts';

export function lazyPart<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  const code = lazyCode(load);
  return function LazyPart(props: P) {
    const [Part, setPart] = useState(() => code.loaded);
    useEffect(() => {
      if (Part) return;
      let shown = true;
      code.load().then(
        (component) => shown && setPart(() => component),
        (error: unknown) => console.error(error),
      );
      return () => {
        shown = false;
      };
    }, [Part]);
    return Part ? <Part {...props} /> : null;
  };
}
