/**
 * Helpers for ringing tests in real Chromium (web/line/): two people becoming contacts through
 * Home, the incoming-call dialog, a person's presence as their contacts see it, and the RTP a
 * page has sent, read from WebRTC itself (every peer connection the page made: none may send
 * before Accept).
 *
 * @example
 *   await becomeContacts(alice, bob);
 *   await callButton(alice.page, bob).click();
 *   await expect.poll(() => incomingCall(bob.page, alice).isVisible()).toBe(true);
 */
import type { Browser, JSHandle, Page } from 'playwright-core';
import type { TestUser } from './accounts.ts';
import { type Caller, newCaller, recordPeerConnections } from './call.ts';

interface Person {
  page: Page;
  user: TestUser;
}

/** Someone signed up and on Home, whose page records its peer connections from now on (a reload runs the init script). */
export async function newPerson(browser: Browser, name: string): Promise<Caller> {
  const person = await newCaller(browser, name);
  await person.page.reload();
  return person;
}

/**
 * A asks on Home, B accepts on Home: then they are mutual contacts, each with a "Call" button for
 * the other. Playwright's own waits, not Vitest's, so that bench:ring can use it too.
 */
export async function becomeContacts(a: Person, b: Person): Promise<void> {
  for (const { page } of [a, b]) if (new URL(page.url()).pathname !== '/') await page.goto('/');
  await a.page.getByLabel("Contact's username").fill(b.user.username);
  await a.page.getByRole('button', { name: 'Add contact' }).click();
  await b.page.getByText(`${a.user.username} wants to add you as a contact`).waitFor();
  await b.page.getByRole('button', { name: 'Accept contact' }).click();
  await callButton(a.page, b.user).waitFor();
  await callButton(b.page, a.user).waitFor();
}

/** "Call <name>" on Home. */
export const callButton = (page: Page, user: TestUser) =>
  page.getByRole('button', { name: `Call ${user.username}`, exact: true });

/** The incoming-call dialog "<name> is calling". */
export const incomingCall = (page: Page, caller: TestUser) =>
  page.getByRole('dialog', { name: `${caller.username} is calling` });

/** The camera track of the user's own preview in the incoming-call dialog, once it has one. */
export async function ownCamera(page: Page, caller: TestUser): Promise<JSHandle<MediaStreamTrack>> {
  const video = incomingCall(page, caller).locator('.tile.preview video');
  return video.evaluateHandle(
    (element) =>
      new Promise<MediaStreamTrack>((resolve) => {
        const check = () => {
          const stream = (element as HTMLVideoElement).srcObject;
          const track = stream instanceof MediaStream ? stream.getVideoTracks()[0] : undefined;
          if (track && (element as HTMLVideoElement).readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) resolve(track);
          else setTimeout(check, 50);
        };
        check();
      }),
  );
}

/** The presence word Home shows for a contact ("Online", "In a call", "Offline"), read from their row. */
export async function presenceOf(page: Page, contact: TestUser): Promise<string | undefined> {
  const row = page.getByRole('listitem').filter({ has: callButton(page, contact) });
  return (await row.textContent())?.match(/Online|In a call|Offline/)?.[0];
}

/** Another tab of the same person (same cookies), on `path`, recording its peer connections. */
export async function anotherTab(person: Person, path = '/'): Promise<Page> {
  const page = await person.page.context().newPage();
  await page.addInitScript(recordPeerConnections);
  await page.goto(path);
  return page;
}

/** RTP bytes and packets this page has sent so far, over every peer connection it ever made. */
export function rtpSent(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let sent = 0;
    for (const pc of window.__peerConnections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((entry: { type: string; bytesSent?: number; packetsSent?: number }) => {
        if (entry.type === 'outbound-rtp') sent += (entry.bytesSent ?? 0) + (entry.packetsSent ?? 0);
      });
    }
    return sent;
  });
}

/** The signed-in user's id, from the app's own API. */
export async function userIdOf(page: Page): Promise<string> {
  const response = await page.request.get('/api/auth/me');
  return ((await response.json()) as { id: string }).id;
}
