/**
 * Times one call (see probe.js for how). The host always joins first and settles alone in the
 * room; then either
 * - `timeCall`: the joiner, already on its lobby (camera open, "Join call" enabled), clicks
 *   "Join call": from that click to the first remote video frame on each side; or
 * - `timeOpening`: the joiner opens the call's link in a fresh page and clicks "Join call" the
 *   moment it is enabled: from the start of that navigation to the first remote frame.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Installs the timing probe; call before the page's first navigation. */
export const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');

/** ms from the joiner's click (or navigation) to the first remote frame: on the joiner's page, and on the host's. */
export interface CallTiming {
  joiner: number;
  host: number;
  /** Candidate types of the joiner's selected pair, local/remote, e.g. "host/host". */
  route: string;
}

interface Probe {
  clickAt?: number;
  firstFrameAt?: number;
  navigationAt: number;
}

/** Alone in the room long enough to be seated; a call's setup starts when the joiner clicks. */
const SETTLE_MS = 1000;
const CALL_TIMEOUT_MS = 20_000;

const joinButton = (page: Page) => page.getByRole('button', { name: 'Join call', exact: true });
const probe = (page: Page) => page.evaluate('window.__bench') as Promise<Probe>;

export async function timeCall(host: Page, joiner: Page): Promise<CallTiming> {
  await seatHost(host);
  await joinButton(joiner).click();
  return timeFrames(host, joiner, (probe) => probe.clickAt);
}

/** `joiner`: a page not navigated yet, in a context with the probe; `url`: the call's link. */
export async function timeOpening(host: Page, joiner: Page, url: string): Promise<CallTiming> {
  await seatHost(host);
  await joiner.addInitScript(AUTO_JOIN);
  await joiner.goto(url);
  return timeFrames(host, joiner, (probe) => probe.navigationAt);
}

const AUTO_JOIN = 'window.__benchAutoJoin = true;';

async function seatHost(host: Page): Promise<void> {
  await joinButton(host).click();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

async function timeFrames(host: Page, joiner: Page, start: (joiner: Probe) => number | undefined): Promise<CallTiming> {
  // A function, not a string: the app's CSP forbids eval, which a string predicate needs.
  const framed = () => (window as unknown as { __bench: Probe }).__bench.firstFrameAt !== undefined;
  await Promise.all([host, joiner].map((page) => page.waitForFunction(framed, null, { timeout: CALL_TIMEOUT_MS })));
  const [h, j] = await Promise.all([probe(host), probe(joiner)]);
  const startedAt = start(j);
  if (startedAt === undefined || j.firstFrameAt === undefined || h.firstFrameAt === undefined) {
    throw new Error('probe missed the start or a frame');
  }
  const route = (await joiner.evaluate('window.__bench.route()')) as string;
  return { joiner: j.firstFrameAt - startedAt, host: h.firstFrameAt - startedAt, route };
}
