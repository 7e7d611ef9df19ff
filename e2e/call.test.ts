/**
 * A real one-to-one call in Chromium, through the built app: Alice and Bob, each in their own
 * browser context (their own cookies) with fake camera (640×480), fake microphone (a beep) and
 * fake screen (1280×720, with audio). What each receives is read from WebRTC's own stats and from
 * the remote <video>, never from the app's state.
 *
 * The steps share one call and run in order (a call takes seconds to set up, and each step starts
 * from where the last one left it): connect, mute, camera, screen, reload, a third person, end.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import {
  bytesOf,
  type Caller,
  callStats,
  expectGrowing,
  expectRemotePicture,
  framesOf,
  growth,
  micEnergy,
  newCaller,
  remoteStatus,
} from './support/call.ts';

let browser: Browser;
let alice: Caller;
let bob: Caller;
let room: string;

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newCaller(browser, 'alice');
  bob = await newCaller(browser, 'bob');
});

afterAll(async () => {
  await browser?.close();
});

describe('a call between two people', () => {
  it('connects, and each side receives the other’s video and audio', async () => {
    room = await alice.startCall();
    const started = performance.now();
    await bob.join(room);
    for (const side of [alice, bob]) {
      await expect
        .poll(async () => (await callStats(side.page))?.connectionState, { timeout: 20_000 })
        .toBe('connected');
    }
    console.log(`[call] "Join call" to connected on both sides: ${Math.round(performance.now() - started)} ms`);
    for (const side of [alice, bob]) {
      await expectGrowing(side.page, bytesOf('0')); // microphone
      await expectGrowing(side.page, bytesOf('1')); // camera
      await expectGrowing(side.page, framesOf);
      await expectRemotePicture(side.page, { width: 640, height: 480 });
    }
    await expect.poll(() => remoteStatus(alice.page).textContent()).not.toContain('Connecting');
  });

  it('mute: the peer shows it and hears silence; unmute restores the sound', async () => {
    const mic = bob.page.getByRole('button', { name: 'Microphone' });
    await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('true');
    await expectGrowing(alice.page, micEnergy, 0.001);

    await mic.click();
    await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => remoteStatus(alice.page).textContent()).toContain(`${bob.user.username} is muted`);
    await expect.poll(() => growth(alice.page, micEnergy), { timeout: 10_000 }).toBeLessThan(0.0001);

    await bob.page.keyboard.press('m');
    await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => remoteStatus(alice.page).textContent()).not.toContain('is muted');
    await expectGrowing(alice.page, micEnergy, 0.001);
  });

  it('camera off: the peer shows it and frames stop; camera on: frames resume', async () => {
    const camera = bob.page.getByRole('button', { name: 'Camera' });
    await camera.click();
    await expect.poll(() => camera.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => remoteStatus(alice.page).textContent()).toContain(`${bob.user.username}'s camera is off`);
    await expect.poll(() => growth(alice.page, framesOf), { timeout: 10_000 }).toBe(0);
    // The camera is released, not just hidden: the light goes off.
    expect(await bob.page.evaluate(() => document.querySelector('.tile.self video'))).toBeNull();

    await bob.page.keyboard.press('v');
    await expect.poll(() => camera.getAttribute('aria-pressed')).toBe('true');
    await expectGrowing(alice.page, framesOf);
    await expectRemotePicture(alice.page, { width: 640, height: 480 });
  });

  it('screen share: the peer gets the screen and its audio; stopping brings the camera back', async () => {
    const share = alice.page.getByRole('button', { name: 'Share screen' });
    await share.click();
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => remoteStatus(bob.page).textContent()).toContain('is sharing their screen');
    await expectRemotePicture(bob.page, { width: 1280, height: 720 });
    await expectGrowing(bob.page, bytesOf('2')); // the screen's own audio, beside the microphone
    await expectGrowing(bob.page, bytesOf('0'));

    await share.click();
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('false');
    await expectRemotePicture(bob.page, { width: 640, height: 480 });
    await expect.poll(() => growth(bob.page, bytesOf('2')), { timeout: 10_000 }).toBe(0);
  });

  it('a reload mid-call rejoins the same seat and media flows again', async () => {
    await bob.page.reload();
    await expect.poll(async () => (await callStats(bob.page))?.connectionState, { timeout: 20_000 }).toBe('connected');
    for (const side of [alice, bob]) {
      await expectGrowing(side.page, framesOf);
      await expectGrowing(side.page, bytesOf('0'));
    }
    expect(await bob.page.getByText('This call is full').count()).toBe(0);
    await expect.poll(() => remoteStatus(alice.page).textContent()).not.toContain('lost');
  });

  it('a third person is told the call is full', async () => {
    const carol = await newCaller(browser, 'carol');
    await carol.join(room);
    await carol.page.getByRole('heading', { name: 'This call is full' }).waitFor();
    await carol.page.context().close();
  });

  it('end call: back Home, and the other side sees who left', async () => {
    await bob.page.getByRole('button', { name: 'End call' }).click();
    await bob.page.waitForURL((url) => url.pathname === '/');
    await alice.page.getByRole('heading', { name: `${bob.user.username} left` }).waitFor();
    await alice.page.getByRole('button', { name: 'Leave' }).click();
    await alice.page.waitForURL((url) => url.pathname === '/');
  });
});
