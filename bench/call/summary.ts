/**
 * What `npm run bench:call` prints: after each run a table of its variants, and after the last one
 * the ratios app ÷ bare of every run side by side, with their median over the runs and the target.
 * A ratio compares medians of the same run, so load on this shared machine hits both sides alike.
 */
import { formatTable, summarize } from '../report.ts';
import type { CallTiming } from './measure.ts';

export const VARIANTS = ['bare', 'app', 'bare-relay', 'app-relay', 'bare-open', 'app-open'] as const;
export type VariantName = (typeof VARIANTS)[number];

/** Each app variant against its bare floor, with the target for the ratio of medians. */
const PAIRS = [
  { app: 'app', bare: 'bare', target: 1.0 },
  { app: 'app-relay', bare: 'bare-relay', target: 1.0 },
  { app: 'app-open', bare: 'bare-open', target: 1.5 },
] as const satisfies readonly { app: VariantName; bare: VariantName; target: number }[];

export interface Results {
  timings: CallTiming[];
  failures: string[];
}

export type Run = Map<VariantName, Results>;

const SIDES = ['joiner', 'host'] as const;
const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));

export function reportRun(index: number, run: Run): void {
  // The route column lists every candidate-type pair seen: a relay variant must show relay only.
  const rows = [...run].map(([name, { timings, failures }]) => [
    name,
    `${timings.length}/${timings.length + failures.length}`,
    [...new Set(timings.map((timing) => timing.route))].join(' '),
    ...SIDES.flatMap((side) => {
      const summary = summarize(timings.map((timing) => timing[side]));
      return [ms(summary?.min), ms(summary?.median), ms(summary?.max)];
    }),
  ]);
  console.log(
    `\nRun ${index}: "Join call" click → first remote video frame (ms); *-open: opening the link → first remote frame\n`,
  );
  console.log(
    formatTable(['variant', 'calls', 'route', 'joiner min', 'median', 'max', 'host min', 'median', 'max'], rows),
  );
  for (const [pair, side, value, target] of ratioRows([run]))
    console.log(`${pair}, ${side}: ${value} (target ${target})`);
  for (const [name, { failures }] of run) {
    for (const failure of failures) console.log(`${name} call failed: ${failure}`);
  }
}

/** The ratios of every run side by side, their median over the runs, and whether that meets the target. */
export function reportRatios(runs: Run[]): void {
  console.log(`\napp ÷ bare, ratio of medians, per run and the median over ${runs.length} runs\n`);
  const header = ['pair', 'side', ...runs.map((_, index) => `run ${index + 1}`), 'median', 'target', ''];
  console.log(formatTable(header, ratioRows(runs)));
}

function ratioRows(runs: Run[]): string[][] {
  const rows: string[][] = [];
  for (const { app, bare, target } of PAIRS) {
    for (const side of SIDES) {
      const ratios = runs.map((run) => ratio(run, app, bare, side));
      const known = ratios.filter((value) => value !== undefined);
      if (known.length === 0) continue;
      const median = summarize(known)?.median as number;
      rows.push([
        `${app} ÷ ${bare}`,
        side,
        ...(runs.length > 1 ? ratios.map((value) => value?.toFixed(2) ?? '-') : []),
        median.toFixed(2),
        `≤ ${target.toFixed(1)}`,
        median <= target ? 'met' : 'OVER',
      ]);
    }
  }
  return rows;
}

function ratio(run: Run, app: VariantName, bare: VariantName, side: 'joiner' | 'host'): number | undefined {
  const median = (name: VariantName) => summarize(run.get(name)?.timings.map((timing) => timing[side]) ?? [])?.median;
  const [a, b] = [median(app), median(bare)];
  return a === undefined || b === undefined ? undefined : a / b;
}
