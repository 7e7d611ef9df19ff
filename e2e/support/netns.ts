/**
 * A network namespace of the test's own holding the app, Chromium and Firefox, driven from the
 * test as usual (netns-agent.ts runs inside). Firefox never offers loopback ICE candidates, so a
 * call with it needs a real interface; the namespace gives it one with no way out. Root makes it
 * with `unshare -n`; other users get `unshare -rn` where the kernel allows user namespaces.
 *
 * @example
 *   const support = namespaceSupport();        // { ok: false, reason } where it cannot be made
 *   const ns = await startCallNamespace();
 *   const alice = await newCaller(ns.chromium, 'alice', { baseURL: ns.appUrl });
 *   const fox = await newFirefoxCaller(ns.firefox, ns.appUrl, 'fox');
 *   await ns.stop();
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Browser, chromium } from 'playwright-core';
import puppeteer, { type Browser as FirefoxBrowser } from 'puppeteer-core';
import { runningLocalPostgres } from '../../scripts/lib/local-postgres.ts';
import { FIREFOX_PATH } from './firefox.ts';
import { type AgentConfig, type AgentReady, READY, STOP } from './netns-agent.ts';
import { type Bridge, bridgeTcpToUnix, serveUnixToTcp } from './unix-bridge.ts';

const REPO = resolve(import.meta.dirname, '../..');
const AGENT = join(REPO, 'e2e/support/netns-agent.ts');
/**
 * Serving the app takes ~10 s here, a loaded machine several times that; then Chromium, and up to
 * two tries of Firefox (netns-agent.ts).
 */
const READY_DEADLINE_MS = 200_000;

export interface CallNamespace {
  /** The app's origin inside the namespace (what the browsers open). */
  appUrl: string;
  chromium: Browser;
  firefox: FirefoxBrowser;
  stop(): Promise<void>;
}

const UNSHARE = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];

/** Whether this machine lets us make the namespace, and if not, why, in words. */
export function namespaceSupport(): { ok: true } | { ok: false; reason: string } {
  if (!existsSync(FIREFOX_PATH))
    return { ok: false, reason: `no Firefox at ${FIREFOX_PATH} (apt-get install firefox-esr)` };
  try {
    execFileSync('unshare', [...UNSHARE, 'ip', 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return { ok: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return {
      ok: false,
      reason:
        'a call with Firefox needs a network namespace of its own (`unshare -n` with a veth pair: root, or ' +
        `user namespaces), and this machine refused one: ${stderr || (error as Error).message}`,
    };
  }
}

/**
 * Starts the namespace with the app and both browsers in it. `firefoxWindow`: Firefox with a
 * window on a virtual display (xvfb-run), which screen sharing needs; headless otherwise.
 */
export async function startCallNamespace(options: { firefoxWindow?: boolean } = {}): Promise<CallNamespace> {
  const postgres = runningLocalPostgres();
  if (!postgres) throw new Error('No local Postgres is running: the test setup (scripts/test/backend.ts) starts one.');
  const socketDir = mkdtempSync(join(tmpdir(), 'edgecall-netns-'));
  const bridges: Bridge[] = [];
  let agent: ChildProcess | undefined;
  const stop = async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((done) => agent?.once('exit', done));
      // The agent cleans up and exits on this line (or on the end of its stdin, should this process die).
      agent.stdin?.write(`${STOP}\n`);
      // Its whole process group: under xvfb-run the agent is a grandchild.
      const timer = setTimeout(() => agent?.pid && process.kill(-agent.pid, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      agent.stdin?.end();
    }
    for (const bridge of bridges) await bridge.close();
    rmSync(socketDir, { recursive: true, force: true });
  };
  try {
    // The proxy is `host:port`, or `host:port/token` where it takes a per-run token: a TCP bridge passes either.
    const hostPorts = [postgres.port, Number(new URL(`ws://${postgres.proxy}`).port)];
    for (const port of hostPorts) bridges.push(await serveUnixToTcp(join(socketDir, `port-${port}.sock`), port));
    const config: AgentConfig = {
      socketDir,
      hostPorts,
      database: `edgecall_netns_${process.pid}`,
      firefoxWindow: options.firefoxWindow ?? false,
    };
    const display = config.firefoxWindow ? ['xvfb-run', '--auto-servernum', '--server-args=-screen 0 1280x800x24'] : [];
    agent = spawn(
      'unshare',
      [...UNSHARE, ...display, process.execPath, '--import', 'tsx', AGENT, JSON.stringify(config)],
      { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'], detached: true },
    );
    const ready = await readyLine(agent);

    const chromiumBridge = await bridgeTcpToUnix(0, join(socketDir, 'chromium.sock'));
    bridges.push(chromiumBridge);
    const firefoxBridge = await bridgeTcpToUnix(0, join(socketDir, 'firefox.sock'));
    bridges.push(firefoxBridge);
    const chromiumBrowser = await chromium.connect(`ws://127.0.0.1:${chromiumBridge.port}${ready.chromium.path}`);
    const firefoxBrowser = await puppeteer.connect({
      browserWSEndpoint: `ws://127.0.0.1:${firefoxBridge.port}${ready.firefox.path}`,
      protocol: 'webDriverBiDi',
      protocolTimeout: 60_000,
      // Firefox's remote agent accepts only the Host it listens on (DNS rebinding protection).
      headers: { Host: `127.0.0.1:${ready.firefox.port}` },
    });
    return {
      appUrl: ready.appUrl,
      chromium: chromiumBrowser,
      firefox: firefoxBrowser,
      async stop() {
        await firefoxBrowser.disconnect().catch(() => {});
        await chromiumBrowser.close().catch(() => {});
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The agent's READY line; its other output is passed on. Rejects if it exits or takes too long. */
function readyLine(agent: ChildProcess): Promise<AgentReady> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the namespace agent was not ready in time')), READY_DEADLINE_MS);
    agent.once('exit', (code) => reject(new Error(`the namespace agent exited (${code}) before it was ready`)));
    agent.once('error', reject);
    const lines = createInterface({ input: agent.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith(READY)) {
        console.log(line);
        return;
      }
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(READY.length)) as AgentReady);
    });
  });
}
