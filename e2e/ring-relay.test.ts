/**
 * Ringing with the relay switch on (`edgecall.relay` in localStorage, web/call/flags.ts): while it
 * rings, both sides ready their connection (the caller seated in the room, each of the callee's
 * tabs with an offer made), and every peer connection either page makes gathers relay candidates
 * only, so ringing never shows anyone an IP address. Then the answer connects through the local
 * coturn (e2e/support/call-turn.ts), relay to relay.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type Caller, expectGrowing, expectRelayOnly, framesOf } from './support/call.ts';
import { startTurnServer, type TurnServer, useLocalTurn } from './support/call-turn.ts';
import { becomeContacts, callButton, incomingCall, newPerson, presenceOf, rtpSent } from './support/ring.ts';

let browser: Browser;
let turn: TurnServer;
let alice: Caller;
let bob: Caller;

beforeAll(async () => {
  turn = await startTurnServer();
  browser = await launchBrowser();
  alice = await newPerson(browser, 'alice');
  bob = await newPerson(browser, 'bob');
  for (const side of [alice, bob]) {
    await useLocalTurn(side.page, turn, side.user.username);
    await side.page.addInitScript(() => localStorage.setItem('edgecall.relay', '1'));
  }
  await becomeContacts(alice, bob);
});

afterAll(async () => {
  await browser?.close();
  await turn?.stop();
});

/** Every peer connection the page made: its ICE policy, and the candidate types in its local SDP. */
function preparedLinks(side: Caller) {
  return side.page.evaluate(() =>
    window.__peerConnections.map((pc) => ({
      policy: pc.getConfiguration().iceTransportPolicy,
      candidates: [...(pc.localDescription?.sdp ?? '').matchAll(/^a=candidate:.* typ (\w+)/gm)].map((m) => m[1]),
    })),
  );
}

describe('ringing with the relay switch on', () => {
  it('readies both sides with relay candidates only, and sends nothing before Accept', async () => {
    // Bob first: Alice's fresh line then hears Bob's new tab come online (a ring to a callee whose
    // only tab is still reconnecting is answered "offline", at once, as it should be).
    for (const side of [bob, alice]) await side.page.reload();
    await expect.poll(() => presenceOf(alice.page, bob.user)).toBe('Online');
    await callButton(alice.page, bob.user).click();
    await expect.poll(() => incomingCall(bob.page, alice.user).isVisible()).toBe(true);
    // The callee's tab has made its offer, with the candidates it gathered: relay ones.
    await expect
      .poll(async () => (await preparedLinks(bob)).flatMap((link) => link.candidates), { timeout: 20_000 })
      .toContain('relay');
    for (const side of [alice, bob]) {
      const links = await preparedLinks(side);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(link.policy).toBe('relay');
        expect(new Set(link.candidates)).toEqual(new Set(link.candidates.length ? ['relay'] : []));
      }
      expect(await rtpSent(side.page)).toBe(0);
    }
  });

  it('the answer connects through the relay', async () => {
    await incomingCall(bob.page, alice.user).getByRole('button', { name: 'Accept' }).click();
    for (const side of [alice, bob]) {
      await expectRelayOnly(side.page);
      await expectGrowing(side.page, framesOf);
    }
  });
});
