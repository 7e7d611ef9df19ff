/**
 * `npm run bench:signaling [-- --rooms 1000 --burst 50 --paced 5 --rounds 2 --concurrency 50 --profile f --limit-minutes 10]`:
 * how well the call rooms relay signaling, next to a trivial echo Durable Object run in the same
 * workerd process under the same load.
 *
 * It starts the app locally (embedded Postgres with a fresh database of its own; the Worker in
 * workerd through wrangler's dev server, see server.ts), makes 2 × rooms users and `rooms` rooms
 * through the API. Then, in each round and for each target in turn, it opens `rooms` rooms × 2
 * WebSockets (`concurrency` rooms at a time) and runs two loads (load.ts): paced, every peer
 * sending `paced` signal messages one second apart (relay latency under moderate load), then a
 * burst, every peer sending `burst` messages at once (throughput; latency there is mostly
 * queueing). Every message must arrive once, in order, at the right peer. Rounds alternate the
 * targets so neither always goes first; their results are pooled. It prints how long opening the
 * sockets took, p50 / p99 latency and messages per second per target and load, and the app ÷ echo
 * ratios. `--profile f` also writes CPU profiles of the app's first round (profile.ts).
 *
 * Loopback only, bounded by a hard time limit. Not a test: it fails only when a message is lost,
 * duplicated or misrouted.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startLocalBackend } from '../../scripts/lib/local-app.ts';
import { formatTable } from '../report.ts';
import { type LoadResult, type Pace, type Peer, percentile, pool, runLoad, type Target } from './load.ts';
import { startProfile } from './profile.ts';
import { serveBenchWorker } from './server.ts';
import { closeAll, inPool } from './sockets.ts';
import { APP_TARGET, appTarget, type BenchRoom, echoTarget } from './targets.ts';

const LOAD_LIMIT_MS = 120_000;
const WARM_UP_ROOMS = 20;
const USERS_PER_REQUEST = 100;

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1000' },
    burst: { type: 'string', default: '50' },
    paced: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '50' },
    profile: { type: 'string' },
    /** The hard time limit, in minutes: a loaded machine needs more than an idle one. */
    'limit-minutes': { type: 'string', default: '10' },
  },
});
const RUN_LIMIT_MS = Number(args['limit-minutes']) * 60_000;
const ROOMS = Number(args.rooms);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);
const LOADS = {
  paced: { messages: Number(args.paced), intervalMs: 1000 },
  burst: { messages: Number(args.burst), intervalMs: 0 },
};
type LoadName = keyof typeof LOADS;

interface Measurement {
  openSeconds: number;
  loads: Record<LoadName, LoadResult>;
}

async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function createRooms(origin: URL): Promise<BenchRoom[]> {
  const requests = Array.from({ length: Math.ceil((2 * ROOMS) / USERS_PER_REQUEST) }, (_, i) =>
    Math.min(USERS_PER_REQUEST, 2 * ROOMS - i * USERS_PER_REQUEST),
  );
  const batches = await inPool(requests, 4, async (count) => {
    const response = await fetch(new URL('/bench/users', origin), { method: 'POST', body: JSON.stringify({ count }) });
    if (!response.ok) throw new Error(`creating users: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as { cookie: string }[];
  });
  const cookies = batches.flat().map((user) => user.cookie);
  return inPool(
    Array.from({ length: ROOMS }, (_, i) => i),
    20,
    async (i) => {
      const owner = cookies[2 * i] as string;
      const response = await fetch(new URL('/api/rooms', origin), { method: 'POST', headers: { cookie: owner } });
      if (response.status !== 201) throw new Error(`creating a room: HTTP ${response.status} ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      return { id, cookies: [owner, cookies[2 * i + 1] as string] };
    },
  );
}

/** Profiles `work` into `${file}-${phase}.cpuprofile` when given an inspector and a file (profile.ts). */
async function profiled<T>(profiling: Profiling | undefined, phase: string, work: () => Promise<T>): Promise<T> {
  const profile = profiling && (await startProfile(profiling.inspectorUrl, `${profiling.file}-${phase}.cpuprofile`));
  try {
    return await work();
  } finally {
    await profile?.stop();
  }
}

interface Profiling {
  inspectorUrl: URL;
  file: string;
}

async function measure(
  target: Target,
  rooms: number,
  loads: Record<LoadName, Pace>,
  profiling?: Profiling,
): Promise<Measurement> {
  const started = performance.now();
  const pairs: [Peer, Peer][] = await profiled(profiling, 'open', () =>
    inPool(
      Array.from({ length: rooms }, (_, i) => i),
      CONCURRENCY,
      (i) => target.openRoom(i),
    ),
  );
  const openSeconds = (performance.now() - started) / 1000;
  try {
    const paced = await profiled(profiling, 'paced', () => runLoad(pairs, loads.paced, LOAD_LIMIT_MS));
    const burst = await profiled(profiling, 'burst', () => runLoad(pairs, loads.burst, LOAD_LIMIT_MS));
    return { openSeconds, loads: { paced, burst } };
  } finally {
    await closeAll(pairs.flat().map((peer) => peer.ws));
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function report(results: Map<string, Measurement[]>): boolean {
  console.log(
    `\nSignaling relay: ${ROOMS} rooms × 2 WebSockets, ${ROUNDS} round(s) per target; paced: ${LOADS.paced.messages} ` +
      `messages per peer 1 s apart; burst: ${LOADS.burst.messages} messages per peer at once ` +
      `(${(2 * ROOMS * LOADS.burst.messages).toLocaleString('en')} per round).\n` +
      `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ` +
      `load average ${loadavg()[0]?.toFixed(1)} at the end\n`,
  );
  const pooled = new Map(
    [...results].map(([name, runs]) => [
      name,
      {
        openSeconds: runs.reduce((sum, run) => sum + run.openSeconds, 0) / runs.length,
        paced: pool(runs.map((run) => run.loads.paced)),
        burst: pool(runs.map((run) => run.loads.burst)),
      },
    ]),
  );
  const rows = [...pooled].flatMap(([name, m]) =>
    (['paced', 'burst'] as const).map((load) => [
      name,
      load,
      fixed(m.openSeconds),
      `${m[load].delivered}/${m[load].expected}`,
      String(m[load].wrong),
      fixed(percentile(m[load].latenciesMs, 50)),
      fixed(percentile(m[load].latenciesMs, 99)),
      fixed(m[load].delivered / m[load].seconds, 0),
    ]),
  );
  console.log(formatTable(['target', 'load', 'open (s)', 'delivered', 'wrong', 'p50 ms', 'p99 ms', 'msgs/s'], rows));
  const [app, echo] = [...pooled.values()];
  if (app && echo) {
    const ratio = (a: number, b: number) => `${fixed(a / b, 2)}×`;
    console.log(
      `app ÷ echo, opening ${2 * ROOMS} sockets: ${ratio(app.openSeconds, echo.openSeconds)} ` +
        `(${fixed(app.openSeconds)} s vs ${fixed(echo.openSeconds)} s; the app also checks the session and the room, and joins)`,
    );
    for (const load of ['paced', 'burst'] as const) {
      const [a, e] = [app[load], echo[load]];
      console.log(
        `app ÷ echo, ${load}: p50 latency ${ratio(percentile(a.latenciesMs, 50), percentile(e.latenciesMs, 50))}, ` +
          `p99 latency ${ratio(percentile(a.latenciesMs, 99), percentile(e.latenciesMs, 99))}` +
          (load === 'burst' ? `, throughput ${ratio(a.delivered / a.seconds, e.delivered / e.seconds)}` : ''),
      );
    }
  }
  const all = [...pooled].flatMap(([name, m]) => [m.paced, m.burst].map((load) => ({ name, load })));
  for (const { name, load } of all) for (const sample of load.samples) console.log(`${name}, wrong: ${sample}`);
  const sound = all.every(({ load }) => load.delivered === load.expected && load.wrong === 0);
  console.log(
    sound ? '\nEvery message arrived once, in order, at the right peer.' : '\nMESSAGES WERE LOST OR MISROUTED.',
  );
  return sound;
}

async function main(): Promise<void> {
  const limit = setTimeout(() => {
    console.error(`bench:signaling: still running after ${RUN_LIMIT_MS / 60_000} min, giving up`);
    process.exit(2);
  }, RUN_LIMIT_MS);
  limit.unref();
  const stops: (() => Promise<void>)[] = [];
  try {
    const backend = await step('database', () =>
      startLocalBackend({
        owner: 'npm run bench:signaling',
        database: `edgecall_bench_signaling_${process.pid}`,
        fresh: true,
        reuseRunning: true,
      }),
    );
    stops.push(() => backend.stop());
    const server = await step('worker', () => serveBenchWorker(backend.workerEnv, args.profile !== undefined));
    stops.push(() => server.stop());
    const rooms = await step(`${2 * ROOMS} users, ${ROOMS} rooms`, () => createRooms(server.url));
    await step('warm-up', async () => {
      const short = { paced: { messages: 1, intervalMs: 100 }, burst: LOADS.burst };
      await measure(appTarget(server.url, rooms), Math.min(WARM_UP_ROOMS, ROOMS), short);
      await measure(echoTarget(server.url, 'warm-up'), Math.min(WARM_UP_ROOMS, ROOMS), short);
    });
    const results = new Map<string, Measurement[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      const targets = [appTarget(server.url, rooms), echoTarget(server.url, `round-${round}`)];
      if (round % 2 === 0) targets.reverse();
      for (const target of targets) {
        // The app's first round is profiled when asked (--profile): the profiler's own cost lands there.
        const profiling =
          round === 1 && target.name === APP_TARGET && server.inspectorUrl && args.profile
            ? { inspectorUrl: server.inspectorUrl, file: args.profile }
            : undefined;
        const run = await step(`round ${round}, ${target.name}`, () => measure(target, ROOMS, LOADS, profiling));
        results.set(target.name, [...(results.get(target.name) ?? []), run]);
      }
    }
    if (!report(new Map([...results].sort(([a], [b]) => (a < b ? -1 : 1))))) process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
    clearTimeout(limit);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
