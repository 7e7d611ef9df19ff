/**
 * Calling a person, answered (web/line/, worker/user-line/): Alice and Bob become contacts on Home
 * and see each other Online; Alice calls Bob; both of Bob's tabs ring, whatever page they show,
 * each showing Bob his own camera, while no RTP leaves either browser; Bob accepts in one tab, the other stops ringing; both are in
 * the call at once with media both ways; Alice hangs up, and both histories show an answered call
 * with its duration. The steps share one story and run in order.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { bytesOf, type Caller, expectGrowing, framesOf } from './support/call.ts';
import {
  anotherTab,
  becomeContacts,
  callButton,
  incomingCall,
  newPerson,
  ownCamera,
  presenceOf,
  rtpSent,
} from './support/ring.ts';

let browser: Browser;
let alice: Caller;
let bob: Caller;
/** Bob's second tab, on another page than Home. */
let bobElsewhere: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newPerson(browser, 'alice');
  bob = await newPerson(browser, 'bob');
});

afterAll(async () => {
  await browser?.close();
});

describe('calling a contact, answered', () => {
  it('two people become contacts and see each other Online', async () => {
    await becomeContacts(alice, bob);
    await expect.poll(() => presenceOf(alice.page, bob.user)).toBe('Online');
    await expect.poll(() => presenceOf(bob.page, alice.user)).toBe('Online');
    bobElsewhere = await anotherTab(bob, '/account');
  });

  it('a call rings every tab of the callee, on any page, and no RTP leaves either browser', async () => {
    await callButton(alice.page, bob.user).click();
    await alice.page.getByRole('heading', { name: `Calling ${bob.user.username}…` }).waitFor();
    await expect.poll(() => alice.page.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
    // The caller sees themselves while it rings.
    await expect.poll(() => alice.page.locator('.tile.preview video').count()).toBe(1);
    for (const page of [bob.page, bobElsewhere]) {
      const dialog = incomingCall(page, alice.user);
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await expect.poll(() => dialog.getByRole('button', { name: 'Accept' }).isVisible()).toBe(true);
      await expect.poll(() => dialog.getByRole('button', { name: 'Decline' }).isVisible()).toBe(true);
      await expect.poll(() => page.title()).toBe('Incoming call · EdgeCall');
      // Each tab on screen shows Bob his own camera, as a lobby would: Accept sends it at once.
      expect(await (await ownCamera(page, alice.user)).evaluate((track) => track.readyState)).toBe('live');
    }
    // The caller has readied its connection; still, nothing is sent before an answer.
    await expect.poll(() => alice.page.evaluate(() => window.__peerConnections.length)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const page of [alice.page, bob.page, bobElsewhere]) expect(await rtpSent(page)).toBe(0);
  });

  it('accepting in one tab stops the ringing in the other, and both are in the call at once', async () => {
    await incomingCall(bobElsewhere, alice.user).getByRole('button', { name: 'Accept' }).click();
    await bobElsewhere.waitForURL(/\/call\/[\w-]{16}$/);
    expect(new URL(bobElsewhere.url()).pathname).toBe(new URL(alice.page.url()).pathname);
    await expect.poll(() => incomingCall(bob.page, alice.user).isVisible()).toBe(false);
    await expect.poll(() => bob.page.getByText('Answered on another device').isVisible()).toBe(true);
    for (const page of [alice.page, bobElsewhere]) {
      // No lobby on either side: straight into the call.
      await page.getByRole('button', { name: 'End call', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Join call' }).count()).toBe(0);
      await expectGrowing(page, bytesOf('0'));
      await expectGrowing(page, framesOf);
    }
    await expect.poll(() => presenceOf(bob.page, alice.user)).toBe('In a call');
  });

  it('hang up: both histories show the answered call with its duration', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await alice.page.getByRole('button', { name: 'End call', exact: true }).click();
    await alice.page.waitForURL((url) => url.pathname === '/');
    await bobElsewhere.getByRole('heading', { name: `${alice.user.username} left` }).waitFor();
    await bobElsewhere.getByRole('button', { name: 'End call', exact: true }).click();
    await bobElsewhere.waitForURL((url) => url.pathname === '/');
    for (const [page, other, direction] of [
      [alice.page, bob.user, 'Outgoing'],
      [bobElsewhere, alice.user, 'Incoming'],
    ] as const) {
      await page.reload();
      const row = page
        .getByRole('region', { name: 'Recent calls' })
        .getByRole('listitem')
        .filter({ hasText: other.username })
        .first()
        .locator('.hint');
      // e.g. "Outgoing · Answered · 12/3/2026, 10:50:12 AM · 0:02": an answered call says how long it lasted.
      await expect.poll(() => row.textContent()).toMatch(new RegExp(`^${direction} · Answered · .* · \\d+:\\d\\d$`));
    }
  });
});
