import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineCloseCode, PING, PING_INTERVAL_MS, PONG } from '../../protocol/user-line.ts';
import { FakeSocket } from '../call/testing/fake-socket.ts';
import { LineClient, lineSocketUrl, SILENCE_LIMIT_MS, type SocketLike } from './line-client.ts';

function client() {
  const sockets: FakeSocket[] = [];
  const line = new LineClient(
    'ws://x/api/line/ws',
    () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as SocketLike;
    },
    {},
  );
  const messages: unknown[] = [];
  line.on('message', (message) => messages.push(message));
  return { line, sockets, messages };
}

const presence = { type: 'presence', contacts: [{ userId: 'u2', presence: 'online' }] };

afterEach(() => vi.useRealTimers());

describe('user line client', () => {
  it('builds the socket URL from the page origin, wss on https', () => {
    expect(lineSocketUrl('https://calls.example.com')).toBe('wss://calls.example.com/api/line/ws');
    expect(lineSocketUrl('http://localhost:5173')).toBe('ws://localhost:5173/api/line/ws');
  });

  it('hands on valid messages and drops anything else', () => {
    const { line, sockets, messages } = client();
    line.start();
    const socket = sockets[0] as FakeSocket;
    socket.open();
    socket.receive(presence);
    socket.receive({ type: 'presence', contacts: [{ userId: 'u2', presence: 'away' }] });
    socket.receive('not json');
    socket.receive(PONG);
    socket.receive({ type: 'call', call: { id: 'c1' } });
    expect(messages).toEqual([presence]);
  });

  it('sends only while open', () => {
    const { line, sockets } = client();
    line.start();
    expect(line.send({ type: 'accept', callId: 'c1' })).toBe(false);
    sockets[0]?.open();
    expect(line.send({ type: 'accept', callId: 'c1' })).toBe(true);
    expect(sockets[0]?.messages()).toEqual([{ type: 'accept', callId: 'c1' }]);
  });

  it('pings, and treats a silent line as dropped: it closes it and opens a new one', () => {
    vi.useFakeTimers();
    const { line, sockets } = client();
    line.start();
    const socket = sockets[0] as FakeSocket;
    socket.open();
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    expect(socket.sent).toEqual([PING]);
    // The next tick finds it silent past the limit: no second PING, a new socket after the backoff.
    expect(SILENCE_LIMIT_MS).toBeLessThan(2 * PING_INTERVAL_MS);
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    expect(socket.sent).toEqual([PING]);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
  });

  it('reconnects with backoff after a drop, the delay starting short again once back', () => {
    vi.useFakeTimers();
    const { line, sockets } = client();
    line.start();
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(499);
    expect(sockets.length).toBeLessThanOrEqual(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.drop(LineCloseCode.Stale);
    vi.advanceTimersByTime(1_000);
    expect(sockets).toHaveLength(3);
    sockets[2]?.open();
    sockets[2]?.drop(LineCloseCode.Unavailable);
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
  });

  it.each([
    LineCloseCode.SessionEnded,
    LineCloseCode.TooManySockets,
    LineCloseCode.PolicyViolation,
    LineCloseCode.MessageTooBig,
    LineCloseCode.RateLimited,
  ])('does not reconnect after close code %i: a retry would get the same answer', (code) => {
    vi.useFakeTimers();
    const { line, sockets } = client();
    line.start();
    sockets[0]?.open();
    sockets[0]?.drop(code);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('stop closes with 1000 and never retries', () => {
    vi.useFakeTimers();
    const { line, sockets } = client();
    line.start();
    sockets[0]?.open();
    line.stop();
    expect(sockets[0]?.closedWith).toBe(1000);
    sockets[0]?.drop(1000);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });
});
