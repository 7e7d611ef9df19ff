/**
 * Calls in Postgres (protocol/calls.ts): the history a user reads, their missed calls, and the
 * `link` calls the call room records (worker/call-room/link-calls.ts). Rung calls are written by
 * the user line.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type CallKind, type CallOutcome, MISSED_OUTCOMES } from '../../protocol/calls.ts';
import type { Database } from '../db/client.ts';
import { calls, rooms } from '../db/schema.ts';

export interface HistoryEntry {
  id: string;
  kind: CallKind;
  direction: 'incoming' | 'outgoing';
  other: { userId: string; username: string };
  outcome: CallOutcome;
  createdAt: Date;
  /** Whole seconds from the answer to the end; null unless the call was answered and has ended. */
  durationSeconds: number | null;
}

export interface HistoryPage {
  calls: HistoryEntry[];
  /** The `before` of the next page; null on the last one. */
  next: string | null;
}

interface HistoryRow extends Record<string, unknown> {
  id: string;
  kind: CallKind;
  direction: 'incoming' | 'outgoing';
  other_id: string;
  other_username: string;
  outcome: CallOutcome;
  created_at: Date | string;
  duration_seconds: number | null;
  cursor: string;
}

/**
 * One page of the user's calls, newest first, made or received, starting after `before`. Each side
 * (caller, callee) is read in order from its own index and the two are merged, so a page costs two
 * short index ranges however long the history is.
 */
export async function callHistory(db: Database, userId: string, limit: number, before?: string): Promise<HistoryPage> {
  const after = before ? cursorCondition(before) : sql``;
  const side = (mine: string, theirs: string, direction: 'incoming' | 'outgoing') => sql`
    (select id, kind, outcome, created_at, answered_at, ended_at, ${sql.raw(theirs)} as other_id,
            ${direction}::text as direction
       from calls
      where ${sql.raw(mine)} = ${userId} ${after}
      order by created_at desc, id desc
      limit ${limit + 1})`;
  const { rows } = await db.execute<HistoryRow>(sql`
    select page.id, page.kind, page.outcome, page.created_at, page.direction,
           page.other_id, users.username as other_username,
           round(extract(epoch from (page.ended_at - page.answered_at)))::int as duration_seconds,
           ((extract(epoch from page.created_at) * 1000000)::bigint)::text || '_' || page.id as cursor
      from (${side('caller_id', 'callee_id', 'outgoing')} union all ${side('callee_id', 'caller_id', 'incoming')}) page
      join users on users.id = page.other_id
     order by page.created_at desc, page.id desc
     limit ${limit + 1}`);
  const shown = rows.slice(0, limit);
  return {
    calls: shown.map((row) => ({
      id: row.id,
      kind: row.kind,
      direction: row.direction,
      other: { userId: row.other_id, username: row.other_username },
      outcome: row.outcome,
      createdAt: new Date(row.created_at),
      durationSeconds: row.duration_seconds,
    })),
    next: rows.length > limit ? (shown.at(-1)?.cursor ?? null) : null,
  };
}

/** Calls strictly older than the cursor's (created_at, id). */
function cursorCondition(cursor: string) {
  const [micros, id] = cursor.split('_');
  const createdAt = sql`(timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond')`;
  return sql`and (created_at, id) < (${createdAt}, ${id}::uuid)`;
}

const unseenMissed = (userId: string) =>
  and(eq(calls.calleeId, userId), inArray(calls.outcome, [...MISSED_OUTCOMES]), isNull(calls.missedSeenAt));

/** How many missed calls the user has not seen yet. */
export async function missedCount(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(calls).where(unseenMissed(userId));
  return row?.count ?? 0;
}

/** The user has seen their missed calls. */
export async function markMissedSeen(db: Database, userId: string): Promise<void> {
  await db.update(calls).set({ missedSeenAt: sql`now()` }).where(unseenMissed(userId));
}

export interface LinkCall {
  id: string;
  roomId: string;
  /** Seated first. */
  callerId: string;
  calleeId: string;
}

/**
 * Records a call between two people seated together in a room, answered now; nothing for the room
 * of a rung call (it has an invitee), whose call the user line records. Whether it was recorded.
 */
export async function startLinkCall(db: Database, call: LinkCall): Promise<boolean> {
  const { rows } = await db.execute(sql`
    insert into ${calls} (id, kind, caller_id, callee_id, room_id, answered_at, outcome)
    select ${call.id}, 'link', ${call.callerId}, ${call.calleeId}, ${rooms.id}, now(), 'answered'
      from ${rooms}
     where ${rooms.id} = ${call.roomId} and ${rooms.inviteeId} is null
    returning id`);
  return rows.length > 0;
}

/** The call ended now (or resumed: `ended` false), unless it already was in that state. */
export async function setCallEnded(db: Database, callId: string, ended: boolean): Promise<void> {
  await db
    .update(calls)
    .set({ endedAt: ended ? sql`now()` : null })
    .where(and(eq(calls.id, callId), ended ? isNull(calls.endedAt) : sql`${calls.endedAt} is not null`));
}
