/**
 * The call history API against the real database: what a page says, paging (generated histories
 * walked with generated page sizes, ties in time included), generated bad queries, missed calls.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallOutcome, MISSED_OUTCOMES } from '../../protocol/calls.ts';
import { call, openTestDatabase } from '../auth/testing.ts';
import { calls } from '../db/schema.ts';
import { createRoom } from '../rooms/store.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';

const { db, close } = openTestDatabase();
afterAll(close);

let roomId: string;
beforeAll(async () => {
  const owner = await createSignedInUser(db, env.SESSION_SECRET);
  roomId = (await createRoom(db, owner.id)).id;
});

const person = () => createSignedInUser(db, env.SESSION_SECRET);

interface Page {
  calls: {
    id: string;
    kind: string;
    direction: string;
    other: { userId: string; username: string };
    outcome: string;
    createdAt: string;
    durationSeconds: number | null;
  }[];
  next: string | null;
}

async function page(user: SignedInUser, query = ''): Promise<Page> {
  const response = await call(`/api/calls${query}`, { cookie: user.cookie });
  expect(response.status).toBe(200);
  return response.json();
}

interface Made {
  callerId: string;
  calleeId: string;
  outcome?: CallOutcome;
  /** Microseconds since 1970. */
  at: bigint;
  answeredSecondsAfter?: number;
  endedSecondsAfter?: number;
}

const atMicros = (micros: bigint) => sql`timestamptz 'epoch' + ${micros.toString()}::bigint * interval '1 microsecond'`;

async function make(made: Made): Promise<string> {
  const createdAt = atMicros(made.at);
  const later = (seconds?: number) =>
    seconds === undefined ? null : sql`${createdAt} + make_interval(secs => ${seconds})`;
  const [row] = await db
    .insert(calls)
    .values({
      kind: 'ring',
      callerId: made.callerId,
      calleeId: made.calleeId,
      roomId,
      outcome: made.outcome ?? 'answered',
      createdAt,
      answeredAt: later(made.answeredSecondsAfter),
      endedAt: later(made.endedSecondsAfter),
    })
    .returning({ id: calls.id });
  if (!row) throw new Error('call insert returned nothing');
  return row.id;
}

const NOW = BigInt(Date.now()) * 1000n;

describe('call history', () => {
  it('tells, newest first, who, which way, how it ended, when, and how long answered calls lasted', async () => {
    const [me, ann, ben] = await Promise.all([person(), person(), person()]);
    const answered = await make({
      callerId: me.id,
      calleeId: ann.id,
      at: NOW - 3_000_000n,
      answeredSecondsAfter: 4,
      endedSecondsAfter: 94.6,
    });
    const missed = await make({ callerId: ben.id, calleeId: me.id, outcome: 'no_answer', at: NOW - 2_000_000n });
    const ongoing = await make({ callerId: ann.id, calleeId: me.id, at: NOW - 1_000_000n, answeredSecondsAfter: 1 });
    await make({ callerId: ann.id, calleeId: ben.id, at: NOW }); // not mine

    const { calls: listed, next } = await page(me);
    expect(next).toBeNull();
    expect(listed).toEqual([
      {
        id: ongoing,
        kind: 'ring',
        direction: 'incoming',
        other: { userId: ann.id, username: ann.username },
        outcome: 'answered',
        createdAt: new Date(Number((NOW - 1_000_000n) / 1000n)).toISOString(),
        durationSeconds: null,
      },
      expect.objectContaining({ id: missed, direction: 'incoming', outcome: 'no_answer', durationSeconds: null }),
      expect.objectContaining({
        id: answered,
        direction: 'outgoing',
        other: { userId: ann.id, username: ann.username },
        durationSeconds: 91,
      }),
    ]);
    expect((await page(ben)).calls.map((c) => c.id)).toEqual([expect.any(String), missed]);
  });

  it('pages through any history in order, never repeating or skipping a call, ties in time included', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Offsets in microseconds from a few distinct instants, so many calls share a time.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.boolean()), { minLength: 0, maxLength: 25 }),
        fc.integer({ min: 1, max: 7 }),
        async (shape, limit) => {
          const [me, other] = await Promise.all([person(), person()]);
          const made: { id: string; at: bigint }[] = [];
          for (const [instant, outgoing] of shape) {
            const at = NOW - BigInt(instant) * 1_000_001n;
            const [callerId, calleeId] = outgoing ? [me.id, other.id] : [other.id, me.id];
            made.push({ id: await make({ callerId, calleeId, at }), at });
          }
          const expected = made
            .sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1))
            .map((c) => c.id);
          const seen: string[] = [];
          let before: string | null = null;
          do {
            const query: string = `?limit=${limit}${before ? `&before=${before}` : ''}`;
            const result = await page(me, query);
            expect(result.calls.length).toBeLessThanOrEqual(limit);
            seen.push(...result.calls.map((c) => c.id));
            before = result.next;
          } while (before && seen.length <= made.length);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('refuses generated bad queries with a 400 naming the parameter', async () => {
    const [me] = await Promise.all([person()]);
    const goodCursor = `${NOW}_${crypto.randomUUID()}`;
    const badLimit = fc.oneof(
      fc.constantFrom('0', '51', '-1', '1.5', '1e1', '', ' 5', '999', '0x10', 'NaN'),
      fc.string().filter((s) => !/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 50),
    );
    const badCursor = fc.oneof(
      fc.constantFrom('', '_', `${NOW}`, `${NOW}_not-a-uuid`, `-1_${crypto.randomUUID()}`, `${goodCursor}x`),
      fc.string().filter((s) => !/^\d{1,17}_[0-9a-f-]{36}$/.test(s)),
    );
    const badQuery = fc.oneof(
      badLimit.map((limit) => ({ query: `limit=${encodeURIComponent(limit)}`, field: 'limit' })),
      badCursor.map((before) => ({ query: `before=${encodeURIComponent(before)}`, field: 'before' })),
      fc.constant({ query: 'limit=5&limit=6', field: 'limit' }),
      fc.string({ minLength: 1 }).map((name) => ({ query: `x${encodeURIComponent(name)}=1`, field: undefined })),
    );
    await fc.assert(
      fc.asyncProperty(badQuery, async ({ query, field }) => {
        const response = await call(`/api/calls?${query}`, { cookie: me.cookie });
        expect(response.status).toBe(400);
        const { error } = (await response.json()) as { error: { code: string; field?: string } };
        expect(error.code).toBe('invalid_input');
        if (field) expect(error.field).toBe(field);
      }),
      { numRuns: 100 },
    );
    expect((await page(me, `?before=${goodCursor}&limit=50`)).calls).toEqual([]);
  }, 60_000);

  it('requires a session', async () => {
    for (const [method, path] of [
      ['GET', '/api/calls'],
      ['GET', '/api/calls/missed'],
      ['POST', '/api/calls/missed/seen'],
    ] as const) {
      expect((await call(path, { method })).status).toBe(401);
    }
  });
});

describe('missed calls', () => {
  const missed = async (user: SignedInUser) =>
    ((await (await call('/api/calls/missed', { cookie: user.cookie })).json()) as { count: number }).count;

  it('counts the unanswered calls the user received until they are seen', async () => {
    const [me, ann] = await Promise.all([person(), person()]);
    for (const outcome of MISSED_OUTCOMES) await make({ callerId: ann.id, calleeId: me.id, outcome, at: NOW });
    // Not missed: answered, declined by me, still ringing, or calls I made.
    for (const outcome of ['answered', 'declined', 'ringing'] as const) {
      await make({ callerId: ann.id, calleeId: me.id, outcome, at: NOW });
    }
    await make({ callerId: me.id, calleeId: ann.id, outcome: 'no_answer', at: NOW });
    expect(await missed(me)).toBe(MISSED_OUTCOMES.length);
    expect(await missed(ann)).toBe(1);

    const seen = await call('/api/calls/missed/seen', { method: 'POST', cookie: me.cookie });
    expect(seen.status).toBe(204);
    expect(await missed(me)).toBe(0);
    expect(await missed(ann)).toBe(1);
    await make({ callerId: ann.id, calleeId: me.id, outcome: 'busy', at: NOW });
    expect(await missed(me)).toBe(1);
  });
});
