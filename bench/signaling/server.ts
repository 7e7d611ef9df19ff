/**
 * Serves bench/signaling/worker.js on a free loopback port with wrangler's dev server, configured
 * by the app's own wrangler.toml (same compatibility date, flags, vars and room Durable Object)
 * plus the echo binding, with throwaway Durable Object state.
 *
 * Why wrangler and not Vite's dev server (which `npm run dev` uses): Vite carries WebSocket frames
 * through Node (it couples a `ws` server to the Worker's socket), which would put JavaScript on
 * the path we measure, on the same two cores as the load generator. Wrangler's dev server keeps
 * frames inside workerd (its proxy Worker in front of ours is workerd too, and both targets go
 * through it alike). Its programmatic form, because the wrangler CLI wants Node >= 22 here.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

export interface BenchServer {
  /** e.g. http://127.0.0.1:41234/ */
  url: URL;
  /** The Worker's DevTools endpoint when started with `inspect` (profile.ts), else undefined. */
  inspectorUrl: URL | undefined;
  stop(): Promise<void>;
}

export async function serveBenchWorker(vars: Record<string, string>, inspect = false): Promise<BenchServer> {
  // No Internet here: skip fetching the Request.cf sample, and keep request logs off the report.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  process.env.WRANGLER_LOG ??= 'warn';
  process.env.WRANGLER_SEND_METRICS = 'false';
  const { unstable_startWorker } = await import('wrangler');
  const state = mkdtempSync(join(tmpdir(), 'edgecall-bench-signaling-'));
  // wrangler.toml serves dist/client, which a fresh clone has not built; these sockets need no assets.
  const assets = join(state, 'assets');
  mkdirSync(assets);
  const plain = (value: string) => ({ type: 'plain_text' as const, value });
  const worker = await unstable_startWorker({
    config: join(REPO, 'wrangler.toml'),
    entrypoint: join(REPO, 'bench/signaling/worker.js'),
    assets,
    bindings: {
      ECHO: { type: 'durable_object_namespace', class_name: 'EchoRoom' },
      ...Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, plain(value)])),
    },
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: inspect ? { hostname: '127.0.0.1', port: 0 } : false,
      watch: false,
      persist: state,
    },
  });
  try {
    return {
      url: await worker.url,
      inspectorUrl: inspect ? await worker.inspectorUrl : undefined,
      async stop() {
        await worker.dispose();
        rmSync(state, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await worker.dispose();
    rmSync(state, { recursive: true, force: true });
    throw error;
  }
}
