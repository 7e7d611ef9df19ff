import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, type Peer, PROTOCOL_VERSION } from '../../protocol/signaling.ts';
import { DISCONNECTED_GRACE_MS } from './link/ice-restarts.ts';
import { type FakeLink, makeEngine } from './testing/fake-engine.ts';
import type { FakeSocket } from './testing/fake-socket.ts';

async function setup(options: { relay?: boolean } = {}) {
  const { engine, sockets, links, media, ice } = makeEngine(options);
  const joined = engine.join();
  // The ICE servers are fetched once the socket is open, and the join waits for them.
  const socket = sockets[0] as FakeSocket;
  socket.open();
  await joined;
  return { engine, socket, sockets, links, media, ice };
}

const alice: Peer = {
  peerId: 'a1',
  userId: 'u-a',
  username: 'alice',
  media: { mic: true, camera: true, screen: false },
};
const welcome = (peer: Peer | null, polite = true) => ({
  type: 'welcome',
  version: PROTOCOL_VERSION,
  peerId: 'b1',
  peer,
  polite,
});
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } as const;
const candidate = {
  kind: 'candidate',
  candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
} as const;

afterEach(() => vi.useRealTimers());

describe('call engine', () => {
  it('joins with the current media and waits alone', async () => {
    const { engine, socket } = await setup();
    expect(socket.messages()).toEqual([
      { type: 'join', version: PROTOCOL_VERSION, media: { mic: true, camera: true, screen: false } },
    ]);
    socket.receive(welcome(null));
    expect(engine.state).toMatchObject({ phase: 'waiting', signaling: 'open', relayOnly: true });
  });

  it('connects to a seated peer with the role the room gives, relay-only when switched on', async () => {
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice, true));
    expect(links).toHaveLength(1);
    expect(links[0]?.options).toMatchObject({ polite: true, configuration: { iceTransportPolicy: 'relay' } });
    expect(engine.state).toMatchObject({ phase: 'in-call', peer: { username: 'alice', presence: 'here' } });
  });

  it('lets the newcomer offer: the side already there answers on the link it made while waiting', async () => {
    const newcomer = await setup();
    newcomer.socket.receive(welcome(alice, true));
    expect(newcomer.links[0]?.options).toMatchObject({ offer: true });

    const { engine, socket, links } = await setup();
    const remotes: unknown[] = [];
    engine.on('remote', (remote) => remotes.push(remote));
    socket.receive(welcome(null));
    expect(links[0]?.options).toMatchObject({ offer: false });
    socket.receive({ type: 'peer-joined', peer: alice, polite: false });
    // Its tracks come with their offer: until then nothing is announced, least of all "closed".
    expect(remotes).toEqual([]);
    socket.receive({ type: 'signal', from: 'a1', signal: offer });
    expect(links).toHaveLength(1);
    expect(links[0]?.signals).toEqual([offer]);
  });

  it('prepares in the lobby: a socket without a seat, and an offer held until it rides in the join', async () => {
    const { engine, sockets, links } = makeEngine();
    const prepared = engine.prepare();
    const socket = sockets[0] as FakeSocket;
    socket.open();
    await prepared;
    expect(socket.messages()).toEqual([]);
    expect(links[0]?.options).toMatchObject({ offer: true });
    links[0]?.options.send(offer);
    links[0]?.options.send(candidate);
    expect(socket.messages()).toEqual([]);

    await engine.join();
    expect(sockets).toHaveLength(1);
    // One offer, with the candidates gathered so far in its SDP; later candidates trickle.
    expect(socket.messages()).toEqual([
      {
        type: 'join',
        version: PROTOCOL_VERSION,
        media: expect.any(Object),
        offer: { type: 'offer', sdp: 'v=0 with candidates' },
      },
    ]);
    socket.receive(welcome(alice, true));
    links[0]?.options.send(candidate);
    expect(socket.messages().slice(1)).toEqual([{ type: 'signal', signal: candidate }]);
    expect(links).toHaveLength(1);
    expect(engine.state).toMatchObject({ phase: 'in-call', signaling: 'open' });
  });

  it('waits for an offer the lobby’s link is still making, so that it rides in the join', async () => {
    const { engine, sockets, links } = makeEngine();
    const prepared = engine.prepare();
    const socket = sockets[0] as FakeSocket;
    socket.open();
    await prepared;
    // As a real link just after the ICE servers came: its offer is not set yet.
    const link = links[0] as FakeLink;
    link.pc.signalingState = 'stable';
    link.pc.localDescription = null;
    const joined = engine.join();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(socket.messages()).toEqual([]);
    link.pc.signalingState = 'have-local-offer';
    link.pc.localDescription = { type: 'offer', sdp: 'v=0 with candidates' } as RTCSessionDescription;
    link.options.send(offer);
    await joined;
    expect(socket.messages()).toEqual([
      expect.objectContaining({ type: 'join', offer: { type: 'offer', sdp: 'v=0 with candidates' } }),
    ]);
  });

  it('makes every link with this browser’s certificate, loaded while the ICE servers are fetched', async () => {
    let loaded: (certificate: RTCCertificate) => void = () => {};
    const certificate = { expires: 1 } as RTCCertificate;
    const { engine, sockets, links } = makeEngine({ certificate: new Promise((resolve) => (loaded = resolve)) });
    const prepared = engine.prepare();
    (sockets[0] as FakeSocket).open();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // ICE servers known, certificate still loading: no link yet, or it would present another one.
    expect(links).toHaveLength(0);
    loaded(certificate);
    await prepared;
    expect(links[0]?.options.configuration.certificates).toEqual([certificate]);
  });

  it('drops the lobby’s link when the room is empty, and answers on one made while waiting', async () => {
    const { engine, sockets, links } = makeEngine();
    const prepared = engine.prepare();
    const socket = sockets[0] as FakeSocket;
    socket.open();
    await prepared;
    await engine.join();
    links[0]?.options.send(offer);
    socket.receive(welcome(null));
    expect(links[0]?.closed).toBe(true);
    expect(links[1]?.options).toMatchObject({ offer: false });
    socket.receive({ type: 'peer-joined', peer: alice, polite: true });
    expect(links).toHaveLength(2);
    expect(socket.messages().filter((m) => (m as { type: string }).type === 'signal')).toEqual([]);
  });

  it('asks for ICE servers only once the room socket is open, and again on a reopen when they have gone stale', async () => {
    vi.useFakeTimers();
    const { engine, sockets, links, fetched } = makeEngine();
    const prepared = engine.prepare();
    await vi.advanceTimersByTimeAsync(1_000);
    // The server hands TURN credentials only to a user with a socket in the room.
    expect(fetched()).toBe(0);
    expect(links).toHaveLength(0);
    sockets[0]?.open();
    await prepared;
    expect(fetched()).toBe(1);
    expect(links).toHaveLength(1);

    // A lobby closed for never joining is not reopened by itself; the join opens a new socket.
    // Nor does anything poll for credentials meanwhile: they would be refused.
    sockets[0]?.drop(CloseCode.LobbyTimeout);
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(sockets).toHaveLength(1);
    expect(fetched()).toBe(1);
    await engine.join();
    expect(sockets).toHaveLength(2);
    sockets[1]?.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetched()).toBe(2);
    expect(engine.state.phase).toBe('joining');
    engine.hangUp();
    vi.useRealTimers();
  });

  it.each([
    [CloseCode.SessionEnded, 'signed-out'],
    [CloseCode.TooManySockets, 'too-many-sockets'],
  ] as const)('ends on close code %i (%s), without reconnecting', async (code, ended) => {
    const { engine, socket, sockets } = await setup();
    socket.drop(code);
    expect(engine.state).toMatchObject({ phase: 'ended', ended });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sockets).toHaveLength(1);
  });

  it('joins on a new socket when the lobby’s has dropped', async () => {
    const { engine, sockets } = makeEngine();
    const prepared = engine.prepare();
    sockets[0]?.open();
    await prepared;
    sockets[0]?.drop(1006);
    await engine.join();
    expect(sockets).toHaveLength(2);
    sockets[1]?.open();
    expect(sockets[1]?.messages()).toEqual([{ type: 'join', version: PROTOCOL_VERSION, media: expect.any(Object) }]);
    expect(engine.state).toMatchObject({ phase: 'joining', signaling: 'open' });
  });

  it('passes on only the current peer’s signals and sends ours through the room', async () => {
    const { socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.receive({ type: 'signal', from: 'someone-else', signal: offer });
    socket.receive({ type: 'signal', from: 'a1', signal: offer });
    expect(links[0]?.signals).toEqual([offer]);
    links[0]?.options.send(offer);
    expect(socket.messages().at(-1)).toEqual({ type: 'signal', signal: offer });
  });

  it('on bye closes the connection and says who left; a return makes a new connection', async () => {
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.receive({ type: 'peer-left', peerId: 'a1', reason: 'bye' });
    expect(links[0]?.closed).toBe(true);
    expect(engine.state).toMatchObject({ phase: 'waiting', peer: { username: 'alice', presence: 'left' } });
    // The link for the next person is made while waiting, and answers their offer.
    expect(links[1]?.options.offer).toBe(false);
    socket.receive({ type: 'peer-joined', peer: { ...alice, peerId: 'a2' }, polite: true });
    expect(links).toHaveLength(2);
    expect(links[1]?.closed).toBe(false);
    expect(engine.state).toMatchObject({ phase: 'in-call', peer: { peerId: 'a2', presence: 'here' } });
  });

  it('keeps the connection when the peer’s socket drops, and replaces it when they reload', async () => {
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.receive({ type: 'peer-left', peerId: 'a1', reason: 'gone' });
    expect(links[0]?.closed).toBe(false);
    expect(engine.state.peer?.presence).toBe('lost');
    // A reloaded page has a new RTCPeerConnection: ours must be new too.
    socket.receive({ type: 'peer-joined', peer: { ...alice, peerId: 'a2' }, polite: true });
    expect(links[0]?.closed).toBe(true);
    expect(links).toHaveLength(2);
  });

  it('keeps the running connection when our own signaling rejoins the same peer', async () => {
    const { socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.receive(welcome(alice));
    expect(links).toHaveLength(1);
    expect(links[0]?.closed).toBe(false);
  });

  it('tells the peer about media changes once each, and moves the new tracks onto the link', async () => {
    const { socket, links, media } = await setup();
    socket.receive(welcome(alice));
    media.change({ micOn: false });
    media.change({ micOn: false, micId: 'other' });
    media.change({ camera: undefined });
    const mediaMessages = socket.messages().filter((m) => (m as { type: string }).type === 'media');
    expect(mediaMessages).toEqual([
      { type: 'media', media: { mic: false, camera: true, screen: false } },
      { type: 'media', media: { mic: false, camera: false, screen: false } },
    ]);
    expect(links[0]?.sent).toHaveLength(3);
  });

  it('shows the peer’s media state as it changes', async () => {
    const { engine, socket } = await setup();
    socket.receive(welcome(alice));
    socket.receive({ type: 'media', from: 'a1', media: { mic: false, camera: true, screen: true } });
    expect(engine.state.peer?.media).toEqual({ mic: false, camera: true, screen: true });
  });

  it('ends with room-full and stops the devices', async () => {
    const { engine, socket, media } = await setup();
    socket.receive({ type: 'room-full' });
    socket.drop(CloseCode.RoomFull);
    expect(engine.state).toMatchObject({ phase: 'ended', ended: 'room-full' });
    expect(media.stopped).toBe(true);
  });

  it('ends when another tab takes the seat', async () => {
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.drop(CloseCode.Replaced);
    expect(engine.state).toMatchObject({ phase: 'ended', ended: 'replaced' });
    expect(links[0]?.closed).toBe(true);
  });

  it('keeps the call when the room connection drops', async () => {
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.drop(1006);
    expect(engine.state).toMatchObject({ phase: 'in-call', signaling: 'lost' });
    expect(links[0]?.closed).toBe(false);
  });

  it('keeps the connection when the peer comes back with the same peer id (their signaling reconnected)', async () => {
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice));
    socket.receive({ type: 'peer-left', peerId: 'a1', reason: 'gone' });
    socket.receive({ type: 'peer-joined', peer: alice, polite: true });
    expect(links).toHaveLength(1);
    expect(links[0]?.closed).toBe(false);
    expect(engine.state.peer?.presence).toBe('here');
  });

  it('reconnects its signaling after a drop and rejoins with its peer id, the call untouched', async () => {
    vi.useFakeTimers();
    const { engine, socket, sockets, links } = await setup();
    socket.receive(welcome(alice));
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    const again = sockets[1] as FakeSocket;
    again.open();
    expect(again.messages()[0]).toMatchObject({ type: 'join', resume: 'b1' });
    again.receive(welcome(alice));
    expect(engine.state).toMatchObject({ phase: 'in-call', signaling: 'open' });
    expect(links).toHaveLength(1);
  });

  it('rejoining alone marks the peer away, keeps the connection, and resumes when they are back', async () => {
    vi.useFakeTimers();
    const { engine, socket, sockets, links } = await setup();
    socket.receive(welcome(alice));
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    sockets[1]?.open();
    sockets[1]?.receive(welcome(null));
    expect(engine.state.peer?.presence).toBe('lost');
    sockets[1]?.receive({ type: 'peer-joined', peer: alice, polite: true });
    expect(engine.state).toMatchObject({ phase: 'in-call', peer: { presence: 'here' } });
    expect(links).toHaveLength(1);
  });

  it('restarts ICE with fresh credentials on the impolite side, and shows reconnecting until connected', async () => {
    vi.useFakeTimers();
    const { engine, socket, links } = await setup();
    socket.receive(welcome(alice, false));
    const link = links[0] as FakeLink;
    link.become('connected');
    link.become('disconnected');
    expect(engine.state).toMatchObject({ connection: 'disconnected', reconnecting: true });
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS);
    expect(link.restarts).toEqual([[{ urls: 'turn:fetch-2' }]]);
    link.become('connected');
    expect(engine.state).toMatchObject({ connection: 'connected', reconnecting: false });
  });

  it('leaves the restart to the impolite side, but gets fresh credentials for it and shows reconnecting too', async () => {
    vi.useFakeTimers();
    const { engine, socket, links, ice } = await setup();
    socket.receive(welcome(alice, true));
    const link = links[0] as FakeLink;
    link.become('connected');
    link.become('disconnected');
    link.become('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(link.restarts).toEqual([]);
    expect(ice.config?.iceServers).toEqual([{ urls: 'turn:fetch-2' }]);
    expect(engine.state.reconnecting).toBe(true);
  });

  it('waiting alone through a signaling blip keeps the link it readied for the newcomer', async () => {
    vi.useFakeTimers();
    const { socket, sockets, links } = await setup();
    socket.receive(welcome(null));
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    sockets[1]?.open();
    sockets[1]?.receive(welcome(null));
    expect(links).toHaveLength(1);
    expect(links[0]?.closed).toBe(false);
  });

  it('offers again when its first offer’s answer was lost with a dropped line', async () => {
    vi.useFakeTimers();
    const { socket, sockets, links } = await setup();
    socket.receive(welcome(alice, true)); // the newcomer offers; polite, so no ICE restart of its own
    const link = links[0] as FakeLink;
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    sockets[1]?.open();
    sockets[1]?.receive(welcome(alice, true));
    expect(links).toHaveLength(1);
    expect(link.offeredAgain).toBe(1);
  });

  it('keeps the connection only for the same person: a peer id claimed by someone else gets a new one', async () => {
    vi.useFakeTimers();
    const { socket, sockets, links } = await setup();
    socket.receive(welcome(alice, true));
    socket.drop(1006);
    await vi.advanceTimersByTimeAsync(500);
    sockets[1]?.open();
    sockets[1]?.receive(welcome({ ...alice, userId: 'u-mallory', username: 'mallory' }, true));
    expect(links).toHaveLength(2);
    expect(links[0]?.closed).toBe(true);
  });

  it('restarts ICE only once the room is back, if it broke while signaling was down', async () => {
    vi.useFakeTimers();
    const { socket, sockets, links } = await setup();
    socket.receive(welcome(alice, false));
    const link = links[0] as FakeLink;
    link.become('connected');
    socket.drop(1006);
    link.become('failed');
    await vi.advanceTimersByTimeAsync(400);
    expect(link.restarts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    sockets[1]?.open();
    sockets[1]?.receive(welcome(alice, false));
    await vi.advanceTimersByTimeAsync(0);
    expect(link.restarts).toHaveLength(1);
  });

  it('says a relay is needed when ICE fails without one, and not when there is one', async () => {
    for (const relay of [false, true]) {
      const { engine, socket, links } = await setup({ relay });
      socket.receive(welcome(alice));
      links[0]?.become('failed');
      expect(engine.state.relayNeeded).toBe(!relay);
    }
  });

  it('hangs up: bye, socket closed, connection closed, devices stopped', async () => {
    const { engine, socket, links, media } = await setup();
    socket.receive(welcome(alice));
    const states = vi.fn();
    engine.on('state', states);
    engine.hangUp();
    expect(socket.messages().at(-1)).toEqual({ type: 'bye' });
    expect(socket.closedWith).toBe(CloseCode.Normal);
    expect(links[0]?.closed).toBe(true);
    expect(media.stopped).toBe(true);
    expect(engine.state).toMatchObject({ phase: 'ended', ended: 'hung-up' });
    engine.hangUp();
    expect(states.mock.calls.filter(([s]) => s.phase === 'ended')).toHaveLength(1);
  });
});
