/**
 * Ringing from the caller's own line (protocol/user-line.ts, Ringing): the `ring` message and
 * `POST /api/calls` share one operation there. Who may be rung (mutual contacts only, a removal
 * heard before it is answered), the ring limit under concurrent rings, and the call's rows written
 * alongside the ring: an accept that comes before them waits, and a call whose rows could not be
 * written fails on both sides.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { RINGS_PER_CALLER } from '../../protocol/user-line.ts';
import { call, post } from '../auth/testing.ts';
import { usingDatabase } from '../db/client.ts';
import { contacts as contactRows } from '../db/schema.ts';
import { newRoomId } from '../rooms/ids.ts';
import { type LineSocket, openLine } from '../test-support/line-socket.ts';
import { contacts, row, settledRow } from '../test-support/ringing.ts';
import { connectThroughWorker } from '../test-support/room-socket.ts';
import type { CallRecord } from './call-book.ts';
import { lineOf } from './handoff.ts';
import { storeRingCall } from './store.ts';

/** The tab's answer to its `ring`: the `call` or `error` carrying `requestId`, skipping what else it hears. */
async function answerTo(tab: LineSocket, requestId: string) {
  for (;;) {
    const message = await tab.next();
    if ((message.type === 'call' || message.type === 'error') && message.requestId === requestId) return message;
  }
}

describe("the line's `ring`", () => {
  it('rings a mutual contact: the tab gets its call, the callee rings, the rows are written', async () => {
    const { bob, a, b } = await contacts();
    a.send({ type: 'ring', contactId: bob.id, requestId: 'r1' });
    const answer = await answerTo(a, 'r1');
    if (answer.type !== 'call') throw new Error(`refused: ${answer.code}`);
    expect(answer.call).toMatchObject({ direction: 'outgoing', outcome: 'ringing', other: { userId: bob.id } });
    expect(await (b[0] as LineSocket).call()).toMatchObject({ id: answer.call.id, direction: 'incoming' });
    await expect.poll(async () => (await row(answer.call.id))?.outcome).toBe('ringing');
  });

  it('refuses anyone but a mutual contact: not_a_contact, and nothing reaches them', async () => {
    const { alice, carol, a } = await contacts();
    const carolsTab = (await openLine(carol.cookie)).line;
    a.send({ type: 'ring', contactId: carol.id, requestId: 'stranger' });
    expect(await answerTo(a, 'stranger')).toMatchObject({ type: 'error', code: 'not_a_contact' });
    a.send({ type: 'ring', contactId: alice.id, requestId: 'self' });
    expect(await answerTo(a, 'self')).toMatchObject({ type: 'error', code: 'not_a_contact' });
    await carolsTab.expectNothingMore();
  });

  it('a removed contact can no longer be rung once the removal is answered', async () => {
    const { alice, bob, a, b } = await contacts();
    // Through the Worker's own entry, which does not wait for what the response leaves running.
    const removed = await exports.default.fetch(
      new Request(`http://localhost/api/contacts/${bob.id}`, { method: 'DELETE', headers: { cookie: alice.cookie } }),
    );
    expect(removed.status).toBe(204);
    // Both lines had dropped the other from the list they ring from before the answer.
    for (const [user, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const known = await runInDurableObject(lineOf(env, user.id), (_line, state) =>
        state.storage.kv.get(`seen:${other.id}`),
      );
      expect(known).toBeUndefined();
    }
    // At once over HTTP (which does not queue behind the line's own work), then on the line.
    expect((await post('/api/calls', { contactId: bob.id }, { cookie: alice.cookie })).status).toBe(403);
    a.send({ type: 'ring', contactId: bob.id, requestId: 'gone' });
    expect(await answerTo(a, 'gone')).toMatchObject({ type: 'error', code: 'not_a_contact' });
    // Bob's tab hears the contact list change, and no call.
    expect((await (b[0] as LineSocket).skipPresence('contacts-changed')).type).toBe('contacts-changed');
    await (b[0] as LineSocket).expectNothingMore();
  });

  it('counts rings exactly under concurrent rings, over the line and HTTP alike', async () => {
    const { alice, carol, a } = await contacts();
    const ringHttp = async () => {
      const { status } = await post('/api/calls', { contactId: carol.id }, { cookie: alice.cookie });
      return status === 403 ? 'not_a_contact' : status === 429 ? 'rate_limited' : String(status);
    };
    const ringLine = async (requestId: string) => {
      a.send({ type: 'ring', contactId: carol.id, requestId });
      const answer = await answerTo(a, requestId);
      return answer.type === 'error' ? answer.code : answer.type;
    };
    // Rings to a stranger count too. All but the last 10 of the window one after another...
    const first = RINGS_PER_CALLER - 5;
    for (let i = 0; i < first; i++) expect(await (i % 2 ? ringHttp() : ringLine(`s${i}`))).toBe('not_a_contact');
    // ...then 10 at once, half on the line and half over HTTP: exactly 5 get through to the check.
    const ids = Array.from({ length: 5 }, (_, i) => `c${i}`);
    for (const requestId of ids) a.send({ type: 'ring', contactId: carol.id, requestId });
    const overHttp = Promise.all(Array.from({ length: 5 }, ringHttp));
    const codes: string[] = [];
    while (codes.length < ids.length) {
      const message = await a.next();
      if (message.type === 'error' && ids.includes(message.requestId ?? '')) codes.push(message.code);
    }
    codes.push(...(await overHttp));
    expect(codes.filter((code) => code === 'not_a_contact')).toHaveLength(5);
    expect(codes.filter((code) => code === 'rate_limited')).toHaveLength(5);
    const late = await post('/api/calls', { contactId: carol.id }, { cookie: alice.cookie });
    expect(late.status).toBe(429);
    expect(Number(late.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('rows written alongside the ring', () => {
  /** A call rung on Bob's line whose rows are not written yet: what the caller's line does first. */
  async function ringUnstored() {
    const people = await contacts(2);
    const { alice, bob } = people;
    const id = crypto.randomUUID();
    const roomId = newRoomId();
    const view = await lineOf(env, bob.id).ring({
      id,
      roomId,
      caller: { userId: alice.id, username: alice.username },
      callee: { userId: bob.id, username: bob.username },
    });
    expect(view.outcome).toBe('ringing');
    for (const tab of people.b) expect(await tab.call()).toMatchObject({ id, outcome: 'ringing' });
    expect(await people.a.call()).toMatchObject({ id, outcome: 'ringing' });
    const store = () =>
      usingDatabase(env, (db) => storeRingCall(db, { id, roomId, callerId: alice.id, calleeId: bob.id }));
    return { ...people, id, roomId, store };
  }

  it('an accept before the rows exist waits, then answers the call once they are written', async () => {
    const { alice, bob, a, b, id, roomId, store } = await ringUnstored();
    const [b1, b2] = b as [LineSocket, LineSocket];
    b1.send({ type: 'accept', callId: id });
    // Nobody is sent into the room yet; a second accept, a decline or a cancel lost to the first.
    await b1.expectNothingMore();
    await a.expectNothingMore();
    b2.send({ type: 'decline', callId: id });
    expect(await b2.error()).toBe('call_settled');
    a.send({ type: 'cancel', callId: id });
    expect(await a.error()).toBe('call_settled');
    expect(await store()).toBe(true);
    await lineOf(env, bob.id).stored(id, true);
    expect(await b1.call()).toMatchObject({ id, outcome: 'answered', answeredHere: true });
    expect(await b2.call()).toMatchObject({ id, outcome: 'answered', answeredHere: false });
    expect(await a.call()).toMatchObject({ id, outcome: 'answered' });
    expect(await settledRow(id)).toMatchObject({ outcome: 'answered' });
    const inRoom = await connectThroughWorker(roomId, alice.cookie);
    await inRoom.join();
  });

  it('an outcome settled before the rows exist is written once they do', async () => {
    const { bob, a, b, id, store } = await ringUnstored();
    (b[0] as LineSocket).send({ type: 'decline', callId: id });
    expect(await a.call()).toMatchObject({ id, outcome: 'declined' });
    expect(await store()).toBe(true);
    expect((await row(id))?.outcome).toBe('ringing');
    await lineOf(env, bob.id).stored(id, true);
    expect(await settledRow(id)).toMatchObject({ outcome: 'declined' });
  });

  it('rows that could not be written fail the call on both sides, a waiting accept too', async () => {
    const { bob, a, b, id } = await ringUnstored();
    (b[0] as LineSocket).send({ type: 'accept', callId: id });
    await (b[0] as LineSocket).expectNothingMore();
    await lineOf(env, bob.id).stored(id, false);
    for (const tab of b) expect(await tab.call()).toMatchObject({ id, outcome: 'failed' });
    expect(await a.call()).toMatchObject({ id, outcome: 'failed' });
    expect(await row(id)).toBeUndefined();
  });

  it('an accept whose rows never come fails once it waited long enough', async () => {
    const { bob, a, b, id } = await ringUnstored();
    (b[0] as LineSocket).send({ type: 'accept', callId: id });
    await (b[0] as LineSocket).expectNothingMore();
    await runInDurableObject(lineOf(env, bob.id), (_line, state) => {
      const record = state.storage.kv.get<CallRecord>(`call:${id}`);
      expect(record?.acceptedBy).toBeDefined();
      state.storage.kv.put(`call:${id}`, { ...record, deadline: Date.now() - 1 });
    });
    await runDurableObjectAlarm(lineOf(env, bob.id));
    for (const tab of b) expect(await tab.call()).toMatchObject({ id, outcome: 'failed' });
    expect(await a.call()).toMatchObject({ id, outcome: 'failed' });
  });

  it("a contact removed behind the line's back: the ring fails, no room is written", async () => {
    const { alice, bob, a, b } = await contacts();
    // Straight in the database, so the lines never hear of it: only the write still checks.
    await usingDatabase(env, (db) => db.delete(contactRows).where(inArray(contactRows.userId, [alice.id, bob.id])));
    a.send({ type: 'ring', contactId: bob.id, requestId: 'stale' });
    const answer = await answerTo(a, 'stale');
    if (answer.type !== 'call') throw new Error(`refused: ${answer.code}`);
    // The caller hears once the write is done: the call failed.
    const { id, roomId, outcome } = answer.call;
    expect(outcome).toBe('failed');
    expect(await (b[0] as LineSocket).call()).toMatchObject({ id, outcome: 'ringing' });
    expect(await (b[0] as LineSocket).call()).toMatchObject({ id, outcome: 'failed' });
    (b[0] as LineSocket).send({ type: 'accept', callId: id });
    expect(await (b[0] as LineSocket).error()).toBe('call_settled');
    expect(await row(id)).toBeUndefined();
    expect((await call(`/api/rooms/${roomId}`, { cookie: bob.cookie })).status).toBe(404);
  });
});
