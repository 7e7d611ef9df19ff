/**
 * The contacts API's one hook into the lines: after a change to two people's contacts or requests,
 * both lines hear it (rpc.ts `contactsChanged`), so their tabs refetch the list and presence starts
 * or stops flowing between them. After the response, in the background: a line that cannot be
 * reached only delays what its tabs show, and is logged.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { lineOf } from './handoff.ts';
import { lineLog } from './wire.ts';

export function tellLines(c: Context<AppEnv>, ...userIds: string[]): void {
  const told = Promise.all(userIds.map((id) => lineOf(c.env, id).contactsChanged()));
  c.executionCtx.waitUntil(told.catch((error) => lineLog('contacts_change_not_told', error)));
}
