/**
 * How many sockets a room keeps open, and for how long without a join (protocol/signaling.ts,
 * Sockets): every relay walks a room's sockets, so nobody may pile them up.
 */
import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  LOBBY_TIMEOUT_MS,
  MAX_SOCKETS_PER_ROOM,
  MAX_SOCKETS_PER_USER,
  PROTOCOL_VERSION,
} from '../../protocol/signaling.ts';
import { newRoomId } from '../rooms/ids.ts';
import { openedEarlier } from '../test-support/room-clock.ts';
import { connectDirectly, NO_MEDIA, type RoomSocket, type RoomUser } from '../test-support/room-socket.ts';

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });

/** The socket is still open: its PING comes back. */
async function expectOpen(socket: RoomSocket) {
  socket.send('ping');
  expect(await socket.nextRaw()).toBe('pong');
}

describe('sockets per user and per room', () => {
  it(`closes a user's socket beyond ${MAX_SOCKETS_PER_USER} in a room with 4006, and takes one again once another closed`, async () => {
    const roomId = newRoomId();
    const mallory = person('mallory');
    const open: RoomSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_USER; i++) open.push(await connectDirectly(roomId, mallory));
    const extra = await connectDirectly(roomId, mallory);
    expect(await extra.closed).toMatchObject({ code: CloseCode.TooManySockets });
    for (const socket of open) await expectOpen(socket);
    // Someone else still gets in, and so does mallory once one of hers is gone.
    await expectOpen(await connectDirectly(roomId, person('alice')));
    open[0]?.ws.close(1001);
    await open[0]?.closed;
    await expectOpen(await connectDirectly(roomId, mallory));
    // The same user in another room is counted there.
    await expectOpen(await connectDirectly(newRoomId(), mallory));
  });

  it(`closes the room's socket beyond ${MAX_SOCKETS_PER_ROOM} with 4006, whoever opens it`, async () => {
    const roomId = newRoomId();
    const open: RoomSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_ROOM; i++) open.push(await connectDirectly(roomId, person(`p${i}`)));
    const extra = await connectDirectly(roomId, person('late'));
    expect(await extra.closed).toMatchObject({ code: CloseCode.TooManySockets });
    await expectOpen(open[MAX_SOCKETS_PER_ROOM - 1] as RoomSocket);
  });
});

describe('a socket that never joins', () => {
  it('is closed with 4007 by the sweep once LOBBY_TIMEOUT_MS has passed; a joined one stays', async () => {
    const roomId = newRoomId();
    const [lurker, alice] = [person('lurker'), person('alice')];
    const lobby = await connectDirectly(roomId, lurker);
    const seated = await connectDirectly(roomId, alice);
    await seated.join();
    const stub = env.ROOMS.get(env.ROOMS.idFromName(roomId));

    await openedEarlier(roomId, lurker.id, LOBBY_TIMEOUT_MS - 60_000);
    await openedEarlier(roomId, alice.id, LOBBY_TIMEOUT_MS);
    await runDurableObjectAlarm(stub);
    await expectOpen(lobby); // nine minutes in: still welcome to join

    await openedEarlier(roomId, lurker.id, 60_000);
    await runDurableObjectAlarm(stub);
    expect(await lobby.closed).toMatchObject({ code: CloseCode.LobbyTimeout });
    await expectOpen(seated);
  });

  it('may join at any time before that', async () => {
    const roomId = newRoomId();
    const late = person('late');
    const lobby = await connectDirectly(roomId, late);
    await openedEarlier(roomId, late.id, LOBBY_TIMEOUT_MS - 60_000);
    lobby.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect((await lobby.next('welcome')).peer).toBeNull();
  });
});
