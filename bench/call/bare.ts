/**
 * Benchmark part A (and its relay-only and opening-a-link variants): one bare call between two
 * fresh browser contexts on the trivial relay (bare-server.ts), timed like the app's (measure.ts).
 */
import type { Browser } from 'playwright-core';
import type { BareServer } from './bare-server.ts';
import { type CallTiming, PROBE, timeCall, timeOpening } from './measure.ts';

/** `lobby`: the joiner clicks on a loaded page; `relay`: the same through TURN; `open`: it opens the link first. */
export type CallKind = 'lobby' | 'relay' | 'open';

export async function bareCall(browser: Browser, server: BareServer, kind: CallKind): Promise<CallTiming> {
  const url = `${server.url}/?room=${crypto.randomUUID()}&relay=${kind === 'relay' ? 1 : 0}`;
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [host, joiner] = await Promise.all(
      contexts.map(async (context) => {
        await context.addInitScript(PROBE);
        return context.newPage();
      }),
    );
    if (!host || !joiner) throw new Error('unreachable: two contexts, two pages');
    if (kind === 'open') {
      await host.goto(url);
      return await timeOpening(host, joiner, url);
    }
    await Promise.all([host.goto(url), joiner.goto(url)]);
    return await timeCall(host, joiner);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}
