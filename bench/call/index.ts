/**
 * `npm run bench:call [-- --runs 10] [-- --only bare,app,bare-relay,app-relay]`: call setup time,
 * from the joiner's "Join call" click to the first remote video frame on each side, for
 * - bare: the bare-minimum WebRTC call on a trivial WebSocket relay (bare-*.ts), the floor;
 * - app: the real app, built and served locally as the browser tests serve it (app.ts);
 * - bare-relay / app-relay: the same, media forced through a local coturn (e2e/support/call-turn.ts).
 * Variants take turns call by call, so a burst of load on this shared machine hits them alike.
 * One headless Chromium with fake devices, loopback only; every call is bounded and the whole
 * run stops by itself. Prints min / median / max per variant and the ratio app ÷ bare
 * (target ≤ 1.15). Not a test: it never fails on slow numbers, only when a variant never connects.
 */
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { runBench } from '../harness.ts';
import { formatTable, summarize } from '../report.ts';
import { startAppBench } from './app.ts';
import { bareCall } from './bare.ts';
import { startBareServer } from './bare-server.ts';
import { startBenchTurn } from './ice.ts';
import type { CallTiming } from './measure.ts';

const VARIANTS = ['bare', 'app', 'bare-relay', 'app-relay'] as const;
type VariantName = (typeof VARIANTS)[number];
const TARGET_RATIO = 1.15;
/** A hard stop, far above a normal run (~10 s per call pair), in case something hangs. */
const RUN_LIMIT_MS = 20 * 60_000;

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, only: { type: 'string', default: VARIANTS.join(',') } },
});
const runs = Number(args.runs);
const only = new Set((args.only ?? '').split(',') as VariantName[]);

interface Results {
  timings: CallTiming[];
  failures: string[];
}

const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));

function report(results: Map<VariantName, Results>): void {
  // The route column lists every candidate-type pair seen: a relay variant must show relay only.
  const rows = [...results].map(([name, { timings, failures }]) => {
    const joiner = summarize(timings.map((timing) => timing.joiner));
    const host = summarize(timings.map((timing) => timing.host));
    return [
      name,
      `${timings.length}/${timings.length + failures.length}`,
      [...new Set(timings.map((timing) => timing.route))].join(' '),
      ...[joiner, host].flatMap((side) => [ms(side?.min), ms(side?.median), ms(side?.max)]),
    ];
  });
  console.log('\nCall setup: joiner\'s "Join call" click → first remote video frame (ms)\n');
  console.log(
    formatTable(['variant', 'calls', 'route', 'joiner min', 'median', 'max', 'host min', 'median', 'max'], rows),
  );
  for (const [app, bare] of [
    ['app', 'bare'],
    ['app-relay', 'bare-relay'],
  ] as const) {
    const median = (name: VariantName, side: 'joiner' | 'host') =>
      summarize(results.get(name)?.timings.map((timing) => timing[side]) ?? [])?.median;
    const ratios = (['joiner', 'host'] as const).map((side) => {
      const [a, b] = [median(app, side), median(bare, side)];
      return a === undefined || b === undefined ? undefined : a / b;
    });
    if (ratios.some((ratio) => ratio === undefined)) continue;
    const [joiner, host] = ratios as number[];
    const verdict = Math.max(joiner as number, host as number) <= TARGET_RATIO ? 'within' : 'OVER';
    console.log(
      `\n${app} ÷ ${bare} (medians): joiner ${joiner?.toFixed(2)}, host ${host?.toFixed(2)}: ${verdict} the ${TARGET_RATIO} target`,
    );
  }
  for (const [name, { failures }] of results) {
    for (const failure of failures) console.log(`\n${name} call failed: ${failure}`);
  }
}

async function main(): Promise<void> {
  await runBench('bench:call', RUN_LIMIT_MS, async (defer) => {
    const turn = await startBenchTurn();
    defer(turn.stop);
    const bare = await startBareServer(turn);
    defer(bare.stop);
    const browser = await launchBrowser();
    defer(() => browser.close());
    const app = only.has('app') || only.has('app-relay') ? await startAppBench(browser, turn) : undefined;
    if (app) defer(app.stop);

    const variants = new Map<VariantName, () => Promise<CallTiming>>();
    if (only.has('bare')) variants.set('bare', () => bareCall(browser, bare, false));
    if (app && only.has('app')) variants.set('app', () => app.call(false));
    if (only.has('bare-relay')) variants.set('bare-relay', () => bareCall(browser, bare, true));
    if (app && only.has('app-relay')) variants.set('app-relay', () => app.call(true));

    const results = new Map<VariantName, Results>(
      [...variants.keys()].map((name) => [name, { timings: [], failures: [] }]),
    );
    for (let run = 1; run <= runs; run++) {
      for (const [name, call] of variants) {
        const result = results.get(name) as Results;
        try {
          const timing = await call();
          result.timings.push(timing);
          console.log(`${name} #${run}: joiner ${ms(timing.joiner)} ms, host ${ms(timing.host)} ms, ${timing.route}`);
        } catch (error) {
          result.failures.push(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
          console.log(`${name} #${run}: failed`);
        }
      }
    }
    report(results);
    // Slow numbers never fail the run, but a variant that never connected means the bench is broken.
    if ([...results.values()].some((result) => result.timings.length === 0)) process.exitCode = 1;
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
