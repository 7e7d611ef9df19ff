import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, PING, PING_INTERVAL_MS, PONG, PROTOCOL_VERSION } from '../../../protocol/signaling.ts';
import { FakeSocket } from '../testing/fake-socket.ts';
import { SILENCE_LIMIT_MS, SignalingClient, type SocketLike } from './client.ts';

function client() {
  const sockets: FakeSocket[] = [];
  const signaling = new SignalingClient(
    'ws://x/api/rooms/r/ws',
    () => {},
    () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as SocketLike;
    },
  );
  const messages: unknown[] = [];
  const closes: unknown[] = [];
  signaling.on('message', (message) => messages.push(message));
  signaling.on('close', (close) => closes.push(close));
  return { signaling, sockets, messages, closes };
}

const media = { mic: true, camera: false, screen: false };
const welcome = { type: 'welcome', version: PROTOCOL_VERSION, peerId: 'p1', peer: null, polite: true };

afterEach(() => vi.useRealTimers());

describe('signaling client', () => {
  it('takes a socket that opened before it (room-socket.ts): it hears open and joins on it', async () => {
    const early = new FakeSocket();
    early.open();
    const signaling = new SignalingClient(
      'ws://x/api/rooms/r/ws',
      () => {},
      () => early as unknown as SocketLike,
    );
    const opened = new Promise((resolve) => signaling.on('open', resolve));
    signaling.preconnect();
    signaling.connect(() => media);
    await opened;
    expect(early.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media }]);
  });

  it('joins with the media state of the moment the socket opens', () => {
    const { signaling, sockets } = client();
    let current = media;
    signaling.connect(() => current);
    current = { ...media, camera: true };
    sockets[0]?.open();
    expect(sockets[0]?.sent.map((s) => JSON.parse(s))).toEqual([
      { type: 'join', version: PROTOCOL_VERSION, media: { mic: true, camera: true, screen: false } },
    ]);
  });

  it('preconnects without a seat: nothing is sent until connect joins on that same socket', () => {
    const { signaling, sockets } = client();
    signaling.preconnect();
    const socket = sockets[0] as FakeSocket;
    socket.open();
    expect(signaling.send({ type: 'bye' })).toBe(false);
    expect(socket.messages()).toEqual([]);
    signaling.connect(() => media);
    expect(sockets).toHaveLength(1);
    expect(signaling.send({ type: 'bye' })).toBe(true);
    expect(socket.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media }, { type: 'bye' }]);
  });

  it('joins on a preconnected socket still opening as soon as it opens, with an offer if there is one', () => {
    const { signaling, sockets } = client();
    signaling.preconnect();
    const offer = { type: 'offer', sdp: 'v=0' } as const;
    signaling.connect(
      () => media,
      () => offer,
    );
    expect(sockets).toHaveLength(1);
    sockets[0]?.open();
    expect(sockets[0]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media, offer }]);
  });

  it('pings every PING_INTERVAL_MS while open, and stops when closed', () => {
    vi.useFakeTimers();
    const { signaling, sockets } = client();
    signaling.connect(() => media);
    sockets[0]?.open();
    for (const _ of [1, 2]) {
      vi.advanceTimersByTime(PING_INTERVAL_MS);
      sockets[0]?.receive(PONG);
    }
    expect(sockets[0]?.sent.filter((s) => s === PING)).toHaveLength(2);
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(PING_INTERVAL_MS * 2);
    expect(sockets[0]?.sent.filter((s) => s === PING)).toHaveLength(2);
  });

  it('passes on valid messages and drops everything else', () => {
    const { signaling, sockets, messages } = client();
    signaling.connect(() => media);
    const socket = sockets[0] as FakeSocket;
    socket.open();
    socket.receive(PONG);
    socket.receive('not json');
    socket.receive({ type: 'welcome', peerId: 'p1' });
    socket.receive(JSON.stringify({ ...welcome, extra: 1 }));
    socket.receive(new ArrayBuffer(4));
    socket.receive(JSON.stringify(welcome));
    socket.receive(JSON.stringify({ type: 'room-full' }));
    expect(messages).toEqual([welcome, { type: 'room-full' }]);
  });

  it('reports why the room closed the socket', () => {
    const { signaling, sockets, closes } = client();
    signaling.connect(() => media);
    sockets[0]?.open();
    sockets[0]?.drop(CloseCode.RoomFull);
    signaling.connect(() => media);
    sockets[1]?.open();
    sockets[1]?.drop(CloseCode.Replaced);
    expect(closes).toEqual([
      { code: CloseCode.RoomFull, reason: 'room-full' },
      { code: CloseCode.Replaced, reason: 'replaced' },
    ]);
  });

  it('closes on purpose without a close event, and ignores the old socket after reconnecting', () => {
    const { signaling, sockets, closes, messages } = client();
    signaling.connect(() => media);
    sockets[0]?.open();
    signaling.connect(() => media);
    sockets[0]?.receive(JSON.stringify(welcome));
    sockets[0]?.drop(1006);
    expect(messages).toEqual([]);
    sockets[1]?.open();
    signaling.close();
    expect(sockets[1]?.closedWith).toBe(CloseCode.Normal);
    expect(closes).toEqual([]);
  });

  it('reconnects after a dropped line, with backoff, and rejoins with the peer id it had', () => {
    vi.useFakeTimers();
    const { signaling, sockets, closes } = client();
    signaling.connect(() => media);
    sockets[0]?.open();
    sockets[0]?.receive(welcome);
    sockets[0]?.drop(1006);
    expect(closes).toEqual([{ code: 1006, reason: 'lost' }]);
    vi.advanceTimersByTime(500);
    sockets[1]?.drop(1006);
    // The second retry waits longer than the first ever does.
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(501);
    sockets[2]?.open();
    expect(sockets[2]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media, resume: 'p1' }]);
  });

  it('sends its offer with the first join only: a rejoin resumes the running connection', () => {
    vi.useFakeTimers();
    const { signaling, sockets } = client();
    const offer = { type: 'offer', sdp: 'v=0' } as const;
    signaling.connect(
      () => media,
      () => offer,
    );
    sockets[0]?.open();
    sockets[0]?.receive(welcome);
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(500);
    sockets[1]?.open();
    expect(sockets[0]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media, offer }]);
    expect(sockets[1]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media, resume: 'p1' }]);
  });

  it('reopens a dropped lobby socket without taking a seat, and joins on it later', () => {
    vi.useFakeTimers();
    const { signaling, sockets } = client();
    signaling.preconnect();
    sockets[0]?.open();
    sockets[0]?.drop(1006);
    vi.advanceTimersByTime(500);
    sockets[1]?.open();
    expect(sockets[1]?.messages()).toEqual([]);
    signaling.connect(() => media);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media }]);
  });

  it('joins at once when the lobby socket dropped, and the retry that was pending never replaces that socket', () => {
    vi.useFakeTimers();
    const { signaling, sockets } = client();
    signaling.preconnect();
    sockets[0]?.open();
    sockets[0]?.drop(1006);
    signaling.connect(() => media);
    sockets[1]?.open();
    vi.advanceTimersByTime(5_000); // past any first retry, within the silence limit
    expect(sockets).toHaveLength(2);
    expect(sockets[1]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media }]);
  });

  it.each([CloseCode.RoomFull, CloseCode.Replaced, CloseCode.UnsupportedVersion, CloseCode.PolicyViolation])(
    'never reconnects after close code %i',
    (code) => {
      vi.useFakeTimers();
      const { signaling, sockets } = client();
      signaling.connect(() => media);
      sockets[0]?.open();
      sockets[0]?.drop(code);
      vi.advanceTimersByTime(60_000);
      expect(sockets).toHaveLength(1);
    },
  );

  it('treats a line with no PONG for SILENCE_LIMIT_MS as dropped', () => {
    vi.useFakeTimers();
    const { signaling, sockets, closes } = client();
    signaling.connect(() => media);
    sockets[0]?.open();
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    sockets[0]?.receive(PONG);
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    expect(closes).toEqual([]);
    vi.advanceTimersByTime(SILENCE_LIMIT_MS);
    expect(closes).toEqual([{ code: 1006, reason: 'lost' }]);
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
  });

  it('stops a scheduled reconnect when closed on purpose', () => {
    vi.useFakeTimers();
    const { signaling, sockets } = client();
    signaling.connect(() => media);
    sockets[0]?.drop(1006);
    signaling.close();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('sends only while open', () => {
    const { signaling, sockets } = client();
    expect(signaling.send({ type: 'bye' })).toBe(false);
    signaling.connect(() => media);
    expect(signaling.send({ type: 'bye' })).toBe(false);
    sockets[0]?.open();
    expect(signaling.send({ type: 'media', media })).toBe(true);
    expect(JSON.parse(sockets[0]?.sent.at(-1) ?? '')).toEqual({ type: 'media', media });
  });
});
