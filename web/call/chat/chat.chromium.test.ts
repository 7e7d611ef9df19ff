/**
 * Chat over real RTCDataChannels: two peer connections in one headless Chromium page, set up the
 * way the call engine does (the offerer attaches before its offer, the answerer before its
 * answer), then an ICE restart; and `follow`, which finds those moments by itself. chat.ts is
 * bundled in memory and loaded into the page.
 * No camera, no app: just Debian's Chromium (e2e/support has the full call setup, but lies
 * outside the web type-check project), with ICE candidates allowed on loopback.
 */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForPage } from '../testing/page-bundle.ts';

/** In-page helper: resolves once `done()` holds for `chat`, checked now and on each change. */
const UNTIL = `const until = (chat, done) => new Promise((resolve) => {
  const check = () => done() && (off(), resolve());
  const off = chat.events.on('change', check);
  check();
});`;

/** Two connected-to-be peer connections in the page, the answerer's own negotiations counted. */
const PAIR = `const { Chat } = window.EdgeChat;
const offerer = new RTCPeerConnection();
const answerer = new RTCPeerConnection();
offerer.onicecandidate = (e) => e.candidate && answerer.addIceCandidate(e.candidate);
answerer.onicecandidate = (e) => e.candidate && offerer.addIceCandidate(e.candidate);
let answererNegotiations = 0;
answerer.onnegotiationneeded = () => answererNegotiations++;`;

let browser: Browser;
let bundle: string;

beforeAll(async () => {
  bundle = await bundleForPage(new URL('./chat.ts', import.meta.url), 'EdgeChat');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--allow-loopback-in-peer-connection'],
  });
}, 60_000);

afterAll(() => browser?.close());

describe('Chat in Chromium', () => {
  it('carries messages both ways, and keeps the channel through an ICE restart', async () => {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(`(async () => {
      ${PAIR}
      const negotiate = async (beforeAnswer) => {
        await offerer.setLocalDescription();
        await answerer.setRemoteDescription(offerer.localDescription);
        beforeAnswer();
        await answerer.setLocalDescription();
        await offerer.setRemoteDescription(answerer.localDescription);
      };
      ${UNTIL}
      const next = (chat, count) => until(chat, () => chat.messages.length >= count && chat.state === 'open');
      const a = new Chat();
      const b = new Chat();
      offerer.addTransceiver('audio');
      a.attach(offerer);
      await negotiate(() => b.attach(answerer));
      await Promise.all([next(a, 0), next(b, 0)]);
      a.send('hello');
      await next(b, 1);
      b.send('hi back');
      await next(a, 2);
      offerer.restartIce();
      await negotiate(() => {});
      a.send('after the restart');
      await next(b, 3);
      return {
        a: a.messages.map((m) => m.from + ': ' + m.text),
        b: b.messages.map((m) => m.from + ': ' + m.text),
        unread: b.unread,
        answererNegotiations,
      };
    })()`);
    expect(result).toEqual({
      a: ['me: hello', 'peer: hi back', 'me: after the restart'],
      b: ['peer: hello', 'me: hi back', 'peer: after the restart'],
      unread: 2,
      answererNegotiations: 0,
    });
    await page.close();
  }, 30_000);

  it('follow: both sides follow from the start, the answerer never offers, messages flow', async () => {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(`(async () => {
      ${PAIR}
      const a = new Chat();
      const b = new Chat();
      offerer.addTransceiver('audio');
      a.follow(offerer);
      b.follow(answerer);
      const stateBeforeOffer = b.state;
      await offerer.setLocalDescription();
      await answerer.setRemoteDescription(offerer.localDescription);
      await answerer.setLocalDescription();
      await offerer.setRemoteDescription(answerer.localDescription);
      ${UNTIL}
      await until(a, () => a.state === 'open');
      a.send('followed');
      await until(b, () => b.messages.length > 0);
      return { stateBeforeOffer, b: b.messages.map((m) => m.text), answererNegotiations };
    })()`);
    expect(result).toEqual({ stateBeforeOffer: 'closed', b: ['followed'], answererNegotiations: 0 });
    await page.close();
  }, 30_000);
});
