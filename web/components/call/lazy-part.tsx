/**
 * A part of the call screen whose code loads the first time it shows (the chat panel, the stats
 * panel): most calls never open them, so the call page does not download them up front. It renders
 * nothing until its chunk arrives, then the part; later it renders at once. A chunk that failed to
 * load (offline) is asked for again the next time the part shows. Smaller than preact/compat's
 * `lazy`, and needs no Suspense boundary around the call screen.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyPart<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function LazyPart(props: P) {
    const [Part, setPart] = useState(() => loaded);
    useEffect(() => {
      if (Part) return;
      let shown = true;
      loading ??= load().then(
        (module) => {
          loaded = module.default;
          return loaded;
        },
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      loading.then(
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
