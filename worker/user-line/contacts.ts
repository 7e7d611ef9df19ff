/** Mutual contacts, read until worker/contacts/store.ts (the contacts branch) lands with the same functions. */
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../auth/users.ts';
import { contacts } from '../db/schema.ts';

export async function areContacts(db: Queryable, a: string, b: string): Promise<boolean> {
  const [row] = await db
    .select({ id: contacts.contactId })
    .from(contacts)
    .where(and(eq(contacts.userId, a), eq(contacts.contactId, b)));
  return row !== undefined;
}

export async function contactIds(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.select({ id: contacts.contactId }).from(contacts).where(eq(contacts.userId, userId));
  return rows.map((row) => row.id);
}
