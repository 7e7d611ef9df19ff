/**
 * People and calls for the ringing tests (worker/user-line/*.test.ts): signed-in users, two mutual
 * contacts with their lines open, and a call's row as Postgres has it.
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { openTestDatabase } from '../auth/testing.ts';
import { calls } from '../db/schema.ts';
import { createSignedInUser, type SignedInUser } from './accounts.ts';
import { type LineSocket, makeContacts, openLine } from './line-socket.ts';

export async function people(count: number): Promise<SignedInUser[]> {
  const { db, close } = openTestDatabase();
  try {
    return await Promise.all(Array.from({ length: count }, () => createSignedInUser(db, env.SESSION_SECRET)));
  } finally {
    await close();
  }
}

/** Alice and Bob, mutual contacts, each with `tabs` lines open (Alice one). */
export async function contacts(bobTabs = 1) {
  const [alice, bob, carol] = (await people(3)) as [SignedInUser, SignedInUser, SignedInUser];
  await makeContacts(alice.id, bob.id);
  const a = (await openLine(alice.cookie)).line;
  const b: LineSocket[] = [];
  for (let i = 0; i < bobTabs; i++) b.push((await openLine(bob.cookie)).line);
  return { alice, bob, carol, a, b };
}

export async function row(callId: string) {
  const { db, close } = openTestDatabase();
  try {
    const [found] = await db.select().from(calls).where(eq(calls.id, callId));
    return found;
  } finally {
    await close();
  }
}

/** The row gets its outcome right after the line settles: poll a little. */
export async function settledRow(callId: string) {
  await expect.poll(async () => (await row(callId))?.outcome).not.toBe('ringing');
  return row(callId);
}
