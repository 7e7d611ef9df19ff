/**
 * `npm run bench:ring [-- --runs 10]`: calling a person, timed in real headless Chromium against
 * the app as the browser tests serve it (production build, Worker in workerd, a fresh database),
 * each beside its baseline measured in the same run, turn by turn, so load hits both alike:
 * - ring: from the caller's "Call <name>" click to the callee's incoming-call dialog on screen,
 *   beside one bare WebSocket message between two pages through a trivial Durable Object
 *   (echo.ts); target ≤ 3×. Its trip alone (to the callee tab's `onmessage`, as the echo is
 *   timed) is printed beside it;
 * - answer: from the callee's "Accept" click to the first remote video frame on each side, beside
 *   the bare call's "Join call" → first frame (bench/call/bare.ts, joiner and host); target ≤ 0.5×.
 *   Beside both, the answer's floor (floor.ts): the browser's own time from a track put on a
 *   connected link to its first frame shown, with no server in the way.
 * Two users, contacts of each other, take turns calling (rings are throttled per caller); each
 * call is hung up on both sides before the next. Not a test: slow numbers never fail it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signUp, type TestUser, uniqueUser } from '../../e2e/support/accounts.ts';
import { startAppServer } from '../../e2e/support/app-server.ts';
import { launchBrowser } from '../../e2e/support/browser.ts';
import type { TurnServer } from '../../e2e/support/call-turn.ts';
import { becomeContacts, callButton, incomingCall } from '../../e2e/support/ring.ts';
import { bareCall } from '../call/bare.ts';
import { startBareServer } from '../call/bare-server.ts';
import { serveBenchIce, startBenchTurn } from '../call/ice.ts';
import { PROBE } from '../call/measure.ts';
import { runBench } from '../harness.ts';
import { formatTable, type Summary, summarize } from '../report.ts';
import { serveBenchWorker } from '../signaling/server.ts';
import { echoMessage } from './echo.ts';
import { answerFloor } from './floor.ts';

const RING_PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
const RING_TARGET = 3;
const ANSWER_TARGET = 0.5;
/** The caller's page readies its connection while it rings; a person takes longer than this to answer. */
const ANSWER_AFTER_MS = 1000;
const STEP_TIMEOUT_MS = 20_000;
const RUN_LIMIT_MS = 20 * 60_000;

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(args.runs);

type Cookies = Awaited<ReturnType<BrowserContext['storageState']>>;

interface Person {
  user: TestUser;
  cookies: Cookies;
}

interface Probe {
  callAt?: number;
  dialogAt?: number;
  acceptAt?: number;
  heardAt?: number;
}

interface RingTiming {
  ring: number;
  /** The ring's part until the callee's tab hears it (`onmessage`), as the echo is timed. */
  heard: number;
  /** Accept → first remote frame, on the callee's page and on the caller's. */
  callee: number;
  caller: number;
}

const ringProbe = (page: Page) => page.evaluate(() => (window as unknown as { __ring: Probe }).__ring);
const firstFrameAt = (page: Page) =>
  page.evaluate(() => (window as unknown as { __bench: { firstFrameAt?: number } }).__bench.firstFrameAt);

async function signUpPerson(browser: Browser, url: string, name: string): Promise<{ person: Person; page: Page }> {
  const context = await browser.newContext({ baseURL: url });
  const page = await context.newPage();
  const user = await signUp(page, uniqueUser(name));
  return { person: { user, cookies: await context.storageState() }, page };
}

async function openHome(browser: Browser, url: string, turn: TurnServer, person: Person): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, storageState: person.cookies });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await context.addInitScript(PROBE);
  await context.addInitScript(RING_PROBE);
  await serveBenchIce(context, turn, person.user.username);
  const page = await context.newPage();
  await page.goto('/');
  return page;
}

/** One call: ring, answer, hang up on both sides. */
async function ringAndAnswer(
  browser: Browser,
  url: string,
  turn: TurnServer,
  caller: Person,
  callee: Person,
): Promise<RingTiming> {
  const [callerPage, calleePage] = await Promise.all([caller, callee].map((p) => openHome(browser, url, turn, p)));
  if (!callerPage || !calleePage) throw new Error('unreachable: two people, two pages');
  try {
    // The callee's line is open once its Home shows the caller's presence.
    await calleePage.getByText('Online', { exact: true }).first().waitFor();
    await callButton(callerPage, callee.user).click();
    await incomingCall(calleePage, caller.user).waitFor();
    await calleePage.waitForFunction(() => (window as unknown as { __ring: Probe }).__ring.dialogAt !== undefined);
    await new Promise((resolve) => setTimeout(resolve, ANSWER_AFTER_MS));
    await incomingCall(calleePage, caller.user).getByRole('button', { name: 'Accept' }).click();
    const framed = () =>
      (window as unknown as { __bench: { firstFrameAt?: number } }).__bench.firstFrameAt !== undefined;
    await Promise.all([callerPage, calleePage].map((page) => page.waitForFunction(framed, null)));
    const [callerProbe, calleeProbe] = await Promise.all([ringProbe(callerPage), ringProbe(calleePage)]);
    const [callerFrame, calleeFrame] = await Promise.all([firstFrameAt(callerPage), firstFrameAt(calleePage)]);
    const { callAt } = callerProbe;
    const { dialogAt, acceptAt, heardAt } = calleeProbe;
    if (!callAt || !dialogAt || !acceptAt || !heardAt || !callerFrame || !calleeFrame) {
      throw new Error('probe missed a step');
    }
    for (const page of [callerPage, calleePage]) {
      await page.getByRole('button', { name: 'End call', exact: true }).click();
      await page.waitForURL((at) => at.pathname === '/');
    }
    return {
      ring: dialogAt - callAt,
      heard: heardAt - callAt,
      callee: calleeFrame - acceptAt,
      caller: callerFrame - acceptAt,
    };
  } finally {
    await Promise.all([callerPage, calleePage].map((page) => page.context().close()));
  }
}

const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));
const row = (name: string, summary: Summary | undefined, count: number) => [
  name,
  String(count),
  ms(summary?.min),
  ms(summary?.median),
  ms(summary?.max),
];

function ratioLine(what: string, app: Summary | undefined, base: Summary | undefined, target: number): string {
  if (!app || !base) return `${what}: no ratio (a side has no measurement)`;
  const ratio = app.median / base.median;
  return `${what}: ${ratio.toFixed(2)}× (${ratio <= target ? 'within' : 'OVER'} the ${target}× target)`;
}

async function main(): Promise<void> {
  await runBench('bench:ring', RUN_LIMIT_MS, async (defer) => {
    const turn = await startBenchTurn();
    defer(turn.stop);
    const bare = await startBareServer(turn);
    defer(bare.stop);
    // wrangler refuses to start without wrangler.toml's assets folder; the echo needs no assets.
    mkdirSync(new URL('../../dist/client', import.meta.url), { recursive: true });
    const echo = await serveBenchWorker({});
    defer(echo.stop);
    const app = await startAppServer({ owner: 'npm run bench:ring', database: `edgecall_bench_ring_${process.pid}` });
    defer(app.stop);
    const browser = await launchBrowser();
    defer(() => browser.close());

    const [ann, bob] = await Promise.all(['ann', 'bob'].map((name) => signUpPerson(browser, app.url, name)));
    if (!ann || !bob) throw new Error('unreachable: two sign-ups');
    await becomeContacts({ page: ann.page, user: ann.person.user }, { page: bob.page, user: bob.person.user });
    await Promise.all([ann, bob].map(({ page }) => page.context().close()));

    const echoes: number[] = [];
    const bares: { joiner: number; host: number }[] = [];
    const floors: number[] = [];
    const rings: RingTiming[] = [];
    const failures: string[] = [];
    for (let run = 1; run <= runs; run++) {
      const [caller, callee] = run % 2 === 1 ? [ann.person, bob.person] : [bob.person, ann.person];
      try {
        echoes.push(await echoMessage(browser, echo.url));
        bares.push(await bareCall(browser, bare, 'lobby'));
        floors.push(await answerFloor(browser));
        const timing = await ringAndAnswer(browser, app.url, turn, caller, callee);
        rings.push(timing);
        const last = (values: number[]) => ms(values.at(-1));
        console.log(
          `#${run}: echo ${last(echoes)} ms, ring ${ms(timing.ring)} ms (heard ${ms(timing.heard)}); bare joiner ${ms(bares.at(-1)?.joiner)} / host ${ms(bares.at(-1)?.host)} ms, answer callee ${ms(timing.callee)} / caller ${ms(timing.caller)} ms, floor ${last(floors)} ms`,
        );
      } catch (error) {
        failures.push(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
        console.log(`#${run}: failed: ${failures.at(-1)}`);
      }
    }

    const echoSummary = summarize(echoes);
    const ringSummary = summarize(rings.map((timing) => timing.ring));
    const heardSummary = summarize(rings.map((timing) => timing.heard));
    const bareJoiner = summarize(bares.map((timing) => timing.joiner));
    const bareHost = summarize(bares.map((timing) => timing.host));
    const callee = summarize(rings.map((timing) => timing.callee));
    const caller = summarize(rings.map((timing) => timing.caller));
    const floor = summarize(floors);
    console.log('\nRinging and answering (ms)\n');
    console.log(
      formatTable(
        ['measure', 'n', 'min', 'median', 'max'],
        [
          row('echo: one message through a trivial Durable Object', echoSummary, echoes.length),
          row('ring: "Call <name>" click → callee\'s dialog on screen', ringSummary, rings.length),
          row("  of which: click → callee tab's onmessage", heardSummary, rings.length),
          row('bare call, joiner: "Join call" → first remote frame', bareJoiner, bares.length),
          row('bare call, host: joiner\'s "Join call" → first remote frame', bareHost, bares.length),
          row('answer, callee: "Accept" → first remote frame', callee, rings.length),
          row('answer, caller: callee\'s "Accept" → first remote frame', caller, rings.length),
          row('floor: track on a connected link → its first frame, one page', floor, floors.length),
        ],
      ),
    );
    console.log(`\n${ratioLine('ring ÷ echo (medians)', ringSummary, echoSummary, RING_TARGET)}`);
    console.log(ratioLine('  its trip alone, to onmessage ÷ echo', heardSummary, echoSummary, RING_TARGET));
    console.log(ratioLine('answer ÷ bare call, callee ÷ joiner', callee, bareJoiner, ANSWER_TARGET));
    console.log(ratioLine('answer ÷ bare call, caller ÷ host', caller, bareHost, ANSWER_TARGET));
    console.log(ratioLine('floor ÷ bare call, joiner (no answer can go below it)', floor, bareJoiner, ANSWER_TARGET));
    for (const failure of failures) console.log(`\nfailed: ${failure}`);
    if (rings.length === 0) process.exitCode = 1;
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
