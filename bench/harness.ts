/**
 * The frame of a benchmark run (bench:call, bench:ring): a hard time limit far above a normal run,
 * in case something hangs, and what it started stopped in reverse order, whatever happens.
 */
export async function runBench(
  name: string,
  limitMs: number,
  body: (defer: (stop: () => unknown) => void) => Promise<void>,
): Promise<void> {
  const limit = setTimeout(() => {
    console.error(`${name}: still running after ${limitMs / 60_000} min, giving up`);
    process.exit(2);
  }, limitMs);
  limit.unref();
  const stops: (() => unknown)[] = [];
  try {
    await body((stop) => stops.push(stop));
  } finally {
    for (const stop of stops.reverse()) await stop();
    clearTimeout(limit);
  }
}
