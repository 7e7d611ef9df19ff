/**
 * Times one call between two pages already on their lobby (camera open, "Join call" enabled):
 * the host joins and settles alone in the room, then the joiner clicks "Join call"; the result is
 * the time from that click to the first remote video frame on each side (see probe.js).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Installs the timing probe; call before the page's first navigation. */
export const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');

/** ms from the joiner's click to the first remote frame: on the joiner's page, and on the host's. */
export interface CallTiming {
  joiner: number;
  host: number;
  /** Candidate types of the joiner's selected pair, local/remote, e.g. "host/host". */
  route: string;
}

interface Probe {
  clickAt?: number;
  firstFrameAt?: number;
}

/** Alone in the room long enough to be seated; a call's setup starts when the joiner clicks. */
const SETTLE_MS = 1000;
const CALL_TIMEOUT_MS = 20_000;

const joinButton = (page: Page) => page.getByRole('button', { name: 'Join call', exact: true });
const probe = (page: Page) => page.evaluate('window.__bench') as Promise<Probe>;

export async function timeCall(host: Page, joiner: Page): Promise<CallTiming> {
  await joinButton(host).click();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await joinButton(joiner).click();
  // A function, not a string: the app's CSP forbids eval, which a string predicate needs.
  const framed = () => (window as unknown as { __bench: Probe }).__bench.firstFrameAt !== undefined;
  await Promise.all([host, joiner].map((page) => page.waitForFunction(framed, null, { timeout: CALL_TIMEOUT_MS })));
  const [h, j] = await Promise.all([probe(host), probe(joiner)]);
  if (j.clickAt === undefined || j.firstFrameAt === undefined || h.firstFrameAt === undefined) {
    throw new Error('probe missed the click or a frame');
  }
  const route = (await joiner.evaluate('window.__bench.route()')) as string;
  return { joiner: j.firstFrameAt - j.clickAt, host: h.firstFrameAt - j.clickAt, route };
}
