/**
 * A local coturn for relay-only call tests: TURN REST credentials (`use-auth-secret`), loopback
 * only, on a free port, with the flags that were proven to work here (../shared field notes):
 * without `--allow-loopback-peers` coturn refuses loopback peers with "403 Forbidden IP".
 *
 * @example
 *   const turn = await startTurnServer();
 *   turn.url;                       // 'turn:127.0.0.1:34567?transport=udp'
 *   turn.credentials(userId, roomId);  // { username, credential } valid for an hour
 *   await turn.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Page } from 'playwright-core';

export interface TurnServer {
  url: string;
  secret: string;
  /** TURN REST credentials, as the Worker makes them (worker/turn/ice-servers.ts): the username names the room. */
  credentials(userId: string, roomId: string, ttlSeconds?: number): { username: string; credential: string };
  stop(): Promise<void>;
}

/** The room a page's GET /api/turn-credentials?room= asks for (a test answers it in the Worker's place). */
export function requestedRoom(requestUrl: string): string {
  const room = new URL(requestUrl).searchParams.get('room');
  if (!room) throw new Error(`TURN credentials asked for without a room: ${requestUrl}`);
  return room;
}

/** Answers the page's GET /api/turn-credentials with this coturn only (no STUN, no host path). */
export async function useLocalTurn(page: Page, turn: TurnServer, userId: string): Promise<void> {
  await page.route('**/api/turn-credentials?*', (route) =>
    route.fulfill({
      json: {
        iceServers: [{ urls: [turn.url], ...turn.credentials(userId, requestedRoom(route.request().url())) }],
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        relay: true,
      },
    }),
  );
}

export const TURNSERVER_PATH = process.env.TURNSERVER_PATH ?? 'turnserver';

/** `relayPorts`: how many relay ports (one per TURN allocation); a benchmark run needs more than a test. */
export async function startTurnServer({ relayPorts = 100 } = {}): Promise<TurnServer> {
  // A port free a moment ago can be taken by the time coturn binds it (a busy machine): try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTurnServerOnce(relayPorts);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function startTurnServerOnce(relayPorts: number): Promise<TurnServer> {
  const port = await freeUdpPort();
  // A relay port range of its own, so two test runs never fight over relay ports.
  const minPort = 40000 + Math.floor(Math.random() * Math.floor(20_000 / relayPorts)) * relayPorts;
  const secret = randomBytes(16).toString('hex');
  const child = spawn(
    TURNSERVER_PATH,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=edgecall.test',
      '--no-tls',
      '--no-dtls',
      // UDP only, as the calls use it: no TCP listener to collide with another program's port.
      '--no-tcp',
      '--allow-loopback-peers',
      '--no-cli',
      '--fingerprint',
      `--min-port=${minPort}`,
      `--max-port=${minPort + relayPorts - 1}`,
      `--pidfile=/tmp/edgecall-turnserver-${port}.pid`,
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await listening(child, port);
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    credentials(userId, roomId, ttlSeconds = 3600) {
      const username = `${Math.floor(Date.now() / 1000) + ttlSeconds}:${userId}:${roomId}`;
      return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Resolves once coturn answers a STUN Binding request on the port (its log has no reliable
 * "ready" line); rejects with its output if it exits or stays silent for 10 s.
 */
async function listening(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not run ${TURNSERVER_PATH}: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`turnserver exited (${code}):\n${output}`)));
  });
  exited.catch(() => {});
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await Promise.race([stunAnswers(port), exited])) return;
  }
  child.kill('SIGKILL');
  throw new Error(`turnserver did not answer in 10 s:\n${output}`);
}

/** Sends one STUN Binding request (RFC 5389) and waits 200 ms for any answer. */
function stunAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), 200);
    socket.once('message', () => done(true));
    socket.once('error', () => done(false));
    socket.send(request, port, '127.0.0.1');
  });
}

/** A UDP port the OS says is free right now. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
