/**
 * Calling a person, not answered (web/line/, worker/user-line/): decline, no answer (the test app
 * rings for a short time, e2e/support/app-server.ts), cancel, busy, offline, and someone who is
 * not a contact, who cannot ring at all. What each side sees, and the callee's missed calls.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type Caller, newCaller } from './support/call.ts';
import {
  becomeContacts,
  callButton,
  incomingCall,
  newPerson,
  ownCamera,
  presenceOf,
  userIdOf,
} from './support/ring.ts';

let browser: Browser;
let alice: Caller;
let bob: Caller;

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newPerson(browser, 'alice');
  bob = await newPerson(browser, 'bob');
  await becomeContacts(alice, bob);
});

afterAll(async () => {
  await browser?.close();
});

/** Alice calls Bob from Home, and Bob's dialog shows. */
async function aliceCallsBob(): Promise<void> {
  if (new URL(alice.page.url()).pathname !== '/') await alice.page.goto('/');
  await callButton(alice.page, bob.user).click();
  await alice.page.getByRole('heading', { name: `Calling ${bob.user.username}…` }).waitFor();
  await expect.poll(() => incomingCall(bob.page, alice.user).isVisible()).toBe(true);
}

const status = (caller: Caller, text: string) => caller.page.getByRole('status').filter({ hasText: text });

describe('calling a contact, not answered', () => {
  it('decline: the caller sees "<name> declined"', async () => {
    await aliceCallsBob();
    await incomingCall(bob.page, alice.user).getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => incomingCall(bob.page, alice.user).isVisible()).toBe(false);
    await expect.poll(() => status(alice, `${bob.user.username} declined`).isVisible()).toBe(true);
  });

  it('no answer: the caller sees "No answer", the callee a missed call', async () => {
    await aliceCallsBob();
    await expect.poll(() => status(alice, 'No answer').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => incomingCall(bob.page, alice.user).isVisible()).toBe(false);
    await expect.poll(() => bob.page.getByText(`Missed call from ${alice.user.username}`).isVisible()).toBe(true);
    await bob.page.getByRole('button', { name: `Dismiss: Missed call from ${alice.user.username}` }).click();
    await expect.poll(() => bob.page.getByText(`Missed call from ${alice.user.username}`).count()).toBe(0);
  });

  it('cancel: the ringing stops, the callee has a missed call', async () => {
    await aliceCallsBob();
    // Bob's camera, on in the dialog's preview while it rings, goes off when the ringing stops.
    const camera = await ownCamera(bob.page, alice.user);
    expect(await camera.evaluate((track) => track.readyState)).toBe('live');
    await alice.page.getByRole('button', { name: 'Cancel' }).click();
    await alice.page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => incomingCall(bob.page, alice.user).isVisible()).toBe(false);
    await expect.poll(() => camera.evaluate((track) => track.readyState)).toBe('ended');
    await expect.poll(() => bob.page.getByText(`Missed call from ${alice.user.username}`).isVisible()).toBe(true);
    // Missed calls count on Home until seen: no answer and this one.
    await bob.page.goto('/');
    await expect
      .poll(() => bob.page.getByRole('region', { name: 'Missed calls' }).textContent())
      .toContain('2 missed calls');
  });

  it('busy: the caller sees "<name> is busy", the callee a quiet "<name> tried to call"', async () => {
    await bob.page.goto('/');
    await bob.page.getByRole('button', { name: 'New call' }).click();
    await bob.page.getByRole('button', { name: 'Join call' }).click();
    await bob.page.getByRole('button', { name: 'End call', exact: true }).waitFor();
    await alice.page.goto('/');
    await expect.poll(() => presenceOf(alice.page, bob.user)).toBe('In a call');
    await callButton(alice.page, bob.user).click();
    await expect.poll(() => status(alice, `${bob.user.username} is busy`).isVisible()).toBe(true);
    await expect.poll(() => bob.page.getByText(`${alice.user.username} tried to call`).isVisible()).toBe(true);
    expect(await incomingCall(bob.page, alice.user).count()).toBe(0);
    await bob.page.getByRole('button', { name: 'End call', exact: true }).click();
    await bob.page.waitForURL((url) => url.pathname === '/');
  });

  it('offline: the caller sees "<name> is offline" at once', async () => {
    const bobContext = bob.page.context();
    await bob.page.close();
    await alice.page.goto('/');
    await expect.poll(() => presenceOf(alice.page, bob.user)).toBe('Offline');
    await callButton(alice.page, bob.user).click();
    await expect.poll(() => status(alice, `${bob.user.username} is offline`).isVisible()).toBe(true);
    bob.page = await bobContext.newPage();
    await bob.page.goto('/');
  });

  it('someone who is not a contact cannot ring: 403, and nothing reaches the callee', async () => {
    const carol = await newCaller(browser, 'carol');
    const contactId = await userIdOf(bob.page);
    // From the page itself, like the app: same origin, so a 403 is the ring's refusal, not CSRF's.
    const answer = await carol.page.evaluate(async (id) => {
      const response = await fetch('/api/calls', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ contactId: id }),
      });
      return { status: response.status, body: await response.text() };
    }, contactId);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('contact');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await bob.page.getByRole('dialog').count()).toBe(0);
  });
});
