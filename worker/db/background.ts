/**
 * Work done after the response (`executionCtx.waitUntil`), such as sending mail. The request's
 * database pool is closed once the response is out, so the work opens its own; nobody is left to
 * hear about a failure, so it is logged (by name and Postgres code only, see http/errors.ts).
 */
import type { Env } from '../env.ts';
import { errorFacts } from '../http/errors.ts';
import { type Database, usingDatabase } from './client.ts';

/** Runs `work` with a database of its own; on failure logs `{event: failureEvent, name, pgCode?}`. */
export async function inBackground(
  env: Env,
  failureEvent: string,
  work: (db: Database) => Promise<void>,
): Promise<void> {
  await usingDatabase(env, work).catch((error) =>
    console.error(JSON.stringify({ event: failureEvent, ...errorFacts(error) })),
  );
}
