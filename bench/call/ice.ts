/**
 * The ICE servers both the bare page and the app get in every variant: the local coturn as STUN
 * and as TURN (TURN REST credentials), as a production deployment with a relay configured would
 * hand out. Nothing points outside the machine: the app's default STUN server is on the internet,
 * so the app's `GET /api/turn-credentials` is answered with these instead (app.ts). Relay-only
 * variants add `iceTransportPolicy: 'relay'` on top (the app through its `?relay=1` switch).
 */
import type { BrowserContext } from 'playwright-core';
import { requestedRoom, startTurnServer, type TurnServer } from '../../e2e/support/call-turn.ts';

export function benchIceServers(turn: TurnServer, user: string, roomId: string): RTCIceServer[] {
  const stun = turn.url.replace(/^turn:/, 'stun:').replace(/\?.*$/, '');
  return [{ urls: [stun] }, { urls: [turn.url], ...turn.credentials(user, roomId) }];
}

/** Answers the app's `GET /api/turn-credentials` in `context` with these servers, for `user`. */
export async function serveBenchIce(context: BrowserContext, turn: TurnServer, user: string): Promise<void> {
  await context.route('**/api/turn-credentials?*', (route) =>
    route.fulfill({
      json: {
        iceServers: benchIceServers(turn, user, requestedRoom(route.request().url())),
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        relay: true,
      },
    }),
  );
}

/**
 * The benchmarks' coturn. A second try: the port is picked free for UDP, but coturn binds it for TCP
 * too and loses when an outgoing TCP connection happens to hold it. Relay ports: every peer
 * connection of every variant allocates one, and an allocation may outlive its closed page for
 * coturn's 10 min lifetime; with a test's 100, relay calls of both kinds failed alike late in a
 * 10-call run.
 */
export function startBenchTurn(): Promise<TurnServer> {
  const start = () => startTurnServer({ relayPorts: 1000 });
  return start().catch(start);
}
