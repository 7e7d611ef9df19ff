/**
 * A room evicted from memory (as when it hibernates between messages) must wake up knowing who
 * sits where, what their media state is, whose seat is waiting for them and who spoke last, and
 * relay as before. The runtime hibernates a room only once no timer is pending, so these tests
 * let the room write what it keeps in memory (connection.ts, SAVE_SOON_MS) before evicting it.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, it, vi } from 'vitest';
import {
  CloseCode,
  LIVENESS_WINDOW_MS,
  type MediaState,
  PROTOCOL_VERSION,
  SESSION_CHECK_INTERVAL_MS,
  type Signal,
} from '../../protocol/signaling.ts';
import { newRoomId } from '../rooms/ids.ts';
import { quietFor } from '../test-support/room-clock.ts';
import { connectDirectly, NO_MEDIA, type RoomUser } from '../test-support/room-socket.ts';
import { type Connection, Connections, SAVE_SOON_MS } from './connection.ts';

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });
const offer: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } };
const SHARING: MediaState = { mic: true, camera: false, screen: true };

it('keeps seats, media state and absences across evictions, and relays after waking', async () => {
  const roomId = newRoomId();
  const stub = env.ROOMS.get(env.ROOMS.idFromName(roomId));
  const [alice, bob, carol] = [person('alice'), person('bob'), person('carol')];
  const a = await connectDirectly(roomId, alice);
  await a.join();
  const b = await connectDirectly(roomId, bob);
  const bWelcome = await b.join();
  await a.next('peer-joined');
  a.send({ type: 'media', media: SHARING });
  await b.next('media');

  const marked = (room: object) => 'evictionMarker' in room;
  await runInDurableObject(stub, (room) => Object.assign(room, { evictionMarker: true }));
  await evictDurableObject(stub);
  expect(await runInDurableObject(stub, marked)).toBe(false); // a fresh instance: memory is gone

  // The seats survived: a third person is still turned away.
  const c = await connectDirectly(roomId, carol);
  c.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
  expect(await c.next('room-full')).toEqual({ type: 'room-full' });
  // Relay still works, from the same peer ids.
  b.send({ type: 'signal', signal: offer });
  expect(await a.next('signal')).toEqual({ type: 'signal', from: bWelcome.peerId, signal: offer });

  // Bob drops without bye; his seat waits for him across another eviction.
  b.ws.close(1001);
  await a.next('peer-left');
  await evictDurableObject(stub);
  const c2 = await connectDirectly(roomId, carol);
  c2.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
  expect((await c2.closed).code).toBe(CloseCode.RoomFull);

  // Bob comes back to Alice's remembered media state.
  await evictDurableObject(stub);
  const back = await connectDirectly(roomId, bob);
  expect((await back.join()).peer).toMatchObject({ userId: alice.id, media: SHARING });
  expect((await a.next('peer-joined')).peer.userId).toBe(bob.id);

  // The one alarm (the session sweep) survives evictions too, due within its interval.
  const alarm = await runInDurableObject(stub, (_room, state) => state.storage.getAlarm());
  expect(alarm).toBeLessThanOrEqual(Date.now() + SESSION_CHECK_INTERVAL_MS);
});

/** Evicts the room once every attachment holds what the room has in memory, as hibernation would. */
async function hibernate(roomId: string): Promise<void> {
  const stub = env.ROOMS.get(env.ROOMS.idFromName(roomId));
  const written = () =>
    runInDurableObject(stub, (_room, state) => {
      const connections = new Connections(state);
      return state
        .getWebSockets()
        .every((ws) => connections.get(ws).lastMessageAt === (ws.deserializeAttachment() as Connection).lastMessageAt);
    });
  await vi.waitFor(async () => expect(await written()).toBe(true), { timeout: 10 * SAVE_SOON_MS, interval: 50 });
  await evictDurableObject(stub);
}

async function pairIn(roomId: string) {
  const [alice, bob] = [person('alice'), person('bob')];
  const a = await connectDirectly(roomId, alice);
  await a.join();
  const b = await connectDirectly(roomId, bob);
  const bPeerId = (await b.join()).peerId;
  await a.next('peer-joined');
  return { bob, a, b, bPeerId };
}

it('keeps the seat of someone who spoke just before the room hibernated (Stale counts their message)', async () => {
  const roomId = newRoomId();
  const { bob, a, b, bPeerId } = await pairIn(roomId);
  await quietFor(roomId, bob.id, LIVENESS_WINDOW_MS);
  // Bob was about to go stale, and speaks: his last message is now, in memory and then in his attachment.
  b.send({ type: 'signal', signal: offer });
  expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: offer });
  await hibernate(roomId);
  const c = await connectDirectly(roomId, person('carol'));
  c.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
  expect((await c.closed).code).toBe(CloseCode.RoomFull);
  a.send({ type: 'signal', signal: offer });
  expect(await b.next('signal')).toMatchObject({ signal: offer });
});

it('gives the seat of someone silent past the liveness window to the next person after a wake-up (Stale)', async () => {
  const roomId = newRoomId();
  const { bob, a, b, bPeerId } = await pairIn(roomId);
  b.send({ type: 'signal', signal: offer });
  await a.next('signal');
  await hibernate(roomId);
  await quietFor(roomId, bob.id, LIVENESS_WINDOW_MS);
  await hibernate(roomId);
  const c = await connectDirectly(roomId, person('carol'));
  expect((await c.join()).peer?.username).toBe('alice');
  expect((await b.closed).code).toBe(CloseCode.Stale);
  expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
});
