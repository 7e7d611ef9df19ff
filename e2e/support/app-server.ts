/**
 * The whole app on a free loopback port, for browser tests and benchmarks: its own fresh database
 * on the embedded Postgres (reusing the running cluster, if any), and the production build (SPA and
 * Worker) served by wrangler's dev server with throwaway Durable Object state.
 *
 * Why a production build rather than a dev server: the build takes ~2 s here and nothing in it can
 * change under a running test, while a dev server watches the shared working tree (another
 * engineer's save would reload a page mid-test), discovers dependencies on first request (another
 * reload) and shares `node_modules/.vite` with `npm run dev`. The build is also what ships: its
 * bundles, CSP and caching headers are what the tests see.
 *
 * Why wrangler (`unstable_startWorker`, given the build's own wrangler.json) rather than `vite
 * preview`: preview couples a Node `ws` server to the Worker's socket, so every WebSocket frame
 * crossed JavaScript on the way to workerd, 10–40 ms per hop on a loaded machine, a hop production
 * does not have and the benchmarks' baselines (bench/call/bare-server.ts, bench/signaling/server.ts)
 * do not pay. Wrangler's proxy in front of the Worker is workerd too: frames stay inside workerd.
 * Its programmatic form, because the wrangler CLI wants Node >= 22 here.
 *
 * Isolation: everything a run writes (build, Durable Object state) lives in one temp folder. The
 * build also writes web/'s redirect to the latest Worker build, `web/.wrangler/deploy/config.json`;
 * ours points into that temp folder, so it is removed again.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalBackend } from '../../scripts/lib/local-app.ts';

const REPO = resolve(import.meta.dirname, '../..');
const VITE_BIN = join(REPO, 'node_modules/vite/bin/vite.js');
/** Where the Cloudflare plugin writes the redirect to the latest build of web/ (see above). */
const SHARED_DEPLOY_CONFIG = join(REPO, 'web/.wrangler/deploy/config.json');

export interface AppServer {
  /** Origin of the app, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

/** Starts the app; `database` should be unique per run (it is dropped and recreated). */
export async function startAppServer(options: { owner: string; database: string }): Promise<AppServer> {
  const started = performance.now();
  const backend = await startLocalBackend({ ...options, fresh: true, reuseRunning: true });
  const temp = mkdtempSync(join(tmpdir(), 'edgecall-app-'));
  const outDir = join(temp, 'dist');
  const cleanUp = async () => {
    await backend.stop();
    rmSync(temp, { recursive: true, force: true });
  };
  try {
    // In a child process: the build leaves plugin state behind in the process that ran it.
    await run(process.execPath, [VITE_BIN, 'build', '--outDir', outDir, '--logLevel', 'warn']);
    forgetSharedDeployConfig(temp);
    // The build copies the secrets it found into a .dev.vars that wrangler would read: every value
    // comes from the bindings below instead.
    rmSync(join(outDir, 'edgecall/.dev.vars'), { force: true });

    const vars = {
      ...backend.workerEnv,
      // Mail stays in the dev mailbox (tests read it there), whatever key the shell may hold.
      RESEND_API_KEY: '',
      // Browsers in tests must never reach out to a public STUN server: point STUN at a silent loopback
      // port (host candidates are all a loopback call needs; relay tests bring their own coturn). Not
      // 9 (discard): Firefox refuses the fetch spec's "bad ports" there, and RTCPeerConnection throws.
      STUN_URLS: 'stun:127.0.0.1:4',
      // A ring nobody answers ends after 20 s, not 30 (e2e/ring-outcomes.test.ts waits for it); long
      // enough for a test, or bench:ring, to answer on a loaded machine (12 s was not, at load 20).
      RING_TIMEOUT_MS: '20000',
    };
    const worker = await startBuiltWorker(join(outDir, 'edgecall/wrangler.json'), vars, join(temp, 'state'));
    const url = (await worker.url).origin;
    console.log(`[e2e] app at ${url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      url,
      async stop() {
        await worker.dispose();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * The build's Worker and its assets (`../client` in its config), in workerd on a free loopback port.
 * Every var and secret is bound here: the config's vars, overridden by `values`. Left unbound, wrangler
 * would fill them from the shell's environment or the checkout's .dev.vars.
 */
async function startBuiltWorker(configPath: string, values: Record<string, string>, state: string) {
  // No Internet here: skip fetching the Request.cf sample, and keep request logs off the output.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  process.env.WRANGLER_LOG ??= 'warn';
  process.env.WRANGLER_SEND_METRICS = 'false';
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as {
    vars: Record<string, string>;
    secrets: { required: string[] };
  };
  const bindings = Object.entries({ ...config.vars, ...values }).map(([name, value]) => [
    name,
    { type: config.secrets.required.includes(name) ? ('secret_text' as const) : ('plain_text' as const), value },
  ]);
  const { unstable_startWorker } = await import('wrangler');
  const worker = await unstable_startWorker({
    config: configPath,
    bindings: Object.fromEntries(bindings),
    dev: {
      // Port 0: the OS picks a free port, so concurrent runs never race for one.
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      watch: false,
      persist: state,
      structuredLogsHandler: printWorkerdProblems,
    },
  });
  try {
    await worker.ready;
    return worker;
  } catch (error) {
    await worker.dispose();
    throw error;
  }
}

/**
 * workerd's output as wrangler prints it (warnings and errors, everything with WRANGLER_LOG=log or
 * more), less one error: a browser closing a page while workerd still writes to its connection,
 * which every test does when it ends.
 */
function printWorkerdProblems({ level, message }: { level: string; message: string }): void {
  if (message.includes('disconnected: write(): Broken pipe')) return;
  if (level === 'error') console.error(message);
  else if (level === 'warn') console.warn(message);
  else if (['log', 'info', 'debug'].includes(process.env.WRANGLER_LOG ?? '')) console.log(message);
}

const execFileAsync = promisify(execFile);

async function run(command: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(command, args, { cwd: REPO });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/** Our build left web/'s redirect pointing into a temp folder we delete: remove it if still ours. */
function forgetSharedDeployConfig(temp: string): void {
  try {
    if (readFileSync(SHARED_DEPLOY_CONFIG, 'utf8').includes(basename(temp))) rmSync(SHARED_DEPLOY_CONFIG);
  } catch {
    // Already gone, or another build's: leave it.
  }
}
