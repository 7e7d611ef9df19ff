/**
 * Relay-only calls: both browsers open the room with `?relay=1` (iceTransportPolicy 'relay'), so
 * media may only flow through TURN, here a local coturn started for this file.
 *
 * The ICE servers reach the page the way the app gets them, as GET /api/turn-credentials, but the
 * answer is made here: TURN REST credentials for this coturn, by the same formula as the Worker
 * (worker/turn/ice-servers.ts, unit-tested there). The Worker cannot be given TURN_SECRET in a
 * local run: wrangler passes a Worker only the secrets wrangler.toml declares (`[secrets]
 * required`), and TURN_SECRET is optional, so it is not declared.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { bytesOf, expectGrowing, expectRelayOnly, expectRemotePicture, framesOf, newCaller } from './support/call.ts';
import { startTurnServer, type TurnServer, useLocalTurn } from './support/call-turn.ts';

let browser: Browser;
let turn: TurnServer;

beforeAll(async () => {
  turn = await startTurnServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await turn?.stop();
});

describe('relay-only call through a local TURN server', () => {
  it('connects with relay candidates only, and media flows both ways', async () => {
    const alice = await newCaller(browser, 'alice');
    const bob = await newCaller(browser, 'bob');
    await useLocalTurn(alice.page, turn, alice.user.username);
    await useLocalTurn(bob.page, turn, bob.user.username);

    const room = await alice.startCall('?relay=1');
    await bob.join(`${room}?relay=1`);
    for (const side of [alice, bob]) {
      await expectRelayOnly(side.page);
      await expectGrowing(side.page, bytesOf('0'));
      await expectGrowing(side.page, framesOf);
      await expectRemotePicture(side.page, { width: 640, height: 480 });
    }
  });
});
