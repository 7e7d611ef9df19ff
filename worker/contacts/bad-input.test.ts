/**
 * Generated bad input to the contacts API: bodies broken every way badRequests knows, and path ids
 * of any shape. Each gets a 4xx JSON error, never a 5xx, and nothing is stored: the valid body the
 * generator starts from names a real person, so a bad request wrongly accepted would leave a request.
 */
import { env } from 'cloudflare:workers';
import { eq, or } from 'drizzle-orm';
import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContactRequestSchema } from '../../protocol/contacts.ts';
import { badRequests, formOf } from '../auth/bad-requests.ts';
import { call, openTestDatabase } from '../auth/testing.ts';
import { contactRequests, contacts } from '../db/schema.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';

const { db, close } = openTestDatabase();
afterAll(close);

/** Each run reads a session and often the database: a few hundred take minutes on a loaded machine. */
const RUNS = 150;
const LONG = 300_000;
let sender: SignedInUser;
let target: SignedInUser;

beforeAll(async () => {
  const name = () => `c_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
  [sender, target] = await Promise.all([
    createSignedInUser(db, env.SESSION_SECRET, name()),
    createSignedInUser(db, env.SESSION_SECRET, name()),
  ]);
});

async function expectClientError(response: Response): Promise<void> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  expect(error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

const storedBySender = () =>
  Promise.all([
    db
      .select()
      .from(contactRequests)
      .where(or(eq(contactRequests.fromId, sender.id), eq(contactRequests.toId, sender.id))),
    db.select().from(contacts).where(eq(contacts.userId, sender.id)),
  ]);

it(
  `refuses ${RUNS} generated bad contact requests with a 4xx JSON error, storing nothing`,
  async () => {
    const property = fc.asyncProperty(badRequests({ username: target.username }, { username: 32 }), async (request) => {
      fc.pre(!request.maybeValid || !v.safeParse(ContactRequestSchema, formOf(request)).success);
      const headers: Record<string, string> =
        request.contentType === null ? {} : { 'content-type': request.contentType };
      const body = typeof request.body === 'function' ? request.body() : request.body;
      await expectClientError(await call('/api/contacts', { method: 'POST', body, headers, cookie: sender.cookie }));
    });
    await fc.assert(property, { numRuns: RUNS });
    expect(await storedBySender()).toEqual([[], []]);
  },
  LONG,
);

it(
  `answers ${RUNS} generated ids in contacts paths with a 4xx, storing nothing`,
  async () => {
    const id = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
      fc.uuid().map((uuid) => uuid.toUpperCase()),
      fc.uuid(),
    );
    const path = fc.tuple(id, fc.constantFrom('accept', 'decline', 'withdraw', 'delete')).map(([raw, verb]) => {
      const segment = encodeURIComponent(raw);
      if (verb === 'delete') return { method: 'DELETE', path: `/api/contacts/${segment}` };
      if (verb === 'withdraw') return { method: 'DELETE', path: `/api/contacts/requests/${segment}` };
      return { method: 'POST', path: `/api/contacts/requests/${segment}/${verb}` };
    });
    await fc.assert(
      fc.asyncProperty(path, async ({ method, path }) => {
        await expectClientError(await call(path, { method, cookie: sender.cookie }));
      }),
      { numRuns: RUNS },
    );
    expect(await storedBySender()).toEqual([[], []]);
  },
  LONG,
);
