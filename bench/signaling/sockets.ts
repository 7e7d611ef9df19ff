/** WebSocket plumbing for `npm run bench:signaling`: opening, setup replies, pools, closing. */
import WebSocket from 'ws';

/** Generous: on a loaded machine opening 2,000 sockets at 50 rooms at a time can take minutes. */
const SETUP_TIMEOUT_MS = 120_000;
/** The room's answer to a keep-alive PING (targets.ts), never part of the load. */
export const PONG = 'pong';

export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // No compression: we measure relaying, not zlib (the same for both targets either way).
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: SETUP_TIMEOUT_MS });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`${url}: HTTP ${response.statusCode}`)));
  });
}

/** The next message of `type` on the socket (setup only: welcome, peer-joined). */
export function nextOfType<T>(ws: WebSocket, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} in time`)), SETUP_TIMEOUT_MS);
    const listener = (data: WebSocket.RawData) => {
      const text = String(data);
      if (text === PONG || (JSON.parse(text) as { type: string }).type !== type) return;
      clearTimeout(timer);
      ws.off('message', listener);
      resolve(JSON.parse(text) as T);
    };
    ws.on('message', listener);
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Closes the sockets and waits (briefly) for the closes to complete. */
export async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 5_000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000);
        }),
    ),
  );
}
