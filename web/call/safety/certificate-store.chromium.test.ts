/**
 * The certificate store against Chromium's real IndexedDB and RTCPeerConnection.generateCertificate:
 * certificate-store.ts is bundled in memory and loaded into a page of a made-up origin (IndexedDB
 * needs one; Playwright answers its requests, nothing listens). Pages of one browser context
 * share that origin's storage, so a new page is what a reload or a later call sees.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForPage } from '../testing/page-bundle.ts';
import { RENEW_BEFORE_MS } from './certificate-store.ts';

const ORIGIN = 'http://localhost:9/';
const DAY = 24 * 60 * 60 * 1000;

declare global {
  interface Window {
    EdgeCertificates: typeof import('./certificate-store.ts');
  }
}

let browser: Browser;
let bundle: string;

beforeAll(async () => {
  bundle = await bundleForPage(new URL('./certificate-store.ts', import.meta.url), 'EdgeCertificates');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);

afterAll(() => browser?.close());

/** A page of the made-up origin with the store loaded. */
async function storePage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.route(ORIGIN, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>t</title>' }),
  );
  await page.goto(ORIGIN);
  await page.addScriptTag({ content: bundle });
  return page;
}

interface Loaded {
  fingerprint: string | undefined;
  expires: number | undefined;
  /** The fingerprint a peer connection made with it announces in its offer. */
  offered: string | undefined;
}

/** loadCertificate in the page, `skew` ms ahead of the real clock. */
function load(page: Page, skew = 0): Promise<Loaded> {
  return page.evaluate(async (skew) => {
    const certificate = await window.EdgeCertificates.loadCertificate({ now: () => Date.now() + skew });
    if (!certificate) return { fingerprint: undefined, expires: undefined, offered: undefined };
    const pc = new RTCPeerConnection({ certificates: [certificate] });
    pc.createDataChannel('x');
    const offer = await pc.createOffer();
    pc.close();
    return {
      // Upper case, as in SDP (getFingerprints says it in lower case).
      fingerprint: certificate.getFingerprints()[0]?.value?.toUpperCase(),
      expires: certificate.expires,
      offered: offer.sdp?.match(/a=fingerprint:\S+ (\S+)/)?.[1],
    };
  }, skew);
}

/** Puts `value` where the certificate is kept, as a damaged or foreign store would hold it. */
function storeRaw(page: Page, value: string): Promise<void> {
  return page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('edgecall', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('certificates');
        open.onsuccess = () => {
          const tx = open.result.transaction('certificates', 'readwrite');
          tx.objectStore('certificates').put(value, 'dtls');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    value,
  );
}

describe('the certificate store in Chromium', () => {
  it('makes a certificate once and gives the same one to every later page', async () => {
    const context = await browser.newContext();
    const first = await load(await storePage(context));
    expect(first.fingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    // What the peer connection offers is this certificate, so the safety code is made from it.
    expect(first.offered).toBe(first.fingerprint);
    // Lasting long: asked for a year; at least more than the renewal margin in any case.
    expect(first.expires ?? 0).toBeGreaterThan(Date.now() + RENEW_BEFORE_MS);
    const again = await load(await storePage(context));
    expect(again.fingerprint).toBe(first.fingerprint);
    // Another browser (context) has its own.
    const other = await load(await storePage(await browser.newContext()));
    expect(other.fingerprint).not.toBe(first.fingerprint);
  });

  it('renews the certificate before it expires, and keeps the new one', async () => {
    const context = await browser.newContext();
    const page = await storePage(context);
    const first = await load(page);
    const expires = first.expires ?? 0;
    const untilRenewal = expires - RENEW_BEFORE_MS - Date.now();
    // A day before the renewal margin: kept.
    expect((await load(page, untilRenewal - DAY)).fingerprint).toBe(first.fingerprint);
    // Inside it: a new one, stored, so later loads (at the real time) get it too.
    const renewed = await load(page, untilRenewal + DAY);
    expect(renewed.fingerprint).not.toBe(first.fingerprint);
    expect(renewed.fingerprint).toBeDefined();
    expect((await load(await storePage(context))).fingerprint).toBe(renewed.fingerprint);
  });

  it('recovers from a store holding something that is not a certificate', async () => {
    const context = await browser.newContext();
    const page = await storePage(context);
    await storeRaw(page, 'not a certificate');
    const recovered = await load(page);
    expect(recovered.fingerprint).toBeDefined();
    expect(recovered.offered).toBe(recovered.fingerprint);
    expect((await load(await storePage(context))).fingerprint).toBe(recovered.fingerprint);
  });

  it('recovers from a database of that name without its store', async () => {
    const context = await browser.newContext();
    const page = await storePage(context);
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const open = indexedDB.open('edgecall', 3);
          open.onupgradeneeded = () => open.result.createObjectStore('something-else');
          open.onsuccess = () => {
            open.result.close();
            resolve();
          };
        }),
    );
    const recovered = await load(page);
    expect(recovered.fingerprint).toBeDefined();
    expect((await load(await storePage(context))).fingerprint).toBe(recovered.fingerprint);
  });
});
