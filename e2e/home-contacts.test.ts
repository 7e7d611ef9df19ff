/**
 * Home's contacts and recent calls in Chromium: two people become contacts through the UI (a
 * request, then Accept contact), with clear refusals on the way; a call through a room link then
 * shows on both Homes under Recent calls, answered, with its length. Presence and ringing have tests
 * of their own (ring-*.test.ts); here a contact with Home open shows Online, and Call is on.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { expectRemotePicture, newCaller } from './support/call.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function addContact(page: Page, username: string): Promise<void> {
  await page.getByLabel("Contact's username").fill(username);
  await page.getByRole('button', { name: 'Add contact' }).click();
}

const alert = (page: Page) => page.getByRole('alert');
const contactRow = (page: Page, username: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('button', { name: `Call ${username}` }) });

describe('Home: contacts and recent calls', () => {
  it('two people become contacts, then their call through a link shows on both Homes', async () => {
    const ann = await newCaller(browser, 'ann');
    const ben = await newCaller(browser, 'ben');

    await addContact(ann.page, ann.user.username);
    await expect.poll(() => alert(ann.page).textContent()).toContain('your own username');
    await addContact(ann.page, 'nobody_has_this_name');
    await expect.poll(() => alert(ann.page).textContent()).toContain('Nobody has this username');
    await addContact(ann.page, ben.user.username);
    await ann.page.getByRole('status').filter({ hasText: 'Request sent' }).waitFor();
    await expect.poll(() => ann.page.getByText(`Waiting for an answer from ${ben.user.username}`).count()).toBe(1);
    await addContact(ann.page, ben.user.username);
    await expect.poll(() => alert(ann.page).textContent()).toContain('already asked');
    await ann.page.getByRole('button', { name: `Withdraw request to ${ben.user.username}` }).click();
    await ann.page.getByRole('status').filter({ hasText: 'Request withdrawn' }).waitFor();
    await expect.poll(() => ann.page.getByText(`Waiting for an answer from ${ben.user.username}`).count()).toBe(0);
    await addContact(ann.page, ben.user.username);
    await ann.page.getByRole('status').filter({ hasText: 'Request sent' }).waitFor();

    await ben.page.reload();
    await ben.page.getByText(`${ann.user.username} wants to add you as a contact`).waitFor();
    await ben.page.getByRole('button', { name: `Accept contact ${ann.user.username}` }).click();
    await contactRow(ben.page, ann.user.username).waitFor();
    await expect.poll(() => contactRow(ben.page, ann.user.username).textContent()).toContain('Online');
    expect(await ben.page.getByText('wants to add you as a contact').count()).toBe(0);

    await ann.page.reload();
    await contactRow(ann.page, ben.user.username).waitFor();
    await expect.poll(() => ann.page.getByRole('button', { name: `Call ${ben.user.username}` }).isEnabled()).toBe(true);

    const room = await ann.startCall();
    await ben.join(room);
    await expectRemotePicture(ann.page);
    await ben.page.getByRole('button', { name: 'End call', exact: true }).click();
    await ann.page.getByRole('button', { name: 'End call', exact: true }).click();

    for (const [me, other, direction] of [
      [ann, ben, 'Outgoing'],
      [ben, ann, 'Incoming'],
    ] as const) {
      await me.page.goto('/');
      const row = me.page
        .getByRole('region', { name: 'Recent calls' })
        .getByRole('listitem')
        .filter({ hasText: other.user.username });
      await expect.poll(() => row.textContent()).toMatch(new RegExp(`${direction} · Answered · .* · \\d+:\\d\\d`));
      await row.getByRole('button', { name: `Call back ${other.user.username}` }).waitFor();
    }

    await ben.page.getByRole('button', { name: `Remove contact ${ann.user.username}` }).click();
    await expect.poll(() => contactRow(ben.page, ann.user.username).count()).toBe(0);
    await expect.poll(() => ben.page.getByText('No contacts yet.').count()).toBe(1);
  });
});
