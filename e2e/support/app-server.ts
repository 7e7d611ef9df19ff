/**
 * The whole app on a free loopback port, for browser tests and benchmarks: its own fresh database
 * on the embedded Postgres (reusing the running cluster, if any), the Worker in workerd with
 * throwaway Durable Object state, and the SPA as production builds it.
 *
 * Why a production build plus `vite preview` rather than a dev server: the build takes ~2 s here
 * and nothing in it can change under a running test, while a dev server watches the shared
 * working tree (another engineer's save would reload a page mid-test), discovers dependencies on
 * first request (another reload) and shares `node_modules/.vite` with `npm run dev`. The build
 * is also what ships: its bundles, CSP and caching headers are what the tests see.
 *
 * Isolation: everything a run writes lives in one temp folder. Preview normally finds the Worker
 * build through `<root>/.wrangler/deploy/config.json`, which every build of `web/` overwrites, so
 * preview runs with a root of its own whose redirect file points at this run's build only.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { preview } from 'vite';
import { startLocalBackend } from '../../scripts/lib/local-app.ts';

const REPO = resolve(import.meta.dirname, '../..');
const CONFIG_FILE = join(REPO, 'vite.config.ts');
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
  const previewRoot = join(temp, 'root');
  try {
    // In a child process: a build in this process leaves plugin state behind that breaks the preview's Worker.
    await run(process.execPath, [VITE_BIN, 'build', '--outDir', outDir, '--logLevel', 'warn']);
    forgetSharedDeployConfig(temp);
    // The build copies the secrets it found into a .dev.vars that preview would prefer to process.env,
    // without the vars (DB_PROXY): drop it so preview takes every value from this run's env below.
    rmSync(join(outDir, 'edgecall/.dev.vars'), { force: true });
    const deployConfig = join(previewRoot, '.wrangler/deploy/config.json');
    mkdirSync(dirname(deployConfig), { recursive: true });
    writeFileSync(
      deployConfig,
      JSON.stringify({ configPath: join(outDir, 'edgecall/wrangler.json'), auxiliaryWorkers: [] }),
    );

    // The plugin reads the Worker's vars and secrets from process.env; set them only while it does,
    // so nothing else in this process (the workerd test pool) sees this run's database.
    const env = {
      ...backend.workerEnv,
      EDGECALL_EPHEMERAL_STATE: '1',
      // Mail stays in the dev mailbox (tests read it there), whatever key the shell may hold.
      RESEND_API_KEY: '',
      // Browsers in tests must never reach out to a public STUN server: point STUN at a silent loopback
      // port (host candidates are all a loopback call needs; relay tests bring their own coturn). Not
      // 9 (discard): Firefox refuses the fetch spec's "bad ports" there, and RTCPeerConnection throws.
      STUN_URLS: 'stun:127.0.0.1:4',
      // A ring nobody answers ends after 20 s, not 30 (e2e/ring-outcomes.test.ts waits for it); long
      // enough for a test, or bench:ring, to answer on a loaded machine (12 s was not, at load 20).
      RING_TIMEOUT_MS: '20000',
      MINIFLARE_REGISTRY_PATH: join(temp, 'registry'),
    };
    const server = await withEnv(env, () =>
      preview({
        configFile: CONFIG_FILE,
        root: previewRoot,
        logLevel: 'warn',
        build: { outDir: join(outDir, 'client') },
        // Port 0: the OS picks a free port, so concurrent runs never race for one.
        preview: { host: '127.0.0.1', port: 0, strictPort: true },
      }),
    );
    const { port } = server.httpServer.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    console.log(`[e2e] app at ${url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      url,
      async stop() {
        await server.close();
        await backend.stop();
        rmSync(temp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await backend.stop();
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
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

async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
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
