/**
 * Contacts and contact requests in Postgres (rules: protocol/contacts.ts). Other parts ask
 * `areContacts` (may these two ring each other?) and `contactIds` (whose lines hear my presence?).
 *
 * Every change to a pair's contact state runs in a transaction holding an advisory lock on the
 * pair, so two requests sent at once settle one after the other: two people asking each other at
 * the same moment end as contacts, never as two pending requests, and never with duplicate rows.
 */
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { contactRequests, contacts, users } from '../db/schema.ts';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** The database or a transaction. */
type Queryable = Database | Transaction;

export interface Contact {
  userId: string;
  username: string;
  since: Date;
}

export interface ContactRequest {
  userId: string;
  username: string;
  createdAt: Date;
}

export interface ContactList {
  contacts: Contact[];
  /** Requests others sent to this user, oldest first. */
  incoming: ContactRequest[];
  /** Requests this user sent, oldest first. */
  outgoing: ContactRequest[];
}

/** What asking for a contact by name came to. */
export type RequestOutcome =
  | { kind: 'requested'; request: ContactRequest }
  /** The other person had already asked: their request is accepted. */
  | { kind: 'accepted'; contact: Contact }
  | { kind: 'unknown_user' | 'self' | 'already_contact' | 'already_requested' };

/** Whether `a` and `b` are mutual contacts: one primary-key lookup. */
export async function areContacts(db: Queryable, a: string, b: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql`1` })
    .from(contacts)
    .where(and(eq(contacts.userId, a), eq(contacts.contactId, b)));
  return row !== undefined;
}

/** The ids of the user's contacts: one index range. */
export async function contactIds(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.select({ id: contacts.contactId }).from(contacts).where(eq(contacts.userId, userId));
  return rows.map((row) => row.id);
}

export async function listContacts(db: Database, userId: string): Promise<ContactList> {
  const [mine, incoming, outgoing] = await Promise.all([
    db
      .select({ userId: users.id, username: users.username, since: contacts.createdAt })
      .from(contacts)
      .innerJoin(users, eq(users.id, contacts.contactId))
      .where(eq(contacts.userId, userId))
      .orderBy(asc(users.username)),
    requestsWhere(db, 'incoming', userId),
    requestsWhere(db, 'outgoing', userId),
  ]);
  return { contacts: mine, incoming, outgoing };
}

/** Requests sent to the user (incoming) or by the user (outgoing), each naming the other person. */
function requestsWhere(db: Database, direction: 'incoming' | 'outgoing', userId: string) {
  const [mine, theirs] =
    direction === 'incoming'
      ? [contactRequests.toId, contactRequests.fromId]
      : [contactRequests.fromId, contactRequests.toId];
  return db
    .select({ userId: users.id, username: users.username, createdAt: contactRequests.createdAt })
    .from(contactRequests)
    .innerJoin(users, eq(users.id, theirs))
    .where(eq(mine, userId))
    .orderBy(asc(contactRequests.createdAt));
}

/** The user asks for `username` as a contact; if that person had already asked, they become contacts. */
export async function requestContact(db: Database, fromId: string, username: string): Promise<RequestOutcome> {
  const [target] = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(sql`lower(${users.username})`, username.toLowerCase()));
  if (!target) return { kind: 'unknown_user' };
  if (target.id === fromId) return { kind: 'self' };
  return db.transaction(async (tx) => {
    await lockPair(tx, fromId, target.id);
    if (await areContacts(tx, fromId, target.id)) return { kind: 'already_contact' };
    const contact = await acceptWithin(tx, fromId, target.id);
    if (contact) return { kind: 'accepted', contact };
    const [request] = await tx
      .insert(contactRequests)
      .values({ fromId, toId: target.id })
      .onConflictDoNothing()
      .returning({ createdAt: contactRequests.createdAt });
    if (!request) return { kind: 'already_requested' };
    return {
      kind: 'requested',
      request: { userId: target.id, username: target.username, createdAt: request.createdAt },
    };
  });
}

/** The user accepts the request `fromId` sent them; undefined when there is no such request. */
export async function acceptRequest(db: Database, userId: string, fromId: string): Promise<Contact | undefined> {
  return db.transaction(async (tx) => {
    await lockPair(tx, userId, fromId);
    return acceptWithin(tx, userId, fromId);
  });
}

/** Deletes the request `fromId` → `toId`: declined by `toId` or withdrawn by `fromId`; whether there was one. */
export async function dropRequest(db: Database, fromId: string, toId: string): Promise<boolean> {
  const deleted = await db
    .delete(contactRequests)
    .where(and(eq(contactRequests.fromId, fromId), eq(contactRequests.toId, toId)))
    .returning({ fromId: contactRequests.fromId });
  return deleted.length > 0;
}

/** Ends the contact both ways; whether they were contacts. */
export async function removeContact(db: Database, userId: string, contactId: string): Promise<boolean> {
  const deleted = await db
    .delete(contacts)
    .where(
      or(
        and(eq(contacts.userId, userId), eq(contacts.contactId, contactId)),
        and(eq(contacts.userId, contactId), eq(contacts.contactId, userId)),
      ),
    )
    .returning({ userId: contacts.userId });
  return deleted.length > 0;
}

/** Takes the request `fromId` → `userId` (if any) and writes the contact both ways. */
async function acceptWithin(tx: Transaction, userId: string, fromId: string): Promise<Contact | undefined> {
  const [request] = await tx
    .delete(contactRequests)
    .where(and(eq(contactRequests.fromId, fromId), eq(contactRequests.toId, userId)))
    .returning({ fromId: contactRequests.fromId });
  if (!request) return undefined;
  const [row] = await tx
    .insert(contacts)
    .values([
      { userId, contactId: fromId },
      { userId: fromId, contactId: userId },
    ])
    .onConflictDoNothing()
    .returning({ since: contacts.createdAt });
  const [person] = await tx.select({ username: users.username }).from(users).where(eq(users.id, fromId));
  if (!row || !person) throw new Error('accepting a contact request wrote nothing');
  return { userId: fromId, username: person.username, since: row.since };
}

/** Serialises every change to one pair of users until the transaction ends, whichever side starts it. */
async function lockPair(tx: Transaction, a: string, b: string): Promise<void> {
  const pair = a < b ? `${a}:${b}` : `${b}:${a}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`contacts:${pair}`}, 0))`);
}
