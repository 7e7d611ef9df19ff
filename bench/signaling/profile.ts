/**
 * `--profile <file>` of `npm run bench:signaling`: a CPU profile of the Worker's isolate (the call
 * rooms, the echo rooms and the Worker share it) while one target runs its loads, taken through
 * the DevTools protocol of wrangler's inspector. Timing code inside a Durable Object tells nothing
 * (its clocks stand still while it runs), so this is how to see where the room spends its time.
 * Writes the `.cpuprofile` (Chrome DevTools opens it) and prints the functions with the most self
 * time, by file.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import WebSocket from 'ws';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

const TOP = 30;

/** Connects to the inspector; `stop` ends the profile, writes it and prints the summary. */
export async function startProfile(inspectorUrl: URL, file: string): Promise<{ stop(): Promise<void> }> {
  const ws = new WebSocket(new URL('/ws', inspectorUrl).href.replace(/^http/, 'ws'), {
    headers: { origin: 'http://localhost' },
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: unknown) => void);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 500 });
  await call('Profiler.start');
  return {
    async stop() {
      const { profile } = await call<{ profile: CpuProfile }>('Profiler.stop');
      ws.close();
      writeFileSync(file, JSON.stringify(profile));
      summarize(profile);
    },
  };
}

function summarize(profile: CpuProfile): void {
  const hits = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    total += count;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    hits.set(key, (hits.get(key) ?? 0) + count);
  }
  console.log(`\nCPU profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s; self time, top ${TOP}:`);
  for (const [key, count] of [...hits].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
}
