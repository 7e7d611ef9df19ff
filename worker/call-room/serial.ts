/**
 * Handles a room's events one at a time, in the order they arrived. A Durable Object gets its next
 * event while the current one awaits anything but storage (the database, here); without this, a
 * `signal` sent right after `join` could be handled while that join still checks its session, and
 * two seat changes could interleave.
 *
 * Most of a room's events await nothing (a relay): `runNow` runs such a task at once when nothing is
 * queued, and it costs no promise; only a task that returns one (it awaits) holds back those after it.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();
  /** Tasks queued or awaiting: while there are any, a new task waits behind them. */
  #pending = 0;

  /** Runs `task` after every task queued before it; its result, or its error. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    return this.#hold(this.#tail.then(task));
  }

  /** Like `run`, but at once when nothing is queued, returning what `task` returns (a promise or not). */
  runNow<T>(task: () => T | Promise<T>): T | Promise<T> {
    if (this.#pending > 0) return this.run(task);
    const result = task();
    return result instanceof Promise ? this.#hold(result) : result;
  }

  #hold<T>(result: Promise<T>): Promise<T> {
    this.#pending++;
    const settled = () => {
      this.#pending--;
    };
    this.#tail = result.then(settled, settled);
    return result;
  }
}
