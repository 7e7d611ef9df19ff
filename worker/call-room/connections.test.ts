/**
 * What a relayed message costs the room in attachments and storage (connection.ts, sweeps.ts):
 * no read once each connection has been read, and no write on the message itself: the rate-limit
 * bucket and last message time are written within SAVE_SOON_MS, before the room can hibernate.
 * Reading and writing them on every message, and reading when the sessions were last checked from
 * storage, were a good part of the room's time under load (npm run bench:signaling). A room
 * evicted from memory reads them back (hibernation.test.ts).
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, expect, it, onTestFinished, vi } from 'vitest';
import type { MediaState, Signal } from '../../protocol/signaling.ts';
import { newRoomId } from '../rooms/ids.ts';
import { connectDirectly, type RoomUser } from '../test-support/room-socket.ts';
import { type Connection, Connections, SAVE_SOON_MS } from './connection.ts';

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });
const candidate: Signal = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' } };
const CAMERA_ON: MediaState = { mic: true, camera: true, screen: false };

const { deserializeAttachment, serializeAttachment } = WebSocket.prototype;
afterEach(() => Object.assign(WebSocket.prototype, { deserializeAttachment, serializeAttachment }));

/** Counts the room's attachment reads and writes from now on. */
function countAttachmentUse(): { reads: number; writes: number } {
  const counts = { reads: 0, writes: 0 };
  Object.assign(WebSocket.prototype, {
    deserializeAttachment(this: WebSocket) {
      counts.reads++;
      return deserializeAttachment.call(this);
    },
    serializeAttachment(this: WebSocket, value: unknown) {
      counts.writes++;
      serializeAttachment.call(this, value);
    },
  });
  return counts;
}

const stubOf = (roomId: string) => env.ROOMS.get(env.ROOMS.idFromName(roomId));

/** The room's open sockets' last message times, as the room has them in memory. */
const lastMessagesInMemory = (roomId: string) =>
  runInDurableObject(stubOf(roomId), (_room, state) => {
    const connections = new Connections(state);
    return state.getWebSockets().map((ws) => connections.get(ws).lastMessageAt);
  });

/** The same, as written in their attachments. */
const attachedLastMessages = (roomId: string) =>
  runInDurableObject(stubOf(roomId), (_room, state) =>
    state.getWebSockets().map((ws) => (ws.deserializeAttachment() as Connection).lastMessageAt),
  );

/** Resolves once every attachment holds what the room has in memory (the joins' writes are done). */
async function attachmentsWritten(roomId: string): Promise<void> {
  await vi.waitFor(async () => expect(await attachedLastMessages(roomId)).toEqual(await lastMessagesInMemory(roomId)), {
    timeout: 10 * SAVE_SOON_MS,
    interval: 50,
  });
}

/** Counts reads of Durable Object key-value storage from now on, until the test ends. */
async function countStorageReads(roomId: string): Promise<{ count: number }> {
  const reads = { count: 0 };
  const kv = await runInDurableObject(stubOf(roomId), (_room, state) => Object.getPrototypeOf(state.storage.kv));
  const { get } = kv;
  kv.get = function (this: SyncKvStorage, key: string) {
    reads.count++;
    return get.call(this, key);
  };
  onTestFinished(() => {
    kv.get = get;
  });
  return reads;
}

async function seatedPair(roomId: string) {
  const a = await connectDirectly(roomId, person('alice'));
  await a.join();
  const b = await connectDirectly(roomId, person('bob'));
  const bWelcome = await b.join();
  await a.next('peer-joined');
  return { a, b, bPeerId: bWelcome.peerId };
}

it('relays without reading any attachment, and writes each sender’s once, within SAVE_SOON_MS', async () => {
  const roomId = newRoomId();
  const { a, b, bPeerId } = await seatedPair(roomId);
  await attachmentsWritten(roomId);
  const used = countAttachmentUse();
  for (let i = 0; i < 10; i++) {
    b.send({ type: 'signal', signal: candidate });
    expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: candidate });
    a.send({ type: 'signal', signal: candidate });
    await b.next('signal');
  }
  expect(used).toEqual({ reads: 0, writes: 0 });
  // Then once per socket: the rate-limit bucket and last message time, which must survive hibernation.
  await vi.waitFor(() => expect(used).toEqual({ reads: 0, writes: 2 }), { timeout: 10 * SAVE_SOON_MS, interval: 50 });
  expect(await attachedLastMessages(roomId)).toEqual(await lastMessagesInMemory(roomId));
});

it('relays without reading the room’s storage', async () => {
  const roomId = newRoomId();
  const { a, b, bPeerId } = await seatedPair(roomId);
  const reads = await countStorageReads(roomId);
  for (let i = 0; i < 10; i++) {
    b.send({ type: 'signal', signal: candidate });
    expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: candidate });
  }
  expect(reads.count).toBe(0);
});

it('reads each connection back from its attachment after an eviction, with what changed before it', async () => {
  const roomId = newRoomId();
  const { a, b, bPeerId } = await seatedPair(roomId);
  b.send({ type: 'media', media: CAMERA_ON });
  await a.next('media');
  await evictDurableObject(env.ROOMS.get(env.ROOMS.idFromName(roomId)));
  const used = countAttachmentUse();
  b.send({ type: 'signal', signal: candidate });
  expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: candidate });
  // Both seats read once: the sender's and the receiver's.
  expect(used.reads).toBe(2);
  // The woken room knows bob's camera is on: a newcomer's welcome would say so.
  a.send({ type: 'signal', signal: candidate });
  await b.next('signal');
  expect(used.reads).toBe(2);
});
