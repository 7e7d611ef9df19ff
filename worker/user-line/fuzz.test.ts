/**
 * 10,000 generated bad messages against a live line: malformed frames, well-formed `accept`,
 * `decline` and `cancel` of calls that do not exist, and `ring`s of people who are not contacts
 * (refused, then over the ring limit). The attacker's tabs each send MAX_STRIKES of them; every one must be answered with an `error`, none may reach anyone else: not the
 * attacker's own other tab, not the contact whose line is open. Then the lines still work.
 */
import fc from 'fast-check';
import { expect, it, onTestFinished } from 'vitest';
import {
  LineClientMessageSchema,
  LineCloseCode,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGES_PER_SECOND,
  PING,
  PING_INTERVAL_MS,
  parseMessage,
} from '../../protocol/user-line.ts';
import { makeContacts, openLineDirectly } from '../test-support/line-socket.ts';
import { sessionOf } from '../test-support/room-socket.ts';

/** The line's MAX_STRIKES: one more refused message closes the tab. */
const STRIKES = 50;
/** What the line answers a bad message with: none of them is delivered anywhere. */
const REFUSALS = ['bad_message', 'unknown_call', 'not_a_contact', 'rate_limited'];
const BATCHES = 200;

const id = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 64 }));
const forged = fc
  .oneof(
    fc.record({ type: fc.constantFrom('accept', 'decline', 'cancel'), callId: id }),
    fc.record({ type: fc.constant('ring'), contactId: fc.uuid(), requestId: id }),
  )
  .map((message) => JSON.stringify(message));

/** A valid message broken in one place. */
const broken = fc
  .tuple(forged, fc.jsonValue(), fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('set', 'delete', 'add'))
  .map(([text, junk, key, how]) => {
    const message = JSON.parse(text) as Record<string, unknown>;
    const field = key.length % 2 === 0 ? 'type' : 'callId';
    if (how === 'set') message[field] = junk;
    else if (how === 'delete') delete message[field];
    else message[`${key}_`] = junk;
    return JSON.stringify(message);
  });

const malformed = fc
  .oneof(
    broken,
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('{', '[]', 'null', '"accept"', '{"type":"accept"}', '{"type":"ring","callId":"x"}'),
  )
  .filter(
    (text) => text !== PING && text.length * 3 <= MAX_MESSAGE_BYTES && !parseMessage(LineClientMessageSchema, text),
  );

const bad = fc.oneof(malformed, forged);

it('survives 10,000 bad messages and delivers none of them to anyone', { timeout: 300_000 }, async () => {
  const attacker = { id: crypto.randomUUID(), username: 'mallory' };
  const victim = { id: crypto.randomUUID(), username: 'victim' };
  await Promise.all([sessionOf(attacker), sessionOf(victim)]);
  await makeContacts(attacker.id, victim.id);
  const watcher = await openLineDirectly(victim);
  expect(await watcher.next('presence')).toEqual({
    type: 'presence',
    contacts: [{ userId: attacker.id, presence: 'offline' }],
  });
  const honest = await openLineDirectly(attacker);
  await honest.next('presence');
  expect(await watcher.next('presence')).toMatchObject({ contacts: [{ userId: attacker.id, presence: 'online' }] });
  // On a busy machine the run outlasts the liveness window: both stay alive meanwhile.
  const pings = setInterval(() => {
    watcher.send(PING);
    honest.send(PING);
  }, PING_INTERVAL_MS);
  onTestFinished(() => clearInterval(pings));

  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(bad, { minLength: STRIKES, maxLength: STRIKES }), async (batch) => {
      const tab = await openLineDirectly(attacker);
      await tab.next('presence');
      for (const text of batch) tab.send(text);
      for (const _ of batch) expect(REFUSALS).toContain(await tab.error());
      sent += batch.length;
      if (sent < STRIKES * BATCHES) {
        tab.ws.close(1000);
        await tab.closed;
      } else {
        // Refused rings are no strikes: invalid messages, slower than the rate limit (whose bucket
        // the burst emptied), until the last tab is cut off.
        let closed = false;
        void tab.closed.then(() => {
          closed = true;
        });
        for (let more = 0; more <= STRIKES && !closed; more++) {
          await new Promise((resolve) => setTimeout(resolve, 2_000 / MAX_MESSAGES_PER_SECOND));
          tab.send('{"type":"nonsense"}');
          await Promise.race([tab.error(), tab.closed]).catch(() => {});
        }
        expect((await tab.closed).code).toBe(LineCloseCode.PolicyViolation);
      }
    }),
    { numRuns: BATCHES, seed: 20261203, endOnFailure: true },
  );
  expect(sent).toBeGreaterThanOrEqual(10_000);

  // Nobody heard a thing but their own PONGs.
  for (const socket of [watcher, honest]) {
    expect(socket.drain().filter((raw) => raw !== 'pong')).toEqual([]);
  }
  // And presence still flows: the attacker's last tab closes, the victim sees them offline.
  honest.ws.close(1000);
  expect(await watcher.skipPresence('presence')).toMatchObject({
    contacts: [{ userId: attacker.id, presence: 'offline' }],
  });
});
