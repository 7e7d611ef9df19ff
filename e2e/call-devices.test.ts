/**
 * Cameras and microphones that fail: blocked, busy or missing. The page's getUserMedia is made to
 * reject the way browsers do (a DOMException by name) for one kind of device; the lobby must say
 * what happened and how to fix it, keep the other device, and still let the person join.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type Caller, newCaller, remoteStatus } from './support/call.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

type Failures = Partial<Record<'audio' | 'video', string>>;

/** Makes getUserMedia reject requests for these kinds with these DOMException names. */
async function failingDevices(page: Page, failures: Failures): Promise<void> {
  await page.addInitScript((fail: Failures) => {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      for (const [kind, name] of Object.entries(fail)) {
        if (constraints?.[kind as keyof Failures]) throw new DOMException(`${kind} failed (test)`, name);
      }
      return original(constraints);
    };
  }, failures);
}

async function openLobby(failures: Failures): Promise<Caller> {
  const person = await newCaller(browser, 'dana');
  await failingDevices(person.page, failures);
  await person.page.getByRole('button', { name: 'New call' }).click();
  await person.page.waitForURL(/\/call\//);
  // A fresh document, so the failing getUserMedia is in place before the lobby asks.
  await person.page.reload();
  await expect.poll(() => person.page.getByRole('button', { name: 'Join call' }).isEnabled()).toBe(true);
  return person;
}

describe('devices that fail', () => {
  it.each([
    ['NotAllowedError', 'Camera access is blocked.'],
    ['NotReadableError', 'Your camera is in use by another app or tab.'],
    ['NotFoundError', 'No camera was found.'],
  ])('camera %s: says so, keeps the microphone', async (name, message) => {
    const { page } = await openLobby({ video: name });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(message);
    await expect.poll(() => page.getByRole('button', { name: 'Microphone' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Camera' }).getAttribute('aria-pressed')).toBe('false');
    await page.context().close();
  });

  it('with neither camera nor microphone, says so and still joins', async () => {
    const { page } = await openLobby({ video: 'NotFoundError', audio: 'NotAllowedError' });
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('No camera was found.');
    await expect.poll(() => alert.textContent()).toContain('Microphone access is blocked.');
    await page.getByText('You can still join').waitFor();
    await page.getByRole('button', { name: 'Join call' }).click();
    await expect.poll(() => remoteStatus(page).textContent()).toContain('Waiting for someone to join');
    await page.context().close();
  });
});
