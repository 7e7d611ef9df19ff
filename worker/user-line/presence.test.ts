/**
 * Presence through real lines and a real call room: contacts see each other come online, sit in a
 * call, leave it and go offline, pushed as it happens; nobody else sees it; a second tab changes
 * nothing; the contact list changing is followed; and the line's own limits (sessions, tabs).
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq, or } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LineCloseCode, MAX_TABS, SESSION_CHECK_INTERVAL_MS } from '../../protocol/user-line.ts';
import { call, openTestDatabase } from '../auth/testing.ts';
import { contacts } from '../db/schema.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';
import { makeContacts, openLine, openLineDirectly } from '../test-support/line-socket.ts';
import { connectThroughWorker } from '../test-support/room-socket.ts';
import { lineOf } from './handoff.ts';

async function people(count: number): Promise<SignedInUser[]> {
  const { db, close } = openTestDatabase();
  try {
    return await Promise.all(Array.from({ length: count }, () => createSignedInUser(db, env.SESSION_SECRET)));
  } finally {
    await close();
  }
}

/** A room of the user's own, through the rooms API. */
async function newRoom(user: SignedInUser): Promise<string> {
  const response = await call('/api/rooms', { method: 'POST', cookie: user.cookie });
  return ((await response.json()) as { id: string }).id;
}

const presenceOf = (userId: string, presence: string) => ({ type: 'presence', contacts: [{ userId, presence }] });

describe('presence', () => {
  it('is pushed to contacts as it changes: online, in a call, back, offline; nobody else sees it', async () => {
    const [alice, bob, carol] = (await people(3)) as [SignedInUser, SignedInUser, SignedInUser];
    await makeContacts(alice.id, bob.id);
    const a = await openLine(alice.cookie);
    expect(a.presence).toEqual(presenceOf(bob.id, 'offline'));
    const c = await openLine(carol.cookie);
    expect(c.presence).toEqual({ type: 'presence', contacts: [] });

    const b = await openLine(bob.cookie);
    expect(b.presence).toEqual(presenceOf(alice.id, 'online'));
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'online'));

    // A second tab changes nothing for anyone.
    const b2 = await openLine(bob.cookie);
    expect(b2.presence).toEqual(presenceOf(alice.id, 'online'));
    await a.line.expectNothingMore();

    // Seated in a call room (a real one), then out of it.
    const room = await connectThroughWorker(await newRoom(bob), bob.cookie);
    await room.join();
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'in-call'));
    room.send({ type: 'bye' });
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'online'));

    b.line.ws.close(1000);
    await a.line.expectNothingMore();
    b2.line.ws.close(1000);
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'offline'));
    await c.line.expectNothingMore();
  });

  it('a reload that takes over its own seat is not a change', async () => {
    const [alice, bob] = (await people(2)) as [SignedInUser, SignedInUser];
    await makeContacts(alice.id, bob.id);
    const a = await openLine(alice.cookie);
    await openLine(bob.cookie);
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'online'));
    const roomId = await newRoom(bob);
    await (await connectThroughWorker(roomId, bob.cookie)).join();
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'in-call'));
    await (await connectThroughWorker(roomId, bob.cookie)).join();
    await a.line.expectNothingMore();
  });

  it('follows the contact list: a new contact is heard, a removed one no longer', async () => {
    const [alice, bob] = (await people(2)) as [SignedInUser, SignedInUser];
    const a = await openLine(alice.cookie);
    const b = await openLine(bob.cookie);
    expect(a.presence).toEqual({ type: 'presence', contacts: [] });

    await makeContacts(alice.id, bob.id);
    await Promise.all([lineOf(env, alice.id).contactsChanged(), lineOf(env, bob.id).contactsChanged()]);
    expect(await a.line.next()).toEqual(presenceOf(bob.id, 'online'));
    expect(await a.line.next()).toEqual({ type: 'contacts-changed' });
    expect(await b.line.next()).toEqual(presenceOf(alice.id, 'online'));
    expect(await b.line.next()).toEqual({ type: 'contacts-changed' });

    const { db, close } = openTestDatabase();
    await db
      .delete(contacts)
      .where(
        or(
          and(eq(contacts.userId, alice.id), eq(contacts.contactId, bob.id)),
          and(eq(contacts.userId, bob.id), eq(contacts.contactId, alice.id)),
        ),
      );
    await close();
    await Promise.all([lineOf(env, alice.id).contactsChanged(), lineOf(env, bob.id).contactsChanged()]);
    expect(await a.line.next()).toEqual({ type: 'contacts-changed' });
    b.line.ws.close(1000);
    await a.line.expectNothingMore();
  });
});

describe('the line itself', () => {
  it('is closed with SessionEnded by the sweep after a logout', async () => {
    const [alice] = (await people(1)) as [SignedInUser];
    const a = await openLine(alice.cookie);
    expect((await call('/api/auth/logout', { method: 'POST', cookie: alice.cookie })).status).toBe(204);
    const line = lineOf(env, alice.id);
    await runInDurableObject(line, (_l, state) => {
      state.storage.kv.put('sessions-checked-at', Date.now() - SESSION_CHECK_INTERVAL_MS);
    });
    await runDurableObjectAlarm(line);
    expect((await a.line.closed).code).toBe(LineCloseCode.SessionEnded);
  });

  it('refuses a tab past MAX_TABS with TooManySockets, and needs a session and an upgrade', async () => {
    const user = { id: crypto.randomUUID(), username: 'tabby' };
    const tabs = [];
    for (let i = 0; i < MAX_TABS; i++) tabs.push(await openLineDirectly(user));
    const extra = await openLineDirectly(user);
    expect((await extra.closed).code).toBe(LineCloseCode.TooManySockets);
    expect((await call('/api/line/ws', { headers: { upgrade: 'websocket' } })).status).toBe(401);
    const [alice] = (await people(1)) as [SignedInUser];
    expect((await call('/api/line/ws', { cookie: alice.cookie })).status).toBe(426);
  });
});
