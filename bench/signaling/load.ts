/**
 * The load of `npm run bench:signaling`, the same for the app and for the echo baseline: every
 * peer sends ICE-candidate signal messages, either all at once (a burst) or paced. Each message
 * carries its room, side, sequence number and send time (in its usernameFragment); each receiver
 * checks that it comes from the other peer of its own room (and, for the app, from that peer's
 * id), exactly once and in order, and records the relay latency: send to receive, both timed by
 * this process's clock.
 */
import type WebSocket from 'ws';
import { PONG } from './sockets.ts';

export interface Peer {
  ws: WebSocket;
  room: number;
  side: 0 | 1;
  /** The app's peer id for the other side, which its messages must come from; none for the echo. */
  otherPeerId?: string;
  received: number;
}

export interface Target {
  name: string;
  /** Opens both sides of room `room`, resolved once each can hear the other. */
  openRoom(room: number): Promise<[Peer, Peer]>;
}

export interface Pace {
  /** Messages each peer sends. */
  messages: number;
  /** 0 for all at once; otherwise one every `intervalMs`, the peers spread over the interval. */
  intervalMs: number;
}

export interface LoadResult {
  expected: number;
  delivered: number;
  /** From the wrong room, side or peer id; duplicated or out of order; or not a signal at all. */
  wrong: number;
  /** A few of the wrong messages, to tell what went wrong. */
  samples: string[];
  latenciesMs: Float64Array;
  seconds: number;
}

/** Peers that send their burst in one go before the event loop gets to read replies. */
const SENDERS_PER_TICK = 20;

/** A realistic host candidate (~200 bytes on the wire), tagged `${room}:${side}:${seq}:${sentAt}`. */
function signalFrame(peer: Peer, seq: number): string {
  const tag = `${peer.room}:${peer.side}:${seq}:${performance.now().toFixed(3)}`;
  return JSON.stringify({
    type: 'signal',
    signal: {
      kind: 'candidate',
      candidate: {
        candidate: `candidate:842163049 1 udp 2122260223 192.168.1.${peer.room % 250} 5${seq % 9000} typ host generation 0`,
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: tag,
      },
    },
  });
}

interface SignalEcho {
  type: string;
  from?: string;
  signal?: { candidate?: { usernameFragment?: string } };
}

export async function runLoad(pairs: [Peer, Peer][], pace: Pace, limitMs: number): Promise<LoadResult> {
  const peers = pairs.flat();
  const expected = peers.length * pace.messages;
  const latenciesMs = new Float64Array(expected);
  const result = { expected, delivered: 0, wrong: 0, samples: [] as string[] };
  let lastReceivedAt = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  for (const peer of peers) {
    peer.received = 0;
    peer.ws.removeAllListeners('message');
    peer.ws.on('message', (data) => {
      const now = performance.now();
      const text = String(data);
      if (text === PONG) return;
      const message = JSON.parse(text) as SignalEcho;
      const [room, side, seq, sentAt] = (message.signal?.candidate?.usernameFragment ?? '').split(':').map(Number);
      const right =
        message.type === 'signal' &&
        room === peer.room &&
        side === 1 - peer.side &&
        (peer.otherPeerId === undefined || message.from === peer.otherPeerId) &&
        seq === peer.received;
      if (!right) {
        if (result.wrong++ < 3) result.samples.push(text);
        return;
      }
      peer.received++;
      latenciesMs[result.delivered++] = now - (sentAt as number);
      lastReceivedAt = now;
      if (result.delivered === expected) finish();
    });
  }

  const startedAt = performance.now();
  const stop = pace.intervalMs === 0 ? await sendBurst(peers, pace.messages) : sendPaced(peers, pace);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
  clearTimeout(timer);
  stop();
  // What comes after (e.g. peer-left while the sockets close) is not part of the load.
  for (const peer of peers) peer.ws.removeAllListeners('message');
  return {
    ...result,
    latenciesMs: latenciesMs.slice(0, result.delivered).sort(),
    seconds: ((lastReceivedAt || performance.now()) - startedAt) / 1000,
  };
}

async function sendBurst(peers: Peer[], messages: number): Promise<() => void> {
  for (let first = 0; first < peers.length; first += SENDERS_PER_TICK) {
    for (const peer of peers.slice(first, first + SENDERS_PER_TICK)) {
      for (let seq = 0; seq < messages; seq++) peer.ws.send(signalFrame(peer, seq));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return () => {};
}

/** Starts each peer's timer; returns how to stop them all. */
function sendPaced(peers: Peer[], { messages, intervalMs }: Pace): () => void {
  const timers = new Set<NodeJS.Timeout>();
  peers.forEach((peer, index) => {
    let seq = 0;
    const tick = () => {
      peer.ws.send(signalFrame(peer, seq++));
      if (seq < messages) timers.add(setTimeout(tick, intervalMs));
    };
    timers.add(setTimeout(tick, (index / peers.length) * intervalMs));
  });
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}

/** Several runs of the same load as one: counts and times added up, latencies pooled. */
export function pool(results: LoadResult[]): LoadResult {
  const latencies = new Float64Array(results.reduce((sum, r) => sum + r.latenciesMs.length, 0));
  let offset = 0;
  for (const r of results) {
    latencies.set(r.latenciesMs, offset);
    offset += r.latenciesMs.length;
  }
  const sum = (pick: (r: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    expected: sum((r) => r.expected),
    delivered: sum((r) => r.delivered),
    wrong: sum((r) => r.wrong),
    samples: results.flatMap((r) => r.samples).slice(0, 3),
    latenciesMs: latencies.sort(),
    seconds: sum((r) => r.seconds),
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
