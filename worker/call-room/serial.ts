/**
 * Handles a room's events one at a time, in the order they arrived. A Durable Object gets its next
 * event while the current one awaits anything but storage (the database, here); without this, a
 * `signal` sent right after `join` could be handled while that join still checks its session, and
 * two seat changes could interleave.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it; its result, or its error. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
