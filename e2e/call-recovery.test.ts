/**
 * Staying connected: a call survives its signaling server going away, and a broken media path is
 * restarted, without anyone hanging up. Real Chromium, the built app, real WebRTC stats.
 *
 * - Signaling: every room socket goes through the test (`page.routeWebSocket`, connected to the
 *   real server), so the test can play a server that goes away: it closes every socket from the
 *   server's side and refuses new ones for a while, then lets them in again.
 * - ICE: the call is relay-only through a local coturn; the test stops that coturn mid-call and
 *   serves credentials for a new one, so media can only come back through an ICE restart that
 *   gathers again with fresh credentials (protocol/signaling.ts, Recovery).
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import {
  bytesOf,
  type Caller,
  callStats,
  expectGrowing,
  expectRemotePicture,
  framesOf,
  newCaller,
  remoteStatus,
} from './support/call.ts';
import { requestedRoom, startTurnServer, type TurnServer } from './support/call-turn.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** How many RTCPeerConnections the page has made (the lobby and waiting make some; the call keeps its one). */
const peerConnections = (page: Page) => page.evaluate(() => window.__peerConnections.length);

async function expectConnected(...callers: Caller[]): Promise<void> {
  for (const { page } of callers) {
    await expect.poll(async () => (await callStats(page))?.connectionState, { timeout: 20_000 }).toBe('connected');
  }
}

async function expectMediaFlowing(...callers: Caller[]): Promise<void> {
  for (const { page } of callers) {
    await expectGrowing(page, bytesOf('0'));
    await expectGrowing(page, framesOf);
  }
}

/**
 * A signaling server the test can take down: the page sees each room socket close with 1001
 * (going away) and new ones refused, and the room sees those sockets closed. (Playwright's own
 * forwarding of the close to the server would send 1001, which a browser may not send.)
 */
async function routeRoomSockets(page: Page) {
  const routes: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  let down = false;
  await page.routeWebSocket(/\/api\/rooms\/[^/]+\/ws$/, (ws) => {
    if (down) return ws.close({ code: 1001, reason: 'server down' });
    routes.push({ page: ws, server: ws.connectToServer() });
  });
  return {
    async goDown() {
      down = true;
      for (const route of routes.splice(0)) {
        await route.page.close({ code: 1001, reason: 'going away' });
        // 1001 as a browser going away would send: 1000 would tell the room its user left (a bye).
        await route.server.close({ code: 1001, reason: 'test: server down' });
      }
    },
    comeBack() {
      down = false;
    },
  };
}

describe('a call that loses its signaling server', () => {
  it('keeps its media flowing, then reconnects to the room without a new peer connection', async () => {
    const alice = await newCaller(browser, 'alice');
    const bob = await newCaller(browser, 'bob');
    const servers = [await routeRoomSockets(alice.page), await routeRoomSockets(bob.page)];
    const room = await alice.startCall();
    await bob.join(room);
    await expectConnected(alice, bob);
    await expectMediaFlowing(alice, bob);
    const made = [await peerConnections(alice.page), await peerConnections(bob.page)];

    await Promise.all(servers.map((server) => server.goDown()));
    for (const { page } of [alice, bob]) {
      await expect.poll(() => remoteStatus(page).textContent()).toContain('Lost the connection to the room');
    }
    await expectMediaFlowing(alice, bob);
    await expectRemotePicture(alice.page);

    for (const server of servers) server.comeBack();
    const back = performance.now();
    for (const { page } of [alice, bob]) {
      await expect
        .poll(() => remoteStatus(page).textContent(), { timeout: 30_000 })
        .not.toContain('Lost the connection to the room');
    }
    console.log(`[recovery] server back to both sides rejoined: ${Math.round(performance.now() - back)} ms`);
    // Signaling works again: a mute reaches the peer.
    await bob.page.getByRole('button', { name: 'Microphone', exact: true }).click();
    await expect.poll(() => remoteStatus(alice.page).textContent()).toContain(`${bob.user.username} is muted`);
    await expectMediaFlowing(bob);
    expect([await peerConnections(alice.page), await peerConnections(bob.page)]).toEqual(made);
  }, 120_000);
});

describe('a call whose media path breaks', () => {
  /** The relays of the call, oldest first: stopped ones are taken out. */
  const turns: TurnServer[] = [];

  afterAll(async () => {
    await Promise.all(turns.map((turn) => turn.stop()));
  });

  /** Answers GET /api/turn-credentials with the newest coturn, as the Worker would with its TURN. */
  async function useNewestTurn(page: Page, userId: string): Promise<void> {
    await page.route('**/api/turn-credentials?*', (route) => {
      const turn = turns.at(-1) as TurnServer;
      return route.fulfill({
        json: {
          iceServers: [{ urls: [turn.url], ...turn.credentials(userId, requestedRoom(route.request().url())) }],
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
          relay: true,
        },
      });
    });
  }

  it('restarts ICE with fresh credentials: "Reconnecting…" shows, then media flows again', async () => {
    turns.push(await startTurnServer());
    const alice = await newCaller(browser, 'alice');
    const bob = await newCaller(browser, 'bob');
    await useNewestTurn(alice.page, alice.user.username);
    await useNewestTurn(bob.page, bob.user.username);
    const room = await alice.startCall('?relay=1');
    await bob.join(`${room}?relay=1`);
    await expectConnected(alice, bob);
    await expectMediaFlowing(alice, bob);
    const made = [await peerConnections(alice.page), await peerConnections(bob.page)];

    // The relay goes away; a new one takes its place, reachable only with freshly fetched credentials.
    turns.push(await startTurnServer());
    await turns.shift()?.stop();
    const broken = performance.now();
    await Promise.all(
      [alice, bob].map(({ page }) =>
        expect.poll(() => remoteStatus(page).textContent(), { timeout: 30_000 }).toContain('Reconnecting…'),
      ),
    );
    for (const { page } of [alice, bob]) {
      await expect.poll(() => remoteStatus(page).textContent(), { timeout: 45_000 }).not.toContain('Reconnecting');
    }
    console.log(`[recovery] relay gone to "Reconnecting…" cleared: ${Math.round(performance.now() - broken)} ms`);
    await expectConnected(alice, bob);
    await expectMediaFlowing(alice, bob);
    await expectRemotePicture(bob.page, { width: 640, height: 480 });
    expect([await peerConnections(alice.page), await peerConnections(bob.page)]).toEqual(made);
  }, 120_000);
});
