/**
 * Standing by in a rung call's room (protocol/signaling.ts, Standby), through real WebSockets into
 * the Durable Object: only the invitee stands by, a bounded number of times; standby and seated
 * caller trade signals and nothing else, whoever came first; the first standby to join takes the
 * seat with its peer id and the invitee's other standbys are closed.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CloseCode, MAX_STANDBYS, PROTOCOL_VERSION, type Signal } from '../../protocol/signaling.ts';
import { usingDatabase } from '../db/client.ts';
import { rooms } from '../db/schema.ts';
import { newRoomId } from '../rooms/ids.ts';
import { createSignedInUser } from '../test-support/accounts.ts';
import {
  connectDirectly,
  connectThroughWorker,
  NO_MEDIA,
  type RoomSocket,
  type RoomUser,
} from '../test-support/room-socket.ts';

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });
const answer: Signal = { kind: 'description', description: { type: 'answer', sdp: 'v=0 answer' } };
const candidate: Signal = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } };
const OFFER = { type: 'offer', sdp: 'v=0 standby offer' } as const;

/** A rung room with its caller seated; `standBy` opens a socket of the callee and stands it by. */
async function rungRoom() {
  const roomId = newRoomId();
  const caller = person('caller');
  const callee = person('callee');
  const callerSocket = await connectDirectly(roomId, caller);
  const welcome = await callerSocket.join();
  const standBy = async (offer = true) => {
    const socket = await connectDirectly(roomId, callee, true);
    socket.send({ type: 'standby', version: PROTOCOL_VERSION, ...(offer && { offer: OFFER }) });
    return { socket, standing: await socket.next('standing-by') };
  };
  return { roomId, caller, callee, callerSocket, callerPeerId: welcome.peerId, standBy };
}

async function expectNothingMore(...sockets: RoomSocket[]) {
  for (const socket of sockets) {
    socket.send('ping');
    expect(await socket.nextRaw()).toBe('pong');
  }
}

describe('standing by', () => {
  it('refuses anyone but the invitee: a stranger, the caller', async () => {
    const { roomId, callerSocket } = await rungRoom();
    const stranger = await connectDirectly(roomId, person('mallory'));
    for (const socket of [stranger, callerSocket]) {
      socket.send({ type: 'standby', version: PROTOCOL_VERSION, offer: OFFER });
      expect(await socket.next('error')).toMatchObject({ code: 'standby_refused' });
    }
    // Refused, the stranger is still a lobby: it cannot signal anyone.
    stranger.send({ type: 'signal', signal: candidate });
    expect(await stranger.next('error')).toMatchObject({ code: 'not_joined' });
    await expectNothingMore(callerSocket);
  });

  it("takes the invitee from the rung call's room row, through the Worker", async () => {
    const [owner, invitee] = await usingDatabase(env, (db) =>
      Promise.all([createSignedInUser(db, env.SESSION_SECRET), createSignedInUser(db, env.SESSION_SECRET)]),
    );
    const roomId = newRoomId();
    await usingDatabase(env, (db) => db.insert(rooms).values({ id: roomId, ownerId: owner.id, inviteeId: invitee.id }));
    const caller = await connectThroughWorker(roomId, owner.cookie);
    await caller.join();
    const standby = await connectThroughWorker(roomId, invitee.cookie);
    for (const socket of [caller, standby]) socket.send({ type: 'standby', version: PROTOCOL_VERSION });
    expect(await caller.next('error')).toMatchObject({ code: 'standby_refused' });
    expect(await standby.next('standing-by')).toMatchObject({ peer: { userId: owner.id } });
  });

  it('introduces a standby and the seated caller, who trade signals and nothing else', async () => {
    const { callerSocket, callerPeerId, callee, standBy } = await rungRoom();
    const { socket: standby, standing } = await standBy();
    expect(standing).toMatchObject({ peer: { peerId: callerPeerId }, version: PROTOCOL_VERSION });
    const joined = await callerSocket.next('standby-joined');
    expect(joined.peer).toMatchObject({ peerId: standing.peerId, userId: callee.id });
    expect(joined.polite).toBe(!standing.polite);
    expect(await callerSocket.next('signal')).toEqual({
      type: 'signal',
      from: standing.peerId,
      signal: { kind: 'description', description: OFFER },
    });

    callerSocket.send({ type: 'signal', signal: answer, to: standing.peerId });
    expect(await standby.next('signal')).toEqual({ type: 'signal', from: callerPeerId, signal: answer });
    standby.send({ type: 'signal', signal: candidate });
    expect(await callerSocket.next('signal')).toEqual({ type: 'signal', from: standing.peerId, signal: candidate });

    // No media either way, and a signal to nobody standing by goes nowhere.
    standby.send({ type: 'media', media: { mic: true, camera: true, screen: false } });
    expect(await standby.next('error')).toMatchObject({ code: 'not_joined' });
    callerSocket.send({ type: 'media', media: { mic: true, camera: true, screen: false } });
    callerSocket.send({ type: 'signal', signal: candidate, to: 'nobody-here' });
    expect(await callerSocket.next('error')).toMatchObject({ code: 'no_peer' });
    await expectNothingMore(standby, callerSocket);
  });

  it('introduces a standby that came before the caller once the caller sits down', async () => {
    const roomId = newRoomId();
    const callee = person('callee');
    const standby = await connectDirectly(roomId, callee, true);
    standby.send({ type: 'standby', version: PROTOCOL_VERSION, offer: OFFER });
    const standing = await standby.next('standing-by');
    expect(standing.peer).toBeNull();

    const caller = await connectDirectly(roomId, person('caller'));
    const welcome = await caller.join();
    expect(welcome.peer).toBeNull();
    // The offer went nowhere: the standby offers again once it hears of the caller.
    expect((await caller.next('standby-joined')).peer.peerId).toBe(standing.peerId);
    expect((await standby.next('peer-joined')).peer.peerId).toBe(welcome.peerId);
    await expectNothingMore(caller, standby);
    caller.send({ type: 'bye' });
    expect(await standby.next('peer-left')).toMatchObject({ peerId: welcome.peerId });
  });

  it(`stands by at most ${MAX_STANDBYS} connections at once`, async () => {
    const { standBy, roomId, callee } = await rungRoom();
    for (let i = 0; i < MAX_STANDBYS; i++) await standBy(false);
    const extra = await connectDirectly(roomId, callee, true);
    extra.send({ type: 'standby', version: PROTOCOL_VERSION });
    expect(await extra.next('error')).toMatchObject({ code: 'standby_refused' });
  });

  it('seats the first standby that joins with its peer id and closes the others', async () => {
    const { callerSocket, standBy } = await rungRoom();
    const first = await standBy(false);
    const second = await standBy(false);
    const firstJoined = await callerSocket.next('standby-joined');
    const secondJoined = await callerSocket.next('standby-joined');
    expect([firstJoined.peer.peerId, secondJoined.peer.peerId]).toEqual([
      first.standing.peerId,
      second.standing.peerId,
    ]);

    second.socket.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    const welcome = await second.socket.next('welcome');
    expect(welcome.peerId).toBe(second.standing.peerId);
    expect(await first.socket.closed).toMatchObject({ code: CloseCode.AnsweredElsewhere });
    expect(await callerSocket.next('standby-answering')).toEqual({
      type: 'standby-answering',
      peerId: second.standing.peerId,
      media: NO_MEDIA,
    });
    expect(await callerSocket.next('standby-left')).toEqual({ type: 'standby-left', peerId: first.standing.peerId });
    expect((await callerSocket.next('peer-joined')).peer.peerId).toBe(second.standing.peerId);

    // Seated, the invitee signals as a member; standing by again is refused.
    second.socket.send({ type: 'signal', signal: candidate });
    expect((await callerSocket.next('signal')).from).toBe(second.standing.peerId);
    second.socket.send({ type: 'standby', version: PROTOCOL_VERSION });
    expect(await second.socket.next('error')).toMatchObject({ code: 'standby_refused' });
  });

  it("still reaches a standby by its peer id once it took the seat: the caller's answer that crossed its join, and later signals on that connection", async () => {
    const { callerSocket, standBy } = await rungRoom();
    const { socket: standby, standing } = await standBy();
    await callerSocket.next('standby-joined');
    // Accept as the caller answers the standby's offer: the join reaches the room first.
    standby.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    await standby.next('welcome');
    for (const signal of [answer, candidate]) {
      callerSocket.send({ type: 'signal', signal, to: standing.peerId });
      expect(await standby.next('signal')).toMatchObject({ signal });
    }
  });

  it('tells the caller when a standby closes', async () => {
    const { callerSocket, standBy } = await rungRoom();
    const { socket, standing } = await standBy(false);
    await callerSocket.next('standby-joined');
    socket.ws.close(1001, 'tab closed');
    expect(await callerSocket.next('standby-left')).toEqual({ type: 'standby-left', peerId: standing.peerId });
  });
});
