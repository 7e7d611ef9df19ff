/**
 * Benchmark part A (and its relay-only variant): one bare call between two fresh browser
 * contexts on the trivial relay (bare-server.ts), timed like the app's (measure.ts).
 */
import type { Browser } from 'playwright-core';
import type { BareServer } from './bare-server.ts';
import { type CallTiming, PROBE, timeCall } from './measure.ts';

export async function bareCall(browser: Browser, server: BareServer, relay: boolean): Promise<CallTiming> {
  const room = crypto.randomUUID();
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [host, joiner] = await Promise.all(
      contexts.map(async (context) => {
        await context.addInitScript(PROBE);
        const page = await context.newPage();
        await page.goto(`${server.url}/?room=${room}&relay=${relay ? 1 : 0}`);
        return page;
      }),
    );
    if (!host || !joiner) throw new Error('unreachable: two contexts, two pages');
    return await timeCall(host, joiner);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}
