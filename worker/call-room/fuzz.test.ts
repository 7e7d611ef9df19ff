/**
 * 10,000 generated invalid messages against a live room. One seat holds the victim; the other is
 * taken, batch after batch, by the attacker's sockets, each sending MAX_STRIKES invalid messages.
 * The room must answer every one with `bad_message` and relay none, and the victim must see
 * nothing but the attacker's comings and goings, then talk normally with an honest peer.
 */
import fc from 'fast-check';
import { expect, it, onTestFinished } from 'vitest';
import {
  ClientMessageSchema,
  CloseCode,
  MAX_MESSAGE_BYTES,
  PING,
  parseMessage,
  type Signal,
} from '../../protocol/signaling.ts';
import { newRoomId } from '../rooms/ids.ts';
import { connectDirectly, type RoomSocket, type RoomUser } from '../test-support/room-socket.ts';

/** The room's MAX_STRIKES: after this many invalid messages a socket is closed. */
const STRIKES = 100;
const BATCHES = 100;

const valid = fc.oneof(
  fc.record({
    type: fc.constant('join'),
    version: fc.integer(),
    media: fc.record({ mic: fc.boolean(), camera: fc.boolean(), screen: fc.boolean() }),
  }),
  fc.record({
    type: fc.constant('media'),
    media: fc.record({ mic: fc.boolean(), camera: fc.boolean(), screen: fc.boolean() }),
  }),
  fc.record({
    type: fc.constant('signal'),
    signal: fc.oneof(
      fc.record({
        kind: fc.constant('description'),
        description: fc.record({ type: fc.constantFrom('offer', 'answer'), sdp: fc.string() }),
      }),
      fc.record({
        kind: fc.constant('candidate'),
        candidate: fc.record({
          candidate: fc.string(),
          sdpMid: fc.option(fc.string()),
          sdpMLineIndex: fc.option(fc.nat(1024)),
        }),
      }),
    ),
  }),
  fc.constant({ type: 'bye' }),
);

/** A valid message broken in one place, somewhere in its tree. */
const broken = fc
  .tuple(
    valid,
    fc.jsonValue(),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.nat(),
    fc.constantFrom('set', 'delete', 'add'),
  )
  .map(([message, junk, key, pick, how]) => {
    const objects: Record<string, unknown>[] = [];
    const walk = (value: unknown) => {
      if (value && typeof value === 'object') {
        objects.push(value as Record<string, unknown>);
        Object.values(value).forEach(walk);
      }
    };
    walk(message);
    const target = objects[pick % objects.length] as Record<string, unknown>;
    const keys = Object.keys(target);
    const existing = keys[pick % keys.length] ?? key;
    if (how === 'set') target[existing] = junk;
    else if (how === 'delete') delete target[existing];
    else target[`${key}_`] = junk;
    return JSON.stringify(message);
  });

const malformed = fc
  .oneof(
    broken,
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('{', '[]', 'null', '"join"', '{"type":"join"}', '{"type":"signal","signal":{}}'),
    fc
      .string({ minLength: 4097, maxLength: 5000 })
      .map((s) => JSON.stringify({ type: 'signal', signal: { kind: 'candidate', candidate: { candidate: s } } })),
  )
  .filter((text) => text !== PING && text.length * 3 <= MAX_MESSAGE_BYTES && !parseMessage(ClientMessageSchema, text));

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });
const offer: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } };

it('survives 10,000 malformed messages without disturbing the other peer', { timeout: 240_000 }, async () => {
  const roomId = newRoomId();
  const attacker = person('mallory');
  const victim = await connectDirectly(roomId, person('victim'));
  await victim.join();
  // On a busy machine the run outlasts the liveness window: the victim must stay seated meanwhile.
  onTestFinished(victim.keepAlive());

  let sent = 0;
  let last: RoomSocket | undefined;
  await fc.assert(
    fc.asyncProperty(fc.array(malformed, { minLength: STRIKES, maxLength: STRIKES }), async (batch) => {
      const socket = await connectDirectly(roomId, attacker);
      await socket.join();
      for (const text of batch) socket.send(text);
      for (const _ of batch) expect(await socket.next('error')).toMatchObject({ code: 'bad_message' });
      sent += batch.length;
      last = socket;
    }),
    { numRuns: BATCHES, seed: 20261125, endOnFailure: true },
  );
  expect(sent).toBeGreaterThanOrEqual(10_000);

  // One more and the attacker's last socket is cut off.
  last?.send('{"type":"nonsense"}');
  expect((await last?.closed)?.code).toBe(CloseCode.PolicyViolation);

  // The victim only ever saw the attacker's sockets come and go, each once.
  const seen = victim.drain().map((raw) => JSON.parse(raw) as { type: string; peer?: { userId: string } });
  expect(new Set(seen.map((m) => m.type))).toEqual(new Set(['peer-joined', 'peer-left']));
  expect(seen.filter((m) => m.type === 'peer-joined').every((m) => m.peer?.userId === attacker.id)).toBe(true);
  expect(seen.filter((m) => m.type === 'peer-joined')).toHaveLength(BATCHES);

  // And the room still works: an honest peer and the victim talk both ways.
  const honest = await connectDirectly(roomId, attacker);
  const welcome = await honest.join();
  victim.send({ type: 'signal', signal: offer });
  expect(await honest.next('signal')).toMatchObject({ signal: offer });
  honest.send({ type: 'signal', signal: offer });
  expect(await victim.next('peer-joined')).toMatchObject({ peer: { peerId: welcome.peerId } });
  expect(await victim.next('signal')).toMatchObject({ from: welcome.peerId });
});
