/** Writing to a line's tabs, which may be closing at any moment (a failed write is no error), and its log lines. */
import type { LineServerMessage } from '../../protocol/user-line.ts';
import { errorFacts } from '../http/errors.ts';

export function sendLine(ws: WebSocket, message: LineServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {}
}

export function sendToAll(tabs: WebSocket[], message: LineServerMessage): void {
  const frame = JSON.stringify(message);
  for (const ws of tabs) {
    try {
      ws.send(frame);
    } catch {}
  }
}

/** A failure worth a log line: its facts only (never a stack, a token or a body). */
export function lineLog(event: string, error: unknown): void {
  console.error(JSON.stringify({ event, ...errorFacts(error) }));
}
