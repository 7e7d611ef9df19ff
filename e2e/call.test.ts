/**
 * A real one-to-one call in Chromium, through the built app: Alice and Bob, each in their own
 * browser context (their own cookies) with fake camera (640×480), fake microphone (a beep) and
 * fake screen (1280×720, with audio). What each receives is read from WebRTC's own stats and from
 * the remote <video>, never from the app's state.
 *
 * The steps share one call and run in order (a call takes seconds to set up, and each step starts
 * from where the last one left it): connect, mute, camera, switch camera, screen, reload, a third
 * person, end. The browser has three fake cameras, so "Switch camera" has somewhere to go; Bob
 * picks the third in the lobby, because the second (fake_device_1) hardly delivers frames to a
 * video encoder here (it is not a plain colour camera), and switching then wraps round to the first.
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
  localSdp,
  micEnergy,
  newCaller,
  remoteStatus,
  selfVideoDevice,
} from './support/call.ts';

let browser: Browser;
let alice: Caller;
let bob: Caller;
let room: string;

beforeAll(async () => {
  browser = await launchBrowser(['--use-fake-device-for-media-stream=device-count=3']);
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
    await bob.join(room, async (page) => {
      // The lobby says who is already in the call.
      await expect.poll(() => page.locator('.presence').textContent()).toBe(`${alice.user.username} is in the call.`);
      await page.getByRole('combobox', { name: 'Camera' }).selectOption('fake_device_2');
    });
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
    const mic = bob.page.getByRole('button', { name: 'Microphone', exact: true });
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
    const camera = bob.page.getByRole('button', { name: 'Camera', exact: true });
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

  it('switch camera: the next camera replaces the current one, and the peer keeps getting pictures', async () => {
    const sdp = await localSdp(bob.page);
    const before = await selfVideoDevice(bob.page);
    await bob.page.getByRole('button', { name: 'Switch camera', exact: true }).click();
    await expect.poll(() => selfVideoDevice(bob.page)).not.toBe(before);
    await expectGrowing(alice.page, framesOf);
    await expectRemotePicture(alice.page, { width: 640, height: 480 });
    expect(await localSdp(bob.page)).toBe(sdp);
  });

  it('screen share: the peer gets the screen and its audio; stopping brings the camera back', async () => {
    const sdp = await localSdp(alice.page);
    const share = alice.page.getByRole('button', { name: 'Share screen', exact: true });
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
    // Screen and its audio came and went on the transceivers set up at the start: no renegotiation.
    expect(await localSdp(alice.page)).toBe(sdp);
  });

  it('stopping from the browser’s own “Stop sharing” bar ends the share too', async () => {
    const share = alice.page.getByRole('button', { name: 'Share screen', exact: true });
    await share.click();
    await expectRemotePicture(bob.page, { width: 1280, height: 720 });
    // What the browser does when its bar is used: the screen track ends without the app asking.
    await alice.page
      .locator('.tile.self video')
      .evaluate((video: HTMLVideoElement) =>
        (video.srcObject as MediaStream).getVideoTracks()[0]?.dispatchEvent(new Event('ended')),
      );
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => remoteStatus(bob.page).textContent()).not.toContain('sharing');
    await expectRemotePicture(bob.page, { width: 640, height: 480 });
  });

  it('a reload mid-call, on either side, rejoins the same seat and media flows again', async () => {
    // One of the two is the polite peer: reloading each covers both roles.
    for (const [reloaded, other] of [
      [bob, alice],
      [alice, bob],
    ] as const) {
      await reloaded.page.reload();
      await expect
        .poll(async () => (await callStats(reloaded.page))?.connectionState, { timeout: 20_000 })
        .toBe('connected');
      for (const side of [reloaded, other]) {
        await expectGrowing(side.page, framesOf);
        await expectGrowing(side.page, bytesOf('0'));
      }
      expect(await reloaded.page.getByText('This call is full').count()).toBe(0);
      await expect.poll(() => remoteStatus(other.page).textContent()).not.toContain('lost');
    }
  });

  it('a third person is told the call is full', async () => {
    const carol = await newCaller(browser, 'carol');
    await carol.join(room);
    await carol.page.getByRole('heading', { name: 'This call is full' }).waitFor();
    await carol.page.context().close();
  });

  it('end call: back Home, and the other side sees who left', async () => {
    await bob.page.getByRole('button', { name: 'End call', exact: true }).click();
    await bob.page.waitForURL((url) => url.pathname === '/');
    await alice.page.getByRole('heading', { name: `${bob.user.username} left` }).waitFor();
    await alice.page.getByRole('button', { name: 'Leave' }).click();
    await alice.page.waitForURL((url) => url.pathname === '/');
  });
});

describe('a room that does not exist', () => {
  it('says so, with a way back', async () => {
    await alice.page.goto('/call/AAAAAAAAAAAAAAAA');
    await alice.page.getByRole('heading', { name: 'No such call' }).waitFor();
    await alice.page.getByRole('link', { name: 'Back to Home' }).click();
    await alice.page.waitForURL((url) => url.pathname === '/');
  });
});
