/** The contacts API through the whole app, against the real database: every answer, and requests sent at once. */
import { env } from 'cloudflare:workers';
import { and, count, eq, or } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { call, openTestDatabase, post } from '../auth/testing.ts';
import { contactRequests, contacts } from '../db/schema.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';
import { REQUESTS_PER_USER } from './routes.ts';
import { areContacts, contactIds } from './store.ts';

const { db, close } = openTestDatabase();
afterAll(close);

/** A user with a name people could type (the helper's default names hold a '-'). */
const person = () =>
  createSignedInUser(db, env.SESSION_SECRET, `c_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`);
/** Four fresh people; a test names those it needs. */
const people = async (): Promise<[SignedInUser, SignedInUser, SignedInUser, SignedInUser]> =>
  Promise.all([person(), person(), person(), person()]);

const ask = (from: SignedInUser, username: string) => post('/api/contacts', { username }, { cookie: from.cookie });
const answer = (user: SignedInUser, from: SignedInUser, verb: 'accept' | 'decline') =>
  call(`/api/contacts/requests/${from.id}/${verb}`, { method: 'POST', cookie: user.cookie });
const withdraw = (user: SignedInUser, to: SignedInUser | string) =>
  call(`/api/contacts/requests/${typeof to === 'string' ? to : to.id}`, { method: 'DELETE', cookie: user.cookie });
const remove = (user: SignedInUser, contactId: string) =>
  call(`/api/contacts/${contactId}`, { method: 'DELETE', cookie: user.cookie });

interface Listed {
  contacts: { userId: string; username: string; since: string }[];
  incoming: { userId: string; username: string; createdAt: string }[];
  outgoing: { userId: string; username: string; createdAt: string }[];
}
async function list(user: SignedInUser): Promise<Listed> {
  const response = await call('/api/contacts', { cookie: user.cookie });
  expect(response.status).toBe(200);
  return response.json();
}
const ids = (rows: { userId: string }[]) => rows.map((row) => row.userId);

async function expectError(response: Response, status: number, code: string, field?: string) {
  expect(response.status).toBe(status);
  const { error } = (await response.json()) as { error: { code: string; message: string; field?: string } };
  expect(error).toEqual({ code, message: expect.any(String), ...(field ? { field } : {}) });
}

/** Rows the pair has in each table, both directions. */
async function rowsOf(a: SignedInUser, b: SignedInUser) {
  const [c] = await db
    .select({ n: count() })
    .from(contacts)
    .where(
      or(
        and(eq(contacts.userId, a.id), eq(contacts.contactId, b.id)),
        and(eq(contacts.userId, b.id), eq(contacts.contactId, a.id)),
      ),
    );
  const [r] = await db
    .select({ n: count() })
    .from(contactRequests)
    .where(
      or(
        and(eq(contactRequests.fromId, a.id), eq(contactRequests.toId, b.id)),
        and(eq(contactRequests.fromId, b.id), eq(contactRequests.toId, a.id)),
      ),
    );
  return { contacts: c?.n, requests: r?.n };
}

async function makeContacts(a: SignedInUser, b: SignedInUser) {
  expect((await ask(a, b.username)).status).toBe(201);
  expect((await answer(b, a, 'accept')).status).toBe(200);
}

describe('contacts API', () => {
  it('a request waits on both sides until it is accepted; then each is the other’s contact', async () => {
    const [ann, ben] = await people();
    const asked = await ask(ann, ben.username.toUpperCase()); // names are case-insensitive
    expect(asked.status).toBe(201);
    expect(await asked.json()).toEqual({
      request: { userId: ben.id, username: ben.username, createdAt: expect.any(String) },
    });
    expect(await list(ann)).toMatchObject({ contacts: [], incoming: [], outgoing: [{ userId: ben.id }] });
    expect(await list(ben)).toMatchObject({ contacts: [], incoming: [{ userId: ann.id, username: ann.username }] });
    expect(await areContacts(db, ann.id, ben.id)).toBe(false);

    const accepted = await answer(ben, ann, 'accept');
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({
      contact: { userId: ann.id, username: ann.username, since: expect.any(String) },
    });
    expect(await list(ann)).toEqual({
      contacts: [{ userId: ben.id, username: ben.username, since: expect.any(String) }],
      incoming: [],
      outgoing: [],
    });
    expect(ids((await list(ben)).contacts)).toEqual([ann.id]);
    expect(await areContacts(db, ann.id, ben.id)).toBe(true);
    expect(await areContacts(db, ben.id, ann.id)).toBe(true);
    expect(await contactIds(db, ann.id)).toEqual([ben.id]);
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 2, requests: 0 });
  });

  it('lists contacts by name, and only the user’s own', async () => {
    const [me, zed, amy, stranger] = await people();
    await makeContacts(me, zed);
    await makeContacts(amy, me);
    await makeContacts(stranger, zed);
    const names = (await list(me)).contacts.map((c) => c.username);
    expect(names).toEqual([amy.username, zed.username].sort());
    expect((await contactIds(db, me.id)).sort()).toEqual([amy.id, zed.id].sort());
  });

  it('asking someone who already asked you accepts their request', async () => {
    const [ann, ben] = await people();
    await ask(ann, ben.username);
    const response = await ask(ben, ann.username);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      contact: { userId: ann.id, username: ann.username, since: expect.any(String) },
    });
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 2, requests: 0 });
  });

  it('refuses an unknown name, yourself, an existing contact and a pending request, each saying so', async () => {
    const [ann, ben, cat] = await people();
    await expectError(await ask(ann, 'nobody_has_this_name'), 404, 'unknown_user', 'username');
    await expectError(await ask(ann, ann.username), 400, 'self', 'username');
    await makeContacts(ann, ben);
    await expectError(await ask(ann, ben.username), 409, 'already_contact', 'username');
    await expectError(await ask(ben, ann.username), 409, 'already_contact', 'username');
    await ask(ann, cat.username);
    await expectError(await ask(ann, cat.username), 409, 'already_requested', 'username');
    await expectError(await ask(ann, 'no'), 400, 'invalid_input', 'username');
    await expectError(await post('/api/contacts', {}, { cookie: ann.cookie }), 400, 'invalid_input', 'username');
    await expectError(
      await post('/api/contacts', { username: cat.username, extra: 1 }, { cookie: ann.cookie }),
      400,
      'invalid_input',
      'extra',
    );
    expect(await rowsOf(ann, cat)).toEqual({ contacts: 0, requests: 1 });
  });

  it('a declined request is gone, and can be sent again', async () => {
    const [ann, ben] = await people();
    await ask(ann, ben.username);
    expect((await answer(ben, ann, 'decline')).status).toBe(204);
    expect(await list(ann)).toMatchObject({ contacts: [], outgoing: [] });
    expect(await list(ben)).toMatchObject({ contacts: [], incoming: [] });
    await expectError(await answer(ben, ann, 'decline'), 404, 'request_not_found');
    await expectError(await answer(ben, ann, 'accept'), 404, 'request_not_found');
    expect((await ask(ann, ben.username)).status).toBe(201);
  });

  it('a withdrawn request is gone for both, cannot be accepted, and can be sent again', async () => {
    const [ann, ben] = await people();
    await ask(ann, ben.username);
    expect((await withdraw(ann, ben)).status).toBe(204);
    expect(await list(ann)).toMatchObject({ contacts: [], outgoing: [] });
    expect(await list(ben)).toMatchObject({ contacts: [], incoming: [] });
    await expectError(await answer(ben, ann, 'accept'), 404, 'request_not_found');
    await expectError(await withdraw(ann, ben), 404, 'request_not_found');
    expect((await ask(ann, ben.username)).status).toBe(201);
  });

  it('only the one who asked can withdraw a request', async () => {
    const [ann, ben, cat] = await people();
    await ask(ann, ben.username);
    // Ben cannot withdraw Ann's request (he declines it instead), nor can anyone else.
    await expectError(await withdraw(ben, ann), 404, 'request_not_found');
    await expectError(await withdraw(cat, ben), 404, 'request_not_found');
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 0, requests: 1 });
  });

  it('only the one asked can answer a request', async () => {
    const [ann, ben] = await people();
    await ask(ann, ben.username);
    // Ann cannot accept her own request on Ben's behalf: there is no request from Ben to her.
    await expectError(await answer(ann, ben, 'accept'), 404, 'request_not_found');
    await expectError(await answer(ann, ben, 'decline'), 404, 'request_not_found');
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 0, requests: 1 });
  });

  it('removing a contact ends it both ways', async () => {
    const [ann, ben] = await people();
    await makeContacts(ann, ben);
    expect((await remove(ben, ann.id)).status).toBe(204);
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 0, requests: 0 });
    expect((await list(ann)).contacts).toEqual([]);
    await expectError(await remove(ann, ben.id), 404, 'contact_not_found');
    expect((await ask(ann, ben.username)).status).toBe(201);
  });

  it('answers ids that are not users, or not in the path’s sense, with 404', async () => {
    const [ann] = await people();
    for (const id of ['nope', crypto.randomUUID(), crypto.randomUUID().toUpperCase(), '%00', `${ann.id}x`]) {
      await expectError(
        await call(`/api/contacts/requests/${id}/accept`, { method: 'POST', cookie: ann.cookie }),
        404,
        'request_not_found',
      );
      await expectError(
        await call(`/api/contacts/requests/${id}/decline`, { method: 'POST', cookie: ann.cookie }),
        404,
        'request_not_found',
      );
      await expectError(await withdraw(ann, id), 404, 'request_not_found');
      await expectError(await remove(ann, id), 404, 'contact_not_found');
    }
  });

  it('requires a session everywhere, and refuses changes from another origin', async () => {
    const [ann, ben] = await people();
    const someone = crypto.randomUUID();
    for (const [method, path] of [
      ['GET', '/api/contacts'],
      ['POST', '/api/contacts'],
      ['POST', `/api/contacts/requests/${someone}/accept`],
      ['POST', `/api/contacts/requests/${someone}/decline`],
      ['DELETE', `/api/contacts/requests/${someone}`],
      ['DELETE', `/api/contacts/${someone}`],
    ] as const) {
      const json = method === 'GET' ? undefined : { username: 'someone' };
      await expectError(await call(path, { method, json }), 401, 'unauthenticated');
    }
    const forged = await post(
      '/api/contacts',
      { username: ben.username },
      {
        cookie: ann.cookie,
        headers: { origin: 'https://evil.example' },
      },
    );
    expect(forged.status).toBe(403);
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 0, requests: 0 });
  });
});

describe('requests sent at once', () => {
  it('two people asking each other at the same moment end as contacts, with no duplicate rows', async () => {
    const crowds = await Promise.all([people(), people(), people(), people()]);
    const pairs = crowds.flatMap(([a, b, c, d]) => [[a, b] as const, [c, d] as const]);
    const answers = await Promise.all(pairs.flatMap(([a, b]) => [ask(a, b.username), ask(b, a.username)]));
    for (const [a, b] of pairs) {
      expect(await rowsOf(a, b)).toEqual({ contacts: 2, requests: 0 });
    }
    // Per pair: one request was made, and the other accepted it.
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(8).fill(200), ...Array(8).fill(201)]);
  });

  it('the same request sent many times at once is made once', async () => {
    const [ann, ben] = await people();
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask(ann, ben.username)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 0, requests: 1 });
  });

  it('accepting and asking back at once make one contact', async () => {
    const [ann, ben] = await people();
    await ask(ann, ben.username);
    const [accepted, askedBack] = await Promise.all([answer(ben, ann, 'accept'), ask(ben, ann.username)]);
    // Whichever ran first made them contacts; the other found a contact (409) or no request (404).
    expect([accepted.status, askedBack.status].sort()).toEqual(accepted.status === 200 ? [200, 409] : [200, 404]);
    expect(await rowsOf(ann, ben)).toEqual({ contacts: 2, requests: 0 });
  });

  it(`throttles requests per user: ${REQUESTS_PER_USER.max} an hour, counted before the work, even at once`, async () => {
    const [busy, calm] = await people();
    const attempts = await Promise.all(
      Array.from({ length: REQUESTS_PER_USER.max + 5 }, (_, i) => ask(busy, `nobody_${i}`)),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(REQUESTS_PER_USER.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const refused = attempts.find((r) => r.status === 429) as Response;
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectError(refused, 429, 'rate_limited');
    expect((await ask(calm, 'nobody_at_all')).status).toBe(404);
  });
});
