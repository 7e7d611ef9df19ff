/**
 * The engine's side of standing by (protocol/signaling.ts, Standby), on fakes: a callee's ringing
 * tab connects to the seated caller with no seat and no tracks, and Accept takes the seat on that
 * same socket and connection; the caller keeps one link per standby, none of them sending its
 * tracks, and makes the one whose connection takes the seat the call's.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, type Peer, PROTOCOL_VERSION } from '../../protocol/signaling.ts';
import type { CallEngine } from './call.ts';
import type { LocalMediaState } from './media/local-media.ts';
import { makeEngine } from './testing/fake-engine.ts';
import type { FakeSocket } from './testing/fake-socket.ts';

const caller: Peer = {
  peerId: 'c1',
  userId: 'u-c',
  username: 'carol',
  media: { mic: true, camera: true, screen: false },
};
const standbyPeer = (peerId: string): Peer => ({
  peerId,
  userId: 'u-d',
  username: 'dave',
  media: { mic: false, camera: false, screen: false },
});
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } as const;
const answer = { kind: 'description', description: { type: 'answer', sdp: 'v=0' } } as const;
const standingBy = (peer: Peer | null) => ({
  type: 'standing-by',
  version: PROTOCOL_VERSION,
  peerId: 's1',
  peer,
  polite: true,
});
const tracksOf = (sent: LocalMediaState[]) => sent.map(({ mic, camera }) => [mic?.kind, camera?.kind]);

/** An engine whose first socket opened while `begin` ran. */
async function opened(begin: (engine: CallEngine) => Promise<void>) {
  const made = makeEngine();
  const begun = begin(made.engine);
  const socket = made.sockets[0] as FakeSocket;
  socket.open();
  await begun;
  return { ...made, socket };
}

const standingCallee = () => opened((engine) => engine.standBy());

async function seatedCaller() {
  const made = await opened((engine) => engine.join());
  made.socket.receive({ type: 'welcome', version: PROTOCOL_VERSION, peerId: 'c1', peer: null, polite: false });
  return made;
}

describe('a callee standing by', () => {
  it('stands by on the room socket with an offering link that carries no tracks', async () => {
    const { engine, socket, links } = await standingCallee();
    expect(socket.messages()).toEqual([{ type: 'standby', version: PROTOCOL_VERSION }]);
    expect(engine.standingBy).toBe(true);
    socket.receive(standingBy(caller));
    expect(links).toHaveLength(1);
    expect(links[0]?.options.offer).toBe(true);
    // Its signals go to the caller, and the caller's come to it.
    links[0]?.options.send(offer);
    socket.receive({ type: 'signal', from: 'c1', signal: answer });
    expect(socket.messages().slice(1)).toEqual([{ type: 'signal', signal: offer }]);
    expect(links[0]?.signals).toEqual([answer]);
    expect(engine.state.phase).toBe('idle');
    // The devices the fake has open never reach the senders before Accept.
    expect(
      tracksOf(links[0]?.sent ?? [])
        .flat()
        .filter(Boolean),
    ).toEqual([]);
  });

  it('answers on the same socket and link: tracks on at once, seated with its standby peer id', async () => {
    const { engine, socket, sockets, links } = await standingCallee();
    socket.receive(standingBy(caller));
    links[0]?.options.send(offer);
    await engine.join();
    expect(sockets).toHaveLength(1);
    expect(socket.messages().at(-1)).toEqual({
      type: 'join',
      version: PROTOCOL_VERSION,
      media: { mic: true, camera: true, screen: false },
    });
    expect(tracksOf(links[0]?.sent ?? []).at(-1)).toEqual(['audio', 'video']);
    socket.receive({ type: 'welcome', version: PROTOCOL_VERSION, peerId: 's1', peer: caller, polite: true });
    expect(links).toHaveLength(1);
    expect(links[0]?.closed).toBe(false);
    expect(links[0]?.offeredAgain).toBe(0);
    expect(engine.state).toMatchObject({ phase: 'in-call', peer: { peerId: 'c1', presence: 'here' } });
  });

  it('offers again once a caller who was not seated yet sits down', async () => {
    const { socket, links } = await standingCallee();
    socket.receive(standingBy(null));
    expect(links[0]?.closed).toBe(true);
    socket.receive({ type: 'peer-joined', peer: caller, polite: true });
    expect(links).toHaveLength(2);
    expect(links[1]?.options.offer).toBe(true);
  });

  it('announces in its join the devices Accept is opening, before they are open', async () => {
    const { engine, socket, media } = await standingCallee();
    media.change({ mic: undefined, camera: undefined, starting: true });
    socket.receive(standingBy(caller));
    await engine.join({ mic: true, camera: true, screen: false });
    expect(socket.messages().at(-1)).toMatchObject({ type: 'join', media: { mic: true, camera: true } });
    socket.receive({ type: 'welcome', version: PROTOCOL_VERSION, peerId: 's1', peer: caller, polite: true });
    // The microphone opens first: the caller hears nothing until both are, and then nothing new.
    media.change({ mic: { kind: 'audio' } as MediaStreamTrack });
    media.change({ camera: { kind: 'video' } as MediaStreamTrack, starting: false });
    expect(socket.messages().filter((message) => (message as { type: string }).type === 'media')).toEqual([]);
  });

  it('makes a new link when it stands by again (a reconnect), and keeps it when the caller comes back', async () => {
    const { socket, links } = await standingCallee();
    socket.receive(standingBy(caller));
    socket.receive(standingBy(caller));
    expect(links.map((link) => link.closed)).toEqual([true, false]);
    // The caller's socket reconnected: same peer id, same connection on both sides.
    socket.receive({ type: 'peer-joined', peer: caller, polite: true });
    expect(links).toHaveLength(2);
  });

  it('ends when another tab of the user answered', async () => {
    const { engine, socket } = await standingCallee();
    socket.drop(CloseCode.AnsweredElsewhere);
    expect(engine.state).toMatchObject({ phase: 'ended', ended: 'answered-elsewhere' });
  });
});

describe('a caller with standbys', () => {
  it('keeps an answering link per standby, sending no tracks, addressed to it', async () => {
    const { socket, links } = await seatedCaller();
    const warm = links.length;
    socket.receive({ type: 'standby-joined', peer: standbyPeer('s1'), polite: false });
    socket.receive({ type: 'standby-joined', peer: standbyPeer('s2'), polite: false });
    const [first, second] = links.slice(warm);
    expect(first?.options.offer).toBe(false);
    socket.receive({ type: 'signal', from: 's1', signal: offer });
    expect(first?.signals).toEqual([offer]);
    expect(second?.signals).toEqual([]);
    first?.options.send(answer);
    expect(socket.messages().at(-1)).toEqual({ type: 'signal', signal: answer, to: 's1' });
    expect(first?.options.media().camera).toBeUndefined();
    // Introduced again after our socket reconnected: the same connection.
    socket.receive({ type: 'standby-joined', peer: standbyPeer('s1'), polite: false });
    expect(links.slice(warm)).toHaveLength(2);
    socket.receive({ type: 'standby-left', peerId: 's2' });
    expect(second?.closed).toBe(true);
  });

  it('puts its tracks on a standby the moment it answers, before the room seats it', async () => {
    const { engine, socket, links } = await seatedCaller();
    socket.receive({ type: 'standby-joined', peer: standbyPeer('s1'), polite: false });
    const standby = links.at(-1);
    const opening = { mic: true, camera: true, screen: false };
    socket.receive({ type: 'standby-answering', peerId: 's1', media: opening });
    expect(engine.peerConnection).toBe(standby?.pc);
    expect(tracksOf(standby?.sent ?? []).at(-1)).toEqual(['audio', 'video']);
    expect(engine.state).toMatchObject({ phase: 'in-call', peer: { peerId: 's1', presence: 'here', media: opening } });
    socket.receive({ type: 'peer-joined', peer: standbyPeer('s1'), polite: false });
    expect(engine.peerConnection).toBe(standby?.pc);
    expect(standby?.closed).toBe(false);
  });

  it('makes the standby that took the seat the call, with its tracks, and lets the others go', async () => {
    const { engine, socket, links } = await seatedCaller();
    const warm = links[0];
    const pcs: unknown[] = [];
    engine.on('peer-connection', (pc) => pcs.push(pc));
    socket.receive({ type: 'standby-joined', peer: standbyPeer('s1'), polite: false });
    socket.receive({ type: 'standby-joined', peer: standbyPeer('s2'), polite: false });
    const [first, second] = links.slice(1);
    expect(pcs).toEqual([]);

    socket.receive({ type: 'peer-joined', peer: standbyPeer('s2'), polite: false });
    expect(links).toHaveLength(3);
    expect(engine.peerConnection).toBe(second?.pc);
    expect(pcs).toEqual([second?.pc]);
    expect(tracksOf(second?.sent ?? []).at(-1)).toEqual(['audio', 'video']);
    expect([warm?.closed, first?.closed, second?.closed]).toEqual([true, true, false]);
    expect(engine.state).toMatchObject({ phase: 'in-call', peer: { peerId: 's2' } });
    socket.receive({ type: 'signal', from: 's2', signal: offer });
    expect(second?.signals).toEqual([offer]);
  });
});
