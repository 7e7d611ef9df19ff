/**
 * Benchmark part B (and the app half of part C): calls through the real app, served exactly as
 * the browser tests serve it (e2e/support/app-server.ts: production build, Worker in workerd, a
 * fresh database). Two users sign up once; each call then opens two fresh contexts with their
 * cookies: the host clicks "New call" on Home and waits in the lobby, the joiner opens the link,
 * and measure.ts times the two "Join call" clicks like the bare call's (or, for `open`, the
 * joiner's navigation to the link and its click the moment "Join call" is enabled).
 *
 * `/api/turn-credentials` is answered with the local coturn (ice.ts) rather than by the Worker:
 * a local Worker cannot be given TURN_SECRET (wrangler passes only the secrets wrangler.toml
 * declares), and its default STUN server is on the internet. The app fetches them in the lobby,
 * so this does not touch the timed part.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { signUp, uniqueUser } from '../../e2e/support/accounts.ts';
import { startAppServer } from '../../e2e/support/app-server.ts';
import type { TurnServer } from '../../e2e/support/call-turn.ts';
import type { CallKind } from './bare.ts';
import { serveBenchIce } from './ice.ts';
import { type CallTiming, PROBE, timeCall, timeOpening } from './measure.ts';

type Cookies = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface AppBench {
  call(kind: CallKind): Promise<CallTiming>;
  stop(): Promise<void>;
}

export async function startAppBench(browser: Browser, turn: TurnServer): Promise<AppBench> {
  const app = await startAppServer({ owner: 'npm run bench:call', database: `edgecall_bench_${process.pid}` });
  try {
    const people: { name: string; cookies: Cookies }[] = [];
    for (const name of ['ann', 'bob']) {
      const context = await browser.newContext({ baseURL: app.url });
      const user = await signUp(await context.newPage(), uniqueUser(name));
      people.push({ name: user.username, cookies: await context.storageState() });
      await context.close();
    }

    const open = async (person: { name: string; cookies: Cookies }) => {
      const context = await browser.newContext({ baseURL: app.url, storageState: person.cookies });
      await context.addInitScript(PROBE);
      await serveBenchIce(context, turn, person.name);
      return context;
    };

    let calls = 0;
    return {
      async call(kind) {
        // Politeness comes from the two user ids (the smaller is polite; the joiner offers), so the
        // two users swap host and joiner every call: half the calls have each role layout.
        calls += 1;
        const order = calls % 2 === 1 ? people : [...people].reverse();
        const contexts = await Promise.all(order.map(open));
        try {
          const [host, joiner] = await Promise.all(contexts.map((context) => context.newPage()));
          if (!host || !joiner) throw new Error('unreachable: two contexts, two pages');
          await host.goto('/');
          await host.getByRole('button', { name: 'New call' }).click();
          await host.waitForURL(/\/call\/[^/?]+$/);
          const room = `${host.url()}${kind === 'relay' ? '?relay=1' : ''}`;
          if (kind === 'open') return await timeOpening(host, joiner, room);
          // The host reopens with the query like the joiner, so both lobbies load the same way.
          await Promise.all([host.goto(room), joiner.goto(room)]);
          return await timeCall(host, joiner);
        } finally {
          await Promise.all(contexts.map((context) => context.close()));
        }
      },
      stop: () => app.stop(),
    };
  } catch (error) {
    await app.stop();
    throw error;
  }
}
