/**
 * What a relayed message costs the room in reads of socket attachments (connection.ts): none once
 * each connection has been read, since deserialising them on every message was a good part of the
 * room's time under load (npm run bench:signaling). Every change is still written to the
 * attachment, so a room evicted from memory reads them back (hibernation.test.ts).
 */
import { evictDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, expect, it } from 'vitest';
import type { MediaState, Signal } from '../../protocol/signaling.ts';
import { newRoomId } from '../rooms/ids.ts';
import { connectDirectly, type RoomUser } from '../test-support/room-socket.ts';

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

async function seatedPair(roomId: string) {
  const a = await connectDirectly(roomId, person('alice'));
  await a.join();
  const b = await connectDirectly(roomId, person('bob'));
  const bWelcome = await b.join();
  await a.next('peer-joined');
  return { a, b, bPeerId: bWelcome.peerId };
}

it('relays without reading any attachment, writing only the sender’s', async () => {
  const { a, b, bPeerId } = await seatedPair(newRoomId());
  const used = countAttachmentUse();
  for (let i = 0; i < 10; i++) {
    b.send({ type: 'signal', signal: candidate });
    expect(await a.next('signal')).toEqual({ type: 'signal', from: bPeerId, signal: candidate });
    a.send({ type: 'signal', signal: candidate });
    await b.next('signal');
  }
  // One write per message: its rate-limit bucket and last message time, which must survive eviction.
  expect(used).toEqual({ reads: 0, writes: 20 });
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
