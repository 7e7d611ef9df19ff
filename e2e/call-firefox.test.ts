/**
 * Calls between Firefox and Chromium, through the built app. Firefox (Debian's ESR, over WebDriver
 * BiDi) never offers loopback ICE candidates, so the app and both browsers run in a network
 * namespace the test makes (e2e/support/netns.ts): a veth address and no way out. Firefox has a
 * window on a virtual display there, so it can share a screen.
 *
 * Two calls, steps in order: Firefox joins a Chromium user's call (media both ways, mute and
 * camera off seen on the other side, chat both ways, the same safety code on both sides (each
 * browser reading the fingerprints its own way: certificate stats, or the descriptions), a screen shared without
 * sound, Firefox ends it), then the roles reversed (Firefox opens the room and waits, Chromium joins and ends it).
 * Firefox's fake camera starts small and climbs, so pictures are checked by decoded frames, not size.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, callStats, expectGrowing, framesOf, newCaller, packetsOf, remoteStatus } from './support/call.ts';
import { type FirefoxCaller, newFirefoxCaller } from './support/firefox.ts';
import { type CallNamespace, namespaceSupport, startCallNamespace } from './support/netns.ts';
import { closeSafetyPanel, readSafetyCode } from './support/safety.ts';

const support = namespaceSupport();
// CI runs as root, where the namespace can always be made: there a refusal is a failure, not a skip.
const runs = support.ok || process.getuid?.() === 0;
if (!runs && !support.ok) console.warn(`[firefox] Firefox call tests skipped: ${support.reason}`);

let ns: CallNamespace;

beforeAll(async () => {
  if (!runs) return;
  if (!support.ok) throw new Error(support.reason);
  ns = await startCallNamespace({ firefoxWindow: true });
}, 240_000);

afterAll(async () => {
  await ns?.stop();
});

/** Both sides connected, and each decodes the other's video frames and receives their audio packets. */
async function expectMediaBothWays(chromium: Caller, firefox: FirefoxCaller): Promise<void> {
  for (const stats of [firefox.stats, () => callStats(chromium.page)]) {
    await expect.poll(async () => (await stats())?.connectionState, { timeout: 30_000 }).toBe('connected');
    await expectGrowing(stats, framesOf);
    await expectGrowing(stats, packetsOf('0'));
  }
}

describe.runIf(runs)('Firefox joins a call Chromium opened', () => {
  let alice: Caller;
  let fox: FirefoxCaller;

  it('connects, with video and audio both ways', async () => {
    alice = await newCaller(ns.chromium, 'alice', { baseURL: ns.appUrl });
    fox = await newFirefoxCaller(ns.firefox, ns.appUrl, 'fox');
    const room = await alice.startCall();
    await fox.join(room);
    await expectMediaBothWays(alice, fox);
  });

  it('mute and camera off in Firefox show in Chromium, and the other way round', async () => {
    const name = fox.user.username;
    await (await fox.button('Microphone')).click();
    await expect.poll(() => remoteStatus(alice.page).textContent()).toContain(`${name} is muted`);
    await (await fox.button('Camera')).click();
    await expect.poll(() => remoteStatus(alice.page).textContent()).toContain(`${name}'s camera is off`);
    await (await fox.button('Microphone')).click();
    await (await fox.button('Camera')).click();
    await expect.poll(() => remoteStatus(alice.page).textContent()).not.toMatch(/muted|camera is off/);
    await expectGrowing(alice.page, framesOf);

    await alice.page.getByRole('button', { name: 'Microphone', exact: true }).click();
    await alice.page.getByRole('button', { name: 'Camera', exact: true }).click();
    const foxStatus = () => fox.text('.tile.remote [role="status"]');
    await expect.poll(foxStatus).toContain(`${alice.user.username} is muted`);
    await expect.poll(foxStatus).toContain(`${alice.user.username}'s camera is off`);
    await alice.page.getByRole('button', { name: 'Microphone', exact: true }).click();
    await alice.page.getByRole('button', { name: 'Camera', exact: true }).click();
    await expect.poll(foxStatus).not.toMatch(/muted|camera is off/);
    await expectGrowing(fox.stats, framesOf);
  });

  it('chat goes both ways', async () => {
    await alice.page.getByRole('button', { name: /^Chat/ }).click();
    await sendChat(alice.page, 'Hello from Chromium');
    await openFirefoxChat(fox);
    await expect.poll(() => firefoxChatTexts(fox), { timeout: 20_000 }).toContain('Hello from Chromium');
    await sendFirefoxChat(fox, 'Hello from Firefox');
    await expect
      .poll(() => alice.page.locator('.chat-log .chat-text').allTextContents(), { timeout: 20_000 })
      .toContain('Hello from Firefox');
  });

  it('shows the same safety code in Firefox and in Chromium', async () => {
    const chromiumCode = await readSafetyCode(alice.page);
    await (await fox.button('Safety code')).click();
    const code = await fox.page.waitForSelector('.safety-code[data-code]', { timeout: 30_000 });
    expect(await code?.evaluate((element) => element.getAttribute('data-code'))).toBe(chromiumCode);
    await (await fox.button('Safety code')).click();
    await closeSafetyPanel(alice.page);
  });

  it('Firefox shares its screen, says it has no sound, and Chromium gets the pictures', async () => {
    await (await fox.button('Share screen')).click();
    await expect.poll(() => remoteStatus(alice.page).textContent()).toContain('is sharing their screen');
    await expect.poll(() => fox.text('.call-note')).toContain('without sound');
    await expectGrowing(alice.page, framesOf);
    await (await fox.button('Share screen')).click();
    await expect.poll(() => remoteStatus(alice.page).textContent()).not.toContain('sharing');
    await expect.poll(() => fox.text('.call-note')).toBe('');
    await expectGrowing(alice.page, framesOf);
  });

  it('Firefox ends the call, and Chromium shows that they left', async () => {
    await (await fox.button('End call')).click();
    await expect.poll(() => new URL(fox.page.url()).pathname).toBe('/');
    await alice.page.getByRole('heading', { name: `${fox.user.username} left` }).waitFor();
    await alice.page.context().close();
    await fox.page.browserContext().close();
  });
});

describe.runIf(runs)('Chromium joins a call Firefox opened', () => {
  let fox: FirefoxCaller;
  let bob: Caller;

  it('Firefox waits in its room; Chromium joins, with video and audio both ways', async () => {
    fox = await newFirefoxCaller(ns.firefox, ns.appUrl, 'fox');
    const room = await fox.startCall();
    await expect.poll(() => fox.text('.tile.remote .tile-name')).toContain('Waiting');
    bob = await newCaller(ns.chromium, 'bob', { baseURL: ns.appUrl });
    await bob.join(room);
    await expectMediaBothWays(bob, fox);
  });

  it('Chromium ends the call, and Firefox shows that they left', async () => {
    await bob.page.getByRole('button', { name: 'End call', exact: true }).click();
    await bob.page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => fox.text('#left-heading')).toBe(`${bob.user.username} left`);
  });
});

/** Types into Chromium's open chat and sends with Enter. */
async function sendChat(page: Page, text: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Message' });
  await expect.poll(() => field.isEnabled(), { timeout: 20_000 }).toBe(true);
  await field.fill(text);
  await field.press('Enter');
}

async function openFirefoxChat(fox: FirefoxCaller): Promise<void> {
  await (await fox.page.waitForSelector('button.control[aria-label^="Chat"]'))?.click();
  await fox.page.waitForSelector('.chat-log');
}

async function sendFirefoxChat(fox: FirefoxCaller, text: string): Promise<void> {
  const field = await fox.page.waitForSelector('#chat-message:not([disabled])', { timeout: 20_000 });
  await field?.type(text);
  await field?.press('Enter');
}

const firefoxChatTexts = (fox: FirefoxCaller) =>
  fox.page.$$eval('.chat-log .chat-text', (texts) => texts.map((text) => text.textContent ?? ''));
