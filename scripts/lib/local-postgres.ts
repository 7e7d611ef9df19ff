/**
 * Embedded PostgreSQL for development, tests and benchmarks: one cluster per checkout (see
 * postgres-server.ts for where it lives), fronted by the loopback WebSocket proxy that the Neon driver uses.
 *
 * A lock file (`.data/postgres.lock`, mode 0600, JSON with the owner's pid, ports, the cluster's password
 * and the proxy's per-run token) makes the cluster single-owner and lets our other processes reuse it.
 * A second owner is refused with a clear message; a lock left by a process that died (kill -9, a crash)
 * is stale, and any postgres it left behind is stopped before we start again.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { LocalSetupError } from './local-setup-error.ts';
import {
  type ClusterPlace,
  initialiseCluster,
  prepareClusterPlace,
  type RunningServer,
  startServer,
  writeSecret,
} from './postgres-server.ts';
import { startWsProxy, type WsProxy } from './ws-proxy.ts';

export const DATA_DIR = resolve(import.meta.dirname, '../../.data');
const USER = 'postgres';

export interface LocalPostgresOptions {
  /** Who holds the cluster, for the "already running" message (e.g. "npm run dev"). */
  owner: string;
  /** The checkout's private folder for the lock, and the cluster itself unless we run as root. */
  dataDir?: string;
  port?: number;
  proxyPort?: number;
}

export interface LocalPostgres {
  port: number;
  /** `host:port/token` of the WebSocket proxy, the worker's `DB_PROXY`. */
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
  password: string;
  proxyToken: string;
}

export class ClusterBusyError extends LocalSetupError {
  constructor(readonly lock: Pick<LockContents, 'owner' | 'pid'>) {
    super(
      `The local Postgres of this checkout is already in use by "${lock.owner}" (pid ${lock.pid}). ` +
        'Stop that process first (Ctrl-C in its terminal).',
    );
  }
}

/** Starts the cluster and its proxy, or throws ClusterBusyError when a live process holds them. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const dataDir = options.dataDir ?? DATA_DIR;
  makePrivateDir(dataDir);
  const lockFile = join(dataDir, 'postgres.lock');
  // The usual ports when free; another checkout's cluster on them gets this one free ports instead.
  const port = options.port ?? (await freePortOr(54320));
  const proxyPort = options.proxyPort ?? (await freePortOr(54321));
  const proxyToken = randomBytes(24).toString('base64url');
  takeLock(lockFile, { pid: process.pid, owner: options.owner });
  const releaseLock = () => {
    if (readLock(lockFile)?.pid === process.pid) rmSync(lockFile, { force: true });
  };
  process.once('exit', releaseLock);

  let server: RunningServer | undefined;
  let proxy: WsProxy | undefined;
  let started = false;
  const onLog = (text: string) => {
    // Once running, Postgres's own complaints are worth seeing; its routine chatter is not.
    if (started && /FATAL|PANIC|ERROR/.test(text)) console.error(`[postgres] ${text.trim()}`);
  };
  try {
    const place = await prepareClusterPlace(dataDir);
    stopOrphanedPostgres(place.dataDir);
    // Postgres cannot take a port in use: say so now.
    for (const [what, p] of [
      ['Postgres', port],
      ['its WebSocket proxy', proxyPort],
    ] as const) {
      if (!(await isPortFree(p))) {
        throw new LocalSetupError(
          `Port ${p} (for ${what}) is in use by another program on 127.0.0.1. Stop it and try again.`,
        );
      }
    }
    const initialised = await initialiseCluster(place, USER);
    server = await startServer(place, port, onLog);
    started = true;
    const password =
      typeof initialised === 'string' ? initialised : await replaceLegacyPassword(place, port, initialised.legacy);
    proxy = await startWsProxy(proxyPort, proxyToken);
    const lock: LockContents = { pid: process.pid, owner: options.owner, port, proxyPort, password, proxyToken };
    writeLock(lockFile, lock);
    const stop = async () => {
      await proxy?.close();
      await server?.stop();
      releaseLock();
    };
    return connected(lock, stop);
  } catch (error) {
    await proxy?.close();
    await server?.stop();
    releaseLock();
    throw error;
  }
}

/** The running cluster of another process of ours, if there is one: tests reuse `npm run dev`'s. */
export function runningLocalPostgres(dataDir = DATA_DIR): LocalPostgres | undefined {
  const lock = readLock(join(dataDir, 'postgres.lock'));
  if (!lock || !isComplete(lock) || !isAlive(lock.pid)) return undefined;
  return connected(lock, async () => {}); // not ours to stop
}

function connected(lock: LockContents, stop: () => Promise<void>): LocalPostgres {
  const { port, password } = lock;
  return {
    port,
    proxy: `127.0.0.1:${lock.proxyPort}/${lock.proxyToken}`,
    urlFor: (database) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async createDatabase(name, { fresh = false } = {}) {
      await administer(port, password, async (client) => {
        if (fresh) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      });
    },
    async dropDatabase(name) {
      await administer(port, password, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
    stop,
  };
}

/** A cluster made when every checkout's password was "postgres": give it a random one now. */
async function replaceLegacyPassword(place: ClusterPlace, port: number, legacy: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  await administer(port, legacy, (client) =>
    client.query(`ALTER ROLE ${quoteIdent(USER)} PASSWORD ${client.escapeLiteral(password)}`),
  );
  writeSecret(place, password);
  return password;
}

/** Runs statements on the maintenance database (CREATE/DROP DATABASE cannot run elsewhere). */
async function administer(
  port: number,
  password: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function takeLock(lockFile: string, claim: Pick<LockContents, 'pid' | 'owner'>): void {
  const current = readLock(lockFile);
  if (current && current.pid !== process.pid && isAlive(current.pid)) throw new ClusterBusyError(current);
  writeFileSync(lockFile, JSON.stringify(claim), { mode: 0o600 });
}

/** The lock holds the cluster's password and the proxy's token: for this user's eyes only. */
function writeLock(lockFile: string, contents: LockContents): void {
  writeFileSync(lockFile, JSON.stringify(contents), { mode: 0o600 });
  chmodSync(lockFile, 0o600);
}

type Lock = Partial<LockContents> & Pick<LockContents, 'pid' | 'owner'>;

/** A lock is complete once its owner's cluster is up (a claim comes first, while it starts). */
const isComplete = (lock: Lock): lock is LockContents =>
  typeof lock.password === 'string' && typeof lock.proxyToken === 'string';

function readLock(lockFile: string): Lock | undefined {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** A postgres still running from a run that died would hold the port and the data directory. */
function stopOrphanedPostgres(clusterDir: string): void {
  const pidFile = join(clusterDir, 'postmaster.pid');
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
