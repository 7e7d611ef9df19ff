/**
 * Ringing, through the Worker and real lines: `POST /api/calls`, every outcome, the races the
 * callee's line settles to one outcome, the `calls` rows, and who may open a rung call's room.
 * The 30-second timeout is not waited for: the tests move the call's deadline back and run the
 * line's alarm by hand.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { CallView } from '../../protocol/user-line.ts';
import { call, post } from '../auth/testing.ts';
import type { SignedInUser } from '../test-support/accounts.ts';
import { type LineSocket, makeContacts, openLine } from '../test-support/line-socket.ts';
import { contacts, people, row, settledRow } from '../test-support/ringing.ts';
import { connectThroughWorker } from '../test-support/room-socket.ts';
import type { CallRecord } from './call-book.ts';
import { lineOf } from './handoff.ts';

async function ring(from: SignedInUser, to: SignedInUser): Promise<Response> {
  return post('/api/calls', { contactId: to.id }, { cookie: from.cookie });
}

/** Alice rings Bob; every tab has heard it ring. */
async function ringing(bobTabs = 1) {
  const people = await contacts(bobTabs);
  const response = await ring(people.alice, people.bob);
  expect(response.status).toBe(201);
  const { call: view } = (await response.json()) as { call: CallView };
  expect(view).toMatchObject({ direction: 'outgoing', outcome: 'ringing', other: { userId: people.bob.id } });
  for (const tab of people.b) {
    expect(await tab.call()).toEqual({
      ...view,
      direction: 'incoming',
      other: { userId: people.alice.id, username: people.alice.username },
    });
  }
  expect(await people.a.call()).toEqual(view);
  return { ...people, view };
}

/** The call's deadline has passed, as far as Bob's line knows. */
async function deadlinePassed(bobId: string, callId: string) {
  await runInDurableObject(lineOf(env, bobId), (_line, state) => {
    const key = `call:${callId}`;
    const record = state.storage.kv.get<CallRecord>(key);
    if (record) state.storage.kv.put(key, { ...record, deadline: Date.now() - 1 });
  });
}

describe('POST /api/calls', () => {
  it('rings every tab of the callee; accepting in one stops the others and the caller hears it', async () => {
    const { a, b, view } = await ringing(2);
    const [b1, b2] = b as [LineSocket, LineSocket];
    b1.send({ type: 'accept', callId: view.id });
    expect(await b1.call()).toMatchObject({ outcome: 'answered', answeredHere: true });
    expect(await b2.call()).toMatchObject({ outcome: 'answered', answeredHere: false });
    expect(await a.call()).toEqual({ ...view, outcome: 'answered' });
    b2.send({ type: 'accept', callId: view.id });
    expect(await b2.error()).toBe('call_settled');
    const answered = await settledRow(view.id);
    expect(answered).toMatchObject({ kind: 'ring', outcome: 'answered', endedAt: null });
    expect(answered?.answeredAt).toBeInstanceOf(Date);
  });

  it('an answered call ends when one of the two leaves its room: the row gets its duration', async () => {
    const { alice, bob, b, view } = await ringing();
    (b[0] as LineSocket).send({ type: 'accept', callId: view.id });
    await settledRow(view.id);
    const inRoomA = await connectThroughWorker(view.roomId, alice.cookie);
    await inRoomA.join();
    const inRoomB = await connectThroughWorker(view.roomId, bob.cookie);
    await inRoomB.join();
    expect((await row(view.id))?.endedAt).toBeNull();
    inRoomB.send({ type: 'bye' });
    await expect.poll(async () => (await row(view.id))?.endedAt).toBeInstanceOf(Date);
    const ended = await row(view.id);
    expect(ended?.endedAt?.getTime()).toBeGreaterThanOrEqual(ended?.answeredAt?.getTime() ?? Infinity);
  });

  it('refuses anyone but a mutual contact with 403, and nothing reaches the callee', async () => {
    const { carol, bob, b } = await contacts();
    const response = await ring(carol, bob);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'not_a_contact' } });
    await (b[0] as LineSocket).expectNothingMore();
    const self = await ring(bob, bob);
    expect(self.status).toBe(403);
  });

  it('validates the body', async () => {
    const [alice] = (await people(1)) as [SignedInUser];
    const response = await post('/api/calls', { contactId: 'nobody' }, { cookie: alice.cookie });
    expect(response.status).toBe(400);
    expect((await post('/api/calls', { contactId: alice.id })).status).toBe(401);
  });

  it('throttles rings per caller: 429 past the limit, whoever they ring', async () => {
    const [alice, bob] = (await people(2)) as [SignedInUser, SignedInUser];
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await ring(alice, bob)).status);
    expect(statuses.slice(0, 60).every((s) => s === 403)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('settles offline at once when the callee has no tab open: a missed call', async () => {
    const [alice, bob] = (await people(2)) as [SignedInUser, SignedInUser];
    await makeContacts(alice.id, bob.id);
    const response = await ring(alice, bob);
    const { call: view } = (await response.json()) as { call: CallView };
    expect(view.outcome).toBe('offline');
    expect(await settledRow(view.id)).toMatchObject({ outcome: 'offline', answeredAt: null });
  });

  it('is busy when the callee is in a call: the caller hears it, the callee gets a quiet notice', async () => {
    const { alice, bob, a, b } = await contacts();
    await lineOf(env, bob.id).seated('some-room', true, 1);
    const { call: view } = (await (await ring(alice, bob)).json()) as { call: CallView };
    expect(view.outcome).toBe('busy');
    expect(await (b[0] as LineSocket).call()).toMatchObject({ id: view.id, outcome: 'busy', direction: 'incoming' });
    expect(await a.call()).toMatchObject({ id: view.id, outcome: 'busy' });
    expect(await settledRow(view.id)).toMatchObject({ outcome: 'busy' });
  });

  it('is busy when another call rings for the callee', async () => {
    const { carol, bob, b } = await ringing();
    await makeContacts(carol.id, bob.id);
    const { call: second } = (await (await ring(carol, bob)).json()) as { call: CallView };
    expect(second.outcome).toBe('busy');
    expect(await (b[0] as LineSocket).call()).toMatchObject({ id: second.id, outcome: 'busy' });
  });

  it('lets only the caller and the callee open the call room', async () => {
    const { alice, bob, carol, view } = await ringing();
    expect((await call(`/api/rooms/${view.roomId}`, { cookie: carol.cookie })).status).toBe(403);
    const ws = await call(`/api/rooms/${view.roomId}/ws`, { cookie: carol.cookie, headers: { upgrade: 'websocket' } });
    expect(ws.status).toBe(403);
    expect((await call(`/api/rooms/${view.roomId}`, { cookie: alice.cookie })).status).toBe(200);
    expect((await call(`/api/rooms/${view.roomId}`, { cookie: bob.cookie })).status).toBe(200);
  });
});

describe('each outcome', () => {
  it('decline: the caller hears it', async () => {
    const { a, b, view } = await ringing();
    (b[0] as LineSocket).send({ type: 'decline', callId: view.id });
    expect(await (b[0] as LineSocket).call()).toMatchObject({ outcome: 'declined' });
    expect(await a.call()).toMatchObject({ outcome: 'declined' });
    expect(await settledRow(view.id)).toMatchObject({ outcome: 'declined' });
  });

  it('cancel: the ringing stops in every tab, a missed call', async () => {
    const { a, b, view } = await ringing(2);
    a.send({ type: 'cancel', callId: view.id });
    for (const tab of b) expect(await tab.call()).toMatchObject({ outcome: 'cancelled' });
    expect(await a.call()).toMatchObject({ outcome: 'cancelled' });
    expect(await settledRow(view.id)).toMatchObject({ outcome: 'cancelled' });
  });

  it('no answer: the alarm settles it once the deadline passed', async () => {
    const { bob, a, b, view } = await ringing();
    expect(await runInDurableObject(lineOf(env, bob.id), (_l, state) => state.storage.getAlarm())).not.toBeNull();
    await deadlinePassed(bob.id, view.id);
    await runDurableObjectAlarm(lineOf(env, bob.id));
    expect(await (b[0] as LineSocket).call()).toMatchObject({ outcome: 'no_answer' });
    expect(await a.call()).toMatchObject({ outcome: 'no_answer' });
    expect(await settledRow(view.id)).toMatchObject({ outcome: 'no_answer' });
  });

  it('refuses accept from the caller and cancel from the callee: unknown_call', async () => {
    const { a, b, view } = await ringing();
    a.send({ type: 'accept', callId: view.id });
    expect(await a.error()).toBe('unknown_call');
    (b[0] as LineSocket).send({ type: 'cancel', callId: view.id });
    expect(await (b[0] as LineSocket).error()).toBe('unknown_call');
    (b[0] as LineSocket).send({ type: 'accept', callId: crypto.randomUUID() });
    expect(await (b[0] as LineSocket).error()).toBe('unknown_call');
  });

  it('a tab opened while it rings rings too', async () => {
    const { bob, view } = await ringing();
    const late = (await openLine(bob.cookie)).line;
    expect(await late.call()).toMatchObject({ id: view.id, outcome: 'ringing', direction: 'incoming' });
  });
});

/**
 * The next `call` on a tab, and the `error`s that came before it: a message that lost a race may
 * hear `call_settled` before the winner's outcome (an accept that won waits for the call's rows).
 */
async function nextCall(tab: LineSocket): Promise<{ call: CallView; errors: string[] }> {
  const errors: string[] = [];
  for (;;) {
    const message = await tab.next();
    if (message.type === 'call') return { call: message.call, errors };
    if (message.type === 'error') errors.push(message.code);
    else if (message.type !== 'presence') throw new Error(`expected call, got ${JSON.stringify(message)}`);
  }
}

/** Two messages sent at once: exactly one outcome, the same for every tab, the caller and the row. */
async function race(send: (x: Awaited<ReturnType<typeof ringing>>) => Promise<unknown>, outcomes: string[]) {
  const x = await ringing(2);
  await send(x);
  const heard = [await nextCall(x.b[0] as LineSocket), await nextCall(x.b[1] as LineSocket), await nextCall(x.a)];
  const seen = heard.map(({ call }) => call);
  const outcome = seen[0]?.outcome as string;
  expect(outcomes).toContain(outcome);
  expect(seen.map((v) => v.outcome)).toEqual([outcome, outcome, outcome]);
  expect((await settledRow(x.view.id))?.outcome).toBe(outcome);
  /** The `call_settled` a tab heard, before the outcome or after it. */
  const lost = async (tab: number) =>
    (heard[tab]?.errors ?? []).includes('call_settled') ||
    (await [x.b[0], x.b[1], x.a][tab]?.error()) === 'call_settled';
  return { ...x, outcome, seen, lost };
}

describe('races settle to one outcome', () => {
  it('accept against cancel', async () => {
    for (let i = 0; i < 3; i++) {
      const { outcome, lost } = await race(
        async ({ a, b, view }) => {
          (b[0] as LineSocket).send({ type: 'accept', callId: view.id });
          a.send({ type: 'cancel', callId: view.id });
        },
        ['answered', 'cancelled'],
      );
      expect(await lost(outcome === 'answered' ? 2 : 0)).toBe(true);
    }
  });

  it('accept against the timeout', async () => {
    for (let i = 0; i < 3; i++) {
      await race(
        async ({ bob, b, view }) => {
          await deadlinePassed(bob.id, view.id);
          (b[0] as LineSocket).send({ type: 'accept', callId: view.id });
          await runDurableObjectAlarm(lineOf(env, bob.id));
        },
        ['answered', 'no_answer'],
      );
    }
  });

  it('accept in two tabs at once: one of them answered it', async () => {
    for (let i = 0; i < 3; i++) {
      const { seen } = await race(
        async ({ b, view }) => {
          for (const tab of b) tab.send({ type: 'accept', callId: view.id });
        },
        ['answered'],
      );
      expect(
        seen
          .slice(0, 2)
          .map((v) => v.answeredHere)
          .sort(),
      ).toEqual([false, true]);
    }
  });

  it('decline in one tab and accept in another', async () => {
    for (let i = 0; i < 3; i++) {
      await race(
        async ({ b, view }) => {
          (b[0] as LineSocket).send({ type: 'decline', callId: view.id });
          (b[1] as LineSocket).send({ type: 'accept', callId: view.id });
        },
        ['answered', 'declined'],
      );
    }
  });

  it('two people cancelling their calls to each other at once: neither line waits for the other', async () => {
    const { alice, bob, a, b, view } = await ringing();
    // Bob's call to Alice rang too (both rang at the same moment, before either line knew of the other).
    const back: CallRecord = {
      call: {
        ...view,
        id: crypto.randomUUID(),
        direction: 'incoming',
        other: { userId: bob.id, username: bob.username },
      },
      me: { userId: alice.id, username: alice.username },
      deadline: Date.now() + 60_000,
      changedAt: Date.now(),
    };
    await runInDurableObject(lineOf(env, alice.id), (_l, state) => state.storage.kv.put(`call:${back.call.id}`, back));
    await runInDurableObject(lineOf(env, bob.id), (_l, state) =>
      state.storage.kv.put(`call:${back.call.id}`, {
        call: { ...back.call, direction: 'outgoing', other: back.me },
        changedAt: Date.now(),
      }),
    );
    a.send({ type: 'cancel', callId: view.id });
    (b[0] as LineSocket).send({ type: 'cancel', callId: back.call.id });
    const aliceHeard = [await a.call(), await a.call()].map((v) => [v.id, v.outcome]);
    expect(aliceHeard.sort()).toEqual(
      [
        [view.id, 'cancelled'],
        [back.call.id, 'cancelled'],
      ].sort(),
    );
  });
});
