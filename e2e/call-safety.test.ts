/**
 * The safety code in real Chromium, through the built app: Alice and Bob (each in a browser context
 * of their own, so each with their own stored certificate) see the same code; they mark each other
 * verified; a second call between them shows the same code and the mark; another pair of browsers
 * gets another code; and Bob signing in from a new browser (a new certificate) makes Alice's call
 * say that his safety code changed, until she verifies him again. The steps share their state and
 * run in order. The attack itself is in call-mitm.test.ts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn } from './support/accounts.ts';
import { launchBrowser, newUserPage } from './support/browser.ts';
import { type Caller, callStats, newCaller, recordPeerConnections } from './support/call.ts';
import { becomeContacts, callButton } from './support/ring.ts';
import { closeSafetyPanel, readSafetyCode, safetyButton } from './support/safety.ts';

/** Each click and page load may wait this long: these calls run while other browser tests load the machine. */
const STEP_TIMEOUT_MS = 60_000;

let browser: Browser;
let alice: Caller;
let bob: Caller;
/** The code Alice and Bob saw in their first call. */
let aliceAndBob: string;

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newCaller(browser, 'alice');
  bob = await newCaller(browser, 'bob');
  for (const { page } of [alice, bob]) page.context().setDefaultTimeout(STEP_TIMEOUT_MS);
});

afterAll(async () => {
  await browser?.close();
});

async function connected(...pages: Page[]): Promise<void> {
  for (const page of pages) {
    await expect.poll(async () => (await callStats(page))?.connectionState, { timeout: 30_000 }).toBe('connected');
  }
}

/** `host` starts a call, `guest` joins it; resolves once both are connected. */
async function call(host: Caller, guest: Caller): Promise<void> {
  const room = await host.startCall();
  await guest.join(room);
  await connected(host.page, guest.page);
}

/** Both leave the call: the guest ends it, the host leaves from the "left" panel. */
async function hangUp(host: Caller, guest: Caller): Promise<void> {
  await guest.page.getByRole('button', { name: 'End call', exact: true }).click();
  await guest.page.waitForURL((url) => url.pathname === '/');
  await host.page.getByRole('button', { name: 'Leave' }).click();
  await host.page.waitForURL((url) => url.pathname === '/');
}

const verifiedMark = (page: Page) => page.locator('.tile.remote .verified-mark');
const notice = (page: Page) => page.locator('.safety-notice');

describe('the safety code', () => {
  it('is the same on both sides of a call, in an accessible panel', async () => {
    await call(alice, bob);
    const button = safetyButton(alice.page);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    aliceAndBob = await readSafetyCode(alice.page);
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await button.getAttribute('aria-controls')).toBe('safety-panel');
    const panel = alice.page.getByRole('region', { name: 'Safety code' });
    await panel.getByRole('heading', { name: 'Safety code' }).waitFor();
    await panel
      .getByText(`Compare this code with ${bob.user.username}: if it matches, nobody is listening in.`)
      .waitFor();
    expect(await readSafetyCode(bob.page)).toBe(aliceAndBob);
    // Nobody is verified yet: no mark, no warning.
    expect(await verifiedMark(alice.page).count()).toBe(0);
    expect(await notice(alice.page).textContent()).toBe('');
  });

  it('"Mark as verified" puts a Verified mark on the other person’s tile', async () => {
    for (const [side, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      await side.page.getByRole('button', { name: 'Mark as verified' }).click();
      await side.page.getByText(`You verified ${other.user.username}'s device.`).waitFor();
      await verifiedMark(side.page).waitFor();
      await closeSafetyPanel(side.page);
      await expect.poll(() => side.page.evaluate(() => document.activeElement?.id)).toBe('safety-button');
    }
  });

  it('is the same in a second call between the same two browsers, which stay verified', async () => {
    await hangUp(alice, bob);
    await call(bob, alice);
    await verifiedMark(alice.page).waitFor();
    await verifiedMark(bob.page).waitFor();
    expect(await readSafetyCode(alice.page)).toBe(aliceAndBob);
    expect(await readSafetyCode(bob.page)).toBe(aliceAndBob);
    await hangUp(bob, alice);
  });

  it('marks a verified person in Home’s contact list', async () => {
    await becomeContacts(alice, bob);
    for (const [side, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const row = side.page.getByRole('listitem').filter({ has: callButton(side.page, other.user) });
      await row.getByText('Verified', { exact: true }).waitFor();
    }
  });

  it('differs for another pair of browsers', async () => {
    const carol = await newCaller(browser, 'carol');
    const dave = await newCaller(browser, 'dave');
    for (const { page } of [carol, dave]) page.context().setDefaultTimeout(STEP_TIMEOUT_MS);
    await call(carol, dave);
    const carolAndDave = await readSafetyCode(carol.page);
    expect(await readSafetyCode(dave.page)).toBe(carolAndDave);
    expect(carolAndDave).not.toBe(aliceAndBob);
    await carol.page.context().close();
    await dave.page.context().close();
  });

  it('says so when a verified person calls from another browser, and drops the mark until verified again', async () => {
    // Bob on a new browser: same account, a certificate of its own.
    const page = await newUserPage(browser);
    page.context().setDefaultTimeout(STEP_TIMEOUT_MS);
    await logIn(page, { login: bob.user.username, password: bob.user.password });
    await page.addInitScript(recordPeerConnections);
    const room = await alice.startCall();
    await page.goto(room);
    await page.getByRole('button', { name: 'Join call' }).click();
    await connected(alice.page, page);

    await expect.poll(() => notice(alice.page).textContent()).toContain(`${bob.user.username}'s safety code changed`);
    expect(await verifiedMark(alice.page).count()).toBe(0);
    const newCode = await readSafetyCode(alice.page);
    expect(newCode).not.toBe(aliceAndBob);
    expect(await readSafetyCode(page)).toBe(newCode);
    // Bob's new browser has verified nobody: Alice is just unverified there, not "changed".
    expect(await notice(page).textContent()).toBe('');

    await alice.page.getByRole('button', { name: 'Mark as verified' }).click();
    await verifiedMark(alice.page).waitFor();
    expect(await notice(alice.page).textContent()).toBe('');
    await page.context().close();
  });
});
