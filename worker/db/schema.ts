/** The Postgres schema. Change it here, then `npm run db:generate` writes the migration into drizzle/. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CALL_KINDS, CALL_OUTCOMES } from '../../protocol/calls.ts';

/** A literal SQL list of fixed words (the protocol's, never user input), for CHECK constraints. */
const oneOf = (words: readonly string[]) => sql.raw(`(${words.map((word) => `'${word}'`).join(', ')})`);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
  ],
);

/**
 * A signed-in browser. The session JWT names its row, so deleting or revoking the row revokes the JWT.
 * `last_seen_at` (written at most every few minutes) drives the idle timeout and the Account page's
 * list of signed-in devices, which shows the `user_agent` the session was created with.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/** Only the SHA-256 of a reset token is stored: a database leak gives no usable links. */
export const passwordResets = pgTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('password_resets_user_id_idx').on(t.userId)],
);

/** Fixed-window throttling counters, shared by every Worker isolate. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  hits: integer('hits').notNull(),
});

/** Mail that would have been sent, when no RESEND_API_KEY is configured (local dev and tests). */
export const devMail = pgTable('dev_mail', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html').notNull(),
  createdAt: createdAt(),
});

export const rooms = pgTable(
  'rooms',
  {
    id: text('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Set for the room of a rung call: only the owner (the caller) and this user may open it. */
    inviteeId: uuid('invitee_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('rooms_owner_id_created_at_idx').on(t.ownerId, t.createdAt)],
);

/**
 * Who opened which room and when: the creator at creation, everyone each time they join its call.
 * It lists a user's recent rooms, those they created and those they joined alike.
 */
export const roomVisits = pgTable(
  'room_visits',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.roomId] }),
    index('room_visits_user_id_visited_at_idx').on(t.userId, t.visitedAt),
  ],
);

/** A contact request from one user to another, until it is accepted (then `contacts`) or declined (deleted). */
export const contactRequests = pgTable(
  'contact_requests',
  {
    fromId: uuid('from_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    toId: uuid('to_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.fromId, t.toId] }), index('contact_requests_to_id_idx').on(t.toId)],
);

/**
 * Mutual contacts, one row per direction: (a, b) and (b, a) are written and deleted together, so
 * "b is a's contact" is one primary-key lookup and a user's list is one index range.
 */
export const contacts = pgTable(
  'contacts',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.contactId] })],
);

/**
 * A call between two people (protocol/calls.ts): rung from the caller to the callee, or two people
 * meeting through a room link (the caller is the one who was there first). `outcome` is `ringing`
 * until the call is settled; `missed_seen_at` is when the callee saw it among their missed calls.
 */
export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: CALL_KINDS }).notNull(),
    callerId: uuid('caller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    calleeId: uuid('callee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roomId: text('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    outcome: text('outcome', { enum: CALL_OUTCOMES }).notNull(),
    missedSeenAt: timestamp('missed_seen_at', { withTimezone: true }),
  },
  (t) => [
    index('calls_caller_id_created_at_idx').on(t.callerId, t.createdAt),
    index('calls_callee_id_created_at_idx').on(t.calleeId, t.createdAt),
    check('calls_kind_check', sql`${t.kind} in ${oneOf(CALL_KINDS)}`),
    check('calls_outcome_check', sql`${t.outcome} in ${oneOf(CALL_OUTCOMES)}`),
  ],
);
