/**
 * A tiny typed event emitter: the call engine's only way of telling the UI (and, later, stats and
 * recovery code) what happened. `on` returns the function that removes exactly that listener.
 */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(value: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (value: Events[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof Events>(type: K, value: Events[K]): void {
    // A copy, so a listener that unsubscribes while being called does not skip its neighbour.
    for (const listener of [...(this.#listeners.get(type) ?? [])]) (listener as (value: Events[K]) => void)(value);
  }

  clear(): void {
    this.#listeners.clear();
  }
}
