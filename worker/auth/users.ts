/**
 * Accounts in Postgres. Usernames and emails are unique case-insensitively (unique indexes on
 * `lower(...)`), so every lookup compares lower-cased values and can use those indexes.
 */
import { eq, or, sql } from 'drizzle-orm';
import type { AccountView } from '../../protocol/accounts.ts';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';

/** The database or a transaction: whatever runs queries. */
export type Queryable = Pick<Database, 'select' | 'insert' | 'update' | 'delete'>;

export interface Account extends AccountView {
  passwordHash: string;
}

type Field = 'username' | 'email';

const account = { id: users.id, username: users.username, email: users.email, passwordHash: users.passwordHash };
const lowerUsername = sql`lower(${users.username})`;
const lowerEmail = sql`lower(${users.email})`;

/** The account whose username or email is `login`; usernames cannot contain "@", so at most one. */
export async function findByLogin(db: Queryable, login: string): Promise<Account | undefined> {
  const key = login.toLowerCase();
  const [row] = await db
    .select(account)
    .from(users)
    .where(or(eq(lowerUsername, key), eq(lowerEmail, key)));
  return row;
}

export async function findByEmail(db: Queryable, email: string): Promise<Account | undefined> {
  const [row] = await db.select(account).from(users).where(eq(lowerEmail, email.toLowerCase()));
  return row;
}

export async function findById(db: Queryable, id: string): Promise<Account | undefined> {
  const [row] = await db.select(account).from(users).where(eq(users.id, id));
  return row;
}

/** Refuses with 409 naming the field if the username or the email is already in use. */
export async function refuseTaken(db: Queryable, username: string, email: string): Promise<void> {
  const rows = await db
    .select({ username: users.username })
    .from(users)
    .where(or(eq(lowerUsername, username.toLowerCase()), eq(lowerEmail, email.toLowerCase())));
  if (rows.length === 0) return;
  throw taken(rows.some((row) => row.username.toLowerCase() === username.toLowerCase()) ? 'username' : 'email');
}

/**
 * Inserts an account. Two signups racing past `refuseTaken` meet at the unique indexes: the
 * loser's unique violation becomes the same 409 as the pre-check's.
 */
export async function insertUser(
  db: Queryable,
  values: { username: string; email: string; passwordHash: string },
): Promise<AccountView> {
  try {
    const [row] = await db.insert(users).values(values).returning({
      id: users.id,
      username: users.username,
      email: users.email,
    });
    if (!row) throw new Error('user insert returned nothing');
    return row;
  } catch (error) {
    const field = violatedField(error);
    throw field ? taken(field) : error;
  }
}

export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

function taken(field: Field): ApiError {
  return field === 'username'
    ? new ApiError(409, 'username_taken', 'That username is taken', 'username')
    : new ApiError(409, 'email_taken', 'An account with this email already exists', 'email');
}

const CONSTRAINT_FIELDS: Record<string, Field> = { users_username_key: 'username', users_email_key: 'email' };

/** The field behind a Postgres unique violation (23505), looking through drizzle's wrapping errors. */
function violatedField(error: unknown): Field | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505' && typeof constraint === 'string') return CONSTRAINT_FIELDS[constraint];
  }
  return undefined;
}
