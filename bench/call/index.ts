/**
 * `npm run bench:call [-- --runs 5 --calls 6 --only bare,app,… | --quick]`: call setup time for
 * - bare: the bare-minimum WebRTC call on a trivial WebSocket relay (bare-*.ts), the floor;
 * - app: the real app, built and served locally as the browser tests serve it (app.ts);
 * - bare-relay / app-relay: the same, media forced through a local coturn (e2e/support/call-turn.ts);
 *   these four from the joiner's "Join call" click to the first remote video frame on each side;
 * - bare-open / app-open: a signed-in joiner opens the call's link and clicks "Join call" the
 *   moment it is enabled, from the start of that navigation to the first remote frame.
 * Each run makes `--calls` calls per variant, variants taking turns call by call, so a burst of
 * load on this shared machine hits them alike; it prints its table and ratios, and the end prints
 * the ratios of all runs side by side (summary.ts). `--quick` is one run of two calls, for
 * development. One headless Chromium with fake devices, loopback only; every call is bounded and
 * the whole run stops by itself. Not a test: it never fails on slow numbers, only when a variant
 * never connects.
 */
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { runBench } from '../harness.ts';
import { startAppBench } from './app.ts';
import { bareCall } from './bare.ts';
import { startBareServer } from './bare-server.ts';
import { startBenchTurn } from './ice.ts';
import type { CallTiming } from './measure.ts';
import { type Results, type Run, reportRatios, reportRun, VARIANTS, type VariantName } from './summary.ts';

/** A hard stop, far above a normal run (~5 s per call), in case something hangs. */
const RUN_LIMIT_MS = 60 * 60_000;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    calls: { type: 'string', default: '6' },
    only: { type: 'string', default: VARIANTS.join(',') },
    quick: { type: 'boolean', default: false },
  },
});
const runs = args.quick ? 1 : Number(args.runs);
const calls = args.quick ? 2 : Number(args.calls);
const only = new Set((args.only ?? '').split(',') as VariantName[]);

async function main(): Promise<void> {
  await runBench('bench:call', RUN_LIMIT_MS, async (defer) => {
    const turn = await startBenchTurn();
    defer(turn.stop);
    const bare = await startBareServer(turn);
    defer(bare.stop);
    const browser = await launchBrowser();
    defer(() => browser.close());
    const needsApp = VARIANTS.some((name) => name.startsWith('app') && only.has(name));
    const app = needsApp ? await startAppBench(browser, turn) : undefined;
    if (app) defer(app.stop);

    const variants = new Map<VariantName, () => Promise<CallTiming>>([
      ['bare', () => bareCall(browser, bare, 'lobby')],
      ['bare-relay', () => bareCall(browser, bare, 'relay')],
      ['bare-open', () => bareCall(browser, bare, 'open')],
    ]);
    if (app) {
      variants.set('app', () => app.call('lobby'));
      variants.set('app-relay', () => app.call('relay'));
      variants.set('app-open', () => app.call('open'));
    }
    const chosen = VARIANTS.filter((name) => only.has(name) && variants.has(name));

    const done: Run[] = [];
    for (let index = 1; index <= runs; index++) {
      const run: Run = new Map(chosen.map((name) => [name, { timings: [], failures: [] }]));
      for (let call = 1; call <= calls; call++) {
        for (const name of chosen) await timeOne(name, variants.get(name), run.get(name), `${index}.${call}`);
      }
      reportRun(index, run);
      done.push(run);
    }
    if (runs > 1) reportRatios(done);
    // Slow numbers never fail the run, but a variant that never connected means the bench is broken.
    if (done.some((run) => [...run.values()].some((result) => result.timings.length === 0))) process.exitCode = 1;
  });
}

async function timeOne(
  name: VariantName,
  call: (() => Promise<CallTiming>) | undefined,
  result: Results | undefined,
  label: string,
): Promise<void> {
  if (!call || !result) return;
  try {
    const timing = await call();
    result.timings.push(timing);
    console.log(
      `${name} #${label}: joiner ${timing.joiner.toFixed(0)} ms, host ${timing.host.toFixed(0)} ms, ${timing.route}`,
    );
  } catch (error) {
    result.failures.push(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
    console.log(`${name} #${label}: failed`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
