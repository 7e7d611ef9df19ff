/**
 * The ring's baseline: one WebSocket message from one browser context to another through a
 * trivial Durable Object (bench/signaling/echo-room.js, served by wrangler's dev server in workerd
 * beside the app), timed in the pages like the ring itself: from `send` to `onmessage`.
 */
import type { Browser } from 'playwright-core';

interface EchoPage {
  __socket: WebSocket;
  __received: Promise<number>;
}

/** Runs in the page: opens the echo socket and keeps it on `window`. */
function openSocket(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(href);
    (window as unknown as EchoPage).__socket = socket;
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('echo socket failed'));
  });
}

export async function echoMessage(browser: Browser, server: URL): Promise<number> {
  const url = new URL(`bench/echo/${crypto.randomUUID()}`, server);
  url.protocol = 'ws:';
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [sender, receiver] = await Promise.all(contexts.map((context) => context.newPage()));
    if (!sender || !receiver) throw new Error('unreachable: two contexts, two pages');
    await Promise.all([sender.evaluate(openSocket, url.href), receiver.evaluate(openSocket, url.href)]);
    await receiver.evaluate(() => {
      const page = window as unknown as EchoPage;
      page.__received = new Promise((resolve) => {
        page.__socket.onmessage = () => resolve(performance.timeOrigin + performance.now());
      });
    });
    const sentAt = await sender.evaluate(() => {
      const at = performance.timeOrigin + performance.now();
      (window as unknown as EchoPage).__socket.send('ring');
      return at;
    });
    return (await receiver.evaluate(() => (window as unknown as EchoPage).__received)) - sentAt;
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}
