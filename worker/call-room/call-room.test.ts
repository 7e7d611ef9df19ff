/**
 * The room's behaviour, through real WebSockets into the Durable Object. Sockets are opened the
 * way the Worker opens them (routes.test.ts covers the Worker's own checks), with made-up users:
 * the room trusts the Worker and never looks them up.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  isPolite,
  JOIN_RECHECK_AFTER_MS,
  LIVENESS_WINDOW_MS,
  MAX_MESSAGE_BURST,
  MAX_MESSAGE_BYTES,
  type MediaState,
  PROTOCOL_VERSION,
  type Signal,
} from '../../protocol/signaling.ts';
import { newRoomId } from '../rooms/ids.ts';
import { openedEarlier, quietFor } from '../test-support/room-clock.ts';
import { connectDirectly, NO_MEDIA, type RoomSocket, type RoomUser } from '../test-support/room-socket.ts';

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });
const offer: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0 offer' } };
const answer: Signal = { kind: 'description', description: { type: 'answer', sdp: 'v=0 answer' } };
const candidate: Signal = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } };
const CAMERA_ON: MediaState = { mic: true, camera: true, screen: false };

async function seat(roomId: string, user: RoomUser, media = NO_MEDIA) {
  const socket = await connectDirectly(roomId, user);
  return { socket, welcome: await socket.join(media) };
}

/** A room with two seated people; `a` has already read `b`'s arrival. */
async function pair(roomId = newRoomId()) {
  const alice = person('alice');
  const bob = person('bob');
  const a = await seat(roomId, alice);
  const b = await seat(roomId, bob);
  await a.socket.next('peer-joined');
  return { roomId, alice, bob, a: a.socket, b: b.socket, aPeerId: a.welcome.peerId, bPeerId: b.welcome.peerId };
}

/** Nothing else has arrived: each socket's PING comes back as the very next frame. */
async function expectNothingMore(...sockets: RoomSocket[]) {
  for (const socket of sockets) {
    socket.send('ping');
    expect(await socket.nextRaw()).toBe('pong');
  }
}

describe('joining', () => {
  it('welcomes the first peer alone and introduces the second, with opposite roles from the user ids', async () => {
    const roomId = newRoomId();
    const alice = person('alice');
    const bob = person('bob');
    const a = await seat(roomId, alice, CAMERA_ON);
    expect(a.welcome).toMatchObject({ version: PROTOCOL_VERSION, peer: null, polite: false });

    const b = await seat(roomId, bob);
    expect(b.welcome.peer).toEqual({ peerId: a.welcome.peerId, userId: alice.id, username: 'alice', media: CAMERA_ON });
    expect(b.welcome.polite).toBe(isPolite(bob.id, alice.id));

    const joined = await a.socket.next('peer-joined');
    expect(joined.peer).toEqual({ peerId: b.welcome.peerId, userId: bob.id, username: 'bob', media: NO_MEDIA });
    expect(joined.polite).toBe(!b.welcome.polite);
    expect(a.welcome.peerId).not.toBe(b.welcome.peerId);
  });

  it('seats nobody for a socket that has not joined (a lobby), which hears nothing until it does', async () => {
    const roomId = newRoomId();
    const lobby = await connectDirectly(roomId, person('carol'));
    const a = await seat(roomId, person('alice'));
    const b = await seat(roomId, person('bob'));
    expect(a.welcome.peer).toBeNull();
    expect(b.welcome.peer?.peerId).toBe(a.welcome.peerId);
    await a.socket.next('peer-joined');
    await expectNothingMore(lobby);
    lobby.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect(await lobby.next('room-full')).toEqual({ type: 'room-full' });
  });

  it('hands an offer sent with join to the seated peer right after peer-joined, and drops it when alone', async () => {
    const roomId = newRoomId();
    const sdpOffer = { type: 'offer', sdp: 'v=0 offer' } as const;
    const alone = await connectDirectly(roomId, person('alice'));
    alone.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA, offer: sdpOffer });
    await alone.next('welcome');
    await expectNothingMore(alone);

    const newcomer = await connectDirectly(roomId, person('bob'));
    newcomer.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA, offer: sdpOffer });
    const welcome = await newcomer.next('welcome');
    expect(await alone.next('peer-joined')).toMatchObject({ peer: { peerId: welcome.peerId } });
    expect(await alone.next('signal')).toEqual({ type: 'signal', from: welcome.peerId, signal: offer });
    await expectNothingMore(alone, newcomer);
  });

  it('tells a late joiner the media state the other peer announced', async () => {
    const roomId = newRoomId();
    const a = await seat(roomId, person('alice'));
    a.socket.send({ type: 'media', media: { mic: true, camera: false, screen: true } });
    const b = await seat(roomId, person('bob'));
    expect(b.welcome.peer?.media).toEqual({ mic: true, camera: false, screen: true });
  });

  it('handles a message sent right after a join once that join is done, even when the join awaits its session check', async () => {
    const roomId = newRoomId();
    const [alice, bob] = [person('alice'), person('bob')];
    const a = await seat(roomId, alice);
    const b = await connectDirectly(roomId, bob);
    // Checked in Postgres again at join (JOIN_RECHECK_AFTER_MS): the join awaits the database.
    await openedEarlier(roomId, bob.id, JOIN_RECHECK_AFTER_MS);
    b.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    b.send({ type: 'signal', signal: offer });
    const { peerId } = await b.next('welcome');
    expect((await a.socket.next('peer-joined')).peer.peerId).toBe(peerId);
    expect(await a.socket.next('signal')).toEqual({ type: 'signal', from: peerId, signal: offer });
    await expectNothingMore(a.socket, b);
  });

  it('refuses other protocol versions with 4003', async () => {
    const socket = await connectDirectly(newRoomId(), person('old'));
    socket.send({ type: 'join', version: PROTOCOL_VERSION + 1, media: NO_MEDIA });
    expect((await socket.closed).code).toBe(CloseCode.UnsupportedVersion);
  });

  it('answers out-of-order messages with errors and keeps the socket', async () => {
    const socket = await connectDirectly(newRoomId(), person('early'));
    socket.send({ type: 'signal', signal: offer });
    expect(await socket.next('error')).toMatchObject({ code: 'not_joined' });
    socket.send({ type: 'media', media: CAMERA_ON });
    expect(await socket.next('error')).toMatchObject({ code: 'not_joined' });
    await socket.join();
    socket.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect(await socket.next('error')).toMatchObject({ code: 'already_joined' });
    socket.send({ type: 'signal', signal: offer });
    expect(await socket.next('error')).toMatchObject({ code: 'no_peer' });
  });
});

describe('relaying', () => {
  it('relays signals and media both ways, from the right peer id', async () => {
    const { a, b, aPeerId, bPeerId } = await pair();
    a.send({ type: 'signal', signal: offer });
    expect(await b.next('signal')).toEqual({ type: 'signal', from: aPeerId, signal: offer });
    b.send({ type: 'signal', signal: answer });
    expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: answer });
    b.send({ type: 'signal', signal: candidate });
    expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: candidate });
    a.send({ type: 'media', media: CAMERA_ON });
    expect(await b.next('media')).toEqual({ type: 'media', from: aPeerId, media: CAMERA_ON });
  });

  it('never relays a message with fields outside the protocol', async () => {
    const { a, b } = await pair();
    a.send(JSON.stringify({ type: 'signal', signal: offer, forward: 'someone-else' }));
    a.send(JSON.stringify({ type: 'signal', signal: { ...candidate, candidate: { candidate: 'x', evil: true } } }));
    expect(await a.next('error')).toMatchObject({ code: 'bad_message' });
    expect(await a.next('error')).toMatchObject({ code: 'bad_message' });
    a.send({ type: 'signal', signal: candidate });
    expect(await b.next('signal')).toMatchObject({ signal: candidate });
  });

  it('keeps rooms apart, even for the same two people', async () => {
    const first = await pair();
    const second = await pair();
    first.a.send({ type: 'signal', signal: offer });
    first.a.send({ type: 'media', media: CAMERA_ON });
    expect(await first.b.next('signal')).toMatchObject({ from: first.aPeerId });
    expect(await first.b.next('media')).toMatchObject({ from: first.aPeerId });
    second.b.send({ type: 'signal', signal: answer });
    expect(await second.a.next('signal')).toMatchObject({ from: second.bPeerId, signal: answer });
    await expectNothingMore(first.a, first.b, second.a, second.b);
  });
});

describe('leaving', () => {
  it('frees the seat at once on bye, and closes with 1000', async () => {
    const { roomId, a, b, bPeerId } = await pair();
    b.send({ type: 'bye' });
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'bye' });
    expect((await b.closed).code).toBe(CloseCode.Normal);
    const carol = await seat(roomId, person('carol'));
    expect(carol.welcome.peer?.username).toBe('alice');
  });

  it('takes a close with 1000 as a bye: the bye message may have been overtaken by it, or lost', async () => {
    const { roomId, a, b, bPeerId } = await pair();
    b.ws.close(CloseCode.Normal, 'leaving');
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'bye' });
    const carol = await seat(roomId, person('carol'));
    expect(carol.welcome.peer?.username).toBe('alice');
  });

  it('keeps the seat of someone who dropped without bye, for them only', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    b.ws.close(1001, 'network change');
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });

    const carol = await connectDirectly(roomId, person('carol'));
    carol.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect(await carol.next('room-full')).toEqual({ type: 'room-full' });
    expect((await carol.closed).code).toBe(CloseCode.RoomFull);

    const back = await seat(roomId, bob);
    expect(back.welcome.peer?.username).toBe('alice');
    expect((await a.next('peer-joined')).peer).toMatchObject({ userId: bob.id, peerId: back.welcome.peerId });
  });

  it('lets the seat go once the liveness window has passed', async () => {
    const { roomId, bob, a, b } = await pair();
    b.ws.close(1001);
    await a.next('peer-left');
    await quietFor(roomId, bob.id, LIVENESS_WINDOW_MS);
    const carol = await seat(roomId, person('carol'));
    expect(carol.welcome.peer?.username).toBe('alice');
  });
});

describe('seats', () => {
  it('turns a third person away with room-full and 4001, unnoticed by the two inside', async () => {
    const { roomId, a, b } = await pair();
    const carol = await connectDirectly(roomId, person('carol'));
    carol.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect(await carol.next('room-full')).toEqual({ type: 'room-full' });
    expect((await carol.closed).code).toBe(CloseCode.RoomFull);
    await expectNothingMore(a, b);
  });

  it('hands a returning user their own seat: the old socket gets 4002, the peer hears gone then joined', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    const again = await seat(roomId, bob);
    expect(again.welcome.peer?.username).toBe('alice');
    expect((await b.closed).code).toBe(CloseCode.Replaced);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
    expect((await a.next('peer-joined')).peer).toMatchObject({ userId: bob.id, peerId: again.welcome.peerId });

    a.send({ type: 'signal', signal: offer });
    expect(await again.socket.next('signal')).toMatchObject({ signal: offer });
  });

  it('gives a reconnecting user their peer id back, so the peer hears gone then joined with the same id', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    b.ws.close(1001, 'network change');
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });

    const back = await connectDirectly(roomId, bob);
    back.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA, resume: bPeerId });
    expect((await back.next('welcome')).peerId).toBe(bPeerId);
    expect((await a.next('peer-joined')).peer).toMatchObject({ userId: bob.id, peerId: bPeerId });
    a.send({ type: 'signal', signal: offer });
    expect(await back.next('signal')).toMatchObject({ signal: offer });
  });

  it('never hands out a peer id that another user holds', async () => {
    const roomId = newRoomId();
    const a = await seat(roomId, person('alice'));
    const bob = await connectDirectly(roomId, person('bob'));
    bob.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA, resume: a.welcome.peerId });
    const welcome = await bob.next('welcome');
    expect(welcome.peerId).not.toBe(a.welcome.peerId);
    expect(welcome.peer?.peerId).toBe(a.welcome.peerId);
  });

  it('hands a lone user their own seat too', async () => {
    const roomId = newRoomId();
    const alice = person('alice');
    const first = await seat(roomId, alice);
    const second = await seat(roomId, alice);
    expect(second.welcome.peer).toBeNull();
    expect((await first.socket.closed).code).toBe(CloseCode.Replaced);
  });

  it('gives the seat of a socket silent past the liveness window to the next person, closing it with 4004', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    await quietFor(roomId, bob.id, LIVENESS_WINDOW_MS);
    // Until someone needs the seat, a quiet peer still gets what is sent to it: it may only be slow.
    a.send({ type: 'signal', signal: offer });
    expect(await b.next('signal')).toMatchObject({ signal: offer });
    const carol = await seat(roomId, person('carol'));
    expect(carol.welcome.peer?.username).toBe('alice');
    expect((await b.closed).code).toBe(CloseCode.Stale);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
    expect((await a.next('peer-joined')).peer.username).toBe('carol');
  });

  it('leaves a silent member out of who is present, without taking their seat: only a join does', async () => {
    const { roomId, bob, a, b } = await pair();
    await quietFor(roomId, bob.id, LIVENESS_WINDOW_MS);
    const present = await env.ROOMS.get(env.ROOMS.idFromName(roomId)).present();
    expect(present.map((member) => member.username)).toEqual(['alice']);
    a.send({ type: 'signal', signal: offer });
    expect(await b.next('signal')).toMatchObject({ signal: offer });
    await expectNothingMore(a);
  });

  it('counts PINGs, answered by the runtime, as signs of life', async () => {
    const { roomId, bob, b } = await pair();
    await quietFor(roomId, bob.id, LIVENESS_WINDOW_MS);
    b.send('ping');
    expect(await b.nextRaw()).toBe('pong');
    const carol = await connectDirectly(roomId, person('carol'));
    carol.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect(await carol.next('room-full')).toEqual({ type: 'room-full' });
  });
});

describe('limits', () => {
  it('closes a socket that sends more than 64 KB with 1009; its peer hears it is gone', async () => {
    const { a, b, bPeerId } = await pair();
    b.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect((await b.closed).code).toBe(CloseCode.MessageTooBig);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
  });

  it('counts bytes, not characters', async () => {
    const { b } = await pair();
    b.send('é'.repeat(MAX_MESSAGE_BYTES / 2 + 1));
    expect((await b.closed).code).toBe(CloseCode.MessageTooBig);
  });

  it('answers binary frames with bad_message', async () => {
    const { a } = await pair();
    a.ws.send(new TextEncoder().encode(JSON.stringify({ type: 'bye' })));
    expect(await a.next('error')).toMatchObject({ code: 'bad_message' });
  });

  it('closes a socket that sends faster than the rate limit with 4008', async () => {
    const socket = await connectDirectly(newRoomId(), person('chatty'));
    await socket.join();
    for (let i = 0; i < 2 * MAX_MESSAGE_BURST; i++) socket.send({ type: 'media', media: NO_MEDIA });
    expect((await socket.closed).code).toBe(CloseCode.RateLimited);
  });
});
