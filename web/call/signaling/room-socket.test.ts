import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../testing/fake-socket.ts';
import { openEarly, roomSocketUrl, takeEarly } from './room-socket.ts';

/** The browser's WebSocket, played by a FakeSocket that remembers its URL and whether it was closed. */
class UrlSocket extends FakeSocket {
  static made: UrlSocket[] = [];
  closed = false;

  constructor(readonly url: string) {
    super();
    UrlSocket.made.push(this);
  }

  override close(code?: number): void {
    super.close(code);
    this.closed = true;
  }
}

const ORIGIN = 'http://app.test';

beforeEach(() => {
  UrlSocket.made = [];
  vi.stubGlobal('WebSocket', UrlSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe('roomSocketUrl', () => {
  it('uses ws: on http and wss: on https, and escapes the id', () => {
    expect(roomSocketUrl('http://localhost:5173', 'abc')).toBe('ws://localhost:5173/api/rooms/abc/ws');
    expect(roomSocketUrl('https://edgecall.example', 'a/b')).toBe('wss://edgecall.example/api/rooms/a%2Fb/ws');
  });
});

describe('the early room socket', () => {
  it('is taken once, by the client of its room', () => {
    openEarly(ORIGIN, 'room-1');
    const url = roomSocketUrl(ORIGIN, 'room-1');
    expect(takeEarly(url)).toBe(UrlSocket.made[0]);
    expect(takeEarly(url)).toBeUndefined();
    expect(UrlSocket.made[0]?.closed).toBe(false);
  });

  it('is closed, without a code (not a bye), when another room’s client asks', () => {
    openEarly(ORIGIN, 'room-1');
    expect(takeEarly(roomSocketUrl(ORIGIN, 'room-2'))).toBeUndefined();
    expect(UrlSocket.made[0]).toMatchObject({ closed: true, closedWith: undefined });
  });

  it('is not taken once it has closed (a signed-out visitor’s upgrade is refused)', () => {
    openEarly(ORIGIN, 'room-1');
    UrlSocket.made[0]?.drop(1006);
    expect(takeEarly(roomSocketUrl(ORIGIN, 'room-1'))).toBeUndefined();
  });
});
