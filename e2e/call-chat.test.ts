/**
 * In-call chat between two people in real Chromium, through the built app: Alice on a desktop
 * (the chat is a side panel), Bob on a phone (360×640: the chat is a sheet). The steps share one
 * call and run in order: chat before anyone joins, a message and its reply with the unread badge,
 * odd Unicode and the length limit, a reload on either side (a new peer connection each time), and
 * a hostile peer flooding the channel with frames of its own making.
 *
 * Every frame of every WebSocket either page opens (the room's signaling) is recorded, and the
 * last step checks that no message text ever went through one: the chat is peer to peer only.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type Caller, callStats, newCaller } from './support/call.ts';

/** MAX_CHAT_TEXT and MAX_INCOMING_PER_SECOND in web/call/chat/chat.ts (e2e/ is type-checked apart from web/). */
const MAX_CHAT_TEXT = 2000;
const MAX_INCOMING_PER_SECOND = 20;
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

let browser: Browser;
let alice: Caller;
let bob: Caller;
let room: string;
/** Every WebSocket frame either page sent or received. */
const frames: string[] = [];
/** Every message text sent in this file, to look for in those frames. */
const sent: string[] = [];

declare global {
  interface Window {
    __dataChannels: RTCDataChannel[];
  }
}

/** Runs in the page before the app: keeps every data channel it makes, so a test can play a hostile peer. */
function recordDataChannels() {
  const made: RTCDataChannel[] = [];
  window.__dataChannels = made;
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (this: RTCPeerConnection, ...args) {
    const channel = create.apply(this, args);
    made.push(channel);
    return channel;
  };
}

/** Sends raw chat frames on the page's open chat channel, bypassing the app; `count` > 1 numbers them. */
function sendFrames(page: Page, frame: { id: string; text: string }, count = 1): Promise<void> {
  return page.evaluate(
    ({ frame, count }) => {
      const channel = window.__dataChannels.filter((c) => c.readyState === 'open').at(-1);
      if (!channel) throw new Error('no open chat channel');
      for (let i = 0; i < count; i++) {
        const suffix = count > 1 ? ` ${i}` : '';
        channel.send(JSON.stringify({ id: frame.id + suffix, text: frame.text + suffix, sentAt: Date.now() }));
      }
    },
    { frame, count },
  );
}

function recordSocketFrames(page: Page): void {
  page.on('websocket', (socket) => {
    const record = ({ payload }: { payload: string | Buffer }) => frames.push(payload.toString());
    socket.on('framesent', record);
    socket.on('framereceived', record);
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newCaller(browser, 'alice', { viewport: DESKTOP });
  bob = await newCaller(browser, 'bob', { viewport: PHONE, isMobile: true, hasTouch: true });
  for (const { page } of [alice, bob]) recordSocketFrames(page);
  await alice.page.addInitScript(recordDataChannels);
});

afterAll(async () => {
  await browser?.close();
});

const chatButton = (page: Page) => page.getByRole('button', { name: /^Chat/ });
const chatName = (page: Page) => chatButton(page).getAttribute('aria-label');
const field = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const log = (page: Page) => page.getByRole('log', { name: 'Messages' });
const texts = (page: Page) => log(page).locator('.chat-text').allTextContents();

/** Opens the chat panel unless it is open already. */
async function openChat(page: Page): Promise<void> {
  if ((await chatButton(page).getAttribute('aria-expanded')) === 'false') await chatButton(page).click();
  await log(page).waitFor();
}

/** Types `text` into the open chat and sends it with Enter. */
async function send(page: Page, text: string): Promise<void> {
  await expect.poll(() => field(page).isEnabled(), { timeout: 20_000 }).toBe(true);
  await field(page).fill(text);
  sent.push(text);
  await field(page).press('Enter');
  await expect.poll(() => field(page).inputValue()).toBe('');
}

/** Waits until the page's chat log ends with `text`. */
async function expectLast(page: Page, text: string): Promise<void> {
  await expect.poll(async () => (await texts(page)).at(-1), { timeout: 20_000 }).toBe(text);
}

/** No sideways scrolling, and the chat panel (when open) fully on screen. */
async function expectFits(page: Page): Promise<void> {
  const layout = await page.evaluate(() => {
    const panel = document.querySelector('.chat-panel')?.getBoundingClientRect();
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      panelInside: !panel || (panel.left >= 0 && panel.right <= window.innerWidth && panel.top >= 0),
    };
  });
  expect(layout).toEqual({ overflow: 0, panelInside: true });
}

describe('chat in a call', () => {
  it('is off, with the reason, until someone joins', async () => {
    room = await alice.startCall();
    await chatButton(alice.page).click();
    expect(await chatButton(alice.page).getAttribute('aria-expanded')).toBe('true');
    expect(await field(alice.page).isDisabled()).toBe(true);
    const reason = await field(alice.page).getAttribute('aria-describedby');
    expect(await alice.page.locator(`#${reason}`).textContent()).toBe('You can chat once someone joins the call.');
    expect(await log(alice.page).textContent()).toBe('No messages yet.');
  });

  it('a message shows as unread on the other side; opening reads it; the reply comes back', async () => {
    await bob.join(room);
    for (const side of [alice, bob]) {
      await expect
        .poll(async () => (await callStats(side.page))?.connectionState, { timeout: 20_000 })
        .toBe('connected');
    }
    await send(alice.page, 'Hello Bob');
    await expect.poll(() => chatName(bob.page)).toBe('Chat, 1 unread');
    expect(await bob.page.locator('.chat-badge').textContent()).toBe('1');
    expect(await bob.page.getByRole('status').filter({ hasText: 'unread' }).textContent()).toBe(
      '1 unread chat message',
    );

    await bob.page.keyboard.press('c');
    await expect.poll(() => chatName(bob.page)).toBe('Chat');
    expect(await chatButton(bob.page).getAttribute('aria-pressed')).toBe('true');
    expect(await bob.page.locator('.chat-badge').count()).toBe(0);
    const received = log(bob.page).locator('.chat-message.peer');
    expect(await received.locator('.chat-name').textContent()).toBe(alice.user.username);
    expect(await received.locator('.chat-text').textContent()).toBe('Hello Bob');
    expect(await received.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expectFits(bob.page);

    // The panel took the focus: Bob types at once, and sends with the button this time.
    await bob.page.keyboard.type('Hi Alice');
    sent.push('Hi Alice');
    await bob.page.getByRole('button', { name: 'Send' }).click();
    await expectLast(alice.page, 'Hi Alice');
    expect(await log(alice.page).locator('.chat-message.peer .chat-name').textContent()).toBe(bob.user.username);
    // Alice's panel is open: nothing is unread, and her own message is marked as hers.
    expect(await chatName(alice.page)).toBe('Chat');
    expect(await log(alice.page).locator('.chat-message.me .chat-name').textContent()).toBe('You');

    // On a desktop the panel sits beside the video, not over it.
    const panel = await alice.page.locator('.chat-panel').boundingBox();
    const video = await alice.page.locator('.tile.remote').boundingBox();
    expect(panel && video && panel.x >= video.x + video.width).toBe(true);
    expect(panel && Math.round(panel.x + panel.width)).toBe(DESKTOP.width);
  });

  it('carries odd Unicode and the longest text intact, wraps it, and refuses longer text', async () => {
    const odd = 'مرحبا 👩🏽‍💻 e\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 <b>not bold</b>\n second line';
    await send(alice.page, odd);
    await expectLast(bob.page, odd);
    expect(await log(bob.page).locator('b').count()).toBe(0);

    const longest = 'ж'.repeat(MAX_CHAT_TEXT);
    await send(alice.page, longest);
    await expectLast(bob.page, longest);
    await expectFits(bob.page);
    const wrapped = await log(bob.page).evaluate((element) => element.scrollWidth <= element.clientWidth);
    expect(wrapped).toBe(true);

    await field(bob.page).fill(`${longest}!`);
    const alert = bob.page.getByRole('alert').filter({ hasText: 'Too long' });
    expect(await alert.textContent()).toBe(
      `Too long to send: ${MAX_CHAT_TEXT + 1} characters, at most ${MAX_CHAT_TEXT}. Remove 1.`,
    );
    expect(await bob.page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await field(bob.page).press('Enter');
    expect(await field(bob.page).inputValue()).toHaveLength(MAX_CHAT_TEXT + 1);
    await field(bob.page).fill('');
    // Escape closes the panel and gives the focus back to the button.
    await field(bob.page).press('Escape');
    expect(await chatButton(bob.page).getAttribute('aria-expanded')).toBe('false');
    expect(await chatButton(bob.page).evaluate((button) => button === document.activeElement)).toBe(true);
  });

  it('survives a reload on either side: a new peer connection, the history kept, messages flow again', async () => {
    // One of the two is the polite peer (it answers the first offer): reloading each covers both.
    for (const [reloaded, other] of [
      [bob, alice],
      [alice, bob],
    ] as const) {
      await openChat(other.page);
      const history = await texts(other.page);
      const connections = await other.page.evaluate(() => window.__peerConnections.length);
      await reloaded.page.reload();
      await expect
        .poll(() => other.page.evaluate(() => window.__peerConnections.length), { timeout: 20_000 })
        .toBe(connections + 1);
      const question = `Still there, ${reloaded.user.username}?`;
      await send(other.page, question);
      await expect.poll(() => chatName(reloaded.page), { timeout: 20_000 }).toBe('Chat, 1 unread');
      await openChat(reloaded.page);
      // A reload is a new visit, whose history starts afresh; the other side keeps the whole visit's.
      expect(await texts(reloaded.page)).toEqual([question]);
      await send(reloaded.page, 'Yes, back again');
      await expectLast(other.page, 'Yes, back again');
      expect(await texts(other.page)).toEqual([...history, question, 'Yes, back again']);
    }
  });

  it(`drops what a hostile peer sends beyond ${MAX_INCOMING_PER_SECOND} messages a second, and says so`, async () => {
    await openChat(bob.page);
    const before = (await texts(bob.page)).length;
    const FLOOD = 1_000;
    await sendFrames(alice.page, { id: 'flood', text: 'flood' }, FLOOD);
    // The channel is ordered: once a frame sent after the flood shows, Bob has handled all of it.
    // Sent again (same id, shown once) until the refilled budget lets it in.
    const after = { id: 'after-flood', text: 'After the flood' };
    sent.push(after.text);
    await expect
      .poll(
        async () => {
          await sendFrames(alice.page, after);
          return (await texts(bob.page)).at(-1);
        },
        { timeout: 20_000 },
      )
      .toBe(after.text);

    const notes = () => bob.page.getByRole('status').filter({ hasText: 'not shown' }).allTextContents();
    await expect
      .poll(notes)
      .toEqual([
        `Some messages from ${alice.user.username} were not shown: they came faster than ${MAX_INCOMING_PER_SECOND} a second.`,
      ]);
    const shown = (await texts(bob.page)).length - before - 1;
    expect(shown).toBeGreaterThan(0);
    // 1,000 frames sent at once arrive within a second or two; this bound allows ten seconds of spread.
    expect(shown).toBeLessThan(MAX_INCOMING_PER_SECOND * 12);
    await expectFits(bob.page);
  });

  it('never sends a message through the server', () => {
    // The recording works: the room's signaling went through these sockets.
    expect(frames.some((frame) => frame.includes('"type":"signal"'))).toBe(true);
    const leaked = sent.filter((text) => frames.some((frame) => frame.includes(text.slice(0, 40))));
    expect(leaked).toEqual([]);
  });
});
