/**
 * Every API error leaves as `{ error: { code, message, field? } }` with a 4xx status, from one place.
 * Unexpected exceptions are logged and become a bare 500 that never carries a stack. Logs get an
 * error's name and Postgres code only: a failed query's message carries its parameters (emails,
 * password hashes), and driver messages may quote the values they choked on.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody } from '../../protocol/errors.ts';

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export function errorBody(code: string, message: string, field?: string): ApiErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message, error.field), error.status, error.headers);
  }
  if (error instanceof HTTPException) {
    // Hono's own (e.g. body-limit's 413) are client errors with a plain message.
    const status = error.status;
    return c.json(
      errorBody(status === 413 ? 'payload_too_large' : 'bad_request', error.message || 'Bad request'),
      status,
    );
  }
  console.error(JSON.stringify({ event: 'unhandled_error', path: c.req.path, ...errorFacts(error) }));
  return c.json(errorBody('internal', 'Something went wrong on our side. Please try again.'), 500);
}

/**
 * An error of ours whose message names no account, token or address, so logs may carry it (a
 * mail-configuration problem, a provider's refusal code). Every other error logs its name only.
 */
export class LoggableError extends Error {}

/**
 * What may be logged of an unexpected error: its name, the message of a LoggableError, and the
 * Postgres SQLSTATE (e.g. 23505) if any error in its cause chain has one (drizzle wraps the driver's).
 */
export function errorFacts(error: unknown): { name: string; message?: string; pgCode?: string } {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof LoggableError ? { message: error.message } : {};
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { name, ...message, pgCode: code };
  }
  return { name, ...message };
}

export function notFound(c: Context): Response {
  return c.json(errorBody('not_found', 'No such endpoint.'), 404);
}
