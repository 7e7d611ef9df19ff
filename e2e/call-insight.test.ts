/**
 * How the call goes, as the two people see it, in real Chromium: the stats panel, the quality and
 * speaking indicators, the "You are muted" hint, fullscreen and picture-in-picture.
 *
 * Chromium's default fake microphone beeps for about 60 ms every half second: too short for the
 * speaking detector, which by design ignores clicks and coughs (speaking.ts: 150 ms to start).
 * So the fake microphone here plays a WAV file instead: three seconds of a steady tone (the
 * "voice"), then one of silence, looped. Values in the panel are checked against WebRTC's own
 * stats (e2e/support/call.ts), read separately from the app.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type Caller, callStats, expectRemotePicture, newCaller } from './support/call.ts';

const PHONE = { width: 360, height: 640 };

let browser: Browser;
let alice: Caller;
let bob: Caller;

/** Mono 16-bit PCM: `talk` seconds of a 440 Hz tone at -10 dBFS, then `pause` seconds of silence. */
function talkingWav(talk: number, pause: number): Buffer {
  const rate = 48_000;
  const samples = rate * (talk + pause);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const tone = i < rate * talk ? 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate) : 0;
    data.writeInt16LE(Math.round(tone * 32_767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); // format chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

beforeAll(async () => {
  const wav = join(mkdtempSync(join(tmpdir(), 'edgecall-voice-')), 'voice.wav');
  writeFileSync(wav, talkingWav(3, 1));
  browser = await launchBrowser([`--use-file-for-fake-audio-capture=${wav}`]);
  alice = await newCaller(browser, 'alice');
  bob = await newCaller(browser, 'bob');
});

afterAll(async () => {
  await browser?.close();
});

const statsPanel = (page: Page) => page.getByRole('region', { name: 'Call stats' });

/** A row of the panel's table (received, sent) or of its list (one value). */
function panelValues(panel: Locator, label: string): Promise<string[]> {
  return panel.evaluate((element, name) => {
    for (const row of Array.from(element.querySelectorAll('tr, dl > div'))) {
      const [head, ...cells] = Array.from(row.children).map((cell) => cell.textContent ?? '');
      if (head === name) return cells;
    }
    return [];
  }, label);
}

const isShown = (locator: Locator) => locator.isVisible();

describe('call insight', () => {
  it('the stats panel shows the call’s real numbers, refreshed every second', async () => {
    const room = await alice.startCall();
    const beforeJoin = performance.now();
    await bob.join(room);
    await expectRemotePicture(bob.page);
    const seenWithin = performance.now() - beforeJoin;

    const button = bob.page.getByRole('button', { name: 'Stats', exact: true });
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    await button.click();
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    const panel = statsPanel(bob.page);
    expect(await button.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));

    // The fake camera's full size; a busy machine may make the sender scale down for a while.
    await expect
      .poll(() => panelValues(panel, 'Resolution').then(([received]) => received), { timeout: 30_000 })
      .toBe('640×480');
    const [videoCodec, audioCodec] = (await panelValues(panel, 'Codecs'))[0]?.split(' / ') ?? [];
    expect(videoCodec).toMatch(/^(VP8|VP9|AV1|H264)$/);
    expect(audioCodec).toBe('opus');
    await expect.poll(() => panelValues(panel, 'Round trip')).toEqual([expect.stringMatching(/^\d+ ms$/)]);
    expect(await panelValues(panel, 'Route')).toEqual(['direct (UDP)']);
    const webrtc = await callStats(bob.page);
    const [local] = await panelValues(panel, 'Local candidate');
    const [remote] = await panelValues(panel, 'Remote candidate');
    expect(local?.split(' ')[0]).toBe(webrtc?.localCandidateType);
    expect(remote?.split(' ')[0]).toBe(webrtc?.remoteCandidateType);

    // Join click → first remote frame: measured by the page, inside what the test itself waited.
    const [setup] = await panelValues(panel, 'Setup time');
    const setupMs = Number(setup?.replace(' ms', ''));
    console.log(`[insight] call setup time shown: ${setup} (test saw the picture within ${Math.round(seenWithin)} ms)`);
    expect(setupMs).toBeGreaterThan(0);
    expect(setupMs).toBeLessThan(seenWithin);

    // Every second a new sample: the bitrate received moves.
    const receivedBitrate = () => panelValues(panel, 'Bitrate').then(([received]) => received);
    await expect.poll(receivedBitrate).toMatch(/ (kbit|Mbit)\/s$/);
    const bitrate = await receivedBitrate();
    await expect.poll(receivedBitrate).not.toBe(bitrate);

    // On a phone the panel fits the screen, without sideways scrolling.
    await bob.page.setViewportSize(PHONE);
    const box = await panel.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.width && box.y >= 0).toBe(true);
    expect(await bob.page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
    await bob.page.setViewportSize({ width: 1280, height: 800 });

    await button.click();
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => panel.count()).toBe(0);
  });

  it('each tile grades its side of the connection in words', async () => {
    for (const side of ['remote', 'self']) {
      const quality = bob.page.locator(`.tile.${side} .quality`);
      await expect.poll(() => quality.textContent()).toMatch(/^Connection: (good|fair|poor)$/);
    }
  });

  it('the speaking indicators follow the voice, on both tiles', async () => {
    const remoteRing = bob.page.locator('.tile.remote .speaking-ring');
    await expect.poll(() => isShown(remoteRing), { timeout: 10_000 }).toBe(true);
    expect(await remoteRing.textContent()).toBe('Speaking');
    // The second of silence in each loop of the voice turns it off.
    await expect.poll(() => isShown(remoteRing), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => isShown(bob.page.locator('.tile.self .speaking-ring')), { timeout: 10_000 }).toBe(true);
  });

  it('says “You are muted” when the user talks while muted, and stops on unmute', async () => {
    const mic = bob.page.getByRole('button', { name: 'Microphone', exact: true });
    const hint = bob.page.locator('.muted-hint');
    expect(await hint.getAttribute('role')).toBe('status');
    expect(await hint.textContent()).toBe('');
    await mic.click();
    await expect.poll(() => hint.textContent(), { timeout: 10_000 }).toContain('You are muted');
    // Muted means silent for the other side, and no speaking ring on our own tile either.
    expect(await bob.page.locator('.tile.self .speaking-ring').count()).toBe(0);
    await mic.click();
    await expect.poll(() => hint.textContent()).toBe('');
  });

  it('fullscreen fills the screen with the other person’s tile, and leaves it again', async () => {
    const fullscreen = bob.page.getByRole('button', { name: 'Fullscreen', exact: true });
    await fullscreen.click();
    await expect.poll(() => bob.page.evaluate(() => document.fullscreenElement?.className)).toBe('tile remote');
    await expect.poll(() => fullscreen.getAttribute('aria-pressed')).toBe('true');
    await fullscreen.click();
    await expect.poll(() => bob.page.evaluate(() => document.fullscreenElement)).toBeNull();
    await expect.poll(() => fullscreen.getAttribute('aria-pressed')).toBe('false');
  });

  it('picture-in-picture floats the other person’s video', async () => {
    const pip = bob.page.getByRole('button', { name: 'Picture in picture', exact: true });
    await pip.click();
    await expect
      .poll(() => bob.page.evaluate(() => document.pictureInPictureElement?.closest('.tile')?.className))
      .toBe('tile remote');
    await expect.poll(() => pip.getAttribute('aria-pressed')).toBe('true');
    await pip.click();
    await expect.poll(() => bob.page.evaluate(() => document.pictureInPictureElement)).toBeNull();
  });

  it('after the other person reloads, the stats follow their new connection; fullscreen and picture-in-picture hide where unsupported', async () => {
    await alice.page.getByRole('button', { name: 'Stats', exact: true }).click();
    const receivedBitrate = () => panelValues(statsPanel(alice.page), 'Bitrate').then(([received]) => received);
    await expect.poll(receivedBitrate).toMatch(/ (kbit|Mbit)\/s$/);
    await bob.page.addInitScript(() => {
      Object.defineProperty(Document.prototype, 'fullscreenEnabled', { get: () => false });
      Object.defineProperty(Document.prototype, 'pictureInPictureEnabled', { get: () => false });
    });
    await bob.page.reload(); // rejoins the call by itself, on a new peer connection
    await expectRemotePicture(bob.page);
    await expectRemotePicture(alice.page);
    // Media flows on the new connection, and the panel shows it moving.
    const after = await receivedBitrate();
    await expect.poll(receivedBitrate).not.toBe(after);
    await expect.poll(receivedBitrate).toMatch(/ (kbit|Mbit)\/s$/);

    const tools = bob.page.locator('.tile.remote .tool');
    await expect
      .poll(() => tools.evaluateAll((buttons) => buttons.map((button) => button.textContent)))
      .toEqual(['Stats']);
  });
});
