/**
 * The contacts API's hooks into the lines: after a change to two people's contacts or requests,
 * both lines hear it (rpc.ts `contactsChanged`), so their tabs refetch the list and presence starts
 * or stops flowing between them. After the response, in the background: a line that cannot be
 * reached only delays what its tabs show, and is logged. A removal is different: both lines drop
 * the contact (`contactRemoved`) before the API answers, so from then on neither rings the other
 * (protocol/user-line.ts, Ringing). Should a line not answer, a ring it starts still writes no room
 * for people who are no longer contacts, and fails (worker/user-line/outgoing.ts).
 */
import type { Context } from 'hono';
import type { Env } from '../env.ts';
import type { AppEnv } from '../http/context.ts';
import { lineOf } from './handoff.ts';
import { lineLog } from './wire.ts';

export function tellLines(c: Context<AppEnv>, ...userIds: string[]): void {
  const told = Promise.all(userIds.map((id) => lineOf(c.env, id).contactsChanged()));
  c.executionCtx.waitUntil(told.catch((error) => lineLog('contacts_change_not_told', error)));
}

/** Two people are no longer contacts: both lines stop ringing each other before this resolves. */
export async function forgetOnLines(env: Env, a: string, b: string): Promise<void> {
  const forgotten = Promise.all([lineOf(env, a).contactRemoved(b), lineOf(env, b).contactRemoved(a)]);
  await forgotten.catch((error) => lineLog('contact_removal_not_told', error));
}
