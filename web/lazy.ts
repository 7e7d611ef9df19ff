/**
 * Code that loads the first time it is needed: a page (router.tsx), a call panel (lazy-part.tsx).
 * One request at a time; the module is kept once it arrives; a load that failed (offline) is asked
 * for again the next time the code is needed.
 */
export interface LazyCode<T> {
  /** The module's default export once it has arrived. */
  readonly loaded: T | undefined;
  load(): Promise<T>;
}

export function lazyCode<T>(load: () => Promise<{ default: T }>): LazyCode<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    get loaded() {
      return loaded;
    },
    load() {
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
      return loading;
    },
  };
}
