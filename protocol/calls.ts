/**
 * Calls between two people, for both sides: what a call is, how it can end, and how the history
 * reads it. The Worker stores calls (worker/db/schema.ts `calls`) and serves the history; the
 * ringing itself travels on the user line (protocol/user-line.ts).
 *
 * A call is `ring` (one user called a contact by name) or `link` (two people met in a room through
 * its link; the caller is the one who was there first). Its outcome is `ringing` until settled:
 * `answered` · `declined` (by the callee) · `cancelled` (by the caller before an answer) ·
 * `no_answer` (RING_TIMEOUT_MS passed) · `busy` (the callee was in another call) · `offline` (the
 * callee had no tab open). For the callee, every settled outcome except `answered` and `declined`
 * is a missed call, counted on Home until seen.
 */
import * as v from 'valibot';

export const CALL_KINDS = ['ring', 'link'] as const;
export const CALL_OUTCOMES = ['ringing', 'answered', 'declined', 'cancelled', 'no_answer', 'busy', 'offline'] as const;

export const CallKindSchema = v.picklist(CALL_KINDS);
export type CallKind = v.InferOutput<typeof CallKindSchema>;
export const CallOutcomeSchema = v.picklist(CALL_OUTCOMES);
export type CallOutcome = v.InferOutput<typeof CallOutcomeSchema>;

/** Outcomes that count as a missed call for the callee. */
export const MISSED_OUTCOMES: readonly CallOutcome[] = ['cancelled', 'no_answer', 'busy', 'offline'];

/** An unanswered ring ends (`no_answer`) this long after it started. */
export const RING_TIMEOUT_MS = 30_000;
